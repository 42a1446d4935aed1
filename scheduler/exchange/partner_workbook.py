"""A partner's own workbook: its units' events, partner-facing fields only.

Data minimisation is the point: the rows come from a selection limited to
the partner's units, the audience shown is limited to them too (another
partner training on the same course stays invisible), internal notes are
never read into a partner sheet, and an instructor's name appears only when
that instructor is releasable. ``partner_filter`` says which events those
are; ``scheduler.services.exports`` reads them and hands them over.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from scheduler.exchange.calendar_sheet import CalendarSheet, months
from scheduler.exchange.cells import font
from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.master_workbook import WorkbookResult
from scheduler.exchange.output import PendingFile
from scheduler.exchange.release_changes import (
    Change,
    changes_since,
    describe_releases,
    snapshot_entry,
)
from scheduler.exchange.rows import PARTNER_STATUSES, EventFilter, Partner, PreviousRelease
from scheduler.exchange.schedule_sheet import SCHEDULE_SHEET, ScheduleSheet
from scheduler.exchange.sheets import Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import (
    ScheduleSource,
    generated_note,
    save_workbook,
    streamed_workbook,
)
from scheduler.progress import Progress, ProgressCallback

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
class PartnerWorkbookResult:
    workbook: WorkbookResult
    snapshot: list[dict[str, str]]
    changes: list[Change]


def partner_filter(partner: Partner, event_filter: EventFilter) -> EventFilter:
    """The events a partner may see within ``event_filter``: its units', no drafts."""
    return replace(event_filter, unit_ids=partner.unit_ids, statuses=PARTNER_STATUSES)


def write_partner_workbook(
    target: Path,
    source: ScheduleSource,
    *,
    plan_name: str,
    partner: Partner,
    marking: str,
    previous: PreviousRelease | None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> PartnerWorkbookResult:
    """Write ``partner``'s workbook from ``source``, the events of
    ``partner_filter(partner, …)`` with only the partner's units in their
    audience; the changes sheet compares them with ``previous``."""
    moment = now or datetime.now().replace(microsecond=0)
    selection = source.selection
    partner_label = f"{partner.name} ({partner.code})"
    page = PageInfo(marking, f"Training schedule for {partner_label}", generated_note(moment))
    events, period, calendars = source.events, source.period, source.calendars
    ticker = Progress(progress, events + (len(months(*period)) if period else 0) + 1)

    since = (
        f"since {describe_releases(previous.periods)}"
        if previous and previous.periods
        else f"since {previous.released_at:%Y-%m-%d %H:%M}"
        if previous
        else "(first release)"
    )
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
                courses=source.courses,
                sheets=sheets,
            ),
        )
        schedule = ScheduleSheet(workbook, page, calendars, partner=True)
        calendar = CalendarSheet(workbook, page, calendars)
        changes_sheet = TableSheet(
            workbook, CHANGES_SHEET, CHANGE_COLUMNS, page, table_name="Changes"
        )
        calendar.begin(period, selection)
        for row in source.rows:
            schedule.add(row)
            calendar.add(row, ticker)
            snapshot.append(snapshot_entry(row))
            ticker.advance()
        schedule.sheet.close()
        calendar.finish(ticker)
        first, last = selection.date_from, selection.date_to
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
                        f"No changes since {describe_releases(previous.periods)}."
                        if previous.periods
                        else f"No changes since the release of "
                        f"{previous.released_at:%Y-%m-%d %H:%M}."
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
