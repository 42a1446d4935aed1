"""What the master and partner workbooks share: what they are written from, saving."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook

from scheduler.exchange.cells import align_default_to_top
from scheduler.exchange.output import PendingFile, write_error
from scheduler.exchange.rows import CourseColour, EventFilter, EventRow
from scheduler.planning.workdays import PlanCalendars


@dataclass(frozen=True, slots=True)
class ScheduleSource:
    """What a schedule workbook is written from: a few facts read first (the
    cover and the progress bar need them before any row), then the rows.

    ``rows`` is a stream (a generator reading the plan a chunk at a time, in
    start order), consumed once as the Schedule and Calendar sheets are
    written; never a list, so a 100,000-event export stays flat in memory.
    """

    selection: EventFilter  # which events; its dates also bound the Calendar's months
    events: int  # how many ``rows`` gives
    period: tuple[date, date] | None  # the period asked for, or the events' span
    calendars: PlanCalendars  # working days: weekends, public holidays, closures
    courses: Sequence[CourseColour]  # the courses the events run, for the legend
    rows: Iterable[EventRow]
    modules: int = 0  # modules of the selected events: a Modules sheet when any


def calendar_entry(names: Sequence[str]) -> tuple[str, str]:
    """The cover's line for the calendar tabs: one line however many months."""
    meaning = "Month by month, one tab each, days across; bars in course colours"
    if len(names) == 1:
        return names[0], meaning
    return f"{names[0]} to {names[-1].split(' ', 1)[1]}", meaning


def generated_note(moment: datetime) -> str:
    return f"Generated {moment:%Y-%m-%d %H:%M}"


@contextmanager
def streamed_workbook() -> Iterator[Any]:
    """A write-only workbook whose sheets are closed quietly if the export fails
    (otherwise openpyxl complains at exit about half-written temporary sheets)."""
    workbook = Workbook(write_only=True)
    align_default_to_top(workbook)
    try:
        yield workbook
    except BaseException:
        for sheet in workbook._sheets:
            with suppress(Exception):
                sheet.close()
        raise


def save_workbook(workbook: Any, pending: PendingFile) -> None:
    try:
        workbook.save(pending.temp)
    except OSError as exc:
        raise write_error(pending.target, exc) from exc
