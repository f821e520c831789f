"""Working days in Viet Nam (DESIGN §3): Monday to Friday, less public holidays
(lunar Tết included), plus the Saturdays the government makes working days
when it moves a day off (e.g. Saturday 22/08/2026 worked for Monday 31/08/2026).

The pinned ``holidays`` package lists both: the days off, and the weekend days
worked in exchange (``weekend_workdays``).
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays
from dateutil.relativedelta import relativedelta


@lru_cache(maxsize=64)
def _calendar(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(days off, weekend days worked) of ``year``.

    A substituted Saturday may belong to the year before its day off (worked
    on 27/12/2014 for 02/01/2015), so the neighbouring years are read too.
    """
    calendar = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    days_off = frozenset(day for day in calendar if day.year == year)
    worked = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return days_off, worked


def is_working_day(day: date) -> bool:
    days_off, worked = _calendar(day.year)
    if day in worked:
        return True
    return day.weekday() < 5 and day not in days_off


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    current, remaining = start, days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    count, current = 0, start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (age in months, certificate age)."""
    delta = relativedelta(end, start)
    return delta.years * 12 + delta.months


def add_months(day: date, months: int) -> date:
    return day + relativedelta(months=months)
