"""Every write to the generated reports goes through these functions.

A report is unique per (kind, period, zone, personal) in the database; asking
for it again returns the same row. The file is built by a Celery worker, never
by the web process: :func:`report_request` sends the generation task after the
transaction commits, and :func:`report_generate` (the task's body) first
*claims* the row with a locked status transition (pending, or running but
stale because its worker died) so only one worker ever writes the file, even
when the task is delivered twice or runs on two workers at once.

Once ready, a report never changes: its file and frozen figures are written in
the same transaction that marks it ready, and no function here touches a ready
report again. A failure leaves a short message without personal data; the
traceback goes to the worker's log only.
"""

from __future__ import annotations

import logging
import tempfile
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError as KombuOperationalError

from accounts.policy import Perm, access_for
from core.notifications import notify
from core.periods import Period
from enterprises.models import IndustrialZone

from .models import SCHEDULED_PERIOD_KINDS, Report
from .selectors import report_leaders

logger = logging.getLogger(__name__)

Status = Report.Status
Kind = Report.Kind

# A claim is taken over at most this many times (a report whose generation
# keeps killing its worker ends as failed instead of looping forever).
MAX_ATTEMPTS = 3
# Progress is written at most this often (seconds), and on every 10 points.
PROGRESS_INTERVAL = 1.0
# Reports the periodic job sends again in one run.
REQUEUE_BATCH = 200
# A report whose enqueue has not been recorded this long after its request is
# sent again by the periodic job (the request's own enqueue runs at commit).
REQUEUE_GRACE = timedelta(minutes=1)
# Broker errors that mean "the message did not reach the queue".
BROKER_ERRORS = (KombuOperationalError, ConnectionError, OSError)


class _ClaimLost(Exception):
    """Another worker took the report over (this one was presumed dead)."""


def stale_after() -> timedelta:
    """A running report older than this lost its worker: a live one would have
    hit the soft time limit and marked the report failed."""
    return timedelta(seconds=settings.CELERY_TASK_SOFT_TIME_LIMIT)


def _require_report_access(actor, report: Report | None = None) -> None:
    """``actor`` (None = the system) may generate reports, and see ``report``."""
    if actor is None:
        return
    access = access_for(actor)
    if not access.can(Perm.GENERATE_REPORTS):
        raise PermissionDenied
    if report is not None:
        from .selectors import report_visible

        if not report_visible(access=access, report=report):
            raise PermissionDenied


# --- requesting ------------------------------------------------------------------------------


def report_request(*, actor=None, kind: str, period: Period | str, zone: IndustrialZone | None = None,
                   personal: bool = True, today=None) -> Report:
    """Get or create the report and have a worker generate it.

    The period must have ended (a report is frozen once generated). A new
    report, or one whose earlier enqueue failed, is sent to the worker when
    the transaction commits; a failed one is reset to pending and sent again.
    A report pending, running or ready is returned as it is.
    """
    today = today or timezone.localdate()
    report = Report(kind=kind, period=str(period), zone=zone, personal=personal,
                    requested_by=actor)
    _require_report_access(actor, report)
    report.full_clean(validate_unique=False, validate_constraints=False)
    end = report.period_obj.end
    if end >= today:
        raise ValidationError({"period": _(
            "The period %(code)s has not ended yet (it ends on %(end)s); a report is generated "
            "once its period is over."
        ) % {"code": report.period, "end": formats.date_format(end, "SHORT_DATE_FORMAT")}})
    with transaction.atomic():
        try:
            with transaction.atomic():
                report.save()
            send = True
        except IntegrityError:
            # Requested before, perhaps at this very instant by another process.
            report = _same_report(report)
            send = report.status == Status.PENDING and report.enqueued_at is None
            if report.status == Status.FAILED:
                report = _reset_failed(report)
                send = report.status == Status.PENDING
        if send:
            transaction.on_commit(partial(report_enqueue, report=report))
    return report


def _same_report(report: Report) -> Report:
    return Report.objects.select_related("zone").get(
        kind=report.kind, period=report.period, zone=report.zone, personal=report.personal)


def _reset_failed(report: Report) -> Report:
    Report.objects.filter(pk=report.pk, status=Status.FAILED).update(
        status=Status.PENDING, error="", progress=0, attempts=0, enqueued_at=None,
        started_at=None, requested_at=timezone.now())
    report.refresh_from_db()
    return report


