"""Rules of committees and plans, in coordination.plans: the on-track rule,
the draft → approved → closed machine, draft-only targets, copying a year,
owners of the leading side, and who records a task's progress."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from coordination.models import Committee, CommitteeMember, CoordinationPlan, PlanTarget, PlanTask
from coordination.plans import rules, selectors, services
from core.attachments import attachments_of
from core.indicators import FLOW, STOCK
from tests.coordination.factories import add_target, add_task, approve, make_member, make_plan
from tests.enterprises.factories import EnterpriseFactory

from .conftest import TODAY, Side

pytestmark = pytest.mark.django_db

Status = PlanTask.Status


# --- On track -------------------------------------------------------------------------------


@pytest.mark.parametrize(("year", "today", "fraction"), [
    (2026, date(2025, 12, 31), Fraction(0)),
    (2026, date(2026, 1, 1), Fraction(1, 365)),
    (2026, date(2026, 7, 2), Fraction(183, 365)),
    (2026, date(2026, 12, 31), Fraction(1)),
    (2028, date(2028, 12, 31), Fraction(1)),
    (2028, date(2028, 2, 29), Fraction(60, 366)),
    (2026, date(2027, 1, 1), Fraction(1)),
])
def test_elapsed_fraction_counts_today_and_is_exact(year, today, fraction):
    assert rules.elapsed_fraction(year, today) == fraction


@pytest.mark.parametrize(("actual", "target", "today", "expected"), [
    # Half-way (1 July 2026 is day 182 of 365): 10 × 182/365 = 4.99 → 5 is on track.
    (5, 10, date(2026, 7, 1), True),
    (4, 10, date(2026, 7, 1), False),
    # Exactly the expected figure is on track (no float rounding): 365 × 73/365 = 73.
    (73, 365, date(2026, 3, 14), True),
    (72, 365, date(2026, 3, 14), False),
    # A past year needs 100 %.
    (9, 10, date(2027, 3, 1), False),
    (10, 10, date(2027, 3, 1), True),
    (12, 10, date(2027, 3, 1), True),
    # Before the year starts nothing is expected yet.
    (0, 10, date(2025, 12, 1), True),
    # A figure that cannot be computed is neither.
    (None, 10, date(2026, 7, 1), None),
])
def test_on_track_means_the_target_times_the_elapsed_year(actual, target, today, expected):
    assert rules.is_on_track(actual=actual, target=target, year=2026, today=today,
                             kind=FLOW) is expected


def test_a_targets_actual_is_the_catalogues_figure_for_the_year_so_far(zone_a, zone_b):
    from core.indicators import Scope, get
    from core.periods import Period

    year = TODAY.year
    in_a = [EnterpriseFactory(zone=zone_a) for _ in range(3)]
    EnterpriseFactory(zone=zone_b)
    plan = make_plan(year)
    zone_target = add_target(plan, "enterprises", 6, zone=zone_a)
    province_target = add_target(plan, "enterprises", 8)
    progress = selectors.target_progress(zone_target, year=year, today=TODAY)
    assert progress.actual == len(in_a) == get("enterprises").compute(
        Scope.zone(zone_a.pk), Period.of("year", year).so_far(TODAY))
    assert progress.percent == 50
    province = selectors.target_progress(province_target, year=year, today=TODAY)
    assert province.actual == 4
    # A stock: the 4 enterprises (founded in 2015) were there on 1 January, so
    # none of the way to 8 is covered yet, and some of the year has passed.
    assert province.is_stock and province.baseline == 4
    assert province.state == "behind"
    # A past year: the figure at its end, and 100 % is needed.
    past = selectors.target_progress(province_target, year=year - 1, today=TODAY)
    assert past.expected == 8 and past.year_ended
    assert not province.year_ended


def test_progress_states():
    target = PlanTarget(indicator="members", target_value=10)

    def state(actual, fraction_day):
        return selectors.TargetProgress(
            target=target, label="", actual=actual,
            percent=None if actual is None else actual * 10,
            expected=10 * rules.elapsed_fraction(2026, fraction_day),
            on_track=rules.is_on_track(actual=actual, target=10, year=2026, today=fraction_day,
                                       kind=FLOW),
        )

    mid = date(2026, 7, 1)
    assert state(10, mid).state == "achieved"
    assert state(6, mid).state == "on_track"
    assert state(2, mid).state == "behind"
    assert state(None, mid).state == "unknown"
    assert state(15, mid).bar_width == 100
    ended = selectors.TargetProgress(target=target, label="", actual=9, percent=90, expected=10,
                                 on_track=False, year_ended=True)
    assert ended.state == "missed"
    assert state(2, mid).expected_width == pytest.approx(49.86, abs=0.01)


# --- On track: stock targets (DESIGN §3) -----------------------------------------------------
#
# Days of the year, counted by hand: 2 January is day 2 of 365 in 2026, 31 January
# day 31, 14 March day 31 + 28 + 14 = 73, 1 July day 181 + 1 = 182 (January to June
# have 31 + 28 + 31 + 30 + 31 + 30 = 181 days); 29 February 2028 is day 60 of 366.


@pytest.mark.parametrize(("actual", "target", "baseline", "year", "today", "expected"), [
    # 50 members by the end of 2026 from 40 on 1 January: on 1 July the actual
    # must have covered 182/365 of the way, 40 + 10 × 182/365 = 44.99.
    (44, 50, 40, 2026, date(2026, 7, 1), False),
    (45, 50, 40, 2026, date(2026, 7, 1), True),
    # Exactly the expected figure is on track (no rounding): 40 + 365 × 73/365 = 113.
    (113, 405, 40, 2026, date(2026, 3, 14), True),
    (112, 405, 40, 2026, date(2026, 3, 14), False),
    # A leap year: 10 + 366 × 60/366 = 70 on 29 February 2028.
    (70, 376, 10, 2028, date(2028, 2, 29), True),
    (69, 376, 10, 2028, date(2028, 2, 29), False),
    # Before the year nothing of the way is due: the baseline is enough.
    (40, 50, 40, 2026, date(2025, 12, 1), True),
    (39, 50, 40, 2026, date(2025, 12, 1), False),
    # On the last day, and for a past year, the whole way: the target.
    (49, 50, 40, 2026, date(2026, 12, 31), False),
    (50, 50, 40, 2026, date(2026, 12, 31), True),
    (49, 50, 40, 2026, date(2027, 3, 1), False),
    (50, 50, 40, 2026, date(2027, 3, 1), True),
    # A target at or below its baseline needs the target itself, from day one.
    (40, 40, 45, 2026, date(2026, 1, 2), True),
    (39, 40, 45, 2026, date(2026, 1, 2), False),
    (40, 40, 40, 2026, date(2026, 1, 1), True),
    (39, 40, 40, 2026, date(2026, 1, 1), False),
    # Without an actual, or a baseline, neither.
    (None, 50, 40, 2026, date(2026, 7, 1), None),
    (45, 50, None, 2026, date(2026, 7, 1), None),
])
def test_a_stock_target_is_on_track_on_the_elapsed_share_of_the_way_from_1_january(
        actual, target, baseline, year, today, expected):
    assert rules.is_on_track(actual=actual, target=target, year=year, today=today, kind=STOCK,
                             baseline=baseline) is expected


def test_a_stock_target_is_not_on_track_in_january_for_its_prorated_share_alone():
    # 31 January 2026 is day 31 of 365. Prorated like a flow, 50 members by the
    # year's end would ask for 50 × 31/365 = 4.25 on that day, so any roll of 5
    # or more would be "on track". From 48 members on 1 January the way to 50
    # asks for 48 + 2 × 31/365 = 48 + 62/365: a roll that shrank to 45, or
    # stayed at 48, is behind; 49 is on track.
    day = date(2026, 1, 31)
    assert rules.expected_actual(kind=FLOW, target=50, year=2026, today=day) == Fraction(310, 73)
    assert rules.expected_actual(kind=STOCK, target=50, year=2026, today=day,
                                 baseline=48) == 48 + Fraction(62, 365)
    for actual, on_track in ((45, False), (48, False), (49, True)):
        assert rules.is_on_track(actual=actual, target=50, year=2026, today=day, kind=FLOW)
        assert rules.is_on_track(actual=actual, target=50, year=2026, today=day, kind=STOCK,
                                 baseline=48) is on_track


def test_a_flow_target_has_no_baseline_and_is_prorated_as_before():
    # 1 July 2026: 10 × 182/365 = 4.99.
    assert rules.expected_actual(kind=FLOW, target=10, year=2026,
                                 today=date(2026, 7, 1)) == Fraction(364, 73)
    assert rules.expected_actual(kind=FLOW, target=10, year=2026, today=date(2026, 7, 1),
                                 baseline=8) == Fraction(364, 73)  # a baseline is ignored
    assert rules.is_on_track(actual=5, target=10, year=2026, today=date(2026, 7, 1), kind=FLOW)
    assert not rules.is_on_track(actual=4, target=10, year=2026, today=date(2026, 7, 1),
                                 kind=FLOW)


def test_the_baseline_is_the_figure_of_the_whole_year_before():
    baseline = rules.baseline_period(2026)
    assert (baseline.start, baseline.end) == (date(2025, 1, 1), date(2025, 12, 31))


def test_a_stock_targets_baseline_is_its_figure_at_the_end_of_31_december(
        zone_a, zone_b, django_assert_num_queries):
    year = TODAY.year
    works_in_a = EnterpriseFactory(zone=zone_a)
    for _ in range(4):
        make_member(enterprise=works_in_a, admitted_on=date(year - 1, 6, 1))
    # On the rolls at the end of 31 December, so on 1 January.
    make_member(enterprise=works_in_a, admitted_on=date(year - 1, 12, 31))
    # Left on 31 December: not on the rolls at its end.
    make_member(enterprise=works_in_a, admitted_on=date(year - 1, 3, 1),
                left_on=date(year - 1, 12, 31), left_reason="transferred")
    # Admitted on 1 January: part of the year's progress, not of the baseline.
    make_member(enterprise=works_in_a, admitted_on=date(year, 1, 1))
    make_member(enterprise=EnterpriseFactory(zone=zone_b), admitted_on=date(year - 1, 6, 1))
    plan = make_plan(year)
    targets = [add_target(plan, "members", 10, zone=zone_a), add_target(plan, "members", 12),
               add_target(plan, "members_new", 10, zone=zone_a),
               add_target(plan, "enterprises", 3, zone=zone_b)]

    # Actuals and baselines (a flow has none) together, one query per model,
    # kind and scope: the placements for the province (members, actual and
    # baseline), the placements for the zones (members; members_new apart, a
    # flow), the enterprises for the zones (actual and baseline). Each
    # indicator on its own took 7.
    with django_assert_num_queries(4):
        zone_stock, province_stock, flow, enterprises = selectors.targets_progress(
            targets, year=year, today=TODAY)

    assert (zone_stock.baseline, zone_stock.actual) == (5, 6)
    assert (province_stock.baseline, province_stock.actual) == (6, 7)
    assert (flow.baseline, flow.actual, flow.is_stock) == (None, 1, False)
    assert (enterprises.baseline, enterprises.actual) == (1, 1)
    assert selectors.target_baseline(targets[0], year=year) == 5
    assert selectors.target_baseline(targets[2], year=year) is None
    # Judged by hand, in whole numbers: elapsed = day / days.
    day = (TODAY - date(year, 1, 1)).days + 1
    days = (date(year + 1, 1, 1) - date(year, 1, 1)).days
    # 6 ≥ 5 + (10 − 5) × day/days  ⟺  days ≥ 5 × day.
    assert zone_stock.on_track is (days >= 5 * day)
    # 7 ≥ 6 + (12 − 6) × day/days  ⟺  days ≥ 6 × day.
    assert province_stock.on_track is (days >= 6 * day)
    # The flow, as before: 1 ≥ 10 × day/days  ⟺  days ≥ 10 × day.
    assert flow.on_track is (days >= 10 * day)
    # 1 enterprise on 1 January for a target of 3: behind from the first day.
    assert enterprises.on_track is False
    assert zone_stock.needed == -(-(5 * days + 5 * day) // days)  # ⌈5 + 5 × day/days⌉


# --- Plans: the state machine ---------------------------------------------------------------


def test_one_plan_per_year():
    make_plan(2030)
    with pytest.raises(ValidationError) as exc:
        make_plan(2030, title="Another")
    assert "year" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        CoordinationPlan.objects.create(year=2030, title="Bypass")


def test_only_party_committee_officers_draft_plans(pc_officer, pc_leader, iz_officer):
    plan = services.plan_create(actor=pc_officer, data={"year": 2031, "title": "KH 2031"})
    assert plan.status == CoordinationPlan.Status.DRAFT
    for actor in (pc_leader, iz_officer):
        with pytest.raises(PermissionDenied):
            services.plan_create(actor=actor, data={"year": 2032, "title": "KH"})
        with pytest.raises(PermissionDenied):
            services.plan_update(actor=actor, plan=plan, data={"title": "Changed"})


def test_a_signed_date_cannot_be_in_the_future(pc_officer):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(actor=pc_officer, data={
            "year": 2031, "title": "KH", "signed_on": TODAY + timedelta(days=1)})
    assert "signed_on" in exc.value.message_dict


def test_a_leader_approves_a_draft_and_who_and_when_are_recorded(pc_officer, pc_leader):
    plan = make_plan(2031)
    add_target(plan)
    for actor in (pc_officer,):
        with pytest.raises(PermissionDenied):
            services.plan_approve(actor=actor, plan=plan)
    before = timezone.now()
    approved = approve(plan, pc_leader)
    assert approved.status == CoordinationPlan.Status.APPROVED
    assert approved.approved_by == pc_leader
    assert before <= approved.approved_at <= timezone.now()
    with pytest.raises(ValidationError, match="Only a draft"):
        approve(approved, pc_leader)
    with pytest.raises(PermissionDenied):
        services.plan_close(actor=pc_officer, plan=approved)
    closed = services.plan_close(actor=pc_leader, plan=approved)
    assert closed.status == CoordinationPlan.Status.CLOSED and closed.closed_at
    with pytest.raises(ValidationError, match="Only an approved"):
        services.plan_close(actor=pc_leader, plan=closed)


def test_an_empty_draft_cannot_be_approved_and_a_draft_cannot_be_closed(pc_leader):
    plan = make_plan(2031)
    with pytest.raises(ValidationError, match="targets and tasks"):
        approve(plan, pc_leader)
    with pytest.raises(ValidationError, match="Only an approved"):
        services.plan_close(actor=pc_leader, plan=plan)
    add_task(plan)
    assert approve(plan, pc_leader).status == "approved"


def test_the_database_refuses_an_approval_without_who_and_when():
    plan = make_plan(2031)
    plan.status = CoordinationPlan.Status.APPROVED
    with pytest.raises(ValidationError):
        plan.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        plan.save()


def test_an_approved_plan_keeps_its_year_and_a_closed_one_changes_no_more(pc_officer,
                                                                        pc_leader):
    plan = make_plan(2031)
    add_target(plan)
    approve(plan, pc_leader)
    assert services.plan_update(actor=pc_officer, plan=plan,
                             data={"document_number": "07-KH/ĐUK-BQL"}) == ["document_number"]
    with pytest.raises(ValidationError) as exc:
        services.plan_update(actor=pc_officer, plan=plan, data={"year": 2032})
    assert "year" in exc.value.message_dict
    plan.refresh_from_db()
    services.plan_close(actor=pc_leader, plan=plan)
    plan.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.plan_update(actor=pc_officer, plan=plan, data={"title": "Late change"})
    with pytest.raises(ValidationError, match="closed"):
        add_task(plan)


# --- Targets: only while a draft ---------------------------------------------------------------


def test_targets_change_only_while_the_plan_is_a_draft(pc_officer, pc_leader, zone_a):
    plan = make_plan(2031)
    target = services.target_create(actor=pc_officer, plan=plan, data={
        "indicator": "members_new", "zone": None, "target_value": 12, "note": ""})
    assert set(services.target_update(actor=pc_officer, target=target,
                                   data={"target_value": 15, "zone": zone_a})) == {
        "zone", "target_value"}
    approve(plan, pc_leader)
    target.refresh_from_db()
    message = gettext("Targets are changed only while the plan is a draft.")
    with pytest.raises(ValidationError, match=message):
        services.target_update(actor=pc_officer, target=target, data={"target_value": 20})
    with pytest.raises(ValidationError, match=message):
        services.target_create(actor=pc_officer, plan=plan, data={
            "indicator": "members", "zone": None, "target_value": 1, "note": ""})
    with pytest.raises(ValidationError, match=message):
        services.target_delete(actor=pc_officer, target=target)
    target.refresh_from_db()
    assert target.target_value == 15


def test_targets_use_the_catalogue_once_per_scope(zone_a, pc_leader):
    plan = make_plan(2031)
    with pytest.raises(ValidationError) as exc:
        add_target(plan, "made_up")
    assert "indicator" in exc.value.message_dict
    # A smaller figure is the goal there: not a target.
    with pytest.raises(ValidationError):
        add_target(plan, "enterprises_without_party_org")
    with pytest.raises(ValidationError) as exc:
        add_target(plan, "members", 0)
    assert "target_value" in exc.value.message_dict
    add_target(plan, "members", 5)
    add_target(plan, "members", 2, zone=zone_a)
    with pytest.raises(ValidationError):
        add_target(plan, "members", 6)
    with pytest.raises(ValidationError):
        add_target(plan, "members", 3, zone=zone_a)
    assert [t.order for t in plan.targets.all()] == [1, 2]


def test_only_party_committee_officers_edit_targets(pc_leader, iz_officer):
    plan = make_plan(2031)
    for actor in (pc_leader, iz_officer):
        with pytest.raises(PermissionDenied):
            services.target_create(actor=actor, plan=plan, data={
                "indicator": "members", "zone": None, "target_value": 1, "note": ""})


# --- Copying last year's plan ---------------------------------------------------------------


def test_copy_makes_a_draft_of_the_next_year_with_tasks_moved_and_reset(pc_officer,
                                                                         pc_leader, iz_officer,
                                                                         zone_a):
    source = make_plan(2024, title="Kế hoạch phối hợp năm 2024", summary="Mục đích")
    add_target(source, "members_new", 30)
    add_target(source, "members", 12, zone=zone_a, note="KCN A")
    leap = add_task(source, side=Side.IZ_BOARD, owner=iz_officer, due_on=date(2024, 2, 29),
                    units="Công đoàn các KCN")
    add_task(source, side=Side.PARTY_COMMITTEE, owner=pc_officer, due_on=date(2024, 10, 15))
    approve(source, pc_leader)
    services.task_progress_update(actor=None, task=leap, status=Status.DONE,
                               completed_on=date(2024, 2, 20), result="Đã khảo sát 20 DN")
    copy = services.plan_copy(actor=pc_officer, source=source)
    assert (copy.year, copy.status, copy.copied_from) == (2025, "draft", source)
    assert copy.title == "Kế hoạch phối hợp năm 2025"
    assert (copy.document_number, copy.signed_on, copy.approved_by) == ("", None, None)
    assert copy.summary == "Mục đích"
    assert list(copy.targets.values_list("indicator", "zone", "target_value", "note")) == [
        ("members_new", None, 30, ""), ("members", zone_a.pk, 12, "KCN A")]
    tasks = list(copy.tasks.order_by("order").values_list(
        "lead_side", "owner", "due_on", "status", "completed_on", "result",
        "coordinating_units"))
    assert tasks == [
        ("iz_board", iz_officer.pk, date(2025, 2, 28), "not_started", None, "",
         "Công đoàn các KCN"),
        ("party_committee", pc_officer.pk, date(2025, 10, 15), "not_started", None, "", ""),
    ]
    # The source is untouched.
    assert source.tasks.get(pk=leap.pk).status == Status.DONE


def test_copy_refuses_a_year_that_already_has_a_plan(pc_officer):
    source = make_plan(2028)
    taken = make_plan(2029, title="Đã có")
    with pytest.raises(ValidationError) as exc:
        services.plan_copy(actor=pc_officer, source=source)
    message = gettext("The year %(year)s already has a coordination plan (“%(title)s”).") % {
        "year": 2029, "title": taken.title}
    assert exc.value.messages == [message]
    assert CoordinationPlan.objects.count() == 2


def test_copy_of_a_title_without_the_year_and_to_a_chosen_year(pc_officer, pc_leader):
    source = make_plan(2028, title="Kế hoạch phối hợp")
    copy = services.plan_copy(actor=pc_officer, source=source, year=2030)
    assert copy.title == "Kế hoạch phối hợp (2030)"
    with pytest.raises(PermissionDenied):
        services.plan_copy(actor=pc_leader, source=source, year=2031)


def test_copy_leaves_out_an_inactive_owner(pc_officer):
    source = make_plan(2028)
    add_task(source, side=Side.PARTY_COMMITTEE, owner=pc_officer)
    pc_officer.is_active = False
    pc_officer.save()
    copy = services.plan_copy(source=source)
    assert copy.tasks.get().owner is None


# --- Tasks --------------------------------------------------------------------------------------


def test_the_owner_belongs_to_the_body_that_leads(pc_officer, iz_officer):
    plan = make_plan(2031)
    with pytest.raises(ValidationError) as exc:
        add_task(plan, side=Side.PARTY_COMMITTEE, owner=iz_officer)
    assert "owner" in exc.value.message_dict
    with pytest.raises(ValidationError):
        add_task(plan, side=Side.IZ_BOARD, owner=pc_officer)
    add_task(plan, side=Side.BOTH, owner=iz_officer)
    task = add_task(plan, side=Side.BOTH, owner=pc_officer)
    with pytest.raises(ValidationError):
        services.task_update(task=task, data={"lead_side": Side.IZ_BOARD})


def test_a_task_is_removed_only_from_a_draft(pc_officer, pc_leader):
    plan = make_plan(2031)
    task = add_task(plan)
    kept = add_task(plan)
    services.task_delete(actor=pc_officer, task=task)
    assert list(plan.tasks.all()) == [kept]
    approve(plan, pc_leader)
    kept.refresh_from_db()
    with pytest.raises(ValidationError, match="cancelled"):
        services.task_delete(actor=pc_officer, task=kept)


def test_iz_officers_work_only_the_iz_boards_tasks(plan_data, iz_officer, iz_leader,
                                                    pc_leader):
    tasks = plan_data["tasks"]
    changed = services.task_progress_update(actor=iz_officer, task=tasks["iz"],
                                         status=Status.IN_PROGRESS, result="Đã khảo sát 5 DN")
    assert changed == ["status", "result"]
    services.task_progress_update(actor=iz_officer, task=tasks["both"], status=Status.DONE,
                               completed_on=TODAY, result="Đã tổ chức")
    with pytest.raises(PermissionDenied):
        services.task_progress_update(actor=iz_officer, task=tasks["pc"], status=Status.DONE,
                                   completed_on=TODAY)
    for actor in (iz_leader, pc_leader):
        with pytest.raises(PermissionDenied):
            services.task_progress_update(actor=actor, task=tasks["iz"], status=Status.DONE,
                                       completed_on=TODAY)
    tasks["pc"].refresh_from_db()
    assert tasks["pc"].status == Status.NOT_STARTED


def test_progress_dates(plan_data, pc_officer):
    task = plan_data["tasks"]["pc"]
    with pytest.raises(ValidationError) as exc:
        services.task_progress_update(actor=pc_officer, task=task, status=Status.DONE)
    assert "completed_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.task_progress_update(actor=pc_officer, task=task, status=Status.DONE,
                                   completed_on=TODAY + timedelta(days=1))
    assert "completed_on" in exc.value.message_dict
    services.task_progress_update(actor=pc_officer, task=task, status=Status.DONE,
                               completed_on=TODAY, result="Xong")
    # Back to in progress: the completion date goes with the done status.
    services.task_progress_update(actor=pc_officer, task=task, status=Status.IN_PROGRESS,
                               completed_on=TODAY, result="Làm lại")
    task.refresh_from_db()
    assert (task.status, task.completed_on) == (Status.IN_PROGRESS, None)


def test_cancelling_records_the_day_and_keeps_it(plan_data, pc_officer):
    task = plan_data["tasks"]["pc"]
    services.task_progress_update(actor=pc_officer, task=task, status=Status.CANCELLED,
                                  result="Lùi sang năm sau")
    task.refresh_from_db()
    assert (task.status, task.cancelled_on) == (Status.CANCELLED, TODAY)
    # Saved again the next day, still cancelled: the day it was cancelled stays.
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        services.task_progress_update(actor=pc_officer, task=task, status=Status.CANCELLED,
                                      result="Lùi sang năm sau theo chỉ đạo")
    task.refresh_from_db()
    assert task.cancelled_on == TODAY
    # Taken up again: the day goes with the cancelled status.
    services.task_progress_update(actor=pc_officer, task=task, status=Status.IN_PROGRESS)
    task.refresh_from_db()
    assert (task.status, task.cancelled_on) == (Status.IN_PROGRESS, None)
    # A day may be given (an earlier decision recorded now), never a future one.
    with pytest.raises(ValidationError) as exc:
        services.task_progress_update(actor=pc_officer, task=task, status=Status.CANCELLED,
                                      cancelled_on=TODAY + timedelta(days=1))
    assert "cancelled_on" in exc.value.message_dict
    services.task_progress_update(actor=pc_officer, task=task, status=Status.CANCELLED,
                                  cancelled_on=TODAY - timedelta(days=10))
    task.refresh_from_db()
    assert task.cancelled_on == TODAY - timedelta(days=10)
    # The database refuses a cancelled task without its day, and a day on another.
    for status, day in ((Status.CANCELLED, None), (Status.IN_PROGRESS, TODAY)):
        with pytest.raises(IntegrityError), transaction.atomic():
            PlanTask.objects.filter(pk=task.pk).update(status=status, cancelled_on=day)


def test_progress_only_while_the_plan_is_approved(plan_data, pc_officer):
    draft_task = plan_data["draft"].tasks.get()
    past_task = plan_data["past"].tasks.get()
    for task in (draft_task, past_task):
        with pytest.raises(ValidationError, match="approved"):
            services.task_progress_update(actor=pc_officer, task=task, status=Status.IN_PROGRESS)


def test_progress_attaches_checked_files_or_none(plan_data, iz_officer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = plan_data["tasks"]["iz"]
    pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4\n%...\n", content_type="application/pdf")
    services.task_progress_update(actor=iz_officer, task=task, status=Status.IN_PROGRESS,
                               uploads=[pdf])
    assert [a.original_name for a in attachments_of(task)] == ["bien-ban.pdf"]
    fake = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.task_progress_update(actor=iz_officer, task=task, status=Status.DONE,
                                   completed_on=TODAY, uploads=[fake])
    assert "attachments" in exc.value.message_dict
    task.refresh_from_db()
    assert task.status == Status.IN_PROGRESS  # the whole update was rolled back
    assert attachments_of(task).count() == 1


def test_done_needs_a_date_in_the_database_too(plan_data):
    task = plan_data["tasks"]["pc"]
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanTask.objects.filter(pk=task.pk).update(status=Status.DONE)


# --- Selectors ------------------------------------------------------------------------------------


def test_drafts_are_seen_by_the_party_committee_only(plan_data, pc_officer, pc_leader,
                                                     iz_officer, iz_leader):
    from accounts.policy import access_for

    years = plan_data["year"]
    for user, expected in ((pc_officer, {years - 1, years, years + 1}),
                           (pc_leader, {years - 1, years, years + 1}),
                           (iz_officer, {years - 1, years}), (iz_leader, {years - 1, years})):
        visible = {p.year for p in selectors.plan_list(access=access_for(user), today=TODAY)}
        assert visible == expected, user


def test_targets_of_other_zones_are_hidden(plan_data, iz_officer, iz_leader, other_iz_officer):
    from accounts.policy import access_for

    plan = plan_data["current"]

    def seen(user):
        return [(t.indicator, t.zone.code if t.zone else None)
                for t in selectors.targets_visible(access=access_for(user), plan=plan)]

    assert seen(iz_officer) == [("members_new", None), ("enterprises_with_party_org", "AAA")]
    assert seen(other_iz_officer) == [("members_new", None), ("members", "BBB")]
    assert len(seen(iz_leader)) == 3
    counts = {p.year: p.n_targets for p in selectors.plan_list(access=access_for(iz_officer),
                                                            today=TODAY)}
    assert counts[plan.year] == 2


def test_plan_list_counts(plan_data, pc_officer):
    from accounts.policy import access_for

    rows = {p.year: p for p in selectors.plan_list(access=access_for(pc_officer), today=TODAY)}
    current = rows[plan_data["year"]]
    assert (current.n_targets, current.n_tasks, current.n_done, current.n_open,
            current.n_overdue) == (3, 3, 0, 3, 1)
    # An open task of a closed plan is history, not overdue.
    assert rows[plan_data["year"] - 1].n_overdue == 0


def test_task_list_filters(plan_data, pc_officer, iz_officer):
    from accounts.policy import access_for

    access = access_for(pc_officer)
    tasks = plan_data["tasks"]

    def ids(**filters):
        return {t.pk for t in selectors.task_list(access=access, today=TODAY, user=pc_officer,
                                              **filters)}

    assert ids(overdue=True) == {tasks["both"].pk}
    assert ids(mine=True) == {tasks["pc"].pk, tasks["both"].pk}
    assert ids(lead_side=Side.IZ_BOARD, plan_id=plan_data["current"].pk) == {tasks["iz"].pk}
    assert ids(status=Status.NOT_STARTED, plan_id=plan_data["current"].pk) == set(
        t.pk for t in tasks.values())
    assert len(ids()) == 5
    iz = {t.pk for t in selectors.task_list(access=access_for(iz_officer), today=TODAY)}
    assert plan_data["draft"].tasks.get().pk not in iz and len(iz) == 4


# --- Committees ------------------------------------------------------------------------------


MEMBERS = [
    {"full_name": "Trần Văn Quang", "organization": "Đảng ủy Khối", "title": "Phó Bí thư",
     "position": "head"},
    {"full_name": "Vũ Đình Khánh", "organization": "Ban Quản lý các KCN",
     "title": "Phó Trưởng ban", "position": "deputy"},
]


def test_committee_with_members_and_its_compositions(pc_officer, iz_officer):
    from accounts.policy import access_for

    today = TODAY
    old = services.committee_create(actor=pc_officer, data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "12-QĐ/ĐUK",
        "decided_on": date(2020, 3, 1), "term_start": date(2020, 3, 1),
        "term_end": today - timedelta(days=30)}, members=MEMBERS)
    current = services.committee_create(actor=pc_officer, data={
        "kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "45-QĐ/ĐUK",
        "decided_on": today - timedelta(days=29), "term_start": today - timedelta(days=29),
        "term_end": None}, members=MEMBERS[:1])
    assert [m.order for m in old.members.all()] == [1, 2]
    groups = {g["kind"]: g for g in selectors.committee_compositions(
        access=access_for(iz_officer), today=today)}
    assert groups["steering"]["current"] == current
    assert groups["steering"]["others"] == [old]
    assert groups["working_group"]["current"] is None
    with pytest.raises(PermissionDenied):
        services.committee_create(actor=iz_officer, data={}, members=MEMBERS)


def test_committee_update_replaces_the_member_list(pc_officer):
    committee = services.committee_create(data={
        "kind": "working_group", "name": "Đoàn công tác", "decision_number": "3-QĐ/BCĐ",
        "decided_on": date(2025, 1, 5), "term_start": date(2025, 1, 5)}, members=MEMBERS)
    first, second = committee.members.all()
    changed = services.committee_update(actor=pc_officer, committee=committee, data={}, members=[
        {"pk": second.pk, **MEMBERS[1], "title": "Trưởng ban"},
        {"full_name": "Lê Thu Hà", "organization": "Ban Quản lý các KCN", "title": "",
         "position": "member"},
    ])
    assert changed == ["members"]
    assert list(committee.members.values_list("full_name", "title", "order")) == [
        ("Vũ Đình Khánh", "Trưởng ban", 1), ("Lê Thu Hà", "", 2)]
    assert not CommitteeMember.objects.filter(pk=first.pk).exists()
    with pytest.raises(ValidationError, match="at least one member"):
        services.committee_update(committee=committee, data={}, members=[])
    other = services.committee_create(data={
        "kind": "working_group", "name": "Tổ khác", "decision_number": "4-QĐ/BCĐ",
        "decided_on": date(2025, 1, 5), "term_start": date(2025, 1, 5)}, members=MEMBERS)
    with pytest.raises(ValidationError, match="another composition"):
        services.committee_update(committee=committee, data={}, members=[
            {"pk": other.members.first().pk, **MEMBERS[0]}])


def test_committee_rules_from_the_model(pc_officer):
    data = {"kind": "steering", "name": "Ban Chỉ đạo", "decision_number": "12-QĐ/ĐUK",
            "decided_on": date(2025, 1, 1), "term_start": date(2025, 1, 1),
            "term_end": date(2024, 1, 1)}
    with pytest.raises(ValidationError) as exc:
        services.committee_create(actor=pc_officer, data=data, members=MEMBERS)
    assert "term_end" in exc.value.message_dict
    assert not Committee.objects.exists()
    services.committee_create(data={**data, "term_end": None}, members=MEMBERS)
    with pytest.raises(ValidationError) as exc:
        services.committee_create(data={**data, "term_end": None}, members=MEMBERS)
    assert "decision_number" in exc.value.message_dict


def test_attachment_rules(plan_data, pc_officer, pc_leader, iz_officer, iz_leader,
                          administrator):
    from accounts.policy import access_for
    from core.attachments import rules_for

    rules = rules_for(PlanTask)
    tasks = plan_data["tasks"]
    draft_task = plan_data["draft"].tasks.get()
    assert rules.can_view(access_for(iz_leader), tasks["pc"])
    assert not rules.can_view(access_for(iz_officer), draft_task)
    assert rules.can_view(access_for(pc_leader), draft_task)
    assert not rules.can_view(access_for(administrator), tasks["iz"])
    assert rules.can_edit(access_for(iz_officer), tasks["iz"])
    assert not rules.can_edit(access_for(iz_officer), tasks["pc"])
    assert not rules.can_edit(access_for(pc_leader), tasks["pc"])
    assert rules.can_edit(access_for(pc_officer), tasks["pc"])
    assert not rules.can_edit(access_for(pc_officer), draft_task)
