"""Counting working days from running totals gives what counting day by day gives."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduler.planning.workdays import WorkingCalendar
from scheduler.services.timeline_rows import TimelineBar, booked_days

# North Macedonia's holidays, a plan closure and a five-day week.
CALENDAR = WorkingCalendar("MK", closures=[date(2027, 3, 17), date(2028, 1, 3)])
BASE = date(2026, 12, 1)
days = st.integers(min_value=0, max_value=500).map(lambda n: BASE + timedelta(days=n))


def _one_by_one(calendar: WorkingCalendar, first: date, last: date) -> int:
    return sum(
        calendar.is_working_day(first + timedelta(days=i)) for i in range((last - first).days + 1)
    )


def _bar(first: date, last: date) -> TimelineBar:
    start = datetime.combine(first, datetime.min.time())
    end = datetime.combine(last, datetime.min.time())
    return TimelineBar(1, "u", "MK-1", 1, "CFA", None, "", "planned", start, end, first, last)


@settings(max_examples=200)
@given(days, days)
def test_working_days_between_matches_counting_each_day(a: date, b: date) -> None:
    first, last = min(a, b), max(a, b)
    assert CALENDAR.working_days_between(first, last) == _one_by_one(CALENDAR, first, last)
    assert CALENDAR.working_days_between(last, first - timedelta(days=1)) == 0


@settings(max_examples=200)
@given(st.lists(st.tuples(days, days), max_size=8), days, days)
def test_booked_days_count_each_working_day_once(
    spans: list[tuple[date, date]], a: date, b: date
) -> None:
    first, last = min(a, b), max(a, b)
    bars = [_bar(min(x, y), max(x, y)) for x, y in spans]
    booked: set[date] = set()
    for bar in bars:
        day = max(bar.first, first)
        while day <= min(bar.last, last):
            if CALENDAR.is_working_day(day):
                booked.add(day)
            day += timedelta(days=1)
    assert booked_days(bars, CALENDAR, first, last) == len(booked)
