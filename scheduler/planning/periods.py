"""Calendar periods: months, quarters, years and weeks that start on a chosen day.

Pure date arithmetic shared by the workload rules, the calendar views, the
utilisation heatmap and the printed reports, so that "the quarter holding a
day" or "the weeks of a month" mean the same thing everywhere.
"""

from __future__ import annotations

from datetime import date, timedelta


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return add_months(day, 1) - timedelta(days=1)


def add_months(day: date, months: int) -> date:
    """The first of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> list[date]:
    """First days of the months from ``first``'s to ``last``'s, inclusive."""
    found = []
    month = month_start(first)
    while month <= last:
        found.append(month)
        month = add_months(month, 1)
    return found


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter holding ``day``."""
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    return first, add_months(first, 3) - timedelta(days=1)


def year_of(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def week_start_of(day: date, week_start: int) -> date:
    """The first day (weekday ``week_start``, 0 = Monday) of the week holding ``day``."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def week_starts(first: date, last: date, week_start: int) -> list[date]:
    """The first day of every week (starting on ``week_start``) sharing a day with the range."""
    start = week_start_of(first, week_start)
    starts = []
    while start <= last:
        starts.append(start)
        start += timedelta(days=7)
    return starts
