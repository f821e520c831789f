"""The data review: each count equals the rows of the list it opens, in scope."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.policy import access_for
from core import quality
from enterprises.models import Enterprise
from tests.coordination.factories import make_candidate, make_member
from tests.enterprises.factories import (
    EnterpriseFactory,
    PartyOrganizationFactory,
    WorkforceFactory,
)

pytestmark = pytest.mark.django_db

REVIEW = reverse("core:data_review")
TODAY = timezone.localdate()
DISSOLVED = Enterprise.Status.DISSOLVED


def dissolve(enterprise):
    # The closure recorded after the people and organizations were.
    Enterprise.objects.filter(pk=enterprise.pk).update(status=DISSOLVED,
                                                        status_since=TODAY - timedelta(days=30))


@pytest.fixture
def records(zone_a, zone_b):
    """In zone A one row for each check (and rows just inside each rule), one in zone B."""
    made = {}
    made["no_figures"] = EnterpriseFactory(zone=zone_a, name="Công ty Chưa Báo Cáo")
    stale = EnterpriseFactory(zone=zone_a, name="Công ty Số Liệu Cũ")
    WorkforceFactory(enterprise=stale, as_of=TODAY - relativedelta(months=12) - timedelta(days=1))
    made["stale"] = stale
    fresh = EnterpriseFactory(zone=zone_a, name="Công ty Vừa Báo Cáo")
    WorkforceFactory(enterprise=fresh, as_of=TODAY - relativedelta(months=12))  # not yet stale
    # Dissolved: still counted for neither workforce check.
    closed = EnterpriseFactory(zone=zone_a, name="Công ty Đã Giải Thể")
    org = PartyOrganizationFactory(enterprise=closed, name="Chi bộ Công ty Đã Giải Thể")
    made["member_at_closed"] = make_member(enterprise=closed, family_name="Quách",
                                           middle_name="Thị", given_name="Xuyến",
                                           party_organization=org)
    make_member(enterprise=closed, given_name="Đã", party_organization=org,
                left_on=TODAY - timedelta(days=5), left_reason="transferred")
    made["candidate_at_closed"] = make_candidate(enterprise=closed, family_name="Ông",
                                                 middle_name="Văn", given_name="Yên")
    made["member_without_org"] = make_member(enterprise=fresh, given_name="Lẻ")
    dissolve(closed)
    made["org"] = org
    EnterpriseFactory(zone=zone_b, name="Công ty Khu Khác")  # zone B, no figures
    return made


EXPECTED_A = {"no_workforce": 1, "stale_workforce": 1, "org_at_dissolved": 1,
              "members_at_dissolved": 1, "members_without_org": 1, "candidates_at_dissolved": 1,
              # The dissolved enterprise's cell has one probationary member, no official one.
              "cells_below_three": 1, "qualifying_without_proposal": 0,
              "organization_size_mismatch": 0}


def counts(response):
    return {row["check"].code: row["count"] for row in response.context["rows"]}


def listed(client, url) -> int:
    page = client.get(url).context["page_obj"]
    return page.paginator.count


def test_each_count_is_the_rows_of_the_list_it_opens(client, pc_officer, records, zone_a):
    client.force_login(pc_officer)
    response = client.get(REVIEW)
    found = counts(response)
    # Zone B's enterprise without figures counts for the province.
    assert found == {**EXPECTED_A, "no_workforce": 2}
    for row in response.context["rows"]:
        assert row["url"]
        assert listed(client, row["url"]) == row["count"], row["check"].code


def test_an_iz_officer_sees_its_zone_and_party_data_as_counts_only(client, iz_officer, records):
    client.force_login(iz_officer)
    response = client.get(REVIEW)
    assert counts(response) == EXPECTED_A
    rows = {row["check"].code: row for row in response.context["rows"]}
    assert rows["no_workforce"]["url"] and rows["org_at_dissolved"]["url"]
    for code in ("members_at_dissolved", "members_without_org", "candidates_at_dissolved"):
        assert rows[code]["url"] == ""
    page = response.content.decode()
    assert "Xuyến" not in page and "Yên" not in page  # no names
    assert listed(client, rows["no_workforce"]["url"]) == 1


def test_the_list_filter_shows_exactly_the_rows_concerned(client, pc_officer, records):
    client.force_login(pc_officer)
    stale = client.get("/enterprises/", {"issue": "stale_workforce"}).context["page_obj"]
    assert [e.pk for e in stale.object_list] == [records["stale"].pk]
    members = client.get("/party-development/members/", {"issue": "members_at_dissolved"})
    assert [m.pk for m in members.context["page_obj"].object_list] == [
        records["member_at_closed"].pk]
    orgs = client.get("/enterprises/party-organizations/", {"issue": "org_at_dissolved"})
    assert [o.pk for o in orgs.context["page_obj"].object_list] == [records["org"].pk]
    # A check of another list, or an unknown one, is not applied (and breaks nothing).
    everyone = client.get("/enterprises/", {"issue": "members_at_dissolved"})
    assert everyone.status_code == 200
    assert everyone.context["page_obj"].paginator.count == Enterprise.objects.count()


def test_the_page_costs_the_same_queries_however_much_data(client, pc_officer, records, zone_a):
    client.force_login(pc_officer)
    client.get(REVIEW)
    with CaptureQueriesContext(connection) as before:
        client.get(REVIEW)
    for _ in range(6):
        closed = EnterpriseFactory(zone=zone_a)
        make_member(enterprise=closed)
        dissolve(closed)
        EnterpriseFactory(zone=zone_a)
    with CaptureQueriesContext(connection) as after:
        response = client.get(REVIEW)
    assert len(after) == len(before)
    assert counts(response)["members_at_dissolved"] == 7


def test_nothing_to_review_says_so(client, pc_officer):
    client.force_login(pc_officer)
    response = client.get(REVIEW)
    assert set(counts(response).values()) == {0}
    assert 'data-testid="open"' not in response.content.decode()


def test_every_check_is_declared_once_with_a_list_that_has_its_filter():
    codes = [check.code for check in quality.checks()]
    assert len(codes) == len(set(codes)) == len(EXPECTED_A)
    for check in quality.checks():
        assert check.url().startswith(reverse(check.list_name))


def test_the_workforce_rule_counts_twelve_months_to_the_day():
    check = quality.check("stale_workforce")
    day = date(2026, 3, 31)
    enterprise = EnterpriseFactory()
    WorkforceFactory(enterprise=enterprise, as_of=date(2025, 3, 30))
    assert enterprise in Enterprise.objects.filter(check.condition(day))  # over 12 months
    WorkforceFactory(enterprise=enterprise, as_of=date(2025, 3, 31))  # 12 months to the day
    assert enterprise not in Enterprise.objects.filter(check.condition(day))


MONDAY = date(2026, 11, 30)


def test_officers_are_reminded_weekly_of_their_counts_without_names(
        records, pc_officer, pc_leader, iz_officer, mailoutbox):
    from core.models import Notification
    from core.notifications import send_reminders

    assert MONDAY.weekday() == 0
    send_reminders(MONDAY - timedelta(days=1))  # a Sunday: nothing of the review
    assert not Notification.objects.filter(key__startswith="data-review:").exists()

    send_reminders(MONDAY)
    send_reminders(MONDAY)  # a second run adds nothing
    mine = {n.recipient: n for n in Notification.objects.filter(key__startswith="data-review:")}
    assert set(mine) == {pc_officer, iz_officer}  # a leader enters no data
    # The count is the review page's total of that day, in each account's scope.
    totals = {user: sum(row["count"] for row in quality.review(access_for(user), MONDAY))
              for user in (pc_officer, iz_officer)}
    for user, total in totals.items():
        assert mine[user].title.startswith(f"{total} ")
    assert totals[pc_officer] == totals[iz_officer] + 1  # zone B's enterprise: province only
    assert mine[iz_officer].url == REVIEW
    assert "Xuyến" not in mine[pc_officer].title + mine[pc_officer].body


def test_member_checks_look_at_the_current_placement(pc_officer, zone_a):
    from coordination import placements

    closed = EnterpriseFactory(zone=zone_a)
    org = PartyOrganizationFactory(enterprise=closed)
    moved = make_member(enterprise=closed, party_organization=org)
    placements.member_move(member=moved, on=TODAY - timedelta(days=60),
                           enterprise=EnterpriseFactory(zone=zone_a), party_organization=None)
    stayed = make_member(enterprise=closed, party_organization=org)
    dissolve(closed)
    access = access_for(pc_officer)

    def rows(code):
        return list(quality.check(code).rows(access, TODAY))

    # Worked at the dissolved enterprise once; works elsewhere, without a cell, now.
    assert rows("members_at_dissolved") == [stayed]
    assert rows("members_without_org") == [moved]
