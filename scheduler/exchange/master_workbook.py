"""The cell's own workbook: every selected event, every field, every resource."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from scheduler.exchange.calendar_sheet import CalendarSheet, calendar_sheet_names, months
from scheduler.exchange.coordination_sheets import (
    SHEETS as COORDINATION_SHEETS,
)
from scheduler.exchange.coordination_sheets import (
    CoordinationBook,
    write_coordination_sheets,
)
from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.modules_sheet import MODULES_MEANING, MODULES_SHEET, ModulesSheet
from scheduler.exchange.output import PendingFile
from scheduler.exchange.resource_sheets import (
    BY_INSTRUCTOR_SHEET,
    BY_VENUE_SHEET,
    write_by_instructor,
    write_by_venue,
)
from scheduler.exchange.rows import AssignmentRow, EventRow
from scheduler.exchange.schedule_sheet import SCHEDULE_SHEET, ScheduleSheet
from scheduler.exchange.sheets import DATE, DATETIME, WRAP, Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import (
    ScheduleSource,
    calendar_entry,
    generated_note,
    save_workbook,
    streamed_workbook,
)
from scheduler.progress import Progress, ProgressCallback


@dataclass(frozen=True, slots=True)
class WorkbookResult:
    path: Path
    events: int
    period: tuple[date, date] | None
    file_hash: str
    sheets: tuple[str, ...]


PEOPLE_SHEET = "Trainees"
PEOPLE_COLUMNS = [
    Column("Ref", 12),
    Column("Course", 10),
    Column("Start", 15, DATETIME),
    Column("Name", 20, WRAP),
    Column("Name in Latin letters", 20, WRAP),
    Column("Rank", 11, WRAP),
    Column("Nation", 7),
    Column("Unit", 12),
    Column("Status", 11),
    Column("Result date", 11, DATE),
]


def write_master_workbook(
    target: Path,
    source: ScheduleSource,
    *,
    plan_name: str,
    marking: str,
    assignments: int,
    by_instructor: Iterable[AssignmentRow],
    by_venue: Iterable[EventRow],
    people: Iterable[Sequence[Any]] | None = None,
    coordination: CoordinationBook | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> WorkbookResult:
    """Write the master workbook to ``target`` (complete, or not at all).

    ``by_instructor`` (``assignments`` rows) and ``by_venue`` are streams in
    their sheets' order, read only once the Schedule and Calendar are
    written: one stream at a time is read from the plan. ``people`` (rows
    of ``PEOPLE_COLUMNS``): the named trainees on the events, only when the
    planner asks for them (names are personal data). ``coordination``:
    milestones, tasks, other providers and costs, after the resources.
    """
    moment = now or datetime.now().replace(microsecond=0)
    page = PageInfo(marking, f"Training schedule — {plan_name}", generated_note(moment))
    events, period = source.events, source.period
    month_count = len(months(*period)) if period else 0
    ticker = Progress(progress, events * 2 + assignments + month_count)
    calendar_sheets = calendar_sheet_names(period)
    sheets = (
        ("Cover", "This page"),
        (SCHEDULE_SHEET, "One row per event (each occurrence of a repeating course)"),
        calendar_entry(calendar_sheets),
        *([(MODULES_SHEET, MODULES_MEANING)] if source.modules else []),
        (BY_INSTRUCTOR_SHEET, "Each instructor's events"),
        (BY_VENUE_SHEET, "Each venue's events"),
        *([(PEOPLE_SHEET, "Who is on each event (personal data)")] if people is not None else []),
        *(COORDINATION_SHEETS if coordination is not None else ()),
    )
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        write_cover(
            workbook,
            page,
            CoverFacts(
                heading="Training schedule (master copy, internal)",
                plan_name=plan_name,
                partner=None,
                period=period,
                generated=moment,
                marking=marking,
                events=events,
                courses=source.courses,
                sheets=sheets,
            ),
        )
        schedule = ScheduleSheet(workbook, page, source.calendars, partner=False)
        calendar = CalendarSheet(workbook, page, source.calendars)
        calendar.begin(period, source.selection)
        modules = ModulesSheet(workbook, page, partner=False) if source.modules else None
        for row in source.rows:
            schedule.add(row)
            calendar.add(row, ticker)
            if modules is not None:
                modules.add(row)
            ticker.advance()
        schedule.sheet.close()
        calendar.finish(ticker)
        if modules is not None:
            modules.close()
        write_by_instructor(workbook, page, by_instructor, ticker)
        write_by_venue(workbook, page, by_venue, ticker)
        if people is not None:
            sheet = TableSheet(workbook, PEOPLE_SHEET, PEOPLE_COLUMNS, page, table_name="Trainees")
            for values in people:
                sheet.append(list(values))
            sheet.close()
        if coordination is not None:
            write_coordination_sheets(workbook, page, coordination)
        save_workbook(workbook, pending)
        ticker.finish()
        digest = pending.sha256()
        pending.publish()
    names = (
        "Cover",
        SCHEDULE_SHEET,
        *calendar_sheets,
        *([MODULES_SHEET] if source.modules else []),
        BY_INSTRUCTOR_SHEET,
        BY_VENUE_SHEET,
        *([PEOPLE_SHEET] if people is not None else []),
        *(tuple(name for name, _about in COORDINATION_SHEETS) if coordination is not None else ()),
    )
    return WorkbookResult(target, events, period, digest, names)
