"""Celery tasks of the reports: thin wrappers around :mod:`reports.services`.

Each takes ids or plain values, loads what it needs and calls the service of
the same name, which is idempotent: a task delivered twice (acks_late, a worker
lost mid-task) or run by two workers at once produces one report.
"""

from celery import shared_task


@shared_task(ignore_result=True)
def report_generate(report_id: int) -> None:
    """Build the workbook of report ``report_id`` unless it is done or being built."""
    from .services import report_generate as generate

    generate(report_id=report_id)


@shared_task(ignore_result=True, soft_time_limit=5 * 60, time_limit=6 * 60)
def report_generate_scheduled(kind: str) -> None:
    """Beat, 06:00 after each period: request the reports of the period just ended."""
    from .services import report_generate_scheduled as generate_scheduled

    generate_scheduled(kind=kind)


@shared_task(ignore_result=True, soft_time_limit=4 * 60, time_limit=5 * 60)
def report_requeue() -> None:
    """Beat, every 5 minutes: send again the reports that never reached a worker."""
    from .services import report_requeue as requeue

    requeue()
