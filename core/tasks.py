from celery import shared_task


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
