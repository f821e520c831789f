"""Party development and coordination test data, written through the services.

- ``citizen_id()``: a fresh citizen ID.
- ``make_member(enterprise=None, **fields)``: a probationary party member (admitted
  01/03/2020, no official date unless given) through ``services.member_create``.
- ``make_candidate(enterprise=None, *, admit=True, **fields)``: a candidate identified on
  10/01/2025 through ``services.candidate_create`` (a ceremony date admits them);
  ``admit=False`` stores a ceremony date without creating the member.
- ``STEPS`` and ``advance(candidate, until, steps=STEPS)``: the milestones after
  identification, recorded one by one through ``services.candidate_advance``.
- ``make_working_group(**fields)``: a committee (the survey working group by default).
- ``make_plan(year=None, *, title=None, status=DRAFT, targets=(), **fields)``: a plan drafted
  through ``plans.plan_create``; ``add_target``, ``add_task`` and ``approve`` go through
  ``plans`` too.

Without an enterprise, members and candidates get a new one (``EnterpriseFactory``).
"""

from __future__ import annotations

import itertools
from datetime import date

from django.utils import timezone

from accounts import grants
from accounts.models import User
from coordination import services
from coordination.models import (
    AdmissionCandidate,
    Committee,
    CoordinationPlan,
    PartyMember,
    PlanTarget,
    PlanTask,
)
from coordination.plans import services as plans
from tests.enterprises.factories import EnterpriseFactory

Stage = AdmissionCandidate.Stage
Side = PlanTask.LeadSide
PlanStatus = CoordinationPlan.Status

_counter = {"n": 0}
_numbers = itertools.count(1)


def citizen_id() -> str:
    _counter["n"] += 1
    return f"036{_counter['n']:09d}"


# --- Members and candidates ----------------------------------------------------------------


def make_member(enterprise=None, **fields) -> PartyMember:
    data = {
        "family_name": "Nguyễn", "middle_name": "Văn", "given_name": "An",
        "date_of_birth": date(1990, 5, 1), "gender": "male", "citizen_id": citizen_id(),
        "enterprise": enterprise, "admitted_on": date(2020, 3, 1), **fields,
    }
    if data["enterprise"] is None:
        data["enterprise"] = EnterpriseFactory()
    return services.member_create(data=data)


def make_candidate(enterprise=None, *, admit: bool = True, **fields) -> AdmissionCandidate:
    data = {
        "family_name": "Trần", "middle_name": "Thị", "given_name": "Bình",
        "date_of_birth": date(1995, 7, 15), "gender": "female", "citizen_id": citizen_id(),
        "enterprise": enterprise, "education_grade": 12, "identified_on": date(2025, 1, 10),
        **fields,
    }
    if data["enterprise"] is None:
        data["enterprise"] = EnterpriseFactory()
    if admit:
        return services.candidate_create(data=data)
    candidate = AdmissionCandidate(**data)
    candidate.full_clean()
    candidate.save()
    return candidate


# The milestones after identification, with what each step records.
STEPS = [
    (Stage.COURSE, date(2025, 3, 1), {"certificate_number": "CN-2025-01"}),
    (Stage.APPLICATION, date(2025, 4, 1), {}),
    (Stage.SPONSORSHIP, date(2025, 4, 15), {}),
    (Stage.VERIFICATION, date(2025, 5, 15), {}),
    (Stage.ASSESSMENT, date(2025, 6, 2), {}),
    (Stage.CELL_RESOLUTION, date(2025, 7, 1), {"votes_for": 5, "cell_official_members": 6}),
    (Stage.COMMITTEE_RESOLUTION, date(2025, 7, 21), {}),
    (Stage.DECISION, date(2025, 8, 11), {"decision_number": "125-QĐ/ĐUK"}),
    (Stage.CEREMONY, date(2025, 9, 3), {}),
]


def make_sponsor(enterprise=None) -> PartyMember:
    """An official member (since 01/03/2021) who sponsors candidates; by
    default in an enterprise of their own, so the candidate's enterprise
    keeps its counts."""
    return make_member(enterprise or EnterpriseFactory(), given_name="Giới",
                       admitted_on=date(2020, 3, 1), official_on=date(2021, 3, 1))


def advance(candidate, until, steps=STEPS):
    """Record the milestones up to and including the stage ``until`` (the
    steps this case goes through: the committee resolution only where it
    applies). The sponsorship names a youth union committee and one official
    member (:func:`make_sponsor`) unless the step's data says otherwise."""
    applies = {stage for stage, _field in candidate.steps()}
    for stage, on, data in steps:
        if stage not in applies:
            if stage == until:
                break
            continue
        candidate = services.candidate_advance(candidate=candidate, on=on, **data)
        if stage == until:
            break
    return candidate


# --- Committees ------------------------------------------------------------------------------


def make_working_group(**fields) -> Committee:
    n = next(_numbers)
    data = {"kind": Committee.Kind.WORKING_GROUP, "name": "Tổ công tác phát triển đảng viên",
            "decision_number": f"{100 + n}-QĐ/ĐUK", "decided_on": date(2024, 1, 5),
            "term_start": date(2024, 1, 5), **fields}
    group = Committee(**data)
    group.full_clean()
    group.save()
    return group


# --- Plans, targets, tasks -------------------------------------------------------------------


def _approver(year: int) -> User:
    leader = User.objects.filter(role=User.Role.LEADER).first()
    if leader is not None:
        return leader
    with grants.permitted("test fixture"):
        return User.objects.create(
            username=f"approver{year}", full_name="Lê Văn Duyệt",
            organization=User.Organization.PARTY_COMMITTEE, role=User.Role.LEADER)


def make_plan(year: int | None = None, *, title: str | None = None, status=PlanStatus.DRAFT,
              targets=(), **fields) -> CoordinationPlan:
    """The plan of ``year`` (this year by default), drafted through ``plans.plan_create``.

    ``targets`` are (indicator, zone, value) triples stored as given (a target
    of 0 included); a ``status`` past the draft is recorded as an approval
    leaves it, by the first leader (or a new Party Committee leader).
    """
    year = timezone.localdate().year if year is None else year
    data = {"year": year, "title": title or f"Kế hoạch phối hợp năm {year}", **fields}
    plan = plans.plan_create(data=data)
    for order, (indicator, zone, value) in enumerate(targets):
        PlanTarget.objects.create(plan=plan, indicator=indicator, zone=zone, target_value=value,
                                  order=order)
    if status != PlanStatus.DRAFT:
        plan.status = status
        plan.approved_by = _approver(year)
        plan.approved_at = timezone.now()
        plan.save(update_fields=["status", "approved_by", "approved_at"])
    return plan


def add_target(plan, indicator="members_new", value=10, zone=None, note=""):
    return plans.target_create(plan=plan, data={"indicator": indicator, "zone": zone,
                                                "target_value": value, "note": note})


def add_task(plan, *, side=Side.BOTH, owner=None, due_on=None, content="Rà soát doanh nghiệp",
             units=""):
    return plans.task_create(plan=plan, data={
        "content": content, "lead_side": side, "coordinating_units": units, "owner": owner,
        "due_on": due_on or date(plan.year, 6, 30)})


def approve(plan, leader):
    return plans.plan_approve(actor=leader, plan=plan)
