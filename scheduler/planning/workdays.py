"""Working days: weekends, a nation's public holidays and plan closure days.

Courses last a number of *working* days, so a five-day course that starts on
the Thursday before Orthodox Easter in North Macedonia ends the following
Thursday. Holiday tables come from the ``holidays`` package and are built
once per (nation, year).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib

DEFAULT_WORKING_WEEKDAYS: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday..Friday


@lru_cache(maxsize=512)
def public_holidays(nation_code: str, year: int) -> dict[date, str]:
    """Public holidays of a nation in a year, date -> name (empty if unknown)."""
    try:
        table = holidays_lib.country_holidays(nation_code.upper(), years=year)
    except NotImplementedError:
        return {}
    return {day: str(name) for day, name in table.items()}


class WorkingCalendar:
    """Which days of one host nation are working days.

    ``closures`` are extra non-working days defined in the plan (a national
    day off announced late, the cell's own stand-down).
    """

    def __init__(
        self,
        nation_code: str | None,
        closures: Iterable[date] = (),
        working_weekdays: frozenset[int] = DEFAULT_WORKING_WEEKDAYS,
    ) -> None:
        self.nation_code = nation_code
        self.closures = frozenset(closures)
        self.working_weekdays = working_weekdays

    def holiday_name(self, day: date) -> str | None:
        if self.nation_code is None:
            return None
        return public_holidays(self.nation_code, day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return (
            day.weekday() in self.working_weekdays
            and day not in self.closures
            and self.holiday_name(day) is None
        )

    def next_working_day(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        for _ in range(3660):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within ten years")

    def end_date(self, start: date, working_days: int) -> date:
        """The last day of a course of ``working_days`` that starts on ``start``.

        Non-working days at the start are skipped first, so the course always
        holds exactly ``working_days`` working days.
        """
        if working_days < 1:
            raise ValueError("a course lasts at least one working day")
        day = self.next_working_day(start)
        remaining = working_days - 1
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included."""
        count = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += timedelta(days=1)
        return count
