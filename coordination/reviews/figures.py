"""The figures a review freezes when it is finished: every indicator of the
catalogue (DESIGN §5) for its period and the previous one, province-wide
and per zone, computed by the catalogue exactly as the workbook of the same
period computes its ``Tổng hợp`` and ``Theo KCN`` sheets (one query per
source model).

Stored as plain JSON with the labels and zone names of that day, so the
Word report can be written again later without reading anything else.
"""

from __future__ import annotations

from django.utils import timezone

from core.indicators import CATALOGUE, Scope, by_zone, compute_many
from core.periods import Period
from enterprises.models import IndustrialZone

# Things that belong to no zone (joint cells directly under the IZ Board).
NO_ZONE = "Trực thuộc Ban Quản lý (không thuộc KCN)"


def compute(period: Period) -> dict:
    """The figures of ``period`` to freeze (JSON)."""
    previous = period.previous()
    values = compute_many([(i, p) for p in (period, previous) for i in CATALOGUE],
                          Scope.province())
    per_zone = by_zone(period)
    zones = {z.pk: z for z in IndustrialZone.objects.filter(
        pk__in=[k for k in per_zone if k is not None]).only("code", "name")}
    keys = sorted(zones, key=lambda pk: (zones[pk].code, pk))
    if None in per_zone:
        keys.append(None)
    return {
        "period": {"code": period.code, "start": period.start.isoformat(),
                   "end": period.end.isoformat(), "label": period.label},
        "previous": {"code": previous.code, "start": previous.start.isoformat(),
                     "end": previous.end.isoformat(), "label": previous.label},
        "indicators": [{"code": i.code, "label": i.label} for i in CATALOGUE],
        "province": {i.code: values[i.code, period] for i in CATALOGUE},
        "previous_values": {i.code: values[i.code, previous] for i in CATALOGUE},
        "zones": [{"code": zones[key].code if key else "",
                   "name": zones[key].name if key else NO_ZONE,
                   "values": per_zone[key]} for key in keys],
        "computed_at": timezone.now().isoformat(),
    }


def rows(figures: dict) -> list[dict]:
    """The frozen province figures in the catalogue's order of that day:
    ``{"code", "label", "value", "previous"}``."""
    province = figures.get("province", {})
    previous = figures.get("previous_values", {})
    return [{"code": item["code"], "label": item["label"], "value": province.get(item["code"]),
             "previous": previous.get(item["code"])}
            for item in figures.get("indicators", [])]
