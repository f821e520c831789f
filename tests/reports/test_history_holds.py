"""History holds (DESIGN §3): what happens today never changes a past period's figures.

Two zones, enterprises, party organizations (a joint cell among them, and one
under the IZ Board directly), members admitted at various dates, a temporary
attendee, candidates, workforce records, unions and a survey visit. The past
period is the year two years ago (Y), so the test holds whatever today's date
is. Every figure of the catalogue, province-wide and per zone, and the
workbook of that year are computed; then members move between enterprises
and zones, transfer out and in, leave the rolls, an enterprise and a party
organization are dissolved, a new party organization is founded, new workforce
figures are recorded, and all of it is computed again: identical. The current
period shows the moves, with the values worked out by hand below.
"""

import io
from datetime import date, datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from coordination import placements, services
from coordination.models import Placement
from coordination.selectors import enterprise_counts, organization_member_count, qualifying
from core.indicators import CATALOGUE, Scope, by_zone, compute_all
from core.periods import Period
from enterprises import services as registry
from enterprises.models import Enterprise, MassOrganization, PartyOrganization
from reports.workbook import write_report
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import EnterpriseFactory, PartyOrganizationFactory
from tests.reports.test_indicators import visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
Y = TODAY.year - 2
PAST = Period.parse(str(Y))
CURRENT = Period.of("year", TODAY.year).so_far(TODAY)
# Dates of the changes after the past period, all before today.
D1, D2 = date(Y + 1, 3, 1), date(Y + 1, 9, 1)
GENERATED_AT = datetime(Y + 1, 1, 5, 8, 0)

Capital = Enterprise.CapitalSource
Kind = MassOrganization.Kind


def mass_org(enterprise, kind, established_on):
    org = MassOrganization(enterprise=enterprise, kind=kind, established_on=established_on)
    org.full_clean()
    org.save()
    return org


def member(enterprise, name, admitted_on, official_on=None, **fields):
    return make_member(enterprise=enterprise, given_name=name, admitted_on=admitted_on,
                       official_on=official_on, **fields)


def figures(period):
    """Every indicator for the province, each zone (one by one and by_zone)."""
    zone_ids = sorted({e.zone_id for e in Enterprise.objects.all()})
    return {
        "province": {i.code: v for i, v in compute_all(Scope.province(), period)},
        "zones": {pk: {i.code: v for i, v in compute_all(Scope.zone(pk), period)}
                  for pk in zone_ids},
        "by_zone": by_zone(period),
    }


def workbook_values(period, **options):
    """The workbook's figures and every cell of every sheet."""
    buffer = io.BytesIO()
    summary = write_report(buffer, period=period, generated_at=GENERATED_AT, **options)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    return summary, {ws.title: [list(row) for row in ws.iter_rows(values_only=True)]
                     for ws in book.worksheets}


@pytest.fixture
def world(zone_a, zone_b):
    return make_world(zone_a, zone_b)


