from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import WorkerHeartbeat


def heartbeat_record(*, name: str) -> WorkerHeartbeat:
    """Upsert the heartbeat row ``name`` with the current time."""
    beat, _ = WorkerHeartbeat.objects.update_or_create(
        name=name, defaults={"seen_at": timezone.now()}
    )
    return beat


def personal_access_log(*, user, action: str, record=None, record_type: str = "",
                        record_id: int | None = None, detail: str = ""):
    """Record that ``user`` viewed/exported personal data (ids only, no content).

    Views log through :func:`core.access_log.log_access` (one row per request).
    """
    from .models import PersonalDataAccess

    return PersonalDataAccess.objects.create(
        user=user,
        action=action,
        record_type=record_type or (record._meta.label_lower if record is not None else ""),
        record_id=getattr(record, "pk", None) if record is not None else record_id,
        detail=detail[:255],
    )


def assign_fields(obj, data: dict, allowed) -> list[str]:
    """Set ``data`` on ``obj`` and return the names of the fields that changed.

    Only ``allowed`` fields may be set; a foreign key is compared by its id, so
    assigning the same related object is no change.
    """
    changed = []
    for name, value in data.items():
        if name not in allowed:
            raise ValueError(f"{name} cannot be set here")
        field = obj._meta.get_field(name)
        attr = field.attname
        new = value.pk if (field.many_to_one or field.one_to_one) and value is not None else value
        if getattr(obj, attr) != new:
            setattr(obj, attr, new)
            changed.append(name)
    return changed


def stored_for_update(obj):
    """The stored row of ``obj``, read again and locked until the transaction ends.

    Services change this instance, never the one their caller holds: a
    caller whose write is refused keeps the values it showed, and an
    instance read earlier never hides a change saved since.
    """
    return type(obj)._default_manager.select_for_update(of=("self",)).get(pk=obj.pk)


def renamed_errors(error: ValidationError, names: dict[str, str]) -> ValidationError:
    """``error`` with its fields renamed (``names``: service field → the
    caller's field), e.g. a placement's ``ends_on`` reported on a form's
    ``on``; an error without fields is returned as it is."""
    if not hasattr(error, "error_dict"):
        return error
    return ValidationError({names.get(field, field): errors
                            for field, errors in error.error_dict.items()})


# --- Entries that could tell whether a record exists outside the account's scope -------

OUT_OF_SCOPE_MESSAGE = gettext_lazy(
    "This cannot be recorded from your account. The Party Committee's officers can check "
    "the record.")
TOO_MANY_REFUSALS = gettext_lazy(
    "Too many entries were refused in the last hour: try again later, or ask the Party "
    "Committee's officers.")


def refusals_exceeded(user) -> bool:
    """Whether ``user`` reached ``OUT_OF_SCOPE_REFUSALS_PER_HOUR`` refused entries."""
    from .models import PersonalDataAccess

    since = timezone.now() - timedelta(hours=1)
    return PersonalDataAccess.objects.filter(
        user=user, action=PersonalDataAccess.Action.REFUSED, at__gte=since,
    ).count() >= settings.OUT_OF_SCOPE_REFUSALS_PER_HOUR


def require_refusals_left(user) -> None:
    """Refuse the whole entry when ``user`` has probed too often (checked before
    anything that could answer differently for an existing record)."""
    if refusals_exceeded(user):
        raise ValidationError(TOO_MANY_REFUSALS)


def out_of_scope_refused(*, user, record_type: str, detail: str = "") -> None:
    """Log an entry refused because of a record the account may not know about
    (ids and words only, never the value typed). Call it outside any
    transaction the refusal rolls back."""
    personal_access_log(user=user, action="refused", record_type=record_type, detail=detail)
