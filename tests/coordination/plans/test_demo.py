"""seed_demo's committees and plans: what the demo shows, and that it is
deterministic for the same data and day."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.policy import access_for
from coordination import demo
from coordination.models import (
    Committee,
    CoordinationPlan,
    Correspondence,
    Meeting,
    PlanTask,
    Regulation,
    Review,
)
from coordination.plans import rules, selectors
from core import registry
from core.management.commands.seed_demo import SeedContext
from enterprises.models import IndustrialZone
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(Committee.objects.order_by("decision_number").values_list(
            "kind", "decision_number", "term_start", "term_end")),
        list(Committee.objects.order_by("decision_number", "members__order").values_list(
            "members__full_name", "members__position")),
        list(CoordinationPlan.objects.order_by("year").values_list(
            "year", "status", "document_number", "approved_by__username", "approved_at")),
        list(CoordinationPlan.objects.order_by("year", "targets__order").values_list(
            "targets__indicator", "targets__zone__code", "targets__target_value")),
        # The plans' own tasks (the meetings' conclusions add theirs: cycle/test_demo.py).
        list(PlanTask.objects.filter(conclusion__isnull=True).order_by("plan__year", "order")
             .values_list("lead_side", "owner__username", "due_on", "status", "completed_on",
                          "result")),
    )


def test_seed_demo_plans_and_committees():
    seed_demo()
    today = timezone.localdate()
    steering = Committee.objects.filter(kind="steering")
    assert steering.count() == 2
    groups = {g["kind"]: g for g in selectors.committee_compositions(access=None, today=today)}
    assert groups["steering"]["current"].members.count() >= 5
    assert len(groups["steering"]["others"]) == 1
    assert groups["working_group"]["current"] is not None

    last, current = CoordinationPlan.objects.order_by("year")
    assert (last.year, last.status, current.year, current.status) == (
        today.year - 1, "closed", today.year, "approved")
    assert current.approved_by.username == "lanhdao.dang"
    assert 6 <= current.targets.count() <= 10
    assert current.targets.filter(zone__isnull=False).exists()
    assert current.targets.filter(zone__isnull=True).exists()
    # The plan's own tasks; the meetings' conclusions add theirs (cycle/test_demo.py).
    tasks = list(current.tasks.filter(conclusion__isnull=True).select_related("owner"))
    assert 10 <= len(tasks) <= 14
    assert {t.lead_side for t in tasks} == {"party_committee", "iz_board", "both"}
    assert {t.owner.username for t in tasks} == {"canbo.dang", "canbo.bql"}
    assert all(t.owner.organization in rules.OWNER_ORGANIZATIONS[t.lead_side] for t in tasks)
    if today.month >= 8:  # by August several deadlines have passed
        assert any(t.status == "done" for t in tasks)
        assert any(rules.task_is_overdue(t, today) for t in tasks)
    from accounts.models import User

    access = access_for(User.objects.get(username="canbo.dang"))
    states = {p.state for p in selectors.plan_progress(access=access, plan=current, today=today)}
    assert len(states) >= 2, states  # the progress bars show a mix
    assert "unknown" not in states


def test_seeding_plans_is_deterministic_for_the_same_data(monkeypatch):
    # Without the steps above this one (survey campaigns refer to the working group).
    steps = registry.demos()
    upto = [step.app_label for step in steps].index("coordination") + 1
    monkeypatch.setattr(registry, "demos", lambda: steps[:upto])
    call_command("seed_demo")
    first = _snapshot()
    # The working cycle refers to the committees and the tasks.
    Correspondence.objects.all().delete()
    Meeting.objects.all().delete()
    Review.objects.all().delete()
    Regulation.objects.all().delete()
    PlanTask.objects.all().delete()
    CoordinationPlan.objects.all().delete()
    Committee.objects.all().delete()
    ctx = SeedContext(size="small", rng=random.Random(1), stdout=None,
                      zones=list(IndustrialZone.objects.order_by("pk")))

    class _Quiet:
        def write(self, _text):
            pass

    ctx.stdout = _Quiet()
    demo._seed_plans(ctx, timezone.localdate())
    assert _snapshot()[:2] == first[:2]
    assert _snapshot()[3:] == first[3:]
    # Approval times are the signing days' (or now, when earlier).
    assert [row[:4] for row in _snapshot()[2]] == [row[:4] for row in first[2]]
