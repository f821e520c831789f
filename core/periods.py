"""Reporting periods: a year, a half-year, a quarter or a month.

A period is written as a code (``2026``, ``2026-H1``, ``2026-Q3``,
``2026-09``), the form ``build_report --period`` and the report records use
(DESIGN §4), and covers the whole days [start, end].

A **span** (:meth:`Period.span`) is any run of days, e.g. since the
regulation was signed or one year of it: the indicators count it like any
period. It has no place in a year (no index); its previous period is the
span of as many days just before it, and the same period last year the
same days one year earlier. ``build_report --period`` writes it
``24/09/2025-23/09/2026`` (:meth:`Period.parse` reads that form and the
code ``2025-09-24..2026-09-23``). A span covers at most
:data:`MAX_SPAN_YEARS` years.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext

YEAR = "year"
HALF = "half"
QUARTER = "quarter"
MONTH = "month"
KINDS = (YEAR, HALF, QUARTER, MONTH)
# Any run of days [start, end], outside the calendar's periods.
SPAN = "span"

# Months per period of each kind.
_MONTHS = {YEAR: 12, HALF: 6, QUARTER: 3, MONTH: 1}
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}

# The longest span of days a period may cover.
MAX_SPAN_YEARS = 5
_DAY = r"(\d{1,2})/(\d{1,2})/(\d{4})"
_SPAN_TEXT = re.compile(rf"^{_DAY}\s*(?:-|–|đến)\s*{_DAY}$")
_SPAN_CODE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})$")

_PATTERNS = [
    (re.compile(r"^(\d{4})$"), YEAR),
    (re.compile(r"^(\d{4})-H([12])$"), HALF),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTH),
]


@dataclass(frozen=True)
class Period:
    """One reporting period; build it with :meth:`parse` or :meth:`of`."""

    code: str
    kind: str
    start: date
    end: date

    def __post_init__(self):
        if self.kind not in KINDS and self.kind != SPAN:
            raise ValueError(f"Unknown period kind {self.kind!r}; expected one of {KINDS}.")
        if self.start > self.end:
            raise ValueError("A period cannot end before it starts.")

    def __str__(self):
        return self.code

    # --- construction ----------------------------------------------------------------
    @classmethod
    def of(cls, kind: str, year: int, index: int = 1) -> Period:
        """The ``index``-th period of ``kind`` in ``year`` (1-based; 1 for a year)."""
        if kind not in KINDS:
            raise ValueError(f"Unknown period kind {kind!r}; expected one of {KINDS}.")
        span = _MONTHS[kind]
        if not 1 <= index <= 12 // span:
            raise ValueError(f"A year has no {kind} number {index}.")
        first_month = (index - 1) * span + 1
        last_month = first_month + span - 1
        start = date(year, first_month, 1)
        end = date(year, last_month, calendar.monthrange(year, last_month)[1])
        code = {
            YEAR: f"{year:04d}",
            HALF: f"{year:04d}-H{index}",
            QUARTER: f"{year:04d}-Q{index}",
            MONTH: f"{year:04d}-{index:02d}",
        }[kind]
        return cls(code=code, kind=kind, start=start, end=end)

    @classmethod
    def span(cls, start: date, end: date) -> Period:
        """The days from ``start`` to ``end``, both included (code
        ``2025-09-24..2026-12-07``)."""
        return cls(code=f"{start.isoformat()}..{end.isoformat()}", kind=SPAN, start=start,
                   end=end)

    @classmethod
    def parse(cls, code: str) -> Period:
        """Read ``2026``, ``2026-H1``, ``2026-Q3`` or ``2026-09`` (h/q in any
        case), or a span of days ``24/09/2025-23/09/2026`` (or its code
        ``2025-09-24..2026-09-23``)."""
        text = (code or "").strip().upper() if isinstance(code, str) else ""
        span = _parse_span(text)
        if span is not None:
            return span
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if match:
                year = int(match.group(1))
                index = int(match.group(2)) if kind != YEAR else 1
                if year < 1:
                    break
                return cls.of(kind, year, index)
        raise ValueError(gettext(
            "Invalid period %(code)s: write a year (2026), a half-year (2026-H1 or 2026-H2), "
            "a quarter (2026-Q1 to 2026-Q4), a month (2026-09) or a span of days "
            "(24/09/2025-23/09/2026)."
        ) % {"code": repr(code)})

    @classmethod
    def containing(cls, kind: str, day: date) -> Period:
        """The period of ``kind`` that contains ``day``."""
        if kind not in KINDS:
            raise ValueError(f"Unknown period kind {kind!r}; expected one of {KINDS}.")
        return cls.of(kind, day.year, (day.month - 1) // _MONTHS[kind] + 1)

    @classmethod
    def just_ended(cls, kind: str, today: date) -> Period:
        """The last complete period of ``kind`` before ``today``.

        For the scheduler, which runs on the first day after a period ends:
        a quarter on 2026-10-01 gives 2026-Q3, a year on 2027-01-01 gives 2026.
        """
        return cls.containing(kind, today).previous()

    def so_far(self, today: date) -> Period:
        """This period cut at ``today`` when it is still running (same code and kind).

        The dashboard, plan targets and the overview measure "this year" as
        ``Period.of("year", y).so_far(today)``: from 1 January to today.
        """
        if self.start <= today < self.end:
            return Period(code=self.code, kind=self.kind, start=self.start, end=today)
        return self

    # --- navigation ------------------------------------------------------------------
    @property
    def year(self) -> int:
        return self.start.year

    @property
    def index(self) -> int:
        """1-based position in the year: the half, quarter or month (1 for a year)."""
        if self.kind == SPAN:
            raise ValueError("A span of days has no position in a year.")
        return (self.start.month - 1) // _MONTHS[self.kind] + 1

    @property
    def is_span(self) -> bool:
        return self.kind == SPAN

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same kind just before this one (for a span: as
        many days, ending the day before it starts)."""
        if self.kind == SPAN:
            end = self.start - timedelta(days=1)
            return Period.span(end - timedelta(days=self.days - 1), end)
        if self.index > 1:
            return Period.of(self.kind, self.year, self.index - 1)
        return Period.of(self.kind, self.year - 1, 12 // _MONTHS[self.kind])

    def same_last_year(self) -> Period:
        """The same period one year earlier (for a span: the same days; 29
        February becomes 28)."""
        if self.kind == SPAN:
            return Period.span(add_years(self.start, -1), add_years(self.end, -1))
        return Period.of(self.kind, self.year - 1, self.index)

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    # --- display ---------------------------------------------------------------------
    @property
    def label(self) -> str:
        """The period in words, as Vietnamese reports write it."""
        if self.kind == SPAN:
            return f"từ {self.start:%d/%m/%Y} đến {self.end:%d/%m/%Y}"
        if self.kind == YEAR:
            return f"năm {self.year}"
        if self.kind == HALF:
            side = "đầu" if self.index == 1 else "cuối"
            return f"6 tháng {side} năm {self.year}"
        if self.kind == QUARTER:
            return f"quý {_ROMAN[self.index]} năm {self.year}"
        return f"tháng {self.index} năm {self.year}"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (earlier when negative); 29 February
    becomes 28 in a year without it."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def span_too_long(start: date, end: date) -> bool:
    """Whether [start, end] covers more than :data:`MAX_SPAN_YEARS` years."""
    return end >= add_years(start, MAX_SPAN_YEARS)


def _parse_span(text: str) -> Period | None:
    """The span written ``dd/mm/yyyy-dd/mm/yyyy`` or as its code; None when
    ``text`` is neither form. A span that ends before it starts, a day that
    does not exist or one too long is an error in words."""
    match = _SPAN_TEXT.match(text)
    if match:
        d1, m1, y1, d2, m2, y2 = (int(g) for g in match.groups())
    else:
        match = _SPAN_CODE.match(text)
        if not match:
            return None
        y1, m1, d1, y2, m2, d2 = (int(g) for g in match.groups())
    try:
        start, end = date(y1, m1, d1), date(y2, m2, d2)
    except ValueError:
        raise ValueError(gettext("Invalid period %(code)s: one of its days does not exist.")
                         % {"code": repr(text)}) from None
    if end < start:
        raise ValueError(gettext("Invalid period %(code)s: it ends before it starts.")
                         % {"code": repr(text)})
    if span_too_long(start, end):
        raise ValueError(gettext("Invalid period %(code)s: a span of days covers at most "
                                 "%(years)s years.") % {"code": repr(text),
                                                        "years": MAX_SPAN_YEARS})
    return Period.span(start, end)
