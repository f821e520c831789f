"""import_workbook / export_workbook for party members and candidates (DESIGN §4)."""

import io
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.utils import translation

from coordination import placements, services
from coordination.exporting import export_candidates, export_party_members
from coordination.importers import CandidateImporter, PartyMemberImporter
from coordination.models import AdmissionCandidate, PartyMember
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory, valid_tax_code
from tests.factories import UserFactory

from .factories import make_candidate, make_member

pytestmark = pytest.mark.django_db

T1, T2 = valid_tax_code(11), valid_tax_code(12)

MEMBER_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng",
                 "Ngày chính thức", "Số thẻ đảng viên", "Mã số thuế doanh nghiệp", "Tổ chức đảng",
                 "Chủ doanh nghiệp", "Ngày ra khỏi danh sách", "Lý do"]
CANDIDATE_HEADER = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Mã số thuế doanh nghiệp",
                    "Ngày đưa vào danh sách", "Trình độ học vấn", "Tổ chức đảng phụ trách",
                    "Ngày hoàn thành lớp bồi dưỡng", "Số giấy chứng nhận", "Ngày nộp đơn",
                    "Ngày chi bộ xét", "Số phiếu tán thành", "Số đảng viên chính thức của chi bộ",
                    "Ngày quyết định kết nạp", "Số quyết định", "Ngày dừng theo dõi", "Lý do dừng"]


