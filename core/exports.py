"""List exports built in the background ("My exports").

A list's export button posts the list's filters. A list of at most
``EXPORT_INLINE_ROWS`` rows is written inside the request, as it always was;
a longer one becomes an :class:`~core.models.ExportJob`: the request records
it and sends :func:`export_build` to the Celery worker once the transaction
commits, and the account follows it on its "My exports" page.

The worker rebuilds the list **as the account sees it when the job runs**:
the account is read again, its permissions and zones recomputed, the filters
applied to the scoped rows; an account that lost the list's permission (or an
inactive one) gets a failed job, never a file. The workbook is written
streaming (the app's writer: openpyxl write-only, rows from ``.iterator()``)
to a temporary file, then kept under the private media root with the zones
it covers. A download (:func:`export_get_for_download`) is for the job's
owner only, while the owner still holds the list's permission and every zone
the file covers.

Nothing is left pending silently: an exception or the soft time limit marks
the job failed with a neutral message (an error code worded at display, never
an exception's text); a broker that cannot be reached fails the job at once;
a job still queued after ``QUEUE_LIMIT`` or running past the task's time
limit (its worker died) is shown as failed and marked so by the daily job
(:func:`export_housekeeping`, run with the retention schedule), which also
deletes files older than ``EXPORT_RETENTION_DAYS`` (the row stays, expired).

Each app declares its lists in its ``exporting`` module with :func:`register`
(found by core.registry), so core names no app.
"""

from __future__ import annotations

import logging
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.policy import Access, Perm, access_for

from .models import ExportJob

logger = logging.getLogger(__name__)

Status = ExportJob.Status

# The task's limits (core.tasks.export_build): past the soft one the job fails
# with a message; past the hard one the worker process is killed, and a job
# still "running" that long after its start lost its worker.
SOFT_TIME_LIMIT = 10 * 60
TIME_LIMIT = SOFT_TIME_LIMIT + 60
# A job no worker has started this long after its request is given up (the
# worker is stopped or far behind): the account is told to export again.
QUEUE_LIMIT = timedelta(hours=1)
# Exports one account may have queued or running at once.
MAX_UNFINISHED = 10
# Query strings are stored as they came, within this length.
MAX_QUERY_LENGTH = 2000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Broker errors that mean "the message did not reach the queue".
BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)

# Why a job failed (ExportJob.error), worded for the reader at display time.
ERRORS = {
    "access": gettext_lazy(
        "Your account no longer has access to this list, so the file was not prepared."),
    "filters": gettext_lazy(
        "The filters of this export are not valid for your account (its zones may have "
        "changed). Open the list and export again."),
    "timeout": gettext_lazy(
        "Preparing the file took longer than allowed. Narrow the filters and export again."),
    "broker": gettext_lazy(
        "The background service could not be reached. Export again in a few minutes."),
    "not_started": gettext_lazy(
        "The background service did not start preparing the file in time. Export again; if "
        "it happens again, tell the administrator."),
    "interrupted": gettext_lazy(
        "Preparing the file was interrupted. Export again; if it happens again, tell the "
        "administrator."),
    "failed": gettext_lazy(
        "The file could not be prepared. Export again; if it fails again, tell the "
        "administrator."),
}


# --- the lists that can be exported ------------------------------------------------------


@dataclass(frozen=True)
class ListExport:
    """A list whose filtered rows can be exported.

    ``rows(access=..., query=QueryDict, search=str)`` returns the list's
    rows as ``access`` sees them with those filters (raising
    :class:`FiltersRefused` when the filters are not valid for it);
    ``write(queryset, target)`` writes the workbook and returns the number
    of data rows written.
    """

    kind: str
    label: str
    perm: Perm
    rows: Callable[..., QuerySet]
    write: Callable[..., int]
    filename: str
    list_url: str
    # Names, birth dates, citizen IDs: every download is in the access log.
    personal: bool = False
    record_type: str = ""


class FiltersRefused(Exception):
    """The list's filters are not valid for the account (any more)."""


_lists: dict[str, ListExport] = {}


def register(*exports: ListExport) -> None:
    """Offer lists to the background export (from an app's ``exporting`` module)."""
    for export in exports:
        _lists[export.kind] = export


