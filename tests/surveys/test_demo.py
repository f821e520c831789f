"""The surveys' demo data: two campaigns of the working group, this year's
about 60 % visited with a mix of classes and follow-ups, last year's done;
the same every time."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command
from django.db import transaction

from enterprises.selectors import has_party_organization
from surveys.models import FollowUp, SurveyCampaign, SurveyVisit
from tests.seeded_demo import seed_demo


def _snapshot():
    return (
        list(SurveyCampaign.objects.order_by("starts_on").values_list(
            "name", "starts_on", "ends_on", "working_group__decision_number")),
        list(SurveyVisit.objects.order_by("enterprise__tax_code", "visited_on").values_list(
            "enterprise__tax_code", "visited_on", "classification", "owner_attitude", "workers",
            "outstanding_workers")),
        list(FollowUp.objects.order_by("visit__enterprise__tax_code", "action").values_list(
            "action", "due_on", "done_on", "owner__username")),
    )


@pytest.mark.django_db
def test_the_demo_campaigns_look_real_and_come_out_the_same_every_time():
    with transaction.atomic():
        seed_demo("--seed", "7")  # seeded once for the tests (tests/seeded_demo.py)
        today = date.today()
        current, past = SurveyCampaign.objects.order_by("-starts_on")
        assert current.starts_on <= today <= current.ends_on
        assert past.ends_on.year == today.year - 1
        assert current.zones.count() == 3
        planned, visited = current.enterprises.count(), current.visits.values(
            "enterprise").distinct().count()
        assert 0.5 <= visited / planned <= 0.7
        assert past.visits.values("enterprise").distinct().count() / past.enterprises.count() > 0.8
        assert set(current.visits.values_list("classification", flat=True)) == {"A", "B", "C"}
        open_overdue = FollowUp.objects.filter(visit__campaign=current, done_on__isnull=True,
                                               due_on__lt=today)
        assert open_overdue.exists()
        assert FollowUp.objects.filter(visit__campaign=current, done_on__isnull=False).exists()
        assert SurveyVisit.objects.filter(workforce_record__isnull=False).exists()
        assert SurveyVisit.objects.filter(candidates__isnull=False).exists()
        # Chosen among the default list: no party organization when the campaign began.
        assert not current.enterprises.filter(has_party_organization(current.starts_on)).exists()

        first = _snapshot()
        transaction.set_rollback(True)
    assert first[1]
    call_command("seed_demo", "--seed", "7")
    assert _snapshot() == first