def xlsx(header, rows, *, title_rows=()) -> bytes:
    """A workbook: title rows, the header, then rows given as {header: value}."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    for row in title_rows:
        ws.append(row)
    ws.append(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, unknown
        ws.append([row.get(h) for h in header])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def member_row(**overrides):
    row = {"Họ và tên": "Nguyễn Văn An", "Ngày sinh": "01/05/1990", "Giới tính": "Nam",
           "Số CCCD": "036090001234", "Ngày vào Đảng": "01/03/2020",
           "Mã số thuế doanh nghiệp": T1}
    row.update(overrides)
    return row


def candidate_row(**overrides):
    """A candidate admitted by decision, every rule met at the cell resolution."""
    row = {"Họ và tên": "Trần Thị Bình", "Ngày sinh": "15/07/1995", "Giới tính": "Nữ",
           "Số CCCD": "036195004321", "Mã số thuế doanh nghiệp": T1,
           "Ngày đưa vào danh sách": "10/01/2025", "Trình độ học vấn": "12/12",
           "Ngày hoàn thành lớp bồi dưỡng": "01/03/2025", "Số giấy chứng nhận": "CN-2025-01",
           "Ngày nộp đơn": "01/04/2025", "Ngày chi bộ xét": "01/07/2025",
           "Số phiếu tán thành": 5, "Số đảng viên chính thức của chi bộ": 6,
           "Ngày quyết định kết nạp": "10/08/2025", "Số quyết định": "125-QĐ/ĐUK"}
    row.update(overrides)
    return row


@pytest.fixture
def setup(zone_a, zone_b):
    e1 = EnterpriseFactory(tax_code=T1, zone=zone_a, name="Công ty TNHH Đức Thành")
    e2 = EnterpriseFactory(tax_code=T2, zone=zone_b, name="Công ty cổ phần Sông Đào")
    cell = PartyOrganizationFactory(name="Chi bộ Công ty Đức Thành", enterprise=e1)
    joint = PartyOrganizationFactory(name="Chi bộ ghép KCN Bình Đông", enterprise=None,
                                     zone=zone_b)
    return {"e1": e1, "e2": e2, "cell": cell, "joint": joint}


def run(importer, data, **kwargs):
    with translation.override("vi"):
        return importer(**kwargs).run(io.BytesIO(data))


def counts(result):
    return result.created, result.updated, result.unchanged


# --- Members ---------------------------------------------------------------------------


@pytest.fixture
def messy_members(setup):
    """Title rows, a merged title, odd headers, a column-number row, NFD names,
    dates as text and as Excel dates, citizen IDs as numbers and as spaced text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "DS dang vien"
    ws["A1"] = "ĐẢNG ỦY CÁC KHU CÔNG NGHIỆP"
    ws.merge_cells("A1:F1")
    ws["A2"] = "DANH SÁCH ĐẢNG VIÊN TRONG DOANH NGHIỆP"
    ws.merge_cells("A2:F2")
    ws.append([])
    ws.append(["STT", "HỌ VÀ TÊN (*)", "Ngày, tháng, năm sinh", "Nam/Nữ",
               unicodedata.normalize("NFD", "Số định danh cá nhân"), "Ngày kết nạp",
               "Ngày chính thức", "MST doanh nghiệp", "Chi bộ", "Chủ DN", "Ghi chú"])
    ws.append([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11])
    ws.append([1, unicodedata.normalize("NFD", "Nguyễn  Văn Đức"), "01/05/1990", "nam",
               "036 090 001 234", datetime(2020, 3, 1), "01/03/2021", T1,
               "chi bo cong ty duc thanh", "x", "bỏ qua"])
    ws.append([])
    ws.append([2, "Lê Na", datetime(1988, 2, 29), "NỮ", 36188005678, "15/06/2024", None,
               int(T2), "Chi bộ ghép KCN Bình Đông", None, None])
    ws.append([3, "Phạm Thị Thu Hà", "1985-11-20", "Nữ", 123456789012, "02/09/2015",
               "02/09/2016", T1, None, "Không", None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_messy_members_import_and_reimport_unchanged(messy_members, setup, pc_officer):
    result = run(PartyMemberImporter, messy_members, actor=pc_officer)
    assert result.ok, result.errors
    assert counts(result) == (3, 0, 0)
    duc = PartyMember.objects.get(citizen_id="036090001234")
    assert (duc.family_name, duc.middle_name, duc.given_name) == ("Nguyễn", "Văn", "Đức")
    assert (duc.date_of_birth, duc.gender) == (date(1990, 5, 1), "male")
    assert (duc.admitted_on, duc.official_on) == (date(2020, 3, 1), date(2021, 3, 1))
    assert duc.enterprise == setup["e1"] and duc.party_organization == setup["cell"]
    assert duc.is_enterprise_owner
    # A number cell lost the leading zero of the province code: restored.
    na = PartyMember.objects.get(citizen_id="036188005678")
    assert (na.family_name, na.middle_name, na.given_name) == ("Lê", "", "Na")
    assert na.enterprise == setup["e2"] and na.party_organization == setup["joint"]
    assert na.official_on is None and not na.is_enterprise_owner
    ha = PartyMember.objects.get(citizen_id="123456789012")
    assert (ha.middle_name, ha.given_name, ha.date_of_birth) == ("Thị Thu", "Hà",
                                                                 date(1985, 11, 20))

    again = run(PartyMemberImporter, messy_members, actor=pc_officer)
    assert again.ok, again.errors
    assert counts(again) == (0, 0, 3)
    assert duc.history.count() == 1


def test_member_update_changes_only_given_values(setup):
    member = make_member(citizen_id="036090001234", enterprise=setup["e1"],
                         party_card_number="01.234567", admitted_on=date(2020, 3, 1))
    data = xlsx(MEMBER_HEADER, [member_row(**{
        "Ngày chính thức": "01/03/2021", "Ngày ra khỏi danh sách": "31/12/2025",
        "Lý do": "chuyen sinh hoat"})])
    result = run(PartyMemberImporter, data)
    assert result.ok, result.errors
    assert counts(result) == (0, 1, 0)
    member.refresh_from_db()
    assert member.party_card_number == "01.234567"  # a blank cell changes nothing
    assert (member.official_on, member.left_on, member.left_reason) == (
        date(2021, 3, 1), date(2025, 12, 31), "transferred")
    # The correction of the record, then the transfer out (its own event).
    assert member.history.count() == 3
    period = member.placements.get()
    assert (period.ends_on, period.ended) == (date(2025, 12, 31), "transfer_out")


def test_name_split_across_two_columns(setup):
    header = ["Họ và tên đệm", "Tên", "Ngày sinh", "Giới tính", "CCCD", "Ngày vào Đảng",
              "Mã số thuế"]
    data = xlsx(header, [{"Họ và tên đệm": "Nguyễn Văn", "Tên": "An", "Ngày sinh": "01/05/1990",
                          "Giới tính": "Nam", "CCCD": "036090001234",
                          "Ngày vào Đảng": "01/03/2020", "Mã số thuế": T1}])
    result = run(PartyMemberImporter, data)
    assert result.ok, result.errors
    member = PartyMember.objects.get()
    assert (member.family_name, member.middle_name, member.given_name) == ("Nguyễn", "Văn", "An")


def test_enterprise_by_name_in_a_workplace_column(setup):
    header = ["Họ tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng", "Nơi làm việc"]
    rows = [{"Họ tên": "Nguyễn Văn An", "Ngày sinh": "01/05/1990", "Giới tính": "Nam",
             "Số CCCD": "036090001234", "Ngày vào Đảng": "01/03/2020",
             "Nơi làm việc": "CÔNG TY TNHH ĐỨC THÀNH"},
            {"Họ tên": "Lê Văn Bình", "Ngày sinh": "01/05/1991", "Giới tính": "Nam",
             "Số CCCD": "036091001234", "Ngày vào Đảng": "01/03/2021",
             "Nơi làm việc": "Công ty Không Có"}]
    result = run(PartyMemberImporter, xlsx(header, rows))
    assert not result.ok
    assert result.errors == [
        "Dòng 3, cột 'Nơi làm việc': " + result.rows[1].errors[0].split(": ", 1)[1]]
    assert "Công ty Không Có" in result.errors[0]
    result = run(PartyMemberImporter, xlsx(header, rows[:1]))
    assert result.ok, result.errors
    assert PartyMember.objects.get().enterprise == setup["e1"]


@pytest.mark.parametrize(("row", "column"), [
    # The official date is the day the 12 probationary months end, never earlier.
    (member_row(**{"Ngày chính thức": "28/02/2021"}), "Ngày chính thức"),
    (member_row(**{"Mã số thuế doanh nghiệp": valid_tax_code(99)}), "Mã số thuế doanh nghiệp"),
    (member_row(**{"Mã số thuế doanh nghiệp": "0100233489"}), "Mã số thuế doanh nghiệp"),
    (member_row(**{"Mã số thuế doanh nghiệp": None}), "Mã số thuế doanh nghiệp"),
    (member_row(**{"Ngày ra khỏi danh sách": "01/01/2025"}), "Lý do"),
    (member_row(**{"Lý do": "Từ trần"}), "Ngày ra khỏi danh sách"),
    # Any words are a reason (Other), up to 255 characters; "Khác" alone says nothing.
    (member_row(**{"Lý do": "Đ" * 256, "Ngày ra khỏi danh sách": "01/01/2025"}), "Lý do"),
    (member_row(**{"Lý do": "Khác", "Ngày ra khỏi danh sách": "01/01/2025"}), "Lý do"),
    (member_row(**{"Ngày vào Đảng": "01/05/1989"}), "Ngày vào Đảng"),
    (member_row(**{"Họ và tên": "An"}), "Họ và tên"),
    (member_row(**{"Số CCCD": "03609000123"}), "Số CCCD"),
    (member_row(**{"Giới tính": "Khác"}), "Giới tính"),
    (member_row(**{"Tổ chức đảng": "Chi bộ Không Có"}), "Tổ chức đảng"),
    (member_row(**{"Chủ doanh nghiệp": "có lẽ"}), "Chủ doanh nghiệp"),
])
def test_member_refusals_name_row_and_column(setup, pc_officer, row, column):
    valid = member_row(**{"Họ và tên": "Lê Văn Cường", "Số CCCD": "036091009999"})
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, [valid, row]), actor=pc_officer)
    assert not result.ok
    assert any(e.startswith(f"Dòng 3, cột '{column}': ") for e in result.errors), result.errors
    assert [r.status for r in result.rows] == ["new", "error"]
    assert not PartyMember.objects.exists()


def test_duplicate_citizen_id_names_the_other_row(setup):
    data = xlsx(MEMBER_HEADER, [member_row(), member_row(**{"Họ và tên": "Lê Văn Bình"})])
    result = run(PartyMemberImporter, data)
    assert not result.ok and not PartyMember.objects.exists()
    assert result.errors == ["Dòng 3, cột 'Số CCCD': " + result.rows[1].errors[0].split(": ", 1)[1]]
    assert "2" in result.errors[0].split(": ", 1)[1]


