"""Reads of candidates' dossiers. The callers have already read the candidates
through ``coordination.selectors`` (scope and personal-data access)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.http import Http404

from accounts.policy import Access
from coordination import selectors
from coordination.models import AdmissionCandidate, DossierDocument

from . import case_steps, expected_kinds, missing_kinds, valid_kinds

Kind = DossierDocument.Kind


@dataclass
class DossierStep:
    stage: str
    label: str
    done: bool
    # (kind, label, document or None) in the table's order.
    documents: list[tuple[str, str, DossierDocument | None]] = field(default_factory=list)


@dataclass
class Dossier:
    steps: list[DossierStep]
    missing: list[tuple[str, str]]  # (kind, label) needed before the next step
    addable: list[tuple[str, str]]  # (kind, label) this case may still record
    extra: list[DossierDocument]  # held, but no longer of this case's steps

    @property
    def count(self) -> int:
        return sum(1 for step in self.steps for _k, _l, doc in step.documents if doc) + len(
            self.extra)


def dossier(candidate: AdmissionCandidate) -> Dossier:
    """The dossier of one candidate as the page shows it (one query)."""
    held = {doc.kind: doc for doc in DossierDocument.objects.filter(candidate=candidate)}
    done = {stage for stage, field_name in candidate.steps() if candidate.is_done(field_name)}
    steps = []
    listed = set()
    for stage, kinds in case_steps(candidate):
        steps.append(DossierStep(
            stage=stage, label=AdmissionCandidate.Stage(stage).label, done=stage in done,
            documents=[(kind, Kind(kind).label, held.get(kind)) for kind in kinds]))
        listed.update(kinds)
    # A union's resolution recorded before the sponsors were: shown where it is.
    extra = [doc for kind, doc in held.items() if kind not in listed]
    return Dossier(
        steps=steps,
        missing=[(kind, Kind(kind).label) for kind in missing_kinds(candidate, held)],
        addable=[(kind, Kind(kind).label) for kind in valid_kinds(candidate) if kind not in held],
        extra=sorted(extra, key=lambda doc: list(Kind.values).index(doc.kind)),
    )


def missing_counts(candidates) -> dict[int, int]:
    """How many documents each of ``candidates`` lacks before its next step:
    one query, whatever their number."""
    candidates = list(candidates)
    held = defaultdict(set)
    for candidate_id, kind in DossierDocument.objects.filter(
            candidate__in=[c.pk for c in candidates]).values_list("candidate_id", "kind"):
        held[candidate_id].add(kind)
    return {c.pk: len(missing_kinds(c, held[c.pk])) for c in candidates}


def document_get(*, access: Access, pk: int) -> DossierDocument:
    """A document of a candidate in the account's scope (personal data), or 404."""
    try:
        document = DossierDocument.objects.get(pk=pk)
    except (DossierDocument.DoesNotExist, ValueError) as exc:
        raise Http404 from exc
    document.candidate = selectors.candidate_get(access=access, pk=document.candidate_id)
    return document


__all__ = ["Dossier", "dossier", "document_get", "expected_kinds", "missing_counts"]