def make_world(zone_a, zone_b):
    """The two zones' data as it stood at the end of the past period."""
    w = type("World", (), {})()
    w.zone_a, w.zone_b = zone_a, zone_b
    old = date(Y - 3, 1, 1)
    # Zone A: a1 with its own cell, a2 with none (3 officials: qualifies in Y),
    # a3 whose members attend a joint cell of the zone, a4 without members.
    w.a1 = EnterpriseFactory(zone=zone_a, name="Công ty A1")
    w.a2 = EnterpriseFactory(zone=zone_a, name="Công ty A2", capital_source=Capital.STATE)
    w.a3 = EnterpriseFactory(zone=zone_a, name="Công ty A3")
    w.a4 = EnterpriseFactory(zone=zone_a, name="Công ty A4")
    w.org_a1 = PartyOrganizationFactory(enterprise=w.a1, name="Chi bộ A1", established_on=old)
    w.joint_a = PartyOrganizationFactory(enterprise=None, zone=zone_a, name="Chi bộ ghép KCN A",
                                         established_on=date(Y, 3, 1))
    # Zone B: b1 with its own cell, b2 with none.
    w.b1 = EnterpriseFactory(zone=zone_b, name="Công ty B1")
    w.b2 = EnterpriseFactory(zone=zone_b, name="Công ty B2")
    w.org_b1 = PartyOrganizationFactory(enterprise=w.b1, name="Chi bộ B1", established_on=old)
    # A joint cell directly under the IZ Board (no zone).
    PartyOrganizationFactory(enterprise=None, zone=None, name="Chi bộ ghép Ban Quản lý",
                             established_on=old)

    official_since = {"admitted_on": date(Y - 3, 3, 1), "official_on": date(Y - 2, 3, 1)}
    w.m1 = member(w.a2, "Một", **official_since)
    w.m2 = member(w.a2, "Hai", **official_since)
    w.m3 = member(w.a2, "Ba", is_enterprise_owner=True, **official_since)
    w.m4 = member(w.a1, "Bốn", party_organization=w.org_a1, is_enterprise_owner=True,
                  **official_since)
    w.m5 = member(w.a1, "Năm", date(Y, 5, 10), date(Y + 1, 5, 10),
                  party_organization=w.org_a1)                     # admitted in Y
    w.m6 = member(w.a3, "Sáu", date(Y, 3, 2), date(Y + 1, 3, 2),
                  party_organization=w.joint_a)                    # admitted in Y
    w.m7 = member(w.b1, "Bảy", party_organization=w.org_b1, **official_since)
    w.m8 = member(w.b2, "Tám", **official_since)
    w.m9 = member(w.b2, "Chín", **official_since)
    w.m10 = member(w.b1, "Mười", date(Y, 11, 1), date(Y + 1, 11, 1),
                   party_organization=w.org_b1)                    # admitted in Y
    # Attends b2 temporarily: its official record is kept elsewhere.
    w.m11 = services.member_create(data={
        "family_name": "Lê", "middle_name": "Văn", "given_name": "Tạm",
        "date_of_birth": date(1988, 1, 1), "gender": "male", "citizen_id": "001088000111",
        "enterprise": w.b2, "admitted_on": date(Y - 4, 1, 1), "official_on": date(Y - 3, 1, 1),
    }, placed_on=date(Y, 6, 1), began=Placement.Began.TRANSFER_IN,
        attendance=Placement.Attendance.TEMPORARY, home_organization="Đảng bộ phường Tân An")
    w.m12 = member(w.a1, "Mười Hai", left_on=date(Y, 6, 1), left_reason="deceased",
                   **official_since)
    # Admitted elsewhere in Y, transferred in to a1 in July: not admitted here.
    w.m13 = services.member_create(data={
        "family_name": "Đỗ", "middle_name": "Thị", "given_name": "Chuyển",
        "date_of_birth": date(1995, 2, 2), "gender": "female", "citizen_id": "001195000222",
        "enterprise": w.a1, "party_organization": w.org_a1, "admitted_on": date(Y, 4, 1),
        "official_on": date(Y + 1, 4, 1),
    }, placed_on=date(Y, 7, 1), began=Placement.Began.TRANSFER_IN,
        home_organization="Chi bộ thôn Đông")
    # Transferred out before Y; comes back after it.
    w.m14 = member(w.a1, "Mười Bốn", date(Y - 6, 1, 1), date(Y - 5, 1, 1),
                   left_on=date(Y - 1, 6, 1), left_reason="transferred")

    w.c1 = make_candidate(enterprise=w.a2, identified_on=date(Y, 3, 1))
    w.c2 = make_candidate(enterprise=w.b2, identified_on=date(Y, 1, 15),
                          course_completed_on=date(Y, 4, 1), certificate_number="CN-07")
    mass_org(w.a1, Kind.TRADE_UNION, old)
    mass_org(w.a4, Kind.TRADE_UNION, old)
    mass_org(w.b1, Kind.YOUTH_UNION, old)
    registry.workforce_record(enterprise=w.a1, as_of=date(Y, 6, 30), total_workers=200)
    registry.workforce_record(enterprise=w.a2, as_of=date(Y - 1, 1, 1), total_workers=100)
    registry.workforce_record(enterprise=w.a4, as_of=date(Y - 1, 1, 1), total_workers=80)
    registry.workforce_record(enterprise=w.b1, as_of=date(Y, 3, 1), total_workers=150)
    visit(w.a2, date(Y, 9, 1))
    return w


def what_happens_since(w):
    """After the past period, up to today."""
    # m1 changes job to b2 (zone B), m5 to b1 (zone B), m7 to a1 (zone A).
    placements.member_move(member=w.m1, on=D1, enterprise=w.b2, party_organization=None)
    placements.member_move(member=w.m5, on=D1, enterprise=w.b1, party_organization=None)
    placements.member_move(member=w.m7, on=D1, enterprise=w.a1, party_organization=w.org_a1)
    # m14 comes back, to a3 and the joint cell.
    placements.member_transfer_in(member=w.m14, on=D1, enterprise=w.a3,
                                  party_organization=w.joint_a)
    registry.enterprise_dissolve(enterprise=w.a4, on=D1)
    registry.workforce_record(enterprise=w.a1, as_of=D1, total_workers=999)
    registry.workforce_record(enterprise=w.b1, as_of=TODAY, total_workers=50)
    # The owner m4 transfers out; m9 dies.
    placements.member_transfer_out(member=w.m4, on=D2, destination="Đảng bộ xã Phú Hòa")
    placements.member_leave_rolls(member=w.m9, on=D2, reason="deceased")
    # b1's cell is dissolved, its last member now works at b2.
    placements.member_move(member=w.m10, on=D2, enterprise=w.b2, party_organization=None)
    registry.party_organization_dissolve(organization=w.org_b1, on=D2)
    # a3 founds its own cell; its members move there the same day.
    org_a3 = registry.party_organization_create(data={
        "name": "Chi bộ A3", "kind": PartyOrganization.Kind.GRASSROOTS_CELL, "enterprise": w.a3,
        "established_on": D2, "decision_number": "15-QĐ/ĐUK"})
    placements.members_move(members=[w.m6, w.m14], on=D2, party_organization=org_a3,
                            began=Placement.Began.FOUNDING)
    # Admitted today at a2.
    w.m15 = member(w.a2, "Mười Lăm", TODAY)


