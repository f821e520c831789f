from celery import shared_task

from .exports import SOFT_TIME_LIMIT as EXPORT_SOFT_TIME_LIMIT
from .exports import TIME_LIMIT as EXPORT_TIME_LIMIT


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def heartbeat(name: str = "worker") -> None:
    """Record that a worker consumed a task now (see WorkerHeartbeat)."""
    from .services import heartbeat_record

    heartbeat_record(name=name)


@shared_task(ignore_result=True)
def send_reminders() -> dict:
    """The daily 07:00 job: today's reminders in the bell and by e-mail (idempotent)."""
    from .notifications import send_reminders as run

    return run()


@shared_task(ignore_result=True)
def apply_retention() -> dict:
    """The daily 02:30 job: the retention schedule of personal data (core.retention)."""
    from .retention import apply

    return apply().counts


@shared_task(ignore_result=True, soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
             time_limit=EXPORT_TIME_LIMIT)
def export_build(job_id: int) -> None:
    """Build the workbook of a list export (core.exports.export_build)."""
    from .exports import export_build as build

    build(job_id=job_id)
