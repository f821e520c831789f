"""The spans of days each enterprise had at least three official party members
placed there (:class:`coordination.models.OfficialQuorum`), kept in step with
the placements and the members' official dates.

An enterprise qualifies to found a party organization on a day when it
operates, has none, and at least three official members are placed there in
official attendance (DESIGN §5, :func:`coordination.selectors.qualifying`).
Counting those members for every enterprise at a date reads all the
placements joined to their members; the spans make the last condition a
lookup. They are derived, never edited:

- :func:`refresh` rewrites the spans of some enterprises from their
  placements (one read, one delete, one insert);
- the signals at the bottom call it after a placement is saved or deleted
  (for its enterprise, and the one it had before a correction) and after a
  member's official date changes (for every enterprise the member was placed
  at), inside the same transaction, so every path (services, admin, importer,
  cascades) keeps them right;
- :func:`rebuild` rewrites all of them, after bulk loads that bypass the
  signals (the demo data) and in ``manage.py rebuild_quorum``.

The tests compare the indicator read from the spans with the live count of
:func:`coordination.selectors.qualifying` after each kind of change.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from enterprises import spans as enterprise_spans

from .models import UNKNOWN, OfficialQuorum, PartyMember, Placement
from .selectors import QUALIFY_MIN_OFFICIAL

Span = tuple[date, date | None]


def spans(periods: Iterable[tuple[date, date | None]],
          minimum: int = QUALIFY_MIN_OFFICIAL) -> list[Span]:
    """The spans ``[start, end)`` during which at least ``minimum`` of the
    ``periods`` (each ``[start, end)``, ``end`` None when open) overlap.
    Adjacent spans are one: a member leaving the day another arrives changes
    nothing."""
    changes: dict[date, int] = defaultdict(int)
    for start, end in periods:
        if end is not None and end <= start:
            continue
        changes[start] += 1
        if end is not None:
            changes[end] -= 1
    result: list[Span] = []
    count, opened = 0, None
    for day in sorted(changes):
        count += changes[day]
        if count >= minimum and opened is None:
            opened = day
        elif count < minimum and opened is not None:
            result.append((opened, day))
            opened = None
    if opened is not None:
        result.append((opened, None))
    return result


def _official_periods(enterprise_ids=None) -> dict[int, list[Span]]:
    """Per enterprise, the days each member placed there in official
    attendance was official: from the later of the placement's start and the
    official date, to the placement's end."""
    rows = Placement.objects.filter(attendance=Placement.Attendance.OFFICIAL,
                                    member__official_on__isnull=False)
    if enterprise_ids is not None:
        rows = rows.filter(enterprise_id__in=enterprise_ids)
    periods: dict[int, list[Span]] = defaultdict(list)
    for enterprise_id, starts_on, ends_on, official_on in rows.order_by().values_list(
            "enterprise_id", "starts_on", "ends_on", "member__official_on").iterator(
            chunk_size=5000):
        periods[enterprise_id].append((max(starts_on, official_on), ends_on))
    return periods


def _write(periods: dict[int, list[Span]]) -> int:
    rows = [OfficialQuorum(enterprise_id=enterprise_id, starts_on=start, ends_on=end)
            for enterprise_id, member_periods in periods.items()
            for start, end in spans(member_periods)]
    OfficialQuorum.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def refresh(enterprise_ids: Iterable[int]) -> None:
    """Rewrite the spans of these enterprises from their placements."""
    enterprise_spans.rewrite(OfficialQuorum, enterprise_ids, lambda enterprises: _write(
        _official_periods([enterprise.pk for enterprise in enterprises])))


def rebuild() -> int:
    """Rewrite every enterprise's spans; the number of spans written."""
    with transaction.atomic():
        OfficialQuorum.objects.all().delete()
        return _write(_official_periods())


def qualifying_ids(day: date):
    """The enterprises with at least three official members placed there at
    ``day`` (a subquery of ids)."""
    return OfficialQuorum.objects.filter(starts_on__lte=day).exclude(
        ends_on__lte=day).values("enterprise_id")


# --- kept in step -----------------------------------------------------------------------


@receiver(post_save, sender=Placement, dispatch_uid="quorum_placement_saved")
def _placement_saved(sender, instance: Placement, raw=False, **kwargs):
    if raw:  # loaddata: rebuild_quorum afterwards
        return
    before = getattr(instance, "_quorum_enterprise_id", None)
    refresh([instance.enterprise_id, before])
    instance._quorum_enterprise_id = instance.enterprise_id


@receiver(post_delete, sender=Placement, dispatch_uid="quorum_placement_deleted")
def _placement_deleted(sender, instance: Placement, **kwargs):
    refresh([instance.enterprise_id, getattr(instance, "_quorum_enterprise_id", None)])


@receiver(post_save, sender=PartyMember, dispatch_uid="quorum_member_saved")
def _member_saved(sender, instance: PartyMember, created=False, raw=False, update_fields=None,
                  **kwargs):
    loaded = getattr(instance, "_quorum_official_on", UNKNOWN)
    instance._quorum_official_on = instance.official_on
    if raw or created:  # a new member has no placement yet
        return
    if update_fields is not None and "official_on" not in update_fields:
        return
    if loaded is not UNKNOWN and loaded == instance.official_on:
        return
    refresh(Placement.objects.filter(member=instance).values_list("enterprise_id", flat=True)
            .distinct())
