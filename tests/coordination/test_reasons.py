"""Reasons in the user's own words (DESIGN §4): the reason columns of the
member and candidate imports, the exports that write them back, the rule
that Other needs words (written through the services, old rows untouched),
and the pages that show the words as the reason."""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta

import lxml.html
import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coordination import placements, services
from coordination.importers import CandidateImporter, PartyMemberImporter
from coordination.models import AdmissionCandidate, PartyMember, Placement
from coordination.workbooks import CLOSE_REASONS, LEFT_REASONS, parse_reason, reason_cell
from tests.enterprises.factories import EnterpriseFactory, valid_tax_code
from tests.pages import field_feedback, input_value

from .factories import make_candidate, make_member
from .test_importers import counts, run, xlsx

pytestmark = pytest.mark.django_db

TAX = valid_tax_code(21)
TODAY = timezone.localdate()
WORDS = "Chuyển công tác khỏi doanh nghiệp"
ABROAD = "Định cư ở nước ngoài"
OTHER_NEEDS_WORDS_VI = "Lý do “Khác”: ghi rõ lý do cụ thể bằng lời."

CANDIDATE_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã số thuế doanh nghiệp",
                    "Ngày đưa vào danh sách", "Ngày dừng theo dõi", "Lý do dừng"]
MEMBER_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng",
                 "Mã số thuế doanh nghiệp", "Ngày ra khỏi danh sách", "Lý do"]


@pytest.fixture
def enterprise(zone_a):
    return EnterpriseFactory(tax_code=TAX, zone=zone_a, name="Công ty TNHH Đức Thành")


def closed_row(n: int, reason, **overrides) -> dict:
    return {"Họ và tên": f"Trần Thị Bình {chr(65 + n)}", "Ngày sinh": "15/07/1995",
            "Giới tính": "Nữ", "Số CCCD": f"0361950{n:05d}", "Mã số thuế doanh nghiệp": TAX,
            "Ngày đưa vào danh sách": "10/01/2025", "Ngày dừng theo dõi": "01/03/2025",
            "Lý do dừng": reason, **overrides}


def left_row(n: int, reason, **overrides) -> dict:
    return {"Họ và tên": f"Nguyễn Văn An {chr(65 + n)}", "Ngày sinh": "01/05/1990",
            "Giới tính": "Nam", "Số CCCD": f"0360900{n:05d}", "Ngày vào Đảng": "01/03/2020",
            "Mã số thuế doanh nghiệp": TAX, "Ngày ra khỏi danh sách": "01/02/2025",
            "Lý do": reason, **overrides}


def export_and_reimport(kind, importer, tmp_path):
    out = tmp_path / f"{kind}.xlsx"
    call_command("export_workbook", "--kind", kind, str(out))
    result = run(importer, out.read_bytes())
    assert result.ok, result.errors
    sheet = openpyxl.load_workbook(out).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    return result, [dict(zip(header, row, strict=True)) for row in rows[1:]]


def stored_cases():
    return {c.citizen_id[-2:]: (c.closed_reason, c.closed_note)
            for c in AdmissionCandidate.objects.all()}


# --- Reading and writing a reason cell --------------------------------------------------------


@pytest.mark.parametrize(("cell", "expected"), [
    ("rút đơn", ("withdrew", "")),
    ("KHÔNG ĐỦ ĐIỀU KIỆN", ("not_eligible", "")),
    ("khong du dieu kien", ("not_eligible", "")),
    ("  Tự   rút. ", ("withdrew", "")),
    ("Biểu quyết không đạt", ("vote_failed", "")),
    ("NGHỈ VIỆC", ("left_enterprise", "")),
    ("khác", ("other", "")),
    (WORDS, ("other", WORDS)),
    (unicodedata.normalize("NFD", f"  {WORDS} "), ("other", WORDS)),
    ("Khác: đi du học", ("other", "đi du học")),
    ("Lý do khác - đi du học", ("other", "đi du học")),
    ("Khác (đi du học)", ("other", "đi du học")),
    ("Chuyển công tác - Hà Nội", ("other", "Chuyển công tác - Hà Nội")),
    (None, (None, "")),
    ("   ", (None, "")),
])
def test_a_close_reason_is_a_listed_one_or_the_users_words(cell, expected):
    assert parse_reason(cell, options=CLOSE_REASONS) == expected


