"""The spans of three official members per enterprise (coordination.quorum):
the rule itself, and the spans kept in step through every way placements and
official dates change. Each check compares the stored spans with the members
counted one by one from the placements at every day where something changes
(and the day before), worked out here without the module under test."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from coordination import placements, quorum, services
from coordination.models import OfficialQuorum, Placement
from coordination.selectors import qualifying
from enterprises.models import Enterprise
from tests.enterprises.factories import EnterpriseFactory

from .factories import make_member

DAY = timedelta(days=1)
JAN = date(2023, 1, 10)


def test_spans_where_three_overlap():
    d = date(2024, 1, 1)
    periods = [(d, None), (d + 2 * DAY, None), (d + 5 * DAY, d + 9 * DAY)]
    assert quorum.spans(periods) == [(d + 5 * DAY, d + 9 * DAY)]
    # A fourth arriving the day the third leaves: one span, not two.
    periods.append((d + 9 * DAY, None))
    assert quorum.spans(periods) == [(d + 5 * DAY, None)]
    # An empty period (ends the day it starts) counts on no day.
    assert quorum.spans([(d, None), (d, None), (d + DAY, d + DAY)]) == []
    # Dropping below three and back.
    assert quorum.spans([(d, None), (d, None), (d, d + 3 * DAY), (d + 7 * DAY, None)]) == [
        (d, d + 3 * DAY), (d + 7 * DAY, None)]
    assert quorum.spans([(d, None), (d, None)], minimum=2) == [(d, None)]


def _officials_at(enterprise_id, day) -> int:
    """Official members placed at the enterprise at ``day``, counted one by one."""
    n = 0
    for p in Placement.objects.filter(enterprise_id=enterprise_id).select_related("member"):
        official = p.member.official_on is not None and p.member.official_on <= day
        covers = p.starts_on <= day and (p.ends_on is None or p.ends_on > day)
        n += official and covers and p.attendance == Placement.Attendance.OFFICIAL
    return n


def _stored_at(enterprise_id, day) -> bool:
    return OfficialQuorum.objects.filter(enterprise_id=enterprise_id, starts_on__lte=day).exclude(
        ends_on__lte=day).exists()


def assert_in_step():
    days = set()
    for p in Placement.objects.select_related("member"):
        for day in (p.starts_on, p.ends_on, p.member.official_on):
            if day:
                days.update({day - DAY, day, day + DAY})
    for enterprise_id in Enterprise.objects.values_list("pk", flat=True):
        for day in sorted(days):
            assert _stored_at(enterprise_id, day) == (_officials_at(enterprise_id, day) >= 3), (
                enterprise_id, day)


@pytest.fixture
def two_enterprises(db):
    return EnterpriseFactory(), EnterpriseFactory()


def test_members_created_moved_corrected_and_leaving_keep_the_spans(two_enterprises):
    a, b = two_enterprises
    m1 = make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    m2 = make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    assert not OfficialQuorum.objects.exists()
    m3 = make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    assert OfficialQuorum.objects.filter(enterprise=a).count() == 1
    assert_in_step()

    placements.member_move(member=m3, on=JAN, enterprise=b)
    assert_in_step()
    assert not _stored_at(a.pk, JAN) and _stored_at(a.pk, JAN - DAY)

    # Rewriting the period that began with the move: it was at a all along.
    moved = Placement.objects.get(member=m3, starts_on=JAN)
    placements.placement_correct(placement=moved, data={"enterprise": a})
    assert_in_step()
    assert _stored_at(a.pk, JAN + 30 * DAY)

    placements.member_leave_rolls(member=m1, on=JAN + 40 * DAY, reason="deceased")
    assert_in_step()
    assert not _stored_at(a.pk, JAN + 40 * DAY)
    assert _stored_at(a.pk, JAN + 39 * DAY) and m2.pk


def test_an_official_date_recorded_later_opens_the_span(two_enterprises, pc_officer):
    a, _b = two_enterprises
    for _ in range(2):
        make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    probationer = make_member(enterprise=a, admitted_on=date(2024, 9, 2))
    assert not OfficialQuorum.objects.exists()
    services.member_recognition_vote(actor=pc_officer, member=probationer,
                                     held_on=date(2025, 10, 1), votes_for=4, official_members=6)
    services.member_recognise(actor=pc_officer, member=probationer, decision_number="15-QĐ/ĐUK",
                              decision_on=date(2025, 10, 20), deciding_body="BTV Đảng ủy Khối")
    assert list(OfficialQuorum.objects.values_list("starts_on", "ends_on")) == [
        (date(2025, 9, 2), None)]  # the end of probation, twelve months after admission
    assert_in_step()


def test_deleting_a_period_and_rebuilding(two_enterprises):
    a, _b = two_enterprises
    members = [make_member(enterprise=a, admitted_on=date(2020, 3, 1),
                           official_on=date(2021, 3, 1)) for _ in range(3)]
    Placement.objects.filter(member=members[0]).delete()
    assert not OfficialQuorum.objects.exists()
    assert_in_step()

    make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    kept = sorted(OfficialQuorum.objects.values_list("enterprise_id", "starts_on", "ends_on"))
    OfficialQuorum.objects.all().delete()
    call_command("rebuild_quorum", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(OfficialQuorum.objects.values_list("enterprise_id", "starts_on", "ends_on")) \
        == kept == [(a.pk, date(2021, 3, 1), None)]


def test_temporary_attendance_does_not_count(two_enterprises):
    a, _b = two_enterprises
    for _ in range(2):
        make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    guest = make_member(enterprise=a, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    Placement.objects.filter(member=guest).get().delete()
    placement = Placement(member=guest, enterprise=a, starts_on=date(2022, 1, 1),
                          began=Placement.Began.TRANSFER_IN,
                          attendance=Placement.Attendance.TEMPORARY,
                          home_organization="Chi bộ Công ty X, tỉnh Bắc Ninh")
    placements.save_placement(placement)
    assert not OfficialQuorum.objects.exists()
    assert list(qualifying(date(2023, 1, 1))) == []
    assert_in_step()


def test_a_record_reloaded_after_another_change_still_refreshes(two_enterprises):
    """The values a save compares with are those read last, reloads included."""
    a, b = two_enterprises
    members = [make_member(enterprise=a, admitted_on=date(2020, 3, 1),
                           official_on=date(2021, 3, 1)) for _ in range(3)]
    for _ in range(2):
        make_member(enterprise=b, admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))
    # Someone else moves the third member's period to b; this copy is reloaded, then
    # moved back to a: both enterprises' spans must follow.
    stale = Placement.objects.get(member=members[2])
    other = Placement.objects.get(pk=stale.pk)
    placements.placement_correct(placement=other, data={"enterprise": b})
    assert not _stored_at(a.pk, JAN) and _stored_at(b.pk, JAN)
    stale.refresh_from_db()
    stale.enterprise = a
    stale.save()
    assert_in_step()
    assert _stored_at(a.pk, JAN) and not _stored_at(b.pk, JAN)

    # The same for an official date: reloaded after another change, then put back.
    member = members[0]
    type(member).objects.filter(pk=member.pk).update(official_on=None)
    quorum.refresh([a.pk])
    assert not _stored_at(a.pk, JAN)
    member.refresh_from_db()
    member.official_on = date(2021, 3, 1)
    member.save()
    assert _stored_at(a.pk, JAN)
    assert_in_step()