def test_actor_scope_and_permission(setup, pc_officer, iz_officer):
    rows = [member_row(), member_row(**{"Họ và tên": "Lê Na", "Số CCCD": "036188005678",
                                        "Mã số thuế doanh nghiệp": T2})]
    data = xlsx(MEMBER_HEADER, rows)
    # IZ accounts see party data only as counts: every row is refused.
    refused = run(PartyMemberImporter, data, actor=iz_officer)
    assert [r.status for r in refused.rows] == ["error", "error"]
    assert refused.rows[0].errors[0].startswith("Dòng 2: ")
    # Zone B is outside the IZ officer's zones: the enterprise column says so.
    assert refused.rows[1].errors[0].startswith("Dòng 3, cột 'Mã số thuế doanh nghiệp': ")
    assert not PartyMember.objects.exists()
    accepted = run(PartyMemberImporter, data, actor=pc_officer)
    assert accepted.ok and accepted.created == 2


# --- Moves through the import (DESIGN §4) ----------------------------------------------

PLACED = "Ngày chuyển đến"
MOVE_HEADER = [*MEMBER_HEADER, PLACED]


def periods(member):
    return [(p.enterprise_id, p.party_organization_id, p.starts_on, p.ends_on, p.began, p.ended)
            for p in member.placements.order_by("starts_on", "pk")]


def row_of(member, **overrides):
    """The row that says what the member's record says, with ``overrides``."""
    return member_row(**{"Họ và tên": member.full_name, "Số CCCD": member.citizen_id,
                         "Ngày sinh": member.date_of_birth.strftime("%d/%m/%Y"),
                         "Ngày vào Đảng": member.admitted_on.strftime("%d/%m/%Y"),
                         **overrides})


@pytest.fixture
def movers(setup):
    e1, e2 = setup["e1"], setup["e2"]
    an = make_member(citizen_id="036090001234", enterprise=e2, party_organization=setup["joint"],
                     admitted_on=date(2018, 3, 1))
    placements.member_move(member=an, on=date(2021, 7, 1), enterprise=e1,
                           party_organization=setup["cell"])
    binh = make_member(family_name="Lê", middle_name="Văn", given_name="Bình",
                       citizen_id="036091005555", enterprise=e2,
                       party_organization=setup["joint"], admitted_on=date(2019, 5, 2))
    other = make_member(family_name="Phạm", given_name="Cường", enterprise=e1,
                        party_organization=setup["cell"])
    return {"an": an, "binh": binh, "other": other}


def test_moves_between_enterprises_and_zones_on_the_as_of_date(setup, movers, tmp_path, capsys):
    an, binh, other = movers["an"], movers["binh"], movers["other"]
    e1, e2, cell, joint = setup["e1"], setup["e2"], setup["cell"], setup["joint"]
    before_an, before_other = periods(an), periods(other)
    path = tmp_path / "moves.xlsx"
    path.write_bytes(xlsx(MEMBER_HEADER, [
        row_of(an, **{"Mã số thuế doanh nghiệp": T2, "Tổ chức đảng": joint.name}),
        row_of(binh, **{"Mã số thuế doanh nghiệp": T1, "Tổ chức đảng": cell.name}),
    ]))
    call_command("import_workbook", "--kind", "party_members", str(path),
                 "--as-of", "01/06/2026")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "created=0 updated=2 unchanged=0"
    d = date(2026, 6, 1)
    an.refresh_from_db()
    binh.refresh_from_db()
    # The earlier periods are kept as they were; the current one ended on D.
    assert periods(an)[:1] == before_an[:1]
    assert periods(an)[1:] == [
        (e1.pk, cell.pk, date(2021, 7, 1), d, "move", "move"),
        (e2.pk, joint.pk, d, None, "move", ""),
    ]
    assert periods(binh) == [
        (e2.pk, joint.pk, date(2019, 5, 2), d, "admission", "move"),
        (e1.pk, cell.pk, d, None, "move", ""),
    ]
    assert (an.enterprise, an.party_organization) == (e2, joint)
    assert (binh.enterprise, binh.party_organization, binh.left_on) == (e1, cell, None)
    assert periods(other) == before_other  # absent from the file: untouched

    # Re-importing the same file changes nothing, whatever the date it is made as of.
    for as_of in ("01/06/2026", "01/09/2026"):
        call_command("import_workbook", "--kind", "party_members", str(path), "--as-of", as_of)
        assert capsys.readouterr().out.strip().splitlines()[-1] == (
            "created=0 updated=0 unchanged=2")
    assert len(periods(an)) == 3 and len(periods(binh)) == 2


def test_the_arrival_date_of_the_row_overrides_the_as_of_date(setup, movers):
    binh = movers["binh"]
    data = xlsx(MOVE_HEADER, [row_of(binh, **{"Mã số thuế doanh nghiệp": T1,
                                              "Tổ chức đảng": setup["cell"].name,
                                              PLACED: "15/04/2026"})])
    result = run(PartyMemberImporter, data, as_of=date(2026, 6, 1))
    assert result.ok, result.errors
    assert counts(result) == (0, 1, 0)
    assert result.rows[0].changes == ["Đã chuyển đến ngày 15/04/2026"]
    assert [p[2:4] for p in periods(binh)] == [(date(2019, 5, 2), date(2026, 4, 15)),
                                               (date(2026, 4, 15), None)]
    assert counts(run(PartyMemberImporter, data, as_of=date(2026, 6, 1))) == (0, 0, 1)


def test_an_export_of_moved_members_reimports_unchanged(setup, movers, tmp_path):
    binh = movers["binh"]
    placements.member_move(member=binh, on=date(2024, 2, 1), enterprise=setup["e1"],
                           party_organization=setup["cell"])
    placements.member_leave_rolls(member=movers["other"], on=date(2025, 1, 10),
                                  reason="deceased")
    out = tmp_path / "members.xlsx"
    call_command("export_workbook", "--kind", "party_members", str(out))
    rows = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    header = rows[0]
    assert PLACED in header
    placed = {r[header.index("Số CCCD")]: r[header.index(PLACED)] for r in rows[1:]}
    assert placed["036090001234"] == datetime(2021, 7, 1)
    assert placed["036091005555"] == datetime(2024, 2, 1)
    assert placed[movers["other"].citizen_id] == datetime(2020, 3, 1)
    before = {m.pk: periods(m) for m in PartyMember.objects.all()}
    result = run(PartyMemberImporter, out.read_bytes(), as_of=date(2026, 6, 1))
    assert result.ok, result.errors
    assert counts(result) == (0, 0, 3)
    assert {m.pk: periods(m) for m in PartyMember.objects.all()} == before