@pytest.mark.parametrize(("cell", "expected"), [
    ("tu tran", ("deceased", "")),
    ("XIN RA KHỎI ĐẢNG", ("resigned", "")),
    ("Chuyển sinh hoạt đi nơi khác", ("transferred", "")),
    ("Khai trừ hoặc xóa tên khỏi Đảng", ("removed", "")),
    (ABROAD, ("other", ABROAD)),
])
def test_a_leaving_reason_is_a_listed_one_or_the_users_words(cell, expected):
    assert parse_reason(cell, options=LEFT_REASONS) == expected


def test_a_reason_in_words_is_at_most_255_characters():
    assert parse_reason("Đ" * 255, options=CLOSE_REASONS) == ("other", "Đ" * 255)
    with pytest.raises(ValueError, match="255"):
        parse_reason("Đ" * 256, options=CLOSE_REASONS)


@pytest.mark.parametrize(("reason", "words", "cell"), [
    ("other", WORDS, WORDS),
    # Words that alone would read as a listed reason keep their category.
    ("other", "Tự rút", "Khác: Tự rút"),
    ("other", "Khác: đi du học", "Khác: Khác: đi du học"),
    ("other", "", "Khác"),
    ("withdrew", "", "Tự rút"),
])
def test_the_export_writes_a_reason_that_reads_back_the_same(reason, words, cell):
    assert reason_cell(CLOSE_REASONS, reason, words) == cell
    assert parse_reason(cell, options=CLOSE_REASONS) == (reason, words)


# --- Candidates file --------------------------------------------------------------------------


def test_a_candidates_file_with_the_users_own_words_imports(enterprise, pc_officer, tmp_path):
    reasons = [WORDS, "rút đơn", "KHÔNG ĐỦ ĐIỀU KIỆN", "khong du dieu kien",
               "Khác: Đi học đại học chính quy"]
    rows = [closed_row(n, reason) for n, reason in enumerate(reasons)]
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, rows), actor=pc_officer)
    assert result.ok, result.errors
    assert counts(result) == (5, 0, 0)
    assert stored_cases() == {
        "00": ("other", WORDS), "01": ("withdrew", ""), "02": ("not_eligible", ""),
        "03": ("not_eligible", ""), "04": ("other", "Đi học đại học chính quy")}
    case = AdmissionCandidate.objects.get(closed_note=WORDS)
    assert case.closed_reason_text == WORDS

    result, exported = export_and_reimport("candidates", CandidateImporter, tmp_path)
    assert counts(result) == (0, 0, 5)
    assert [row["Lý do dừng"] for row in exported] == [
        WORDS, "Tự rút", "Không đủ điều kiện", "Không đủ điều kiện", "Đi học đại học chính quy"]


def test_stored_reasons_of_every_kind_export_and_reimport_unchanged(enterprise, tmp_path):
    web = make_candidate(enterprise, citizen_id="036195000001")
    services.candidate_close(candidate=web, on=date(2025, 2, 1), reason="other", note="Tự rút")
    noted = make_candidate(enterprise, citizen_id="036195000002")
    services.candidate_close(candidate=noted, on=date(2025, 2, 1), reason="withdrew",
                             note="Viết đơn xin rút ngày 30/01/2025")
    # Closed before Other needed words: valid, and exported as "Khác".
    legacy = make_candidate(enterprise, citizen_id="036195000003", closed_on=date(2025, 2, 1),
                            closed_reason="withdrew")
    AdmissionCandidate.objects.filter(pk=legacy.pk).update(closed_reason="other")
    before = stored_cases()

    result, exported = export_and_reimport("candidates", CandidateImporter, tmp_path)
    assert counts(result) == (0, 0, 3)
    assert [row["Lý do dừng"] for row in exported] == ["Khác: Tự rút", "Tự rút", "Khác"]
    assert stored_cases() == before


