"""The member's periods on the pages: the timeline, each action through its
form (success, a refusal on its field with the input kept), the transfer in
of a member never recorded, the bulk move (all or none), who may open them,
the access log and the change history.

Labels are read in English (the "lang" cookie) unless a test checks the
Vietnamese wording; assertions look for dates, names and data-testid
attributes.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coordination import placements
from coordination.models import PartyMember, Placement
from core.models import PersonalDataAccess
from tests.coordination.test_views import by_testid, make_enterprise, make_member
from tests.enterprises.factories import PartyOrganizationFactory
from tests.enterprises.test_views import field_feedback, input_value

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ADMITTED = date(2018, 3, 1)
MOVED = TODAY - timedelta(days=400)


def _d(day: date) -> str:
    return day.strftime("%d/%m/%Y")


@pytest.fixture
def as_user(client):
    def _as(user, lang="en"):
        client.force_login(user)
        client.cookies["lang"] = lang
        return client

    return _as


@pytest.fixture
def place(zone_a, zone_b):
    """Two enterprises of zone A with their cells, one of zone B, and a member
    of the first, admitted in 2018."""
    textile = make_enterprise(zone_a, name="Công ty TNHH Dệt Hòa Xá", tax_code="0100233488")
    electronics = make_enterprise(zone_a, name="Công ty Điện tử Sông Hồng",
                                  tax_code="0101234565")
    eastern = make_enterprise(zone_b, name="Công ty Cơ khí Bình Đông")
    cell = PartyOrganizationFactory(enterprise=textile, name="Chi bộ Công ty Dệt Hòa Xá")
    other = PartyOrganizationFactory(enterprise=electronics, name="Chi bộ Điện tử Sông Hồng")
    member = make_member(textile, party_organization=cell, admitted_on=ADMITTED,
                         official_on=date(2019, 3, 1), decision_on=date(2018, 2, 10),
                         decision_number="123-QĐ/ĐUK")
    return {"textile": textile, "electronics": electronics, "eastern": eastern, "cell": cell,
            "other": other, "member": member}


def url(name, obj):
    return reverse(f"coordination:{name}", args=[obj.pk])


def periods(member) -> list[tuple]:
    return list(member.placements.order_by("starts_on").values_list(
        "enterprise__name", "party_organization__name", "starts_on", "ends_on", "began",
        "ended"))


# --- The timeline ----------------------------------------------------------------------------


def test_the_member_page_shows_the_periods_newest_first_and_the_seniority(
        as_user, pc_officer, place):
    member = place["member"]
    placements.member_move(member=member, on=MOVED, enterprise=place["electronics"],
                           party_organization=place["other"], note="Theo quyết định 5")
    response = as_user(pc_officer).get(member.get_absolute_url())
    rows = by_testid(response, "period")
    assert [r.get("data-began") for r in rows] == ["move", "admission"]
    assert [r.get("data-ended") for r in rows] == ["", "move"]
    assert _d(MOVED) in rows[0].text_content() and "Sông Hồng" in rows[0].text_content()
    assert "Theo quyết định 5" in rows[0].text_content()
    first = rows[1].text_content()
    assert f"{_d(ADMITTED)} – {_d(MOVED)}" in " ".join(first.split())
    assert "Chi bộ Công ty Dệt Hòa Xá" in first
    seniority = by_testid(response, "seniority")[0].text_content()
    years = (TODAY.year - 2018) - ((TODAY.month, TODAY.day) < (2, 10))
    assert f"{years} years" in seniority
    assert "123-QĐ/ĐUK" in by_testid(response, "decision")[0].text_content()
    assert len(by_testid(response, "correct-period")) == 2
    assert by_testid(response, "action-move") and not by_testid(response, "action-return")


def test_readers_see_the_timeline_without_the_actions(as_user, pc_leader, place):
    response = as_user(pc_leader).get(place["member"].get_absolute_url())
    assert len(by_testid(response, "period")) == 1
    assert not by_testid(response, "member-actions")
    assert not by_testid(response, "correct-period")


def test_the_member_page_queries_do_not_grow_with_the_periods(as_user, pc_officer, place):
    client = as_user(pc_officer)
    member = place["member"]
    day = MOVED

    def move(times):
        nonlocal day
        for _n in range(times):
            even = member.placements.count() % 2 == 1
            placements.member_move(
                member=member, on=day,
                enterprise=place["electronics"] if even else place["textile"],
                party_organization=place["other"] if even else place["cell"])
            day += timedelta(days=30)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(member.get_absolute_url())
        return len(by_testid(response, "period")), len(captured)

    move(1)
    client.get(member.get_absolute_url())  # the session is read and saved once
    periods_two, few = queries()
    move(5)
    periods_seven, many = queries()
    assert (periods_two, periods_seven) == (2, 7)
    assert many == few <= 30


# --- Move ------------------------------------------------------------------------------------


def test_move_through_the_typed_fields(as_user, pc_officer, place):
    member = place["member"]
    client = as_user(pc_officer)
    page = client.get(url("member_move", member))
    assert by_testid(page, "move-form") and by_testid(page, "action-intro")
    assert PersonalDataAccess.objects.filter(action="view", record_id=member.pk).exists()
    response = client.post(url("member_move", member), {
        "move-on": _d(MOVED), "move-enterprise": "Công ty Điện tử Sông Hồng · 0101234565",
        "move-party_organization": "dien tu song hong"})
    assert response.status_code == 302 and response["Location"] == member.get_absolute_url()
    assert periods(member)[1] == ("Công ty Điện tử Sông Hồng", "Chi bộ Điện tử Sông Hồng",
                                  MOVED, None, "move", "")
    member.refresh_from_db()
    assert member.enterprise == place["electronics"]
    history = client.get(member.get_absolute_url()).context["history"]
    assert history[0]["who"] == pc_officer.full_name
    assert any(e["what"] == "Placement" for e in history)


def test_a_move_refused_on_its_date_keeps_the_input(as_user, pc_officer, place):
    member = place["member"]
    client = as_user(pc_officer, lang="vi")
    early = _d(ADMITTED - timedelta(days=1))
    response = client.post(url("member_move", member), {
        "move-on": early, "move-party_organization": "Chi bộ Điện tử Sông Hồng"})
    assert response.status_code == 200
    feedback = field_feedback(response.content.decode(), "move-on")
    assert "sửa thông tin" in feedback and _d(ADMITTED) in feedback
    assert input_value(response.content.decode(), "id_move-on") == early
    assert input_value(response.content.decode(), "id_move-party_organization") == \
        "Chi bộ Điện tử Sông Hồng"
    assert len(periods(member)) == 1


def test_an_enterprise_that_matches_nothing_or_several_is_refused(as_user, pc_officer, place):
    client = as_user(pc_officer)
    member = place["member"]
    nothing = client.post(url("member_move", member), {
        "move-on": _d(MOVED), "move-enterprise": "Không có công ty này",
        "move-keep_organization": "on"})
    assert "No enterprise matches" in field_feedback(nothing.content.decode(),
                                                     "move-enterprise")
    several = client.post(url("member_move", member), {
        "move-on": _d(MOVED), "move-enterprise": "Công ty", "move-keep_organization": "on"})
    assert "Several enterprises" in field_feedback(several.content.decode(), "move-enterprise")
    # An enterprise outside the account's scope is not found either: checked with the
    # suggestions, which list only the scope.
    assert len(periods(member)) == 1


def test_suggestions_list_the_matching_enterprises_and_organizations(as_user, pc_officer, place):
    client = as_user(pc_officer)
    response = client.get(reverse("coordination:enterprise_options"),
                          {"field": "move-enterprise", "move-enterprise": "song hong"})
    assert '<option value="Công ty Điện tử Sông Hồng · 0101234565">' in response.content.decode()
    assert "Hòa Xá" not in response.content.decode()
    response = client.get(reverse("coordination:organization_options"),
                          {"field": "q", "q": "hoa xa"})
    assert "Chi bộ Công ty Dệt Hòa Xá" in response.content.decode()


# --- Transfer out, leave the rolls, return ---------------------------------------------------------


def test_transfer_out_then_return_with_temporary_attendance(as_user, pc_officer, place):
    member = place["member"]
    client = as_user(pc_officer)
    out_on = TODAY - timedelta(days=60)
    response = client.post(url("member_transfer_out", member), {
        "transfer_out-on": _d(out_on), "transfer_out-reason": "changed_job",
        "transfer_out-destination": "Đảng bộ phường Ba Đình, Hà Nội"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.left_on, member.status_on(TODAY)) == (out_on, "left")
    page = client.get(member.get_absolute_url())
    ended = by_testid(page, "period-ended")[0].text_content()
    assert "Transferred out" in ended and "Ba Đình" in ended
    assert by_testid(page, "action-return") and not by_testid(page, "action-move")
    # Off the rolls: a move is refused and sends back to the member page.
    assert client.get(url("member_move", member)).status_code == 302

    back = url("member_return", member)
    missing = client.post(back, {
        "transfer_in-on": _d(TODAY - timedelta(days=10)),
        "transfer_in-enterprise": "0100233488", "transfer_in-attendance": "temporary"})
    assert field_feedback(missing.content.decode(), "transfer_in-home_organization")
    early = client.post(back, {
        "transfer_in-on": _d(out_on - timedelta(days=1)),
        "transfer_in-enterprise": "0100233488", "transfer_in-attendance": "official"})
    assert _d(out_on) in field_feedback(early.content.decode(), "transfer_in-on")
    response = client.post(back, {
        "transfer_in-on": _d(TODAY - timedelta(days=10)),
        "transfer_in-enterprise": "0100233488",
        "transfer_in-party_organization": "Chi bộ Công ty Dệt Hòa Xá",
        "transfer_in-attendance": "temporary",
        "transfer_in-home_organization": "Đảng bộ phường Ba Đình, Hà Nội"})
    assert response.status_code == 302
    latest = member.placements.order_by("-starts_on").first()
    assert (latest.began, latest.attendance, latest.home_organization) == (
        "transfer_in", "temporary", "Đảng bộ phường Ba Đình, Hà Nội")
    member.refresh_from_db()
    assert member.status_on(TODAY) == "official"
    first = by_testid(client.get(member.get_absolute_url()), "period")[0].text_content()
    assert "Temporary attendance" in first and "Ba Đình" in first


def test_leave_the_rolls_offers_only_its_reasons(as_user, pc_officer, place):
    member = place["member"]
    client = as_user(pc_officer)
    response = client.post(url("member_leave", member), {
        "leave-on": _d(TODAY), "leave-reason": "transferred"})
    assert field_feedback(response.content.decode(), "leave-reason")
    response = client.post(url("member_leave", member), {
        "leave-on": _d(TODAY), "leave-reason": "deceased", "leave-note": "Tai nạn lao động"})
    assert response.status_code == 302
    assert periods(member)[0][4:] == ("admission", "left")
    member.refresh_from_db()
    assert (member.left_reason, member.left_note) == ("deceased", "Tai nạn lao động")


# --- Correct a period ------------------------------------------------------------------------


def test_correct_a_period_is_a_different_action(as_user, pc_officer, place):
    member = place["member"]
    placement = member.placements.get()
    client = as_user(pc_officer)
    page = client.get(url("placement_correct", placement))
    assert by_testid(page, "correction-warning")
    assert input_value(page.content.decode(), "id_correct-enterprise") == \
        "Công ty TNHH Dệt Hòa Xá · 0100233488"
    data = {"correct-starts_on": _d(ADMITTED), "correct-enterprise": "0101234565",
            "correct-party_organization": "Chi bộ Điện tử Sông Hồng",
            "correct-began": "admission", "correct-attendance": "official",
            "correct-ends_on": _d(ADMITTED - timedelta(days=1)), "correct-ended": "move"}
    refused = client.post(url("placement_correct", placement), data)
    assert field_feedback(refused.content.decode(), "correct-ends_on")
    data.update({"correct-ends_on": "", "correct-ended": ""})
    response = client.post(url("placement_correct", placement), data)
    assert response.status_code == 302
    # Rewritten, not added: still one period, from the same day.
    assert periods(member) == [("Công ty Điện tử Sông Hồng", "Chi bộ Điện tử Sông Hồng",
                                ADMITTED, None, "admission", "")]


def test_correct_page_in_vietnamese_says_what_a_correction_changes(as_user, pc_officer, place):
    placement = place["member"].placements.get()
    page = as_user(pc_officer, lang="vi").get(url("placement_correct", placement))
    warning = by_testid(page, "correction-warning")[0].text_content()
    assert "đính chính" in warning.lower() and "số liệu" in warning


# --- A member transferred in from outside the province ---------------------------------------


def transfer_in_post(enterprise, **fields):
    data = {
        "family_name": "Tạ", "middle_name": "Quang", "given_name": "Vinh",
        "date_of_birth": "12/12/1985", "gender": "male", "citizen_id": "036085011111",
        "enterprise": enterprise.pk, "party_card_number": "", "party_organization": "",
        "admitted_on": "19/05/2015", "decision_on": "02/05/2015", "decision_number": "45-QĐ/TU",
        "official_on": "19/05/2016", "placed_on": _d(MOVED), "attendance": "official",
        "home_organization": "Chi bộ thôn Đông, xã Yên Lạc, Phú Thọ",
    }
    data.update(fields)
    return data


def test_transfer_in_a_member_never_recorded(as_user, pc_officer, place):
    client = as_user(pc_officer)
    new = reverse("coordination:member_transfer_in")
    assert by_testid(client.get(reverse("coordination:member_list")), "transfer-in-new")
    future = client.post(new, transfer_in_post(place["textile"],
                                               placed_on=_d(TODAY + timedelta(days=3))))
    assert future.status_code == 200
    assert field_feedback(future.content.decode(), "placed_on")
    assert not PartyMember.objects.filter(citizen_id="036085011111").exists()
    response = client.post(new, transfer_in_post(place["textile"]))
    member = PartyMember.objects.get(citizen_id="036085011111")
    assert response["Location"] == member.get_absolute_url()
    placement = member.placements.get()
    assert (placement.began, placement.starts_on, placement.home_organization) == (
        "transfer_in", MOVED, "Chi bộ thôn Đông, xã Yên Lạc, Phú Thọ")
    assert member.decision_number == "45-QĐ/TU"
    assert member.status_on(MOVED - timedelta(days=1)) == "left"
    assert member.status_on(TODAY) == "official"


# --- The edit form ---------------------------------------------------------------------------


def test_the_edit_form_changes_no_placement_and_records_the_decision(as_user, pc_officer, place):
    member = place["member"]
    client = as_user(pc_officer)
    form = client.get(url("member_update", member)).context["form"]
    assert "enterprise" not in form.fields and "party_organization" not in form.fields
    assert {"decision_on", "decision_number"} <= set(form.fields)
    assert {"enterprise", "party_organization"} <= set(
        client.get(reverse("coordination:member_create")).context["form"].fields)
    response = client.post(url("member_update", member), {
        "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "An",
        "date_of_birth": "01/05/1988", "gender": "male", "citizen_id": member.citizen_id,
        "enterprise": place["eastern"].pk, "party_card_number": "",
        "admitted_on": _d(ADMITTED), "decision_on": "01/01/2018",
        "decision_number": "9-QĐ/ĐUK", "official_on": "01/03/2019"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.decision_on, member.decision_number) == (date(2018, 1, 1), "9-QĐ/ĐUK")
    assert member.enterprise == place["textile"]  # not changed by the edit form
    assert len(periods(member)) == 1


# --- Bulk move -------------------------------------------------------------------------------


@pytest.fixture
def crew(place):
    names = ["Bình", "Cường", "Dũng"]
    members = [place["member"]] + [
        make_member(place["textile"], given_name=name, party_organization=place["cell"],
                    admitted_on=ADMITTED) for name in names]
    return members


def test_bulk_move_all_or_none(as_user, pc_officer, place, crew):
    client = as_user(pc_officer)
    page_url = reverse("coordination:members_move") + "?from_organization=" + \
        "Chi bộ Công ty Dệt Hòa Xá"
    page = client.get(page_url)
    assert len(by_testid(page, "bulk-row")) == 4
    assert PersonalDataAccess.objects.filter(action="list", detail="members_move").exists()
    # Dũng already moved later than the date asked: the whole list is refused, naming him.
    placements.member_move(member=crew[3], on=MOVED, keep_organization=True,
                           enterprise=place["electronics"])
    data = {"move-members": [m.pk for m in crew[1:]], "move-on": _d(MOVED - timedelta(days=5)),
            "move-party_organization": "Chi bộ Điện tử Sông Hồng"}
    refused = client.post(page_url, data)
    assert refused.status_code == 200
    errors = by_testid(refused, "form-errors")[0].text_content()
    assert "Dũng" in errors
    assert [len(periods(m)) for m in crew] == [1, 1, 1, 2]
    # Ticks are kept.
    ticked = [int(i.get("value")) for i in by_testid(refused, "bulk-members")[0].xpath(
        './/input[@checked]')]
    assert ticked == [m.pk for m in crew[1:]]
    data["move-members"] = [m.pk for m in crew[:3]]
    response = client.post(page_url, data)
    assert response.status_code == 302
    for member in crew[:3]:
        member.refresh_from_db()
        assert member.party_organization == place["other"]
        assert member.enterprise == place["textile"]  # enterprise kept
    assert [len(periods(m)) for m in crew] == [2, 2, 2, 2]


def test_bulk_move_needs_a_tick_and_a_target(as_user, pc_officer, place, crew):
    client = as_user(pc_officer)
    page_url = reverse("coordination:members_move") + "?from_enterprise=0100233488"
    response = client.post(page_url, {"move-on": _d(TODAY), "move-party_organization": ""})
    assert by_testid(response, "members-error")
    assert field_feedback(response.content.decode(), "move-party_organization")


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["pc_leader", "iz_officer", "iz_leader", "administrator"])
def test_only_party_committee_officers_act(request, as_user, place, role):
    client = as_user(request.getfixturevalue(role))
    member = place["member"]
    for name in ("member_move", "member_transfer_out", "member_leave", "member_return"):
        assert client.get(url(name, member)).status_code == 403
        assert client.post(url(name, member), {}).status_code == 403
    placement = member.placements.get()
    assert client.get(url("placement_correct", placement)).status_code == 403
    assert client.get(reverse("coordination:members_move")).status_code == 403
    assert client.get(reverse("coordination:member_transfer_in")).status_code == 403
    assert Placement.objects.count() == 1
    assert not PersonalDataAccess.objects.exists()