def test_a_new_member_starts_on_the_arrival_date(setup):
    rows = [member_row(**{PLACED: "10/10/2024", "Tổ chức đảng": setup["cell"].name}),
            member_row(**{"Họ và tên": "Lê Văn Bình", "Số CCCD": "036091005555"})]
    result = run(PartyMemberImporter, xlsx(MOVE_HEADER, rows), as_of=date(2026, 6, 1))
    assert result.ok, result.errors
    an = PartyMember.objects.get(citizen_id="036090001234")
    binh = PartyMember.objects.get(citizen_id="036091005555")
    assert periods(an) == [(setup["e1"].pk, setup["cell"].pk, date(2024, 10, 10), None,
                            "transfer_in", "")]
    assert periods(binh) == [(setup["e1"].pk, None, date(2020, 3, 1), None, "admission", "")]
    refused = run(PartyMemberImporter, xlsx(MOVE_HEADER, [
        member_row(**{"Số CCCD": "036092007777", PLACED: "01/01/2019"})]))
    assert refused.errors[0].startswith(f"Dòng 2, cột '{PLACED}': "), refused.errors


def test_leaving_and_coming_back(setup, movers):
    binh = movers["binh"]
    e1, joint = setup["e1"], setup["joint"]
    leave = xlsx(MOVE_HEADER, [row_of(binh, **{"Mã số thuế doanh nghiệp": T2,
                                               "Ngày ra khỏi danh sách": "01/02/2026",
                                               "Lý do": "Nghỉ việc"})])
    result = run(PartyMemberImporter, leave, as_of=date(2026, 6, 1))
    assert result.ok, result.errors
    assert counts(result) == (0, 1, 0)
    binh.refresh_from_db()
    assert (binh.left_on, binh.left_reason) == (date(2026, 2, 1), "changed_job")
    assert periods(binh)[-1][3:] == (date(2026, 2, 1), "admission", "transfer_out")
    assert counts(run(PartyMemberImporter, leave, as_of=date(2026, 6, 1))) == (0, 0, 1)

    # Off the rolls, a row without the leaving date at another place: the return is
    # recorded only with its date.
    vague = xlsx(MOVE_HEADER, [row_of(binh, **{"Mã số thuế doanh nghiệp": T1})])
    refused = run(PartyMemberImporter, vague)
    assert refused.errors[0].startswith("Dòng 2, cột 'Ngày ra khỏi danh sách': ")

    back = xlsx(MOVE_HEADER, [row_of(binh, **{"Mã số thuế doanh nghiệp": T1,
                                              PLACED: "01/05/2026"})])
    result = run(PartyMemberImporter, back, as_of=date(2026, 6, 1))
    assert result.ok, result.errors
    assert counts(result) == (0, 1, 0)
    binh.refresh_from_db()
    assert periods(binh) == [
        (setup["e2"].pk, joint.pk, date(2019, 5, 2), date(2026, 2, 1), "admission",
         "transfer_out"),
        (e1.pk, joint.pk, date(2026, 5, 1), None, "transfer_in", ""),
    ]
    assert (binh.enterprise, binh.left_on, binh.left_reason) == (e1, None, "")
    assert counts(run(PartyMemberImporter, back, as_of=date(2026, 6, 1))) == (0, 0, 1)

    # Leaving the party's rolls (not a transfer) ends the period as "left".
    died = xlsx(MOVE_HEADER, [row_of(binh, **{"Ngày ra khỏi danh sách": "20/05/2026",
                                              "Lý do": "Từ trần"})])
    assert counts(run(PartyMemberImporter, died)) == (0, 1, 0)
    assert periods(binh)[-1][3:] == (date(2026, 5, 20), "transfer_in", "left")


def test_a_move_dated_before_the_current_period_is_refused_on_its_row(setup, movers):
    an, binh = movers["an"], movers["binh"]  # an is at the cell since 01/07/2021
    before = {m.pk: periods(m) for m in PartyMember.objects.all()}
    rows = [row_of(binh, **{"Mã số thuế doanh nghiệp": T1, PLACED: "01/03/2026"}),
            row_of(an, **{"Mã số thuế doanh nghiệp": T2, "Tổ chức đảng": setup["joint"].name,
                          PLACED: "01/07/2021"})]
    result = run(PartyMemberImporter, xlsx(MOVE_HEADER, rows))
    assert not result.ok
    assert [r.status for r in result.rows] == ["updated", "error"]
    assert len(result.errors) == 1
    assert result.errors[0].startswith(f"Dòng 3, cột '{PLACED}': ")
    assert "01/07/2021" in result.errors[0]
    # Without the column, the --as-of date is the move's date: the same column is named.
    rows = [row_of(an, **{"Mã số thuế doanh nghiệp": T2})]
    result = run(PartyMemberImporter, xlsx(MEMBER_HEADER, rows), as_of=date(2020, 1, 1))
    assert result.errors[0].startswith(f"Dòng 2, cột '{PLACED}': ")
    assert {m.pk: periods(m) for m in PartyMember.objects.all()} == before


def test_another_arrival_date_at_the_same_place_corrects_it(setup, movers):
    an = movers["an"]
    data = xlsx(MOVE_HEADER, [row_of(an, **{"Tổ chức đảng": setup["cell"].name,
                                            PLACED: "15/06/2021"})])
    result = run(PartyMemberImporter, data)
    assert result.ok, result.errors
    assert counts(result) == (0, 1, 0)
    # The move was on another day: both sides of it follow, nothing overlaps.
    assert [p[2:4] for p in periods(an)] == [(date(2018, 3, 1), date(2021, 6, 15)),
                                             (date(2021, 6, 15), None)]
    assert counts(run(PartyMemberImporter, data)) == (0, 0, 1)