def list_export(kind: str) -> ListExport | None:
    return _lists.get(kind)


def list_label(kind: str) -> str:
    """The name of the list ``kind`` (its code when no app offers it any more)."""
    export = list_export(kind)
    return export.label if export else kind


def filtered(filterset) -> QuerySet:
    """The rows of a bound ``filterset``; FiltersRefused when its form is invalid.

    The list page ignores an invalid filter; a job must not: its file would
    hold other rows than the ones asked for.
    """
    if filterset.is_bound and not filterset.form.is_valid():
        raise FiltersRefused
    return filterset.qs


def covers(access: Access, scope: list[int] | None) -> bool:
    """Whether ``access`` sees every zone a file was built for (``None``: all zones)."""
    if access.all_zones:
        return True
    return scope is not None and set(scope) <= set(access.zone_ids)


def download_name(job: ExportJob) -> str:
    export = list_export(job.kind)
    stem = export.filename if export else "xuat"
    day = timezone.localdate(job.finished_at or job.requested_at)
    return f"{stem}-{day:%Y%m%d}-{job.pk}.xlsx"


def _clean_query(query: QueryDict | str) -> str:
    if isinstance(query, str):
        query = QueryDict(query)
    query = query.copy()
    query.pop("page", None)
    text = query.urlencode()
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(_("These filters are too long to be kept for an export."))
    return text


# --- what a job looks like to its owner ----------------------------------------------------


def stuck(now: datetime) -> Q:
    """Jobs queued past QUEUE_LIMIT or running past the task's time limit
    (their worker died): failed, whether or not the daily job has marked them
    yet. :func:`shown_status` is its Python twin."""
    return (Q(status=Status.QUEUED, requested_at__lt=now - QUEUE_LIMIT)
            | Q(status=Status.RUNNING, started_at__lt=now - timedelta(seconds=TIME_LIMIT)))


def shown_status(job: ExportJob, now: datetime | None = None) -> str:
    """The status the owner sees: a job stuck queued or running past its
    limits (:func:`stuck`) is failed, whether or not the daily job has marked
    it yet."""
    now = now or timezone.now()
    if job.status == Status.QUEUED and job.requested_at < now - QUEUE_LIMIT:
        return Status.FAILED
    if job.status == Status.RUNNING and job.started_at \
            and job.started_at < now - timedelta(seconds=TIME_LIMIT):
        return Status.FAILED
    return job.status


def _stuck_code(job: ExportJob) -> str:
    return "not_started" if job.status == Status.QUEUED else "interrupted"


def decorate(job: ExportJob, now: datetime | None = None, access: Access | None = None
             ) -> ExportJob:
    """Set what the page shows: ``shown`` (a status) and its ``shown_label``,
    ``message`` (why it failed), ``label`` (the list), ``pending`` (the row
    keeps polling), ``list_link`` (the list with its filters),
    ``kept_until`` (the last day of the file) and, with ``access``,
    ``withheld`` (a finished file its owner may no longer download: the
    permission or a zone it covers was withdrawn since)."""
    job.shown = shown_status(job, now)
    if job.shown == Status.FAILED:
        code = job.error if job.status == Status.FAILED else _stuck_code(job)
        job.message = ERRORS.get(code, ERRORS["failed"])
    else:
        job.message = ""
    job.pending = job.shown in (Status.QUEUED, Status.RUNNING)
    export = list_export(job.kind)
    job.label = list_label(job.kind)
    job.filtered = any(value for key, value in QueryDict(job.query).items()
                       if key not in ("sort", "per_page"))
    job.list_link = ""
    if export:
        url = reverse(export.list_url)
        job.list_link = f"{url}?{job.query}" if job.query else url
    job.shown_label = Status(job.shown).label
    job.withheld = (access is not None and job.shown == Status.DONE
                    and download_refusal(access, job, export) is not None)
    job.kept_until = None
    if job.finished_at:
        job.kept_until = timezone.localdate(job.finished_at) + timedelta(
            days=settings.EXPORT_RETENTION_DAYS)
    return job


def export_list(*, user) -> QuerySet[ExportJob]:
    """The account's own export jobs, newest first."""
    return ExportJob.objects.filter(requested_by=user).defer("search").order_by(
        "-requested_at", "-pk")