@transaction.atomic
def report_retry(*, actor, report: Report) -> Report:
    """Generate a failed report again (a ready report never changes)."""
    _require_report_access(actor, report)
    if report.status != Status.FAILED:
        raise ValidationError(_("Only a report whose generation failed can be generated again."))
    report = _reset_failed(report)
    if report.status == Status.PENDING:
        transaction.on_commit(partial(report_enqueue, report=report))
    return report


def report_enqueue(*, report: Report) -> bool:
    """Send the generation task to the broker; False when it is unreachable.

    No retry loop: the web request answers at once, the report stays pending
    and :func:`report_requeue` sends it again once the broker is back.
    """
    from .tasks import report_generate as report_generate_task

    # Recorded first: a worker (or the eager mode of tests) may finish the
    # report before apply_async returns.
    now = timezone.now()
    Report.objects.filter(pk=report.pk, status=Status.PENDING).update(enqueued_at=now)
    try:
        report_generate_task.apply_async(
            args=[report.pk],
            retry=True,
            retry_policy={"max_retries": 0, "interval_start": 0, "interval_step": 0,
                          "interval_max": 0},
        )
    except BROKER_ERRORS as exc:
        Report.objects.filter(pk=report.pk, enqueued_at=now).update(enqueued_at=None)
        report.enqueued_at = None
        logger.warning("report %s: the broker is unreachable (%s); it stays pending",
                       report.pk, type(exc).__name__)
        return False
    report.enqueued_at = now
    return True


def report_requeue(*, now=None) -> int:
    """The periodic job: send again what never reached a worker or lost it.

    Pending reports whose enqueue failed (or was long ago) and running reports
    whose worker died (started longer ago than the soft time limit) are sent
    again; the claim in :func:`report_generate` makes a duplicate harmless.
    Stops at the first broker error. Returns the number sent.
    """
    now = now or timezone.now()
    stale = now - stale_after()
    waiting = Report.objects.filter(
        Q(status=Status.PENDING)
        & (Q(enqueued_at__isnull=True, requested_at__lt=now - REQUEUE_GRACE)
           | Q(enqueued_at__lt=stale))
        | Q(status=Status.RUNNING, started_at__lt=stale)
    ).order_by("requested_at", "pk")
    sent = 0
    for report in waiting[:REQUEUE_BATCH]:
        if report.status == Status.RUNNING and report.attempts >= MAX_ATTEMPTS:
            _give_up(report)
            continue
        if not report_enqueue(report=report):
            break
        sent += 1
    if sent:
        logger.info("reports: %d sent again to the worker", sent)
    return sent


def _give_up(report: Report) -> None:
    Report.objects.filter(pk=report.pk, status=Status.RUNNING, started_at=report.started_at).update(
        status=Status.FAILED, progress=0,
        error=_("The generation was interrupted %(count)s times (the worker stopped). "
                "Try again; if it happens again, tell the administrator.")
        % {"count": report.attempts})


# --- scheduled reports --------------------------------------------------------------------


def report_generate_scheduled(*, kind: str, today=None) -> list[Report]:
    """Request the reports of the period of ``kind`` that has just ended.

    For the Party Committee: the province report with the personal detail
    sheets; for the IZ Board: the province report without personal data and
    one per active zone. Running it twice requests nothing new.
    """
    if kind not in SCHEDULED_PERIOD_KINDS:
        raise ValueError(f"{kind!r} is not a scheduled kind of report")
    today = today or timezone.localdate()
    period = Period.just_ended(SCHEDULED_PERIOD_KINDS[kind], today)
    reports = [
        report_request(kind=kind, period=period, personal=True, today=today),
        report_request(kind=kind, period=period, personal=False, today=today),
    ]
    for zone in IndustrialZone.objects.filter(is_active=True).order_by("code"):
        reports.append(report_request(kind=kind, period=period, zone=zone, personal=False,
                                      today=today))
    logger.info("reports: %s %s requested (%d files)", kind, period.code, len(reports))
    return reports


# --- generating (the worker) ------------------------------------------------------------------


