from django.utils import timezone

from .models import WorkerHeartbeat


def heartbeat_record(*, name: str) -> WorkerHeartbeat:
    """Upsert the heartbeat row ``name`` with the current time."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now()}
    )
    return beat
