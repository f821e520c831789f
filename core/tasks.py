from celery import shared_task


@shared_task(ignore_result=True, soft_time_limit=50, time_limit=60)
def heartbeat(name: str = "worker") -> None:
    """Record that a worker consumed a task now (see WorkerHeartbeat)."""
    from .services import heartbeat_record

    heartbeat_record(name=name)