def _claim(report_id: int) -> Report | None:
    """Take the report for this worker, or None if it is not to be generated here.

    The row is locked (skipping a row another worker is claiming) and only a
    pending report, or a running one whose worker died, is taken.
    """
    now = timezone.now()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("zone")
            .filter(pk=report_id)
            .filter(Q(status=Status.PENDING)
                    | Q(status=Status.RUNNING, started_at__lt=now - stale_after()))
            .first()
        )
        if report is None:
            return None
        if report.status == Status.RUNNING and report.attempts >= MAX_ATTEMPTS:
            _give_up(report)
            return None
        if report.status == Status.RUNNING:
            logger.warning("report %s: taking over from a worker presumed dead", report.pk)
        report.status = Status.RUNNING
        report.started_at = now
        report.progress = 0
        report.error = ""
        report.attempts = F("attempts") + 1
        report.save(update_fields=["status", "started_at", "progress", "error", "attempts"])
    report.refresh_from_db(fields=["attempts"])
    return report


def _progress_writer(report: Report):
    """A ``progress(percent)`` callback that stores the progress, throttled.

    Raises :class:`_ClaimLost` when the report is no longer this worker's.
    """
    state = {"value": 0, "at": time.monotonic()}

    def progress(value: int) -> None:
        value = max(0, min(99, int(value)))
        now = time.monotonic()
        if value <= state["value"]:
            return
        if value - state["value"] < 10 and now - state["at"] < PROGRESS_INTERVAL:
            return
        updated = Report.objects.filter(pk=report.pk, status=Status.RUNNING,
                                        started_at=report.started_at).update(progress=value)
        if not updated:
            raise _ClaimLost
        state["value"], state["at"] = value, now

    return progress


def report_generate(*, report_id: int) -> Report | None:
    """Build the report's workbook and store it with its frozen figures.

    Does nothing (returns None) when the report is missing, ready, failed, or
    being generated by a live worker. On an error the report is marked failed
    with a short message; the error itself is logged, not shown.
    """
    from .workbook import write_report

    report = _claim(report_id)
    if report is None:
        return None
    generated_at = timezone.now()
    try:
        with tempfile.TemporaryDirectory(prefix="report-") as folder:
            path = Path(folder) / "report.xlsx"
            with translation.override(settings.LANGUAGE_CODE):
                figures = write_report(
                    str(path), period=report.period_obj, zone=report.zone,
                    personal=report.personal, generated_at=generated_at,
                    progress=_progress_writer(report),
                )
            return _store(report, path, figures, generated_at)
    except _ClaimLost:
        logger.warning("report %s: taken over by another worker; this copy is dropped", report.pk)
        return None
    except SoftTimeLimitExceeded:
        logger.error("report %s: soft time limit reached", report.pk)
        _fail(report, _("The generation took longer than the time limit. Try again later; if it "
                        "happens again, tell the administrator."))
    except Exception as exc:
        logger.exception("report %s: generation failed", report.pk)
        _fail(report, _("The generation failed (%(error)s). Try again; if it fails again, "
                        "tell the administrator.") % {"error": type(exc).__name__})
    return None


def _store(report: Report, path: Path, figures: dict, generated_at) -> Report | None:
    """Save the file and figures and mark the report ready, if it is still ours."""
    with transaction.atomic():
        locked = Report.objects.select_for_update(of=("self",)).select_related("zone").get(
            pk=report.pk)
        if locked.status != Status.RUNNING or locked.started_at != report.started_at:
            raise _ClaimLost
        with path.open("rb") as handle:
            locked.file.save(f"{locked.period}.xlsx", File(handle), save=False)
        stored = locked.file.name
        try:
            locked.size = locked.file.size
            locked.figures = {str(key): value for key, value in dict(figures or {}).items()}
            locked.status = Status.READY
            locked.progress = 100
            locked.generated_at = generated_at
            locked.error = ""
            locked.full_clean(validate_unique=False)
            locked.save(update_fields=["file", "size", "figures", "status", "progress",
                                       "generated_at", "error"])
        except Exception:
            locked.file.storage.delete(stored)
            raise
        if locked.kind in SCHEDULED_PERIOD_KINDS:
            transaction.on_commit(partial(_notify_ready, locked))
    logger.info("report %s ready (%s bytes)", locked.pk, locked.size)
    return locked


def _fail(report: Report, message: str) -> None:
    Report.objects.filter(pk=report.pk, status=Status.RUNNING, started_at=report.started_at).update(
        status=Status.FAILED, progress=0, error=message[:500])


def _notify_ready(report: Report) -> None:
    """Tell the leaders who may see this scheduled report that it is ready."""
    with translation.override(settings.LANGUAGE_CODE):
        notify(report_leaders(report=report), key=f"report-ready-{report.pk}",
               title=_("%(title)s is ready to download") % {"title": report.title},
               url=report.get_absolute_url())