def test_a_row_that_changes_the_reason_replaces_the_words(enterprise, pc_officer):
    make_candidate(enterprise, citizen_id="036195000000", closed_on=date(2025, 3, 1),
                   closed_reason="other", closed_note=WORDS)
    noted = make_candidate(enterprise, citizen_id="036195000001", closed_on=date(2025, 3, 1),
                           closed_reason="withdrew", closed_note="Viết đơn ngày 28/02/2025")
    same = {"Họ và tên": "Trần Thị Bình"}
    rows = [closed_row(0, "Tự rút", **same), closed_row(1, "rút đơn", **same)]
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, rows), actor=pc_officer)
    assert result.ok, result.errors
    assert [r.status for r in result.rows] == ["updated", "unchanged"]
    # The words were the reason; the note beside a listed reason stays with it.
    assert stored_cases() == {"00": ("withdrew", ""), "01": ("withdrew", noted.closed_note)}
    # New words replace the reason again.
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [closed_row(1, ABROAD, **same)]),
                 actor=pc_officer)
    assert result.ok, result.errors
    assert stored_cases()["01"] == ("other", ABROAD)


def test_other_without_words_is_refused_on_the_reason_column(enterprise, pc_officer):
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [closed_row(0, "Khác")]),
                 actor=pc_officer)
    assert result.errors == [f"Dòng 2, cột 'Lý do dừng': {OTHER_NEEDS_WORDS_VI}"]
    too_long = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [closed_row(0, "Đ" * 300)]),
                   actor=pc_officer)
    assert len(too_long.errors) == 1
    assert too_long.errors[0].startswith("Dòng 2, cột 'Lý do dừng': ")
    assert "255" in too_long.errors[0]
    assert not AdmissionCandidate.objects.exists()


# --- Members file -----------------------------------------------------------------------------


def stored_members():
    """Each member's reason and words, and the words kept on the last period."""
    found = {}
    for member in PartyMember.objects.all():
        latest = placements.latest_placement(member)
        found[member.citizen_id[-2:]] = (member.left_reason, member.left_note, latest.end_note)
    return found


def test_a_members_file_with_the_users_own_words_imports(enterprise, pc_officer, tmp_path):
    reasons = [ABROAD, "tu tran", "XIN RA KHỎI ĐẢNG", "Chuyển sinh hoạt đi nơi khác"]
    rows = [left_row(n, reason) for n, reason in enumerate(reasons)]
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, rows), actor=pc_officer)
    assert result.ok, result.errors
    assert counts(result) == (4, 0, 0)
    assert stored_members() == {
        "00": ("other", ABROAD, ABROAD), "01": ("deceased", "", ""),
        "02": ("resigned", "", ""), "03": ("transferred", "", "")}
    member = PartyMember.objects.get(left_note=ABROAD)
    assert member.left_reason_text == ABROAD
    assert member.placements.get().leave_reason_text == ABROAD

    result, exported = export_and_reimport("party_members", PartyMemberImporter, tmp_path)
    assert counts(result) == (0, 0, 4)
    assert [row["Lý do"] for row in exported] == [
        ABROAD, "Từ trần", "Xin ra khỏi Đảng", "Chuyển sinh hoạt"]


def test_members_leave_and_are_corrected_with_the_users_words(enterprise, pc_officer):
    on_rolls = make_member(enterprise, citizen_id="036090000000")
    gone = make_member(enterprise, citizen_id="036090000001")
    placements.member_leave_rolls(member=gone, on=date(2025, 2, 1), reason="deceased",
                                  note="Tai nạn lao động")
    rows = [left_row(0, WORDS, **{"Họ và tên": on_rolls.full_name}),
            left_row(1, ABROAD, **{"Họ và tên": gone.full_name})]
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, rows), actor=pc_officer)
    assert result.ok, result.errors
    assert [r.status for r in result.rows] == ["updated", "updated"]
    assert stored_members() == {"00": ("other", WORDS, WORDS), "01": ("other", ABROAD, ABROAD)}
    # Back to a listed reason: the words go with the reason they were.
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, [
        left_row(1, "Từ trần", **{"Họ và tên": gone.full_name})]), actor=pc_officer)
    assert result.ok, result.errors
    assert stored_members()["01"] == ("deceased", "", "")


