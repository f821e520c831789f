"""The demo's dossiers: at every stage, documents present and some missing,
each by the dossier's rules; and the rest of the demo as it was without them."""

from __future__ import annotations

from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from coordination.dossier import demo as dossier_demo
from coordination.dossier import missing_kinds, valid_kinds
from coordination.models import AdmissionCandidate, DossierDocument
from core.indicators import Scope, compute_all
from core.periods import Period
from tests.seeded_demo import seed_demo

pytestmark = pytest.mark.django_db

Stage = AdmissionCandidate.Stage
DOSSIER_MODELS = {"coordination.DossierDocument", "coordination.HistoricalDossierDocument"}


def test_the_demo_has_dossiers_at_every_stage():
    seed_demo("--seed", "7")
    today = timezone.localdate()
    held = {}
    for candidate_id, kind in DossierDocument.objects.values_list("candidate_id", "kind"):
        held.setdefault(candidate_id, set()).add(kind)
    complete, incomplete = Counter(), Counter()
    candidates = AdmissionCandidate.objects.select_related("responsible_organization__parent")
    for candidate in candidates:
        kinds = held.get(candidate.pk, set())
        assert kinds <= set(valid_kinds(candidate)), candidate.pk
        missing = missing_kinds(candidate, kinds)
        (incomplete if missing else complete)[candidate.stage] += 1
    for stage in (Stage.COURSE, Stage.APPLICATION, Stage.SPONSORSHIP, Stage.VERIFICATION,
                  Stage.ASSESSMENT, Stage.CELL_RESOLUTION, Stage.DECISION):
        assert complete[stage] > 0, stage
        assert incomplete[stage] > 0, stage
    for document in DossierDocument.objects.select_related("candidate"):
        assert document.candidate.identified_on <= document.issued_on <= today
    # Every document has its history row, as if recorded through the pages.
    assert DossierDocument.history.count() == DossierDocument.objects.count()


def _everything_else():
    """Every row count but the dossier's, and this year's figures."""
    counts = {model._meta.label: model._default_manager.count()
              for app in ("accounts", "enterprises", "coordination", "surveys", "reports")
              for model in apps.get_app_config(app).get_models()
              if model._meta.label not in DOSSIER_MODELS}
    period = Period.parse(str(timezone.localdate().year))
    figures = [(indicator.code, value) for indicator, value in
               compute_all(Scope.province(), period)]
    # Not the citizen IDs: the survey demo's are made from row ids, which a
    # rolled-back run has used up.
    candidates = sorted(AdmissionCandidate.objects.values_list(
        "enterprise__tax_code", "family_name", "middle_name", "given_name", "date_of_birth",
        "stage", "identified_on", "cell_resolution_on", "decision_on", "closed_on"))
    return counts, figures, candidates


def test_the_dossiers_change_nothing_else_of_the_demo(monkeypatch):
    with transaction.atomic():
        seed_demo("--seed", "7")  # seeded once for the tests (tests/seeded_demo.py)
        assert DossierDocument.objects.exists()
        with_dossiers = _everything_else()
        transaction.set_rollback(True)
    monkeypatch.setattr(dossier_demo, "seed", lambda ctx, today: 0)
    call_command("seed_demo", "--seed", "7")
    assert not DossierDocument.objects.exists()
    assert _everything_else() == with_dossiers
