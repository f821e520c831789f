from datetime import date

import pytest

from core.periods import Period


@pytest.mark.parametrize(
    ("code", "kind", "start", "end"),
    [
        ("2026", "year", date(2026, 1, 1), date(2026, 12, 31)),
        ("2026-H1", "half", date(2026, 1, 1), date(2026, 6, 30)),
        ("2026-H2", "half", date(2026, 7, 1), date(2026, 12, 31)),
        ("2026-Q1", "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", "quarter", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", "quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026-01", "month", date(2026, 1, 1), date(2026, 1, 31)),
        ("2026-09", "month", date(2026, 9, 1), date(2026, 9, 30)),
        ("2026-12", "month", date(2026, 12, 1), date(2026, 12, 31)),
        ("2024-02", "month", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-02", "month", date(2026, 2, 1), date(2026, 2, 28)),
    ],
)
def test_parse_every_form(code, kind, start, end):
    period = Period.parse(code)
    assert period == Period(code=code, kind=kind, start=start, end=end)
    assert str(period) == code


def test_parse_is_forgiving_about_case_and_spaces_and_normalises_the_code():
    assert Period.parse(" 2026-q3 ").code == "2026-Q3"
    assert Period.parse("2026-h2").code == "2026-H2"


@pytest.mark.parametrize(
    "code",
    ["", "   ", "26", "20266", "2026-H3", "2026-H0", "2026-Q0", "2026-Q5", "2026-00", "2026-13",
     "2026-9", "2026/09", "09/2026", "2026-S1", "2026-Q1-01", "0000", "năm 2026", None],
)
def test_parse_rejects_bad_codes_with_a_clear_message(code):
    with pytest.raises(ValueError) as excinfo:
        Period.parse(code)
    # The message names the bad code and shows the accepted forms.
    message = str(excinfo.value)
    assert repr(code) in message
    assert "2026-H1" in message and "2026-Q" in message and "2026-09" in message


def test_of_rejects_out_of_range_indexes_and_unknown_kinds():
    with pytest.raises(ValueError):
        Period.of("quarter", 2026, 5)
    with pytest.raises(ValueError):
        Period.of("week", 2026, 1)
    with pytest.raises(ValueError):
        Period(code="x", kind="week", start=date(2026, 1, 1), end=date(2026, 1, 7))


def test_period_is_frozen_and_hashable():
    period = Period.parse("2026-Q3")
    with pytest.raises(AttributeError):
        period.code = "2026-Q4"
    assert {period, Period.parse("2026-Q3")} == {period}


@pytest.mark.parametrize(
    ("code", "previous"),
    [
        ("2026", "2025"),
        ("2026-H2", "2026-H1"),
        ("2026-H1", "2025-H2"),
        ("2026-Q3", "2026-Q2"),
        ("2026-Q1", "2025-Q4"),
        ("2026-09", "2026-08"),
        ("2026-01", "2025-12"),
        ("2024-03", "2024-02"),
    ],
)
def test_previous(code, previous):
    assert Period.parse(code).previous() == Period.parse(previous)


@pytest.mark.parametrize(
    ("code", "last_year"),
    [("2026", "2025"), ("2026-H1", "2025-H1"), ("2026-H2", "2025-H2"), ("2026-Q3", "2025-Q3"),
     ("2026-01", "2025-01"), ("2025-02", "2024-02")],
)
def test_same_last_year(code, last_year):
    assert Period.parse(code).same_last_year() == Period.parse(last_year)


@pytest.mark.parametrize(
    ("kind", "today", "expected"),
    [
        ("quarter", date(2026, 10, 1), "2026-Q3"),
        ("quarter", date(2026, 9, 30), "2026-Q2"),  # Q3 is not over yet on its last day
        ("quarter", date(2026, 1, 1), "2025-Q4"),   # year boundary
        ("quarter", date(2026, 4, 1), "2026-Q1"),
        ("half", date(2026, 7, 1), "2026-H1"),
        ("half", date(2026, 6, 30), "2025-H2"),
        ("half", date(2027, 1, 1), "2026-H2"),
        ("year", date(2027, 1, 1), "2026"),
        ("year", date(2026, 12, 31), "2025"),
        ("month", date(2026, 10, 1), "2026-09"),
        ("month", date(2026, 1, 1), "2025-12"),
        ("month", date(2026, 3, 15), "2026-02"),
    ],
)
def test_just_ended(kind, today, expected):
    assert Period.just_ended(kind, today) == Period.parse(expected)


def test_just_ended_rejects_unknown_kind():
    with pytest.raises(ValueError):
        Period.just_ended("week", date(2026, 10, 1))


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("2026", "năm 2026"),
        ("2026-H1", "6 tháng đầu năm 2026"),
        ("2026-H2", "6 tháng cuối năm 2026"),
        ("2026-Q1", "quý I năm 2026"),
        ("2026-Q2", "quý II năm 2026"),
        ("2026-Q3", "quý III năm 2026"),
        ("2026-Q4", "quý IV năm 2026"),
        ("2026-09", "tháng 9 năm 2026"),
        ("2026-12", "tháng 12 năm 2026"),
    ],
)
def test_labels(code, label):
    assert Period.parse(code).label == label


def test_contains_includes_both_ends():
    period = Period.parse("2026-Q3")
    assert date(2026, 7, 1) in period
    assert date(2026, 9, 30) in period
    assert date(2026, 6, 30) not in period
    assert date(2026, 10, 1) not in period


def test_so_far_cuts_a_running_period_at_today_and_keeps_others():
    from datetime import date

    year = Period.of("year", 2026)
    assert year.so_far(date(2026, 5, 10)).end == date(2026, 5, 10)
    assert year.so_far(date(2026, 5, 10)).start == date(2026, 1, 1)
    assert year.so_far(date(2026, 5, 10)).code == "2026"
    assert year.so_far(date(2027, 1, 2)) == year
    assert year.so_far(date(2026, 12, 31)) == year