def test_a_member_leaving_with_other_and_no_words_is_refused(enterprise, pc_officer):
    make_member(enterprise, citizen_id="036090000000", given_name="A")
    rows = [left_row(0, "Lý do khác", **{"Họ và tên": "Nguyễn Văn A"}),
            left_row(1, "Khác")]
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, rows), actor=pc_officer)
    assert result.errors == [f"Dòng {n}, cột 'Lý do': {OTHER_NEEDS_WORDS_VI}" for n in (2, 3)]


# --- The rule in the services -----------------------------------------------------------------


def test_closing_a_case_with_other_needs_words(enterprise):
    candidate = make_candidate(enterprise)
    with pytest.raises(ValidationError) as refused:
        services.candidate_close(candidate=candidate, on=date(2025, 2, 1), reason="other",
                                 note="  ")
    assert list(refused.value.message_dict) == ["closed_note"]
    with pytest.raises(ValidationError) as refused:
        make_candidate(enterprise, closed_on=date(2025, 2, 1), closed_reason="other")
    assert list(refused.value.message_dict) == ["closed_note"]
    closed = services.candidate_close(candidate=candidate, on=date(2025, 2, 1),
                                      reason="other", note=WORDS)
    assert (closed.closed_reason, closed.closed_reason_text) == ("other", WORDS)
    # Clearing the words of Other is writing Other without words.
    with pytest.raises(ValidationError):
        services.candidate_update(candidate=closed, data={"closed_note": ""})


def test_a_case_closed_with_other_before_the_rule_stays_valid(enterprise):
    case = make_candidate(enterprise, closed_on=date(2025, 2, 1), closed_reason="withdrew")
    AdmissionCandidate.objects.filter(pk=case.pk).update(closed_reason="other")
    assert services.candidate_update(candidate=case, data={"given_name": "Bích"}) == [
        "given_name"]
    case.refresh_from_db()
    assert (case.closed_reason, case.closed_reason_text) == (
        "other", AdmissionCandidate.CloseReason.OTHER.label)
    services.candidate_update(candidate=case, data={"closed_note": WORDS})
    case.refresh_from_db()
    assert case.closed_reason_text == WORDS


def test_leaving_the_rolls_with_other_needs_words(enterprise):
    member = make_member(enterprise)
    with pytest.raises(ValidationError) as refused:
        placements.member_leave_rolls(member=member, on=date(2025, 2, 1), reason="other")
    assert list(refused.value.message_dict) == ["note"]
    with pytest.raises(ValidationError) as refused:
        services.member_leave(member=member, on=date(2025, 2, 1), reason="other")
    assert list(refused.value.message_dict) == ["left_note"]
    with pytest.raises(ValidationError) as refused:
        make_member(enterprise, left_on=date(2025, 2, 1), left_reason="other")
    assert list(refused.value.message_dict) == ["left_note"]
    member = services.member_leave(member=member, on=date(2025, 2, 1), reason="other",
                                   note=ABROAD)
    assert (member.left_reason, member.left_note, member.left_reason_text) == (
        "other", ABROAD, ABROAD)