def test_the_web_import_asks_for_the_date_of_the_moves(setup, movers, client, pc_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from core.models import ImportRun

    client.force_login(pc_officer)
    url = reverse("core:import_upload", args=["party_members"])
    assert 'name="as_of"' in client.get(url).content.decode()
    data = xlsx(MEMBER_HEADER, [row_of(movers["binh"], **{"Mã số thuế doanh nghiệp": T1})])
    response = client.post(url, {"file": SimpleUploadedFile("dv.xlsx", data),
                                 "as_of": "01/06/2026"})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    client.post(reverse("core:import_confirm", args=[run.pk]))
    run.refresh_from_db()
    assert (run.status, run.updated_count) == ("applied", 1)
    assert [p[2:4] for p in periods(movers["binh"])] == [
        (date(2019, 5, 2), date(2026, 6, 1)), (date(2026, 6, 1), None)]


def test_the_template_explains_the_arrival_date(setup):
    book = openpyxl.load_workbook(io.BytesIO(PartyMemberImporter.template_bytes()))
    cells = [str(c) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for c in row if c]
    assert PLACED in cells
    assert any(PLACED in c and "chuyển" in c.lower() and c != PLACED for c in cells)


# --- Candidates ------------------------------------------------------------------------


def test_messy_candidates_import_fill_steps_and_reimport_unchanged(setup, pc_officer):
    header = ["TT", "Họ tên", "Ngày tháng năm sinh", "Phái", "Số căn cước",
              "MST doanh nghiệp", "Ngày đưa vào danh sách", "Học vấn", "Chi bộ phụ trách",
              "Ngày hoàn thành lớp bồi dưỡng", "Số GCN", "Ngày nộp đơn", "Ngày chi bộ xét",
              "Số phiếu tán thành", "Số đảng viên chính thức của chi bộ",
              "Ngày quyết định kết nạp", "Số quyết định", "Ngày dừng theo dõi", "Lý do dừng"]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "DANH SÁCH QUẦN CHÚNG ƯU TÚ"
    ws.merge_cells("A1:H1")
    ws.append([])
    ws.append(header)
    ws.append([1, unicodedata.normalize("NFD", "Trần Thị Bình"), "15/07/1995", "Nữ",
               "036 195 004 321", T1, datetime(2025, 1, 10), "9/12", "Chi bộ Công ty Đức Thành",
               "01/03/2025", "CN-2025-01", "01/04/2025", datetime(2025, 7, 1), 5, "6",
               "10/08/2025", "125-QĐ/ĐUK", None, None])
    ws.append([2, "Hoàng Văn Cường", datetime(1992, 3, 3), "Nam", 36092007777, T2,
               "05/02/2025", "7/10", None, "20/03/2025", "CN-2025-02", None, None, None, None,
               None, None, None, None])
    ws.append([3, "Đỗ Minh Tuấn", "1990-01-01", "nam", 123456789012, int(T2), "05/02/2024",
               None, None, None, None, None, None, None, None, None, None, "30/06/2024",
               "Nghỉ việc"])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()

    result = run(CandidateImporter, data, actor=pc_officer)
    assert result.ok, result.errors
    assert counts(result) == (3, 0, 0)
    binh = AdmissionCandidate.objects.get(citizen_id="036195004321")
    assert binh.stage == AdmissionCandidate.Stage.DECISION
    assert binh.education_grade == 9 and binh.responsible_organization == setup["cell"]
    # The steps the file has no column for happened before the cell's vote:
    # done, date not recorded; never given another step's date. A chi bộ cơ sở
    # has no committee resolution.
    assert binh.sponsorship_on is binh.verification_on is binh.assessment_on is None
    assert binh.undated_steps == ["sponsorship_on", "verification_on", "assessment_on"]
    assert binh.committee_resolution_on is None
    assert (binh.votes_for, binh.cell_official_members, binh.decision_number) == (
        5, 6, "125-QĐ/ĐUK")
    cuong = AdmissionCandidate.objects.get(citizen_id="036092007777")
    assert (cuong.stage, cuong.education_grade, cuong.enterprise) == ("course", 9, setup["e2"])
    tuan = AdmissionCandidate.objects.get(citizen_id="123456789012")
    assert (tuan.stage, tuan.closed_reason) == ("closed", "left_enterprise")

    again = run(CandidateImporter, data, actor=pc_officer)
    assert again.ok, again.errors
    assert counts(again) == (0, 0, 3)
    assert binh.history.count() == 1


def test_moving_the_cell_resolution_keeps_the_undated_steps(setup):
    assert run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row()])).ok
    moved = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row(**{
        "Ngày chi bộ xét": "20/06/2025"})]))
    assert moved.ok, moved.errors
    assert counts(moved) == (0, 1, 0)
    c = AdmissionCandidate.objects.get()
    assert c.cell_resolution_on == date(2025, 6, 20)
    assert c.sponsorship_on is c.assessment_on is None
    assert c.undated_steps == ["sponsorship_on", "verification_on", "assessment_on"]


def test_recorded_steps_are_kept(setup):
    c = make_candidate(citizen_id="036195004321", enterprise=setup["e1"],
                       identified_on=date(2025, 1, 10))
    for on, extra in [(date(2025, 3, 1), {"certificate_number": "CN-2025-01"}),
                      (date(2025, 4, 1), {}), (date(2025, 4, 15), {}), (date(2025, 5, 15), {})]:
        services.candidate_advance(candidate=c, on=on, **extra)
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row(**{
        "Ngày quyết định kết nạp": None, "Số quyết định": None})]))
    assert result.ok, result.errors
    c.refresh_from_db()
    assert (c.sponsorship_on, c.verification_on) == (date(2025, 4, 15), date(2025, 5, 15))
    assert c.assessment_on is None and c.undated_steps == ["assessment_on"]
    assert c.cell_resolution_on == date(2025, 7, 1)
    assert c.stage == "cell_resolution"


def test_old_records_with_some_steps_dated_go_through_without_invented_dates(setup):
    """A case known only by its cell vote and decision; another whose file marks
    a step done without a date; a đảng bộ cơ sở case whose committee resolution
    is undated."""
    committee = PartyOrganizationFactory(name="Đảng bộ Công ty Sông Đào", enterprise=setup["e2"],
                                         kind="dang_bo_co_so")
    header = [*CANDIDATE_HEADER, "Ngày giới thiệu"]
    rows = [
        candidate_row(**{"Ngày hoàn thành lớp bồi dưỡng": None, "Ngày nộp đơn": None,
                         "Số giấy chứng nhận": None}),
        candidate_row(**{"Họ và tên": "Lê Văn Cường", "Số CCCD": "036091009999",
                         "Ngày chi bộ xét": None, "Số phiếu tán thành": None,
                         "Số đảng viên chính thức của chi bộ": None,
                         "Ngày quyết định kết nạp": None, "Số quyết định": None,
                         "Ngày giới thiệu": "x"}),
        candidate_row(**{"Họ và tên": "Vũ Thị Hà", "Số CCCD": "036196001234",
                         "Mã số thuế doanh nghiệp": T2,
                         "Tổ chức đảng phụ trách": committee.name}),
    ]
    result = run(CandidateImporter, xlsx(header, rows))
    assert result.ok, result.errors
    binh = AdmissionCandidate.objects.get(citizen_id="036195004321")
    assert binh.course_completed_on is binh.application_on is None
    assert binh.undated_steps == ["course_completed_on", "application_on", "sponsorship_on",
                                  "verification_on", "assessment_on"]
    assert (binh.cell_resolution_on, binh.decision_on, binh.stage) == (
        date(2025, 7, 1), date(2025, 8, 10), "decision")
    cuong = AdmissionCandidate.objects.get(citizen_id="036091009999")
    assert cuong.undated_steps == ["sponsorship_on"] and cuong.stage == "sponsorship"
    assert cuong.next_step() == ("verification", "verification_on")
    ha = AdmissionCandidate.objects.get(citizen_id="036196001234")
    assert ha.committee_step_applies and ha.committee_resolution_on is None
    assert "committee_resolution_on" in ha.undated_steps and ha.stage == "decision"
    # Dated figures count dated facts only.
    assert AdmissionCandidate.objects.filter(sponsorship_on__isnull=False).count() == 0
    again = run(CandidateImporter, xlsx(header, rows))
    assert counts(again) == (0, 0, 3), again.errors


