"""The cell's own workbook: every selected event, every field, every resource."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from scheduler.exchange.calendar_sheet import CalendarSheet, months
from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.output import PendingFile
from scheduler.exchange.progress import Progress, ProgressCallback
from scheduler.exchange.resource_sheets import (
    BY_INSTRUCTOR_SHEET,
    BY_VENUE_SHEET,
    assignment_count,
    write_by_instructor,
    write_by_venue,
)
from scheduler.exchange.rows import (
    EventFilter,
    count_events,
    event_period,
    iter_events,
    load_calendars,
)
from scheduler.exchange.schedule_sheet import SCHEDULE_SHEET, ScheduleSheet
from scheduler.exchange.sheets import PageInfo
from scheduler.exchange.workbook_common import (
    courses_in,
    generated_note,
    save_workbook,
    streamed_workbook,
)


@dataclass(frozen=True, slots=True)
class WorkbookResult:
    path: Path
    events: int
    period: tuple[date, date] | None
    file_hash: str
    sheets: tuple[str, ...]


def selection_period(session: Session, event_filter: EventFilter) -> tuple[date, date] | None:
    """The period asked for, or the span of the selected events when open-ended."""
    found = event_period(session, event_filter)
    first = event_filter.date_from or (found[0] if found else None)
    last = event_filter.date_to or (found[1] if found else None)
    if first is None or last is None:
        return None
    return first, last


def write_master_workbook(
    session: Session,
    target: Path,
    *,
    plan_name: str,
    event_filter: EventFilter,
    marking: str,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> WorkbookResult:
    """Write the master workbook to ``target`` (complete, or not at all)."""
    moment = now or datetime.now().replace(microsecond=0)
    page = PageInfo(marking, f"Training schedule — {plan_name}", generated_note(moment))
    events = count_events(session, event_filter)
    period = selection_period(session, event_filter)
    month_count = len(months(*period)) if period else 0
    assignments = assignment_count(session, event_filter)
    ticker = Progress(progress, events * 2 + assignments + month_count)
    calendars = load_calendars(session)
    sheets = (
        ("Cover", "This page"),
        (SCHEDULE_SHEET, "One row per event (each occurrence of a repeating course)"),
        ("Calendar", "Month by month, days across; bars in course colours"),
        (BY_INSTRUCTOR_SHEET, "Each instructor's events"),
        (BY_VENUE_SHEET, "Each venue's events"),
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
                courses=courses_in(session, event_filter),
                sheets=sheets,
            ),
        )
        schedule = ScheduleSheet(workbook, page, calendars, partner=False)
        calendar = CalendarSheet(workbook, page, calendars)
        calendar.begin(period, event_filter)
        for row in iter_events(session, event_filter):
            schedule.add(row)
            calendar.add(row, ticker)
            ticker.advance()
        schedule.sheet.close()
        calendar.finish(ticker)
        write_by_instructor(workbook, page, session, event_filter, ticker)
        write_by_venue(workbook, page, session, event_filter, ticker)
        save_workbook(workbook, pending)
        ticker.finish()
        digest = pending.sha256()
        pending.publish()
    return WorkbookResult(target, events, period, digest, tuple(name for name, _ in sheets))
