"""The life of an Excel import (``ImportRun``): upload, preview, confirm.

The status moves PREVIEWED → APPLIED (the file is written) or REFUSED (the
file itself is unreadable); these functions are the only ones that move it.
The importers themselves live in ``core.imports`` and each app's
``importers`` module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from . import retention
from .imports import ImportResult
from .models import ImportRun


@dataclass
class Confirmation:
    """What confirming an import did: ``result`` is None when the run had
    already been processed (nothing was run again)."""

    run: ImportRun
    result: ImportResult | None

    @property
    def applied(self) -> bool:
        return self.result is not None and self.result.ok


def import_run_create(*, actor, kind: str, upload, as_of: date | None = None) -> ImportRun:
    """Store an uploaded workbook for its preview (status PREVIEWED)."""
    run = ImportRun(
        kind=kind,
        original_name=upload.name[:255],
        uploaded_by=actor,
        as_of=as_of or date.today(),
    )
    run.file.save("upload.xlsx", upload, save=False)
    run.save()
    return run


def import_run_preview(*, actor, run: ImportRun, importer) -> ImportResult | None:
    """Check every row of a run still to confirm, writing nothing (a dry run).

    The counts are kept on the run; a file that cannot be read at all is
    REFUSED. A run already applied or refused is not checked again (None).
    """
    if run.status != ImportRun.Status.PREVIEWED:
        return None
    with run.file.open("rb") as handle:
        result = importer(actor=actor, as_of=run.as_of).run(handle, dry_run=True)
    _store_counts(run, result)
    if result.file_error:
        run.status = ImportRun.Status.REFUSED
    run.save()
    return result


@transaction.atomic
def import_run_confirm(*, actor, run: ImportRun, importer) -> Confirmation:
    """Apply a previewed run, all rows or none, and mark it APPLIED.

    The run's row is locked first, so a double submit waits for the first
    one and then finds the run applied: the file is written once. Should
    rows be refused now (the data changed since the preview), nothing is
    written and the run stays PREVIEWED with the new counts.
    """
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if run.status != ImportRun.Status.PREVIEWED:
        return Confirmation(run=run, result=None)
    with run.file.open("rb") as handle:
        result = importer(actor=actor, as_of=run.as_of).run(handle)
    _store_counts(run, result)
    if result.ok:
        run.status = ImportRun.Status.APPLIED
        run.applied_at = timezone.now()
    run.save()
    if result.ok:
        # Applied: the upload (full citizen IDs, birth dates) is not kept.
        transaction.on_commit(lambda: retention.discard_upload(
            ImportRun.objects.get(pk=run.pk)))
    return Confirmation(run=run, result=result)


def _store_counts(run: ImportRun, result: ImportResult) -> None:
    run.created_count = result.created
    run.updated_count = result.updated
    run.unchanged_count = result.unchanged
    run.error_count = len(result.errors)
