"""A partner's own workbook: its units' events, partner-facing fields only.

Data minimisation is the point: the rows come from a selection limited to
the partner's units, the audience shown is limited to them too (another
partner training on the same course stays invisible), internal notes are
never read into a partner sheet, and an instructor's name appears only when
that instructor is releasable. ``partner_filter`` says which events those
are; ``scheduler.services.exports`` reads them and hands them over.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from scheduler.exchange.calendar_sheet import CalendarSheet, calendar_sheet_names, months
from scheduler.exchange.cover_sheet import CoverFacts, write_cover
from scheduler.exchange.master_workbook import WorkbookResult
from scheduler.exchange.modules_sheet import MODULES_MEANING, MODULES_SHEET, ModulesSheet
from scheduler.exchange.nominations_sheet import NOMINATIONS_SHEET, EventAnswers, NominationsSheet
from scheduler.exchange.output import PendingFile
from scheduler.exchange.partner_language import Wording
from scheduler.exchange.release_changes import (
    Change,
    changes_since,
    describe_releases,
    snapshot_entry,
)
from scheduler.exchange.rows import PARTNER_STATUSES, EventFilter, Partner, PreviousRelease
from scheduler.exchange.schedule_sheet import (
    SCHEDULE_SHEET,
    STATUS_COLOURS,
    ScheduleSheet,
    bilingual_columns,
)
from scheduler.exchange.sheets import WRAP, Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import (
    ScheduleSource,
    calendar_entry,
    generated_note,
    save_workbook,
    streamed_workbook,
)
from scheduler.progress import Progress, ProgressCallback

CHANGES_SHEET = "Changes since last release"
CHANGE_COLUMNS = [
    Column("Change", 11, WRAP),
    Column("Ref", 12),
    Column("Course", 26, WRAP),
    Column("Was", 36, WRAP),
    Column("Now", 36, WRAP),
    Column("Details", 34, WRAP),
]


@dataclass(frozen=True, slots=True)
class ReplyForm:
    """What the Nominations sheet is written from (see ``nominations_sheet``)."""

    release_uuid: str
    unit_codes: tuple[str, ...]
    answers: Mapping[int, EventAnswers]


@dataclass(frozen=True, slots=True)
class PartnerWorkbookResult:
    workbook: WorkbookResult
    snapshot: list[dict[str, str]]
    changes: list[Change]
    names_sent: list[str] = field(default_factory=list)  # trainee uuids on its Nominations


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
    reply_form: ReplyForm | None = None,
    progress: ProgressCallback | None = None,
    now: datetime | None = None,
) -> PartnerWorkbookResult:
    """Write ``partner``'s workbook from ``source``, the events of
    ``partner_filter(partner, …)`` with only the partner's units in their
    audience; the changes sheet compares them with ``previous``. With
    ``reply_form``, a Nominations sheet the partner fills in and sends back."""
    moment = now or datetime.now().replace(microsecond=0)
    selection = source.selection
    partner_label = f"{partner.name} ({partner.code})"
    page = PageInfo(marking, f"Training schedule for {partner_label}", generated_note(moment))
    events, period, calendars = source.events, source.period, source.calendars
    ticker = Progress(progress, events + (len(months(*period)) if period else 0) + 1)

    wording = Wording(partner.language)
    releases = local_releases = None
    if previous is not None:
        releases = local_releases = f"{previous.released_at:%Y-%m-%d %H:%M}"
        if previous.periods:
            releases = describe_releases(previous.periods)
            local_releases = describe_releases(previous.periods, wording)
    calendar_sheets = calendar_sheet_names(period)
    sheets = (
        ("Cover", "This page"),
        (SCHEDULE_SHEET, "Your units' training, one row per event"),
        *(
            [(NOMINATIONS_SHEET, "Who you send to each event: fill in the yellow cells")]
            if reply_form is not None
            else []
        ),
        calendar_entry(calendar_sheets),
        *([(MODULES_SHEET, wording.both(MODULES_MEANING))] if source.modules else []),
        (
            CHANGES_SHEET,
            wording.both(
                "What is new, moved or cancelled since {releases}",
                local_values={"releases": local_releases or ""},
                releases=releases or "",
            )
            if releases
            else wording.both("What is new, moved or cancelled (first release)"),
        ),
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
                statuses=tuple(s for s in STATUS_COLOURS if s in PARTNER_STATUSES),
            ),
            wording,
        )
        schedule = ScheduleSheet(workbook, page, calendars, partner=True, wording=wording)
        nominations = (
            NominationsSheet(
                workbook,
                page,
                wording,
                release_uuid=reply_form.release_uuid,
                partner_code=partner.code,
                unit_codes=reply_form.unit_codes,
                answers=reply_form.answers,
            )
            if reply_form is not None
            else None
        )
        calendar = CalendarSheet(workbook, page, calendars, wording)
        calendar.begin(period, selection)
        modules = (
            ModulesSheet(workbook, page, partner=True, wording=wording) if source.modules else None
        )
        for row in source.rows:
            schedule.add(row)
            if nominations is not None:
                nominations.add(row)
            calendar.add(row, ticker)
            if modules is not None:
                modules.add(row)
            snapshot.append(snapshot_entry(row))
            ticker.advance()
        schedule.sheet.close()
        calendar.finish(ticker)
        if modules is not None:
            modules.close()
        changes_sheet = TableSheet(
            workbook,
            CHANGES_SHEET,
            bilingual_columns(CHANGE_COLUMNS, wording),
            page,
            table_name=None if wording.language else "Changes",
        )
        first, last = selection.date_from, selection.date_to
        changes = changes_since(
            previous.snapshot if previous else [], snapshot, first=first, last=last
        )
        # A note is plain text in the wide "Course" column, where it wraps.
        if previous is None:
            changes_sheet.append(
                [
                    wording.both("Added"),
                    None,
                    wording.both(
                        "No earlier release to {partner} is recorded: "
                        "every event in this file is new to you.",
                        separator="\n\n",
                        partner=partner_label,
                    ),
                    None,
                    None,
                    None,
                ]
            )
        elif not changes:
            changes_sheet.append(
                [
                    None,
                    None,
                    wording.both(
                        "No changes since {releases}.",
                        "\n\n",
                        local_values={"releases": local_releases or ""},
                        releases=releases or "",
                    ),
                    None,
                    None,
                    None,
                ]
            )
        else:
            kinds = {kind: wording.both(kind) for kind in {c.kind for c in changes}}
            for change in changes:
                changes_sheet.append(
                    [
                        kinds[change.kind],
                        change.ref,
                        change.course,
                        change.was,
                        change.now,
                        wording.both(change.detail) if change.detail else change.detail,
                    ]
                )
        changes_sheet.close()
        if nominations is not None:
            nominations.close()  # its hidden key sheet goes last
        save_workbook(workbook, pending)
        ticker.finish()
        digest = pending.sha256()
        pending.publish()
    names = (
        "Cover",
        SCHEDULE_SHEET,
        *([NOMINATIONS_SHEET] if reply_form is not None else []),
        *calendar_sheets,
        *([MODULES_SHEET] if source.modules else []),
        CHANGES_SHEET,
    )
    result = WorkbookResult(target, events, period, digest, names)
    named = nominations.names_sent() if nominations is not None else []
    return PartnerWorkbookResult(result, snapshot, changes, named)
