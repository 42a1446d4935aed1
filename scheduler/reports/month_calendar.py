"""The month calendar report: one page per month, weeks as rows, events in the days.

Events are listed on every day they occupy (a five-day course shows in five
cells, the first one with its title, the others as a continuation), so the
page answers "what is running on the 14th" without following bars. Cancelled
events stay listed, struck through by the painter: a partner who saw the
event on an earlier printout learns that it is off. Days off (weekends by
the planner's working week, public holidays of the nations hosting events
that period, plan closure days) are shaded and named.

Built from the rows ``services.report_rows.calendar_months`` reads, a month
at a time; nothing here reads the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from scheduler.planning.data import CANCELLED
from scheduler.planning.periods import month_end, week_start_of
from scheduler.planning.wording import MONTH_NAMES, WEEKDAYS, days_text
from scheduler.reports.frame import ReportFrame

if TYPE_CHECKING:
    from scheduler.services.calendar_rows import CalendarRow, DayMarks


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One event in one day cell; ``continued`` when it started on an earlier day."""

    ref: str
    course_code: str
    title: str
    status: str
    colour: str | None
    continued: bool = False

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


@dataclass(frozen=True, slots=True)
class DayCell:
    day: date
    in_month: bool
    day_off: bool
    marks: tuple[str, ...] = ()
    entries: tuple[CalendarEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class CalendarMonth:
    month: date
    title: str
    weeks: tuple[tuple[DayCell, ...], ...]
    events: int  # events sharing a day with this month


@dataclass(frozen=True, slots=True)
class CalendarReport:
    frame: ReportFrame
    weekdays: tuple[str, ...]
    months: tuple[CalendarMonth, ...]


def _month(
    month: date,
    rows: Sequence[CalendarRow],
    week_start: int,
    working: frozenset[int],
    marks: DayMarks,
) -> CalendarMonth:
    last = month_end(month)
    grid_first = week_start_of(month, week_start)
    grid_last = last + timedelta(days=(week_start + 6 - last.weekday()) % 7)
    by_day: dict[date, list[CalendarEntry]] = {}
    for row in rows:
        day = max(row.first_day, month)
        while day <= min(row.last_day, last):
            by_day.setdefault(day, []).append(
                CalendarEntry(
                    row.ref,
                    row.course_code,
                    row.title,
                    row.status,
                    row.colour,
                    continued=day != row.first_day,
                )
            )
            day += timedelta(days=1)
    for entries in by_day.values():
        # What starts that day first: on a full day, "+N more" hides continuations.
        entries.sort(key=lambda entry: entry.continued)
    weeks: list[tuple[DayCell, ...]] = []
    day = grid_first
    while day <= grid_last:
        week = []
        for _ in range(7):
            inside = day.month == month.month and day.year == month.year
            week.append(
                DayCell(
                    day,
                    inside,
                    day.weekday() not in working,
                    tuple(marks.reasons(day)) if inside else (),
                    tuple(by_day.get(day, ())) if inside else (),
                )
            )
            day += timedelta(days=1)
        weeks.append(tuple(week))
    return CalendarMonth(
        month, f"{MONTH_NAMES[month.month - 1]} {month.year}", tuple(weeks), len(rows)
    )


def build_calendar_report(
    plan_name: str,
    months: Sequence[tuple[date, Sequence[CalendarRow]]],
    marks: DayMarks,
    *,
    week_start: int,
    working: frozenset[int],
    marking: str,
    now: Callable[[], datetime] = datetime.now,
) -> CalendarReport:
    """One page per month of ``months`` (each month's first day, with the events
    sharing a day with it); ``marks`` names the days off of the whole span.
    ``week_start`` is the planner's first day of the week, ``working`` the
    weekdays some nation of the plan works (Monday is 0)."""
    week_start %= 7
    pages = tuple(_month(month, rows, week_start, working, marks) for month, rows in months)
    frame = ReportFrame(
        title="Training calendar",
        plan_name=plan_name,
        period=days_text(months[0][0], month_end(months[-1][0])) if months else "",
        marking=marking,
        printed=now(),
        orientation="landscape",
    )
    weekdays = tuple(WEEKDAYS[(week_start + i) % 7] for i in range(7))
    return CalendarReport(frame, weekdays, pages)
