"""The month calendar report: one page per month, weeks as rows, events in the days.

Events are listed on every day they occupy (a five-day course shows in five
cells, the first one with its title, the others as a continuation), so the
page answers "what is running on the 14th" without following bars. Cancelled
events stay listed, struck through by the painter: a partner who saw the
event on an earlier printout learns that it is off. Days off (weekends by
the planner's working week, public holidays of the nations hosting events
that period, plan closure days) are shaded and named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from scheduler.exchange.progress import Progress, ProgressCallback
from scheduler.planning.data import CANCELLED
from scheduler.planning.periods import month_end, months_between, week_start_of
from scheduler.planning.wording import MONTH_NAMES, WEEKDAYS, days_text
from scheduler.preferences import load_preferences
from scheduler.reports.frame import ReportFrame
from scheduler.services.calendar_rows import (
    CalendarRow,
    DayMarks,
    calendar_rows,
    day_marks,
    longest_event,
)
from scheduler.services.markings import marking_for


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
    rows: list[CalendarRow],
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
    session: Session,
    plan_name: str,
    first: date,
    last: date,
    *,
    marking: str | None = None,
    progress: ProgressCallback | None = None,
    now: Callable[[], datetime] = datetime.now,
) -> CalendarReport:
    """One page per month touching ``first``..``last`` (whole months are shown)."""
    preferences = load_preferences()
    week_start = preferences.week_start % 7
    working = frozenset(preferences.working_weekdays)
    months = months_between(first, last)
    counter = Progress(progress, len(months), step=1)
    longest = longest_event(session)
    per_month = []
    nations: set[str] = set()
    for month in months:
        rows = calendar_rows(session, month, month_end(month), longest)
        nations.update(row.nation for row in rows if row.nation)
        per_month.append(rows)
        counter.advance()
    marks = (
        day_marks(session, months[0], month_end(months[-1]), nations, venue_closures=False)
        if months
        else DayMarks()
    )
    pages = tuple(
        _month(month, rows, week_start, working, marks)
        for month, rows in zip(months, per_month, strict=True)
    )
    counter.finish()
    frame = ReportFrame(
        title="Training calendar",
        plan_name=plan_name,
        period=days_text(months[0], month_end(months[-1])) if months else "",
        marking=marking_for(marking),
        printed=now(),
        orientation="landscape",
    )
    weekdays = tuple(WEEKDAYS[(week_start + i) % 7] for i in range(7))
    return CalendarReport(frame, weekdays, pages)