def test_a_committee_resolution_for_a_chi_bo_co_so_is_refused(setup):
    header = [*CANDIDATE_HEADER, "Ngày đảng ủy cơ sở xét"]
    row = candidate_row(**{"Ngày đảng ủy cơ sở xét": "20/07/2025",
                           "Tổ chức đảng phụ trách": setup["cell"].name})
    with translation.override("vi"):
        result = run(CandidateImporter, xlsx(header, [row]))
    assert not result.ok
    assert result.errors[0].startswith("Dòng 2, cột 'Ngày đảng ủy cơ sở xét': "), result.errors


OVERRIDE = "Quyết định cho kết nạp trên 60 tuổi"


@pytest.mark.parametrize(("row", "column"), [
    # Under 18 at the cell resolution (17 years 6 months).
    (candidate_row(**{"Ngày sinh": "01/01/2008"}), "Ngày chi bộ xét"),
    # Over 60 without the decision that allows it.
    (candidate_row(**{"Ngày sinh": "01/01/1964"}), OVERRIDE),
    (candidate_row(**{"Số phiếu tán thành": 3}), "Số phiếu tán thành"),
    (candidate_row(**{"Số phiếu tán thành": 7}), "Số phiếu tán thành"),
    (candidate_row(**{"Số phiếu tán thành": None}), "Số phiếu tán thành"),
    # The course certificate is more than 60 months old at the cell resolution.
    (candidate_row(**{"Ngày đưa vào danh sách": "10/01/2020",
                      "Ngày hoàn thành lớp bồi dưỡng": "01/03/2020"}), "Ngày chi bộ xét"),
    (candidate_row(**{"Trình độ học vấn": "6/12"}), "Trình độ học vấn"),
    (candidate_row(**{"Trình độ học vấn": "6/10"}), "Trình độ học vấn"),
    (candidate_row(**{"Trình độ học vấn": None}), "Trình độ học vấn"),
    (candidate_row(**{"Trình độ học vấn": "giỏi"}), "Trình độ học vấn"),
    (candidate_row(**{"Ngày nộp đơn": "01/02/2025"}), "Ngày nộp đơn"),
    (candidate_row(**{"Ngày quyết định kết nạp": "30/06/2025"}), "Ngày quyết định kết nạp"),
    (candidate_row(**{"Số giấy chứng nhận": None}), "Số giấy chứng nhận"),
    (candidate_row(**{"Số quyết định": None}), "Số quyết định"),
    (candidate_row(**{"Ngày đưa vào danh sách": "15/07/1995"}), "Ngày đưa vào danh sách"),
    (candidate_row(**{"Mã số thuế doanh nghiệp": valid_tax_code(99)}),
     "Mã số thuế doanh nghiệp"),
    (candidate_row(**{"Mã số thuế doanh nghiệp": None}), "Mã số thuế doanh nghiệp"),
    (candidate_row(**{"Lý do dừng": "Tự rút"}), "Ngày dừng theo dõi"),
    (candidate_row(**{"Ngày dừng theo dõi": "01/09/2025"}), "Lý do dừng"),
    (candidate_row(**{"Ngày dừng theo dõi": "01/09/2025", "Lý do dừng": "Đ" * 256}),
     "Lý do dừng"),
    (candidate_row(**{"Ngày dừng theo dõi": "01/09/2025", "Lý do dừng": "khác"}),
     "Lý do dừng"),
    (candidate_row(**{"Ngày dừng theo dõi": "01/01/2025", "Lý do dừng": "Khác",
                      "Ngày chi bộ xét": None, "Ngày quyết định kết nạp": None,
                      "Ngày nộp đơn": None, "Ngày hoàn thành lớp bồi dưỡng": None}),
     "Ngày dừng theo dõi"),
    (candidate_row(**{"Tổ chức đảng phụ trách": "Chi bộ Không Có"}), "Tổ chức đảng phụ trách"),
])
def test_candidate_refusals_name_row_and_column(setup, pc_officer, row, column):
    valid = candidate_row(**{"Họ và tên": "Lê Văn Cường", "Số CCCD": "036091009999"})
    header = [*CANDIDATE_HEADER, OVERRIDE]
    with translation.override("vi"):
        result = CandidateImporter(actor=pc_officer).run(io.BytesIO(xlsx(header, [valid, row])))
    assert not result.ok
    assert any(e.startswith(f"Dòng 3, cột '{column}': ") for e in result.errors), result.errors
    assert [r.status for r in result.rows] == ["new", "error"]
    assert not AdmissionCandidate.objects.exists()


def test_over_60_with_the_override_is_accepted(setup):
    old = candidate_row(**{"Ngày sinh": "01/01/1964"})
    # Without the override column the refusal goes to the cell resolution column.
    refused = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [old]))
    assert refused.errors[0].startswith("Dòng 2, cột 'Ngày chi bộ xét': ")
    header = [*CANDIDATE_HEADER, OVERRIDE]
    result = run(CandidateImporter, xlsx(header, [{**old, OVERRIDE: "15-QĐ/TU"}]))
    assert result.ok, result.errors
    assert AdmissionCandidate.objects.get().age_override_reference == "15-QĐ/TU"


def test_a_candidate_row_cannot_carry_a_ceremony(setup):
    header = [*CANDIDATE_HEADER, "Ngày kết nạp"]
    data = xlsx(header, [candidate_row(**{"Ngày kết nạp": "02/09/2025"})])
    result = run(CandidateImporter, data)
    assert result.errors[0].startswith("Dòng 2, cột 'Ngày kết nạp': ")
    assert "party_members" in result.errors[0]
    assert not AdmissionCandidate.objects.exists() and not PartyMember.objects.exists()
    # The template does not offer the column.
    template = openpyxl.load_workbook(io.BytesIO(CandidateImporter.template_bytes()))
    headers = [c.value for c in template.worksheets[0][1]]
    assert "Ngày kết nạp" not in headers and "Ngày chi bộ xét" in headers


