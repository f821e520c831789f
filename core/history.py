"""The change history of records (django-simple-history), field by field.

One renderer for every detail page that shows a history
(``templates/core/_history.html``): enterprises, party organizations,
members, candidates, survey visits. Values are written as on the rest of
the pages: dates dd/mm/yyyy, choices by their label, booleans Có/Không,
related records by their name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.db.models import ForeignKey
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

HISTORY_LIMIT = 100
EMPTY = "—"


def display_value(field, value, related: dict | None = None) -> str:
    """A stored value of ``field`` as the pages show it.

    ``related`` maps ``(model, pk)`` to the records foreign keys point to;
    a key missing there shows as ``#pk``.
    """
    if value is None or value == "":
        return EMPTY
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, ForeignKey):
        obj = (related or {}).get((field.related_model, value))
        return str(obj) if obj is not None else f"#{value}"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value)


def record_label(record) -> str:
    """What a historical record is about: its model's name."""
    return capfirst(record.instance_type._meta.verbose_name)


def history_entries(*querysets, limit: int = HISTORY_LIMIT,
                    describe: Callable[[object], str] = record_label,
                    excluded_fields: tuple[str, ...] = ()) -> list[dict]:
    """The change history of some records, newest first, field by field.

    Each queryset holds historical records (simple-history); the previous
    version of each record is found in memory, so the number of queries does
    not grow with the history (``record.prev_record`` would query each time).
    ``describe`` names what a record is about; ``excluded_fields`` are left
    out of the changes. Each entry: when, who, what, action (+ ~ -) and the
    changes (field, old, new), written by ``display_value``.
    """
    pairs = []
    for queryset in querysets:
        previous = {}
        for record in queryset.select_related("history_user").order_by("history_date",
                                                                       "history_id"):
            pairs.append((record, previous.get(record.id)))
            previous[record.id] = record
    pairs.sort(key=lambda pair: (pair[0].history_date, pair[0].history_id), reverse=True)

    entries, wanted = [], {}
    for record, prev in pairs:
        changes = []
        if record.history_type == "~" and prev is not None:
            diff = record.diff_against(prev, excluded_fields=list(excluded_fields))
            for change in diff.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((field, change.old, change.new))
                if isinstance(field, ForeignKey):
                    for value in (change.old, change.new):
                        if value is not None:
                            wanted.setdefault(field.related_model, set()).add(value)
            if not changes:
                continue  # saved without a visible change
        entries.append({"record": record, "changes": changes})
        if len(entries) >= limit:
            break

    related = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            related[(model, pk)] = obj
    for entry in entries:
        record = entry["record"]
        user = record.history_user
        entry.update({
            "when": record.history_date,
            "who": user.get_full_name() if user else _("system"),
            "what": describe(record),
            "action": record.history_type,
            "changes": [
                {"field": capfirst(field.verbose_name),
                 "old": display_value(field, old, related),
                 "new": display_value(field, new, related)}
                for field, old, new in entry["changes"]
            ],
        })
    return entries