def export_get(*, user, pk: int) -> ExportJob:
    """One of the account's own jobs; another account's answers 404."""
    try:
        return export_list(user=user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def export_get_for_download(*, user, access: Access, pk: int) -> tuple[ExportJob, ListExport]:
    """The owner's finished job and its list, if the file may be handed over.

    404: not the account's job, not ready (queued, running, failed, expired)
    or built for a zone the account no longer works on. PermissionDenied:
    the account no longer holds the list's permission.
    """
    job = export_get(user=user, pk=pk)
    export = list_export(job.kind)
    refusal = download_refusal(access, job, export)
    if refusal is not None:
        raise refusal
    return job, export


def download_refusal(access: Access, job: ExportJob, export: ListExport | None
                     ) -> type[Exception] | None:
    """Why the file of ``job`` may not be handed to the account of ``access``
    (PermissionDenied: it no longer holds the list's permission; Http404: the
    list is unknown, the file is not ready, or it covers a zone the account
    no longer works on), or None when it may."""
    if export is None:
        return Http404
    if not access.can(export.perm):
        return PermissionDenied
    if job.status != Status.DONE or not job.file or not covers(access, job.scope):
        return Http404
    return None


# --- requesting --------------------------------------------------------------------------------


def _unfinished(user, now: datetime) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(
        requested_by=user, status__in=(Status.QUEUED, Status.RUNNING)).exclude(stuck(now))


def export_request(*, actor, kind: str, query: QueryDict | str, search: str = "",
                   row_count: int, log_detail: str = "") -> tuple[ExportJob, bool]:
    """Record an export of the list ``kind`` for a worker; ``(job, created)``.

    The account must hold the list's permission. The same export (list,
    filters, search) already queued or running is returned as it is (a second
    click adds nothing); more than ``MAX_UNFINISHED`` unfinished exports of one
    account are refused. A new job is sent to the worker once the
    transaction commits.
    """
    export = list_export(kind)
    if export is None:
        raise ValueError(f"{kind!r} is not a list that can be exported")
    if not access_for(actor).can(export.perm):
        raise PermissionDenied
    now = timezone.now()
    job = ExportJob(kind=kind, query=_clean_query(query), search=search[:200],
                    log_detail=log_detail[:255], row_count=row_count, requested_by=actor,
                    requested_at=now)
    with transaction.atomic():
        # One request at a time per account (a double click waits here).
        get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
        unfinished = _unfinished(actor, now)
        same = unfinished.filter(kind=kind, query=job.query, search=job.search).first()
        if same is not None:
            return same, False
        if unfinished.count() >= MAX_UNFINISHED:
            raise ValidationError(_(
                "You already have %(count)s exports being prepared. Wait until one is ready, "
                "then export again.") % {"count": MAX_UNFINISHED})
        job.full_clean()
        job.save()
        transaction.on_commit(partial(export_enqueue, job=job))
    return job, True


def export_enqueue(*, job: ExportJob) -> bool:
    """Send the build task to the broker; when it cannot be reached the job
    fails at once (the account exports again), never waits unseen."""
    from .tasks import export_build as export_build_task

    now = timezone.now()
    # Recorded first: a worker (or the eager mode of tests) may finish the
    # job before apply_async returns.
    ExportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(enqueued_at=now)
    try:
        export_build_task.apply_async(
            args=[job.pk], retry=True,
            retry_policy={"max_retries": 0, "interval_start": 0, "interval_step": 0,
                          "interval_max": 0})
    except BROKER_ERRORS as exc:
        logger.warning("export %s: the broker is unreachable (%s)", job.pk, type(exc).__name__)
        ExportJob.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.FAILED, error="broker", search="", enqueued_at=None,
            finished_at=timezone.now())
        return False
    return True


# --- building (the worker) ---------------------------------------------------------------------


def _claim(job_id: int) -> ExportJob | None:
    """Take a queued job for this worker (one conditional UPDATE, so two
    deliveries of the task never both build it); a job queued past
    ``QUEUE_LIMIT`` is failed instead."""
    now = timezone.now()
    claimed = ExportJob.objects.filter(
        pk=job_id, status=Status.QUEUED, requested_at__gte=now - QUEUE_LIMIT,
    ).update(status=Status.RUNNING, started_at=now)
    if not claimed:
        ExportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED, error="not_started", search="", finished_at=now)
        return None
    return ExportJob.objects.select_related("requested_by").get(pk=job_id)