def test_all_or_nothing(setup):
    rows = [candidate_row(), candidate_row(**{"Họ và tên": "Lê Văn Cường",
                                              "Số CCCD": "036091009999"}),
            candidate_row(**{"Họ và tên": "Võ Thị Mai", "Số CCCD": "036191008888",
                             "Ngày sinh": "01/01/2008"})]
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, rows, title_rows=[["Danh sách"]]))
    assert [r.status for r in result.rows] == ["new", "new", "error"]
    assert result.errors[0].startswith("Dòng 5, cột 'Ngày chi bộ xét': ")
    assert not AdmissionCandidate.objects.exists()


def test_duplicate_citizen_ids_and_separate_cases_of_one_person(setup):
    closed = candidate_row(**{"Ngày đưa vào danh sách": "10/01/2023", "Ngày chi bộ xét": None,
                              "Ngày quyết định kết nạp": None, "Số quyết định": None,
                              "Ngày nộp đơn": None, "Ngày hoàn thành lớp bồi dưỡng": None,
                              "Ngày dừng theo dõi": "30/06/2023", "Lý do dừng": "Tự rút"})
    # Two open rows of one person: the second names the first.
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row(), candidate_row()]))
    assert result.errors[0].startswith("Dòng 3, cột 'Số CCCD': ")
    assert "2" in result.errors[0].split(": ", 1)[1]
    # A case closed before the next one began is another case of the same person.
    data = xlsx(CANDIDATE_HEADER, [closed, candidate_row()])
    result = run(CandidateImporter, data)
    assert result.ok, result.errors
    assert AdmissionCandidate.objects.filter(citizen_id="036195004321").count() == 2
    again = run(CandidateImporter, data)
    assert counts(again) == (0, 0, 2)


def test_matching_closed_and_admitted_cases(setup):
    c = make_candidate(citizen_id="036195004321", enterprise=setup["e1"],
                       identified_on=date(2024, 1, 10))
    services.candidate_close(candidate=c, on=date(2024, 6, 30), reason="withdrew")
    # A stale file that does not say the case closed is refused...
    stale = candidate_row(**{"Ngày đưa vào danh sách": "10/01/2024", "Ngày chi bộ xét": None,
                             "Ngày quyết định kết nạp": None, "Số quyết định": None,
                             "Ngày nộp đơn": None, "Ngày hoàn thành lớp bồi dưỡng": None})
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [stale]))
    assert result.errors[0].startswith("Dòng 2, cột 'Ngày đưa vào danh sách': ")
    assert "30/06/2024" in result.errors[0]
    # ... a row that says so updates the closed case...
    closing = {**stale, "Ngày dừng theo dõi": "30/06/2024", "Lý do dừng": "Tự rút",
               "Trình độ học vấn": "THPT"}
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [closing]))
    assert counts(result) == (0, 1, 0), result.errors
    # ... and a later case is a new one.
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row()]))
    assert counts(result) == (1, 0, 0), result.errors
    assert AdmissionCandidate.objects.filter(citizen_id="036195004321").count() == 2

    # Admitted: the person is a party member, the case is not changed here.
    admitted = AdmissionCandidate.objects.get(closed_on__isnull=True)
    services.candidate_update(candidate=admitted, data={"ceremony_on": date(2025, 9, 2)})
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [candidate_row()]))
    assert result.errors[0].startswith("Dòng 2, cột 'Số CCCD': ")
    later = candidate_row(**{"Ngày đưa vào danh sách": "01/10/2025", "Ngày chi bộ xét": None,
                             "Ngày quyết định kết nạp": None, "Số quyết định": None,
                             "Ngày nộp đơn": None, "Ngày hoàn thành lớp bồi dưỡng": None})
    result = run(CandidateImporter, xlsx(CANDIDATE_HEADER, [later]))
    assert result.errors[0].startswith("Dòng 2, cột 'Số CCCD': ")
    assert "Trần Thị Bình" in result.errors[0]


def test_iz_actor_outside_its_zones_and_pc_officer(setup, iz_officer, pc_officer):
    rows = [candidate_row(), candidate_row(**{"Họ và tên": "Lê Văn Cường",
                                              "Số CCCD": "036091009999",
                                              "Mã số thuế doanh nghiệp": T2,
                                              "Tổ chức đảng phụ trách": None})]
    data = xlsx(CANDIDATE_HEADER, rows)
    refused = run(CandidateImporter, data, actor=iz_officer)
    assert [r.status for r in refused.rows] == ["error", "error"]
    assert refused.rows[1].errors[0].startswith("Dòng 3, cột 'Mã số thuế doanh nghiệp': ")
    assert not AdmissionCandidate.objects.exists()
    assert run(CandidateImporter, data, actor=pc_officer).created == 2


# --- Exports ---------------------------------------------------------------------------


@pytest.fixture
def people(setup):
    e1, e2 = setup["e1"], setup["e2"]
    # A family name of two words, entered on a web page, survives the round trip.
    make_member(family_name="Tôn Nữ", middle_name="Thị", given_name="Hà",
                citizen_id="046185001111", enterprise=e1, party_organization=setup["cell"],
                admitted_on=date(2019, 5, 19), official_on=date(2020, 5, 19),
                party_card_number="01.234567", is_enterprise_owner=True)
    make_member(family_name="Lê", middle_name="", given_name="Na", citizen_id="036188005678",
                enterprise=e2, party_organization=setup["joint"], admitted_on=date(2018, 1, 2),
                left_on=date(2025, 3, 1), left_reason="deceased")
    make_candidate(citizen_id="036195004321", enterprise=e1, identified_on=date(2023, 1, 10),
                   closed_on=date(2023, 6, 30), closed_reason="withdrew", education_grade=9)
    c = make_candidate(citizen_id="036195004321", enterprise=e1, identified_on=date(2025, 1, 10),
                       responsible_organization=setup["cell"])
    steps = [(date(2025, 3, 1), {"certificate_number": "CN-2025-01"}), (date(2025, 4, 1), {}),
             (date(2025, 4, 15), {}), (date(2025, 5, 15), {}), (date(2025, 6, 1), {}),
             (date(2025, 7, 1), {"votes_for": 5, "cell_official_members": 6})]
    for on, extra in steps:
        services.candidate_advance(candidate=c, on=on, **extra)
    admitted = make_candidate(citizen_id="036096002222", enterprise=e2,
                              identified_on=date(2024, 1, 10))
    for on, extra in [*steps, (date(2025, 8, 10), {"decision_number": "9-QĐ"}),
                      (date(2025, 9, 2), {})]:
        services.candidate_advance(candidate=admitted, on=on, **extra)
    return c


