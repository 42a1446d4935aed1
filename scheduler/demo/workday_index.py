"""Working days of each host nation over the whole demo window, precomputed.

The generator tries hundreds of thousands of candidate dates for a large
plan; asking WorkingCalendar for every one would dominate the run. The
index answers "the course starting on or after this day ends when?" with two
list look-ups, using WorkingCalendar itself to decide each day once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from scheduler.planning.workdays import WorkingCalendar


class WorkdayIndex:
    """Working days of one nation from ``first`` to ``last``, as ordinals."""

    def __init__(self, nation_code: str, first: date, last: date, closures: Iterable[date]) -> None:
        self.calendar = WorkingCalendar(nation_code, closures)
        self.first = first.toordinal()
        self.last = last.toordinal()
        self.days: list[int] = []
        # For each calendar day of the window: the position in ``days`` of
        # that day or the next working day after it.
        self._next: list[int] = []
        # Weekdays off (holidays, closures) before each calendar day of the window.
        self._offs: list[int] = [0]
        for ordinal in range(self.first, self.last + 1):
            self._next.append(len(self.days))
            day = date.fromordinal(ordinal)
            off = 0
            if self.calendar.is_working_day(day):
                self.days.append(ordinal)
            elif day.weekday() < 5:
                off = 1
            self._offs.append(self._offs[-1] + off)
        self._working = frozenset(self.days)

    def is_working(self, ordinal: int) -> bool:
        return ordinal in self._working

    def span(self, start: int, working_days: int) -> tuple[int, int] | None:
        """First and last day of a course starting on ``start`` or the next working day.

        None when a holiday or closure falls on a weekday inside: a planner
        would not split a course around a day off, and the conflict check
        would flag it.
        """
        if start < self.first or start > self.last:
            return None
        position = self._next[start - self.first]
        end = position + working_days - 1
        if end >= len(self.days):
            return None
        first, last = self.days[position], self.days[end]
        if self._offs[last - self.first + 1] != self._offs[first - self.first]:
            return None
        return first, last