def test_a_past_period_keeps_its_figures_and_today_shows_the_moves(world):
    w = world
    before = figures(PAST)
    book_before = workbook_values(PAST)
    zone_b_before = workbook_values(PAST, zone=w.zone_b)

    # The past period, worked out by hand (zone A | zone B).
    a = before["zones"][w.zone_a.pk]
    b = before["zones"][w.zone_b.pk]
    assert (a["members"], b["members"]) == (7, 4)      # the temporary attendee is not counted
    assert (a["members_official"], b["members_official"]) == (4, 3)
    assert (a["members_probationary"], b["members_probationary"]) == (3, 1)
    assert (a["members_owners"], b["members_owners"]) == (2, 0)
    assert (a["members_new"], b["members_new"]) == (2, 1)  # m13 was admitted elsewhere
    assert (a["enterprises_qualifying"], b["enterprises_qualifying"]) == (1, 0)  # a2
    assert (a["party_orgs"], b["party_orgs"], before["province"]["party_orgs"]) == (2, 1, 4)
    assert (a["workers"], b["workers"]) == (380, 150)
    assert before["by_zone"][None]["party_orgs"] == 1

    what_happens_since(w)

    assert figures(PAST) == before
    assert workbook_values(PAST) == book_before
    assert workbook_values(PAST, zone=w.zone_b) == zone_b_before
    new_members = [row for row in book_before[1]["Đảng viên mới"] if row and
                   isinstance(row[0], int)]
    # Each admitted member where placed at admission: m5 at a1 although at b1 now.
    assert [(row[1].split()[-1], row[5], row[6]) for row in new_members] == [
        ("Sáu", "Công ty A3", w.zone_a.name), ("Năm", "Công ty A1", w.zone_a.name),
        ("Mười", "Công ty B1", w.zone_b.name)]

    # Today: the moves count where the members are now.
    now = figures(CURRENT)
    a = now["zones"][w.zone_a.pk]
    b = now["zones"][w.zone_b.pk]
    expected_a = {
        "enterprises": 3, "enterprises_foreign": 2, "enterprises_with_party_org": 2,
        "enterprises_without_party_org": 1, "enterprises_qualifying": 0, "party_orgs": 3,
        "party_orgs_new": 0, "members": 7, "members_official": 6, "members_probationary": 1,
        "members_owners": 1, "members_new": 1, "candidates_open": 1,
        "candidates_course_completed": 0, "enterprises_with_union": 1,
        "enterprises_with_youth_union": 0, "workers": 1099, "enterprises_surveyed": 0,
    }
    expected_b = {
        "enterprises": 2, "enterprises_foreign": 2, "enterprises_with_party_org": 0,
        "enterprises_without_party_org": 2, "enterprises_qualifying": 1, "party_orgs": 0,
        "party_orgs_new": 0, "members": 4, "members_official": 4, "members_probationary": 0,
        "members_owners": 0, "members_new": 0, "candidates_open": 1,
        "candidates_course_completed": 0, "enterprises_with_union": 0,
        "enterprises_with_youth_union": 1, "workers": 50, "enterprises_surveyed": 0,
    }
    assert a == expected_a
    assert b == expected_b
    assert now["by_zone"][w.zone_a.pk] == expected_a
    assert now["by_zone"][w.zone_b.pk] == expected_b
    assert now["province"] == {
        code: expected_a[code] + expected_b[code] + (1 if code == "party_orgs" else 0)
        for code in expected_a}
    assert [i.code for i in CATALOGUE] == list(expected_a)


def test_page_counts_follow_the_placements_of_the_day(world):
    w = world
    end = PAST.end

    def at_end():
        return {
            "a2": enterprise_counts(enterprise=w.a2, day=end),
            "b2": enterprise_counts(enterprise=w.b2, day=end),
            "org_a1": organization_member_count(organization=w.org_a1, day=end),
            "org_b1": organization_member_count(organization=w.org_b1, day=end),
            "qualifying": list(qualifying(end)),
        }

    before = at_end()
    assert before == {
        "a2": {"official": 3, "probationary": 0, "candidates": 1},
        "b2": {"official": 2, "probationary": 0, "candidates": 1},  # m11 attends temporarily
        "org_a1": 3,  # m4, m5, m13
        "org_b1": 2,  # m7, m10
        "qualifying": [w.a2],
    }
    what_happens_since(w)
    assert at_end() == before
    assert enterprise_counts(enterprise=w.b2, day=TODAY) == {
        "official": 3, "probationary": 0, "candidates": 1}  # m1, m8, m10
    assert organization_member_count(organization=w.org_a1, day=TODAY) == 2  # m7, m13
    assert list(qualifying(TODAY)) == [w.b2]
