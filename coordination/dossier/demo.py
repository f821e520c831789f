"""Demo dossiers (seed_demo): the documents of the steps each case has done,
most complete, some missing one or two, some still waiting for the latest
step's papers; the steps known without a date (old records) have none.

It draws from a generator of its own, seeded from the demo's, so the other
demo data and figures come out as they did without dossiers.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from coordination.models import AdmissionCandidate, DossierDocument

from . import STEP_DOCUMENTS, expected_kinds

Kind = DossierDocument.Kind
BATCH = 2000
FIELD_OF = {kind: field for stage, field in AdmissionCandidate.STEPS
            for kind in STEP_DOCUMENTS.get(stage, ())}
# Comments gathered before the chi ủy summarises them (5-KNĐ).
BEFORE_SUMMARY = {Kind.RESIDENCE_COMMENTS, Kind.ORGANIZATION_COMMENTS}


def _number(rng, candidate, kind) -> str:
    if kind == Kind.CERTIFICATE:
        return candidate.certificate_number
    if kind == Kind.CELL_RESOLUTION:
        return f"{rng.randint(1, 40):02d}-NQ/CB"
    if kind == Kind.COMMITTEE_RESOLUTION:
        return f"{rng.randint(1, 90):02d}-NQ/ĐU"
    if kind == Kind.DECISION:
        return candidate.decision_number
    return ""


def _documents(rng, candidate, now) -> list[DossierDocument]:
    kinds = expected_kinds(candidate)
    if not kinds:
        return []
    draw = rng.random()
    if draw < 0.55:
        skipped = set()
    elif draw < 0.85:
        skipped = set(rng.sample(kinds, min(len(kinds), rng.choice([1, 1, 2]))))
    else:  # the latest step's papers are not filed yet
        skipped = set(kinds[-rng.randint(1, min(3, len(kinds))):])
    documents = []
    for kind in kinds:
        day = getattr(candidate, FIELD_OF[kind])
        if kind in skipped or day is None:
            continue
        if kind in BEFORE_SUMMARY:
            day = max(candidate.identified_on, day - timedelta(days=rng.randint(2, 8)))
        recorded = timezone.make_aware(datetime.combine(
            day + timedelta(days=rng.randint(0, 5)), time(rng.randint(8, 16), rng.randint(0, 59))))
        documents.append(DossierDocument(
            candidate_id=candidate.pk, kind=kind, issued_on=day,
            number=_number(rng, candidate, kind), recorded_at=min(recorded, now)))
    return documents


def seed(ctx, today) -> int:
    """Dossiers of the demo's candidates; returns how many documents."""
    rng = random.Random(hash(ctx.rng.getstate()[1]))
    now = timezone.now()
    batch, count = [], 0
    candidates = AdmissionCandidate.objects.select_related(
        "responsible_organization__parent").order_by("pk")
    for candidate in candidates.iterator(chunk_size=BATCH):
        batch += _documents(rng, candidate, now)
        if len(batch) >= BATCH:
            bulk_create_with_history(batch, DossierDocument, batch_size=BATCH)
            count += len(batch)
            batch = []
    if batch:
        bulk_create_with_history(batch, DossierDocument, batch_size=BATCH)
        count += len(batch)
    return count
