"""Working days: a nation's working week, its public holidays and plan closure days.

Courses last a number of *working* days, so a five-day course that starts on
the Thursday before Orthodox Easter in North Macedonia ends the following
Thursday. Holiday tables come from the ``holidays`` package and are built
once per (nation, region, year); the region is a venue's subdivision where
holidays differ inside a nation (Republika Srpska, Brčko District). The
working week is each nation's, kept in the plan, so every planner and every
command counts the same days.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays as holidays_lib

from scheduler.planning.data import MONDAY_TO_FRIDAY, ClosureData, EventData, PlanData

DEFAULT_WORKING_WEEKDAYS: frozenset[int] = MONDAY_TO_FRIDAY


@lru_cache(maxsize=512)
def public_holidays(nation_code: str, year: int, region: str | None = None) -> dict[date, str]:
    """Public holidays of a nation (and one of its regions) in a year,
    date -> name; empty for a nation the package does not know, the
    nation's own for a region it does not know."""
    try:
        table = holidays_lib.country_holidays(nation_code.upper(), subdiv=region, years=year)
    except NotImplementedError:
        return public_holidays(nation_code, year) if region else {}
    return {day: str(name) for day, name in table.items()}


class WorkingCalendar:
    """Which days of one host nation are working days.

    ``closures`` are extra non-working days defined in the plan (a national
    day off announced late, the cell's own stand-down). ``holiday_calendar``
    is the ``holidays`` country code when it differs from the nation code;
    ``holiday_region`` a subdivision of it whose holidays apply as well.
    """

    def __init__(
        self,
        nation_code: str | None,
        closures: Iterable[date] = (),
        working_weekdays: frozenset[int] = DEFAULT_WORKING_WEEKDAYS,
        *,
        holiday_calendar: str | None = None,
        closure_names: Mapping[date, str] | None = None,
        holiday_region: str | None = None,
    ) -> None:
        self.nation_code = nation_code
        self.holiday_calendar = holiday_calendar or nation_code
        self.holiday_region = holiday_region
        self.closure_names: dict[date, str] = dict(closure_names or {})
        self.closures = frozenset(closures) | frozenset(self.closure_names)
        self.working_weekdays = working_weekdays
        # year -> every day off in it with its reason; conflict checks ask
        # about each day of 100,000 events, so one dict look-up per day.
        self._days_off: dict[int, dict[date, str]] = {}
        self._sorted_days_off: dict[int, list[date]] = {}
        self._working_days: dict[tuple[date, date], tuple[date, ...]] = {}
        self._days: dict[date, date] = {}
        # year -> running count of working days, one entry per day of the year
        self._running: dict[int, list[int]] = {}

    def _days_off_in(self, year: int) -> dict[date, str]:
        table = self._days_off.get(year)
        if table is None:
            table = {
                day: self.closure_names.get(day, "plan closure")
                for day in self.closures
                if day.year == year
            }
            if self.holiday_calendar is not None:
                table.update(public_holidays(self.holiday_calendar, year, self.holiday_region))
            self._days_off[year] = table
        return table

    def _any_day_off(self, first: date, last: date) -> bool:
        for year in range(first.year, last.year + 1):
            ordered = self._sorted_days_off.get(year)
            if ordered is None:
                ordered = self._sorted_days_off[year] = sorted(self._days_off_in(year))
            index = bisect_left(ordered, first)
            if index < len(ordered) and ordered[index] <= last:
                return True
        return False

    def holiday_name(self, day: date) -> str | None:
        if self.holiday_calendar is None:
            return None
        return public_holidays(self.holiday_calendar, day.year, self.holiday_region).get(day)

    def day_off_reason(self, day: date) -> str | None:
        """Why a weekday is not worked: the holiday's or the closure's name."""
        return self._days_off_in(day.year).get(day)

    def days_off_between(self, first: date, last: date) -> list[tuple[date, str]]:
        """Holidays and closures from ``first`` to ``last`` (both included).

        Weekend days are left out unless the whole range lies on non-working
        weekdays: a holiday on a Sunday inside a two-week course stops nothing,
        but a course deliberately held on a Saturday holiday does clash.
        """
        if not self._any_day_off(first, last):
            return []
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
        if any(d.weekday() in self.working_weekdays for d in days):
            days = [d for d in days if d.weekday() in self.working_weekdays]
        found = []
        for day in days:
            reason = self._days_off_in(day.year).get(day)
            if reason is not None:
                found.append((day, reason))
        return found

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.working_weekdays and day not in self._days_off_in(day.year)

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

    def working_days_in(self, first: date, last: date) -> tuple[date, ...]:
        """The working days from ``first`` to ``last`` (both included).

        Remembered per range: many events of a plan share their dates.
        """
        key = (first, last)
        found = self._working_days.get(key)
        if found is None:
            one = self._days.setdefault  # each day one object, however many ranges hold it
            found = tuple(
                one(day, day)
                for day in (first + timedelta(days=i) for i in range((last - first).days + 1))
                if self.is_working_day(day)
            )
            if len(self._working_days) > 100_000:
                self._working_days.clear()
            self._working_days[key] = found
        return found

    def working_days_between(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included.

        Two look-ups in a per-year running count, whatever the length: the
        timeline's utilisation strip asks this of every row at every scroll.
        """
        if last < first:
            return 0
        if first.year == last.year:  # the usual case: one year's running count
            base, running = self._running_count(first.year)
            start = first.toordinal() - base
            return running[last.toordinal() - base] - (running[start - 1] if start else 0)
        count = 0
        for year in range(first.year, last.year + 1):
            low = first if first.year == year else date(year, 1, 1)
            high = last if last.year == year else date(year, 12, 31)
            count += self.working_days_between(low, high)
        return count

    def _running_count(self, year: int) -> tuple[int, list[int]]:
        """(ordinal of 1 January, working days from then up to each day of the year)."""
        running = self._running.get(year)
        if running is None:
            running = []
            count = 0
            day = date(year, 1, 1)
            while day.year == year:
                count += self.is_working_day(day)
                running.append(count)
                day += timedelta(days=1)
            self._running[year] = running
        return date(year, 1, 1).toordinal(), running


class PlanCalendars:
    """The working calendar of every host nation (and holiday region), with
    the plan's closure days and each nation's working week.

    A closure without a nation applies everywhere; one with a nation only
    there. A nation the plan does not know works Monday to Friday. Calendars
    are built on first use and kept.
    """

    def __init__(
        self,
        closures: Iterable[ClosureData] = (),
        holiday_calendars: Mapping[str, str | None] | None = None,
        working_weeks: Mapping[str, frozenset[int]] | None = None,
    ) -> None:
        self._closures = tuple(closures)
        self._holiday_calendars = dict(holiday_calendars or {})
        self._working_weeks = dict(working_weeks or {})
        self._calendars: dict[tuple[str | None, str | None], WorkingCalendar] = {}

    @classmethod
    def of_plan(cls, plan: PlanData) -> PlanCalendars:
        return cls(
            plan.closures,
            {code: n.holiday_calendar for code, n in plan.nations.items()},
            {code: n.working_weekdays for code, n in plan.nations.items()},
        )

    def working_week(self, nation_code: str | None) -> frozenset[int]:
        return self._working_weeks.get(nation_code or "", DEFAULT_WORKING_WEEKDAYS)

    def any_working_weekdays(self) -> frozenset[int]:
        """The weekdays some nation of the plan works: what a view of the
        whole plan leaves undimmed."""
        weeks = list(self._working_weeks.values())
        return frozenset().union(*weeks) if weeks else DEFAULT_WORKING_WEEKDAYS

    def for_nation(self, nation_code: str | None, region: str | None = None) -> WorkingCalendar:
        key = (nation_code, region)
        calendar = self._calendars.get(key)
        if calendar is None:
            names = {
                c.day: c.name
                for c in self._closures
                if c.nation_code is None or c.nation_code == nation_code
            }
            calendar = WorkingCalendar(
                nation_code,
                working_weekdays=self.working_week(nation_code),
                holiday_calendar=self._holiday_calendars.get(nation_code or "") or nation_code,
                closure_names=names,
                holiday_region=region,
            )
            self._calendars[key] = calendar
        return calendar

    def for_event(self, plan: PlanData, event: EventData) -> WorkingCalendar:
        """The calendar of an event's host place (its venue's nation and region)."""
        return self.for_nation(*plan.host_place(event))