def test_a_period_corrected_to_other_needs_words(enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    with pytest.raises(ValidationError) as refused:
        placements.placement_correct(placement=placement, data={"leave_reason": "other"})
    assert list(refused.value.message_dict) == ["end_note"]
    placements.placement_correct(placement=placement,
                                 data={"leave_reason": "other", "end_note": ABROAD})
    member.refresh_from_db()
    assert (member.left_reason, member.left_note) == ("other", ABROAD)


def test_a_member_who_left_with_other_before_the_rule_stays_valid(enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    Placement.objects.filter(pk=placement.pk).update(leave_reason="other")
    PartyMember.objects.filter(pk=member.pk).update(left_reason="other")
    assert services.member_update(member=member, data={"given_name": "Bình"}) == ["given_name"]
    assert placements.placement_correct(placement=placement,
                                        data={"destination": "Hà Nội"}) == ["destination"]


# --- The pages --------------------------------------------------------------------------------


def by_testid(response, testid):
    return lxml.html.fromstring(response.content.decode()).xpath(f'//*[@data-testid="{testid}"]')


def test_closing_with_other_asks_for_the_words_and_shows_them(client, pc_officer, enterprise):
    candidate = make_candidate(enterprise)
    client.force_login(pc_officer)  # Vietnamese, the default
    url = reverse("coordination:candidate_close", args=[candidate.pk])
    response = client.post(url, {"close-closed_on": "01/02/2025", "close-closed_reason": "other",
                                 "close-closed_note": ""})
    assert response.status_code == 200
    html = response.content.decode()
    assert field_feedback(html, "close-closed_note") == OTHER_NEEDS_WORDS_VI
    # What was typed is kept.
    assert input_value(html, "id_close-closed_on") == "01/02/2025"
    chosen = lxml.html.fromstring(html).xpath('//select[@id="id_close-closed_reason"]'
                                              '/option[@selected]/@value')
    assert chosen == ["other"]
    candidate.refresh_from_db()
    assert candidate.closed_on is None

    response = client.post(url, {"close-closed_on": "01/02/2025", "close-closed_reason": "other",
                                 "close-closed_note": WORDS})
    assert response.status_code == 302
    page = client.get(candidate.get_absolute_url())
    alert = by_testid(page, "closed")[0].text_content()
    assert WORDS in alert and "Khác" not in alert
    assert alert.count(WORDS) == 1


def test_a_listed_reason_shows_its_label_and_the_note(client, pc_officer, enterprise):
    candidate = make_candidate(enterprise)
    services.candidate_close(candidate=candidate, on=date(2025, 2, 1), reason="withdrew",
                             note="Viết đơn ngày 30/01/2025")
    client.force_login(pc_officer)
    alert = by_testid(client.get(candidate.get_absolute_url()), "closed")[0].text_content()
    assert "Tự rút" in alert and "Viết đơn ngày 30/01/2025" in alert


def test_leaving_with_other_asks_for_the_words_and_shows_them(client, pc_officer, enterprise):
    member = make_member(enterprise, admitted_on=TODAY - timedelta(days=800))
    client.force_login(pc_officer)
    url = reverse("coordination:member_leave", args=[member.pk])
    on = TODAY.strftime("%d/%m/%Y")
    response = client.post(url, {"leave-on": on, "leave-reason": "other", "leave-note": ""})
    assert response.status_code == 200
    assert field_feedback(response.content.decode(), "leave-note") == OTHER_NEEDS_WORDS_VI
    assert input_value(response.content.decode(), "id_leave-on") == on
    response = client.post(url, {"leave-on": on, "leave-reason": "other", "leave-note": ABROAD})
    assert response.status_code == 302
    page = client.get(member.get_absolute_url())
    left = by_testid(page, "left")[0].text_content()
    assert ABROAD in left and left.count(ABROAD) == 1
    assert ABROAD in by_testid(page, "period-ended")[0].text_content()
    assert not by_testid(page, "end-note")


def test_correcting_a_period_to_other_asks_for_the_words(client, pc_officer, enterprise):
    member = make_member(enterprise)
    placement = placements.member_leave_rolls(member=member, on=date(2025, 2, 1),
                                              reason="deceased")
    client.force_login(pc_officer)
    url = reverse("coordination:placement_correct", args=[placement.pk])
    page = client.get(url).content.decode()
    data = {"correct-starts_on": "01/03/2020", "correct-ends_on": "01/02/2025",
            "correct-enterprise": input_value(page, "id_correct-enterprise"),
            "correct-began": "admission", "correct-attendance": "official",
            "correct-ended": "left", "correct-leave_reason": "other", "correct-end_note": ""}
    response = client.post(url, data)
    assert field_feedback(response.content.decode(), "correct-end_note") == OTHER_NEEDS_WORDS_VI
    response = client.post(url, {**data, "correct-end_note": ABROAD})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_reason_text == ABROAD
