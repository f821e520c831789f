"""The retention schedule of personal data (Law 91/2025/QH15 on personal data
protection): what is deleted or pseudonymised, and when.

- Uploaded import workbooks (they carry full citizen IDs and birth dates):
  deleted as soon as the import is applied, and otherwise (refused,
  abandoned previews) ``IMPORT_UPLOAD_RETENTION_DAYS`` (30) days after the
  upload. The run's row and counts stay; the file is gone from storage, so no
  later backup holds it.
- Files of list exports (core.exports; masked citizen IDs, names, birth
  dates): deleted ``EXPORT_RETENTION_DAYS`` (7) days after they were built; the
  job's row stays, expired. Exports stuck queued or running are marked failed
  on the same run.
- Records of people who are no longer followed (members who left the rolls,
  closed admission cases): pseudonymised ``PSEUDONYMISE_AFTER_YEARS`` years
  after they left or closed (default: kept, ``None``). Names become a
  placeholder, the citizen ID a number no citizen holds, the birth date the
  1st of January of its year (ages and counts stay right), in the change
  history too. Apps contribute these rules (:func:`register`): core names no
  app.

:func:`apply` runs it all (``dry_run`` counts only); the daily job and
``manage.py apply_retention`` call it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import exports
from .models import ImportRun

# (label, function(today, dry_run) -> count) contributed by the apps.
_rules: list[tuple[str, Callable[[date, bool], int]]] = []


def register(label: str):
    """Declare a retention rule: ``function(today, dry_run)`` returns how many
    records it pseudonymises (or would)."""

    def decorator(function):
        if all(existing is not function for _label, existing in _rules):
            _rules.append((label, function))
        return function

    return decorator


@dataclass
class Outcome:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [f"{label}: {count}" for label, count in self.counts.items()]


def discard_upload(run: ImportRun) -> bool:
    """Delete ``run``'s uploaded file from storage (its row and counts stay)."""
    if not run.file:
        return False
    run.file.delete(save=False)
    run.file_deleted_at = timezone.now()
    run.save(update_fields=["file", "file_deleted_at"])
    return True


def expired_uploads(today: date):
    """Uploads kept past their time: applied ones (kept only until applied),
    and any other uploaded more than IMPORT_UPLOAD_RETENTION_DAYS days ago."""
    cutoff = timezone.make_aware(datetime.combine(
        today - timedelta(days=settings.IMPORT_UPLOAD_RETENTION_DAYS), time.min))
    return ImportRun.objects.exclude(file="").filter(
        Q(status=ImportRun.Status.APPLIED) | Q(created_at__lt=cutoff))


def apply(*, today: date | None = None, dry_run: bool = False) -> Outcome:
    """Run the retention schedule once (idempotent)."""
    today = today or timezone.localdate()
    outcome = Outcome(dry_run=dry_run)
    uploads = list(expired_uploads(today))
    if not dry_run:
        for run in uploads:
            discard_upload(run)
    outcome.counts["import uploads deleted"] = len(uploads)
    outcome.counts.update(exports.export_housekeeping(today=today, dry_run=dry_run))
    for label, rule in _rules:
        with transaction.atomic():
            outcome.counts[label] = rule(today, dry_run)
    return outcome