def _fail(job: ExportJob, code: str) -> None:
    ExportJob.objects.filter(pk=job.pk, status=Status.RUNNING, started_at=job.started_at).update(
        status=Status.FAILED, error=code, search="", finished_at=timezone.now())


def export_build(*, job_id: int) -> ExportJob | None:
    """Build the workbook of job ``job_id`` as its account sees the list now.

    Does nothing (None) when the job is missing or not queued (done, failed,
    or being built by another delivery of the task). The account is read
    again: without the list's permission the job fails ("access"). The file
    is written to a temporary file, stored, and the job marked done with the
    rows written and the zones the file covers. Any error marks the job
    failed with a code; only the error's type and where it happened are
    logged (an exception's text may quote personal data).
    """
    job = _claim(job_id)
    if job is None:
        return None
    export = list_export(job.kind)
    try:
        # Loaded with the job just now: its permissions and zones as they are.
        access = access_for(job.requested_by)
        if export is None or not access.can(export.perm):
            _fail(job, "access")
            return None
        rows = export.rows(access=access, query=QueryDict(job.query), search=job.search)
        with tempfile.TemporaryDirectory(prefix="export-") as folder:
            path = Path(folder) / "export.xlsx"
            with translation.override(settings.LANGUAGE_CODE), path.open("wb") as target:
                written = export.write(rows, target)
            scope = None if access.all_zones else sorted(access.zone_ids)
            return _store(job, path, written, scope)
    except (PermissionDenied, Http404):
        _fail(job, "access")
    except FiltersRefused:
        _fail(job, "filters")
    except SoftTimeLimitExceeded:
        logger.error("export %s: soft time limit reached", job.pk)
        _fail(job, "timeout")
    except Exception as exc:
        logger.error("export %s failed (%s) at:\n%s", job.pk, type(exc).__name__,
                     "".join(traceback.format_tb(exc.__traceback__)))
        _fail(job, "failed")
    return None


def _store(job: ExportJob, path: Path, written: int, scope) -> ExportJob | None:
    """Keep the file and mark the job done, if the job is still this worker's."""
    with path.open("rb") as handle:
        job.file.save("export.xlsx", File(handle), save=False)
    stored = job.file.name
    size = job.file.size
    finished = timezone.now()
    updated = ExportJob.objects.filter(
        pk=job.pk, status=Status.RUNNING, started_at=job.started_at,
    ).update(status=Status.DONE, file=stored, size=size, rows_written=written, scope=scope,
             finished_at=finished, error="", search="")
    if not updated:
        # Given up meanwhile (the daily job found it past its time limit).
        job.file.storage.delete(stored)
        return None
    logger.info("export %s done: %s rows, %s bytes", job.pk, written, size)
    job.refresh_from_db()
    return job


# --- housekeeping (the daily job) ----------------------------------------------------------------


def expired_exports(today: date) -> QuerySet[ExportJob]:
    """Finished exports whose file is kept past EXPORT_RETENTION_DAYS days."""
    cutoff = timezone.make_aware(datetime.combine(
        today - timedelta(days=settings.EXPORT_RETENTION_DAYS), time.min))
    return ExportJob.objects.filter(status=Status.DONE, finished_at__lt=cutoff)


def export_housekeeping(*, today: date | None = None, now: datetime | None = None,
                        dry_run: bool = False) -> dict[str, int]:
    """Delete the files of expired exports (the rows stay, "expired") and
    mark stuck jobs failed. Idempotent."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    expired = list(expired_exports(today))
    stuck_jobs = list(ExportJob.objects.filter(stuck(now)))
    if not dry_run:
        for job in expired:
            job.file.delete(save=False)
            ExportJob.objects.filter(pk=job.pk, status=Status.DONE).update(
                status=Status.EXPIRED, file="", expired_at=now)
        for job in stuck_jobs:
            ExportJob.objects.filter(pk=job.pk, status=job.status).update(
                status=Status.FAILED, error=_stuck_code(job), search="", finished_at=now)
    return {"export files deleted": len(expired), "stuck exports failed": len(stuck_jobs)}