@pytest.mark.parametrize(("kind", "importer"), [("party_members", PartyMemberImporter),
                                                ("candidates", CandidateImporter)])
def test_export_reimports_unchanged(people, tmp_path, capsys, kind, importer):
    out = tmp_path / f"{kind}.xlsx"
    call_command("export_workbook", "--kind", kind, str(out))
    assert str(out) in capsys.readouterr().out
    result = run(importer, out.read_bytes())
    assert result.ok, result.errors
    expected = {"party_members": 3, "candidates": 2}[kind]  # the admitted one is a member
    assert counts(result) == (0, 0, expected)
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert "046185001111" in {cell for row in rows for cell in row} or kind == "candidates"
    if kind == "candidates":
        header = rows[0]
        binh = next(r for r in rows[1:] if r[header.index("Ngày chi bộ xét")])
        assert binh[header.index("Trình độ học vấn")] == "12/12"
        assert binh[header.index("Mã số thuế doanh nghiệp")] == T1
        assert binh[header.index("Ngày chi bộ xét")] == datetime(2025, 7, 1)
        assert binh[header.index("Tổ chức đảng phụ trách")] == "Chi bộ Công ty Đức Thành"


def test_masked_exports_never_contain_a_full_citizen_id(people):
    ids = set(PartyMember.objects.values_list("citizen_id", flat=True)) | set(
        AdmissionCandidate.objects.values_list("citizen_id", flat=True))
    for export, queryset in ((export_party_members, PartyMember.objects.all()),
                             (export_candidates, AdmissionCandidate.objects.all())):
        buffer = io.BytesIO()
        export(queryset, buffer)  # masked unless asked otherwise
        cells = [str(cell) for row in openpyxl.load_workbook(buffer).active.iter_rows(
            values_only=True) for cell in row if cell is not None]
        text = "\n".join(cells)
        assert not any(i in text for i in ids)
        assert "••••••••1111" in cells or "••••••••4321" in cells
        # Such a file is refused by the import, with a clear message.
        buffer.seek(0)
        importer = PartyMemberImporter if export is export_party_members else CandidateImporter
        result = run(importer, buffer.getvalue())
        assert not result.ok
        assert all("'Số CCCD'" in e for e in result.errors)


def test_templates_download_and_read_back(setup):
    for importer in (PartyMemberImporter, CandidateImporter):
        result = importer().run(io.BytesIO(importer.template_bytes()))
        assert not result.file_error, result.file_error
        assert result.rows == []


# --- Commands --------------------------------------------------------------------------


def test_import_command_exit_status_and_messages(setup, tmp_path, capsys):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(xlsx(CANDIDATE_HEADER, [
        candidate_row(), candidate_row(**{"Họ và tên": "Lê Văn Cường",
                                          "Số CCCD": "036091009999",
                                          "Số phiếu tán thành": 3})]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_workbook", "--kind", "candidates", str(bad))
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "Dòng 3, cột 'Số phiếu tán thành': " in err
    assert not AdmissionCandidate.objects.exists()

    bad_members = tmp_path / "bad_members.xlsx"
    bad_members.write_bytes(xlsx(MEMBER_HEADER, [member_row(**{"Ngày chính thức": "01/01/2021"})]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_workbook", "--kind", "party_members", str(bad_members))
    assert exit_info.value.code == 1
    assert "Dòng 2, cột 'Ngày chính thức': " in capsys.readouterr().err

    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx(MEMBER_HEADER, [member_row()]))
    call_command("import_workbook", "--kind", "party_members", str(good))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "created=1 updated=0 unchanged=0"
    call_command("import_workbook", "--kind", "party_members", str(good))
    assert capsys.readouterr().out.strip().splitlines()[-1] == "created=0 updated=0 unchanged=1"


# --- Admin -----------------------------------------------------------------------------


def test_admin_follows_the_policy(people, login, administrator):
    for url in ("/admin/coordination/partymember/", "/admin/coordination/admissioncandidate/",
                "/admin/coordination/recognition/"):
        assert login(administrator).get(url).status_code == 403
    staff_officer = UserFactory(username="pc_staff", is_staff=True)
    client = login(staff_officer)
    page = client.get("/admin/coordination/partymember/", {"q": "TON NU"})
    assert page.status_code == 200
    content = page.content.decode()
    assert "Tôn Nữ Thị Hà" in content and "Lê Na" not in content
    assert "046185001111" not in content


def test_admin_saves_through_the_services(people, login):
    client = login(UserFactory(username="pc_staff", is_staff=True))
    member = PartyMember.objects.get(citizen_id="046185001111")
    url = f"/admin/coordination/partymember/{member.pk}/change/"
    data = {
        "family_name": member.family_name, "middle_name": member.middle_name,
        "given_name": member.given_name, "date_of_birth": "01/05/1990", "gender": "female",
        "citizen_id": member.citizen_id, "enterprise": member.enterprise_id,
        "party_card_number": "01.999999", "party_organization": member.party_organization_id,
        "admitted_on": "19/05/2019", "official_on": "19/05/2020",
        "is_enterprise_owner": "on", "left_on": "", "left_reason": "", "left_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    member.refresh_from_db()
    assert (member.party_card_number, member.date_of_birth) == ("01.999999", date(1990, 5, 1))
    # The official date is read-only in the admin: only a recognition sets it.
    response = client.post(url, {**data, "official_on": "01/01/2020"})
    member.refresh_from_db()
    assert member.official_on == date(2020, 5, 19)
    # An admitted candidate is read-only; recognitions are recorded on the member's page.
    admitted = AdmissionCandidate.objects.get(member__isnull=False)
    page = client.get(f"/admin/coordination/admissioncandidate/{admitted.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    response = client.post("/admin/coordination/recognition/add/", {
        "member": admitted.member_id, "cell_resolution_on": "02/09/2026",
        "decision_number": "20-QĐ/ĐUK", "decision_on": "10/09/2026"})
    assert response.status_code == 403
    admitted.member.refresh_from_db()
    assert admitted.member.official_on is None
