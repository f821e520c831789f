"""Demo data of the reports (seed_demo): last quarter's report, as the 06:00 job
would have requested it.

Only the two province editions (with personal data for the Party Committee,
figures only for the IZ Board) are requested, through the same service as the
schedule; they are sent to the worker when the seed commits, so seeding itself
does not build any workbook (with eager Celery, as in tests, it takes a few
seconds on the small data).
"""

from __future__ import annotations

from django.utils import timezone

from core import registry
from core.periods import QUARTER, Period

from .models import Report


def seed(ctx) -> None:
    from .services import report_request

    if not ctx.zones:
        return
    today = ctx.extra.get("today") or timezone.localdate()
    period = Period.just_ended(QUARTER, today)
    for personal in (True, False):
        report_request(kind=Report.Kind.QUARTERLY, period=period, personal=personal, today=today)
    ctx.report(f"reports of {period.code} requested (built by the worker)", 2)


registry.register_demo(seed)
