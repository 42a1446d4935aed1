"""A partner's own workbook: its units' events, partner-facing fields only.

Data minimisation is the point: the rows come from a selection limited to
the partner's units, the audience shown is limited to them too (another
partner training on the same course stays invisible), internal notes are
never read into a partner sheet, and an instructor's name appears only when
that instructor is releasable.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from scheduler.exchange.calendar_sheet import CalendarSheet, months
from scheduler.exchange.cells import font
from scheduler.exchange.changes import Change, changes_since, snapshot_entry
from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.master_workbook import WorkbookResult, selection_period
from scheduler.exchange.output import PendingFile
from scheduler.exchange.progress import Progress, ProgressCallback
from scheduler.exchange.rows import (
    PARTNER_STATUSES,
    EventFilter,
    Partner,
    count_events,
    iter_events,
    load_calendars,
)
from scheduler.exchange.schedule_sheet import SCHEDULE_SHEET, ScheduleSheet
from scheduler.exchange.sheets import Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import (
    courses_in,
    generated_note,
    save_workbook,
    streamed_workbook,
)

CHANGES_SHEET = "Changes since last release"
CHANGE_COLUMNS = [
    Column("Change", 12),
    Column("Ref", 14),
    Column("Course", 44),
    Column("Was", 46),
    Column("Now", 46),
    Column("Details", 44),
]


@dataclass(frozen=True, slots=True)
class PreviousRelease:
    released_at: datetime
    snapshot: list[dict[str, str]]


@dataclass(frozen=True, slots=True)
class PartnerWorkbookResult:
    workbook: WorkbookResult
    snapshot: list[dict[str, str]]
    changes: list[Change]


def partner_filter(partner: Partner, event_filter: EventFilter) -> EventFilter:
    """The events a partner may see within ``event_filter``: its units', no drafts."""
    return replace(event_filter, unit_ids=partner.unit_ids, statuses=PARTNER_STATUSES)


def write_partner_workbook(
    session: Session,
    target: Path,
    *,
    plan_name: str,
    partner: Partner,
    event_filter: EventFilter,
    marking: str,
    previous: PreviousRelease | None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> PartnerWorkbookResult:
    moment = now or datetime.now().replace(microsecond=0)
    selection = partner_filter(partner, event_filter)
    partner_label = f"{partner.name} ({partner.code})"
    page = PageInfo(marking, f"Training schedule for {partner_label}", generated_note(moment))
    events = count_events(session, selection)
    period = selection_period(session, selection)
    ticker = Progress(progress, events + (len(months(*period)) if period else 0) + 1)
    calendars = load_calendars(session)

    since = f"since {previous.released_at:%Y-%m-%d %H:%M}" if previous else "(first release)"
    sheets = (
        ("Cover", "This page"),
        (SCHEDULE_SHEET, "Your units' training, one row per event"),
        ("Calendar", "Month by month, days across; bars in course colours"),
        (CHANGES_SHEET, f"What is new, moved or cancelled {since}"),
    )
    snapshot: list[dict[str, str]] = []
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        write_cover(
            workbook,
            page,
            CoverFacts(
                heading="Training schedule",
                plan_name=plan_name,
                partner=partner_label,
                period=period,
                generated=moment,
                marking=marking,
                events=events,
                courses=courses_in(session, selection),
                sheets=sheets,
            ),
        )
        schedule = ScheduleSheet(workbook, page, calendars, partner=True)
        calendar = CalendarSheet(workbook, page, calendars)
        changes_sheet = TableSheet(
            workbook, CHANGES_SHEET, CHANGE_COLUMNS, page, table_name="Changes"
        )
        calendar.begin(period, selection)
        for row in iter_events(session, selection, audience_units=partner.unit_ids):
            schedule.add(row)
            calendar.add(row, ticker)
            snapshot.append(snapshot_entry(row))
            ticker.advance()
        schedule.sheet.close()
        calendar.finish(ticker)
        first, last = event_filter.date_from, event_filter.date_to
        changes = changes_since(
            previous.snapshot if previous else [], snapshot, first=first, last=last
        )
        if previous is None:
            note = changes_sheet.style(font=font(italic=True))
            changes_sheet.append(
                [
                    "Added",
                    None,
                    note.cell(f"No earlier release to {partner_label} is recorded:"),
                    note.cell("every event in this file is new to you."),
                    None,
                    None,
                ]
            )
        elif not changes:
            note = changes_sheet.style(font=font(italic=True))
            changes_sheet.append(
                [
                    None,
                    None,
                    note.cell(
                        f"No changes since the release of {previous.released_at:%Y-%m-%d %H:%M}."
                    ),
                    None,
                    None,
                    None,
                ]
            )
        else:
            for change in changes:
                changes_sheet.append(
                    [change.kind, change.ref, change.course, change.was, change.now, change.detail]
                )
        changes_sheet.close()
        save_workbook(workbook, pending)
        ticker.finish()
        digest = pending.sha256()
        pending.publish()
    result = WorkbookResult(target, events, period, digest, tuple(name for name, _ in sheets))
    return PartnerWorkbookResult(result, snapshot, changes)
