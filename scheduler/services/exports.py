"""Exporting a plan: master workbook, partner pack, iCalendar. Shared by GUI and CLI.

Each export reads the plan in one snapshot (one state of the plan, however
long the writing takes): ``services.export_rows`` reads, the writers in
``scheduler.exchange`` write what they are handed, streaming. A partner
workbook also records a Release (file hash, period, marking, snapshot of its
events) so that the next release can tell the partner what changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.ics import write_calendar
from scheduler.exchange.master_workbook import WorkbookResult, write_master_workbook
from scheduler.exchange.partner_workbook import (
    PartnerWorkbookResult,
    ReplyForm,
    partner_filter,
    write_partner_workbook,
)
from scheduler.exchange.release_changes import Change
from scheduler.exchange.rows import EventFilter, Partner
from scheduler.exchange.workbook_common import ScheduleSource
from scheduler.model import Release, new_uuid
from scheduler.model.changelog import WRITTEN_ROWS
from scheduler.preferences import load_preferences
from scheduler.progress import ProgressCallback
from scheduler.services.coordination_rows import coordination_book, load_coordination
from scheduler.services.export_rows import (
    assignment_count,
    count_events,
    count_modules,
    courses_in,
    iter_assignments,
    iter_events,
    iter_venue_events,
    people_rows,
    previous_release,
    resolve_instructor,
    resolve_partner,
    resolve_venue,
    selection_period,
    series_in,
    with_record_times,
    zone_spans,
)
from scheduler.services.markings import printed_marking
from scheduler.services.nominations import load_reply_form, partners_with_names
from scheduler.services.personal_data import record_names_export
from scheduler.services.plan_calendars import load_calendars
from scheduler.storage import Plan

XLSX, ICS = ".xlsx", ".ics"


@dataclass(frozen=True, slots=True)
class ExportRequest:
    """What to export. ``marking`` None means the planner's default (preferences)."""

    target: Path
    partner: str | None = None
    instructor: str | None = None
    venue: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    marking: str | None = None
    names: bool = False  # the master workbook with its Trainees sheet (personal data)

    @property
    def kind(self) -> str:
        suffix = self.target.suffix.lower()
        if suffix not in (XLSX, ICS):
            raise UserError(
                f"“{self.target.name}”: the file name must end in .xlsx (a workbook) "
                "or .ics (a calendar)."
            )
        return suffix


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    kind: str
    events: int
    marking: str
    partner: str | None
    release_id: int | None
    changes: tuple[Change, ...] = ()
    # A partner's drafts in the selection, left out of its file: said, so an
    # empty workbook is not a mystery.
    drafts_left_out: int = 0
    # The change-log rows the export wrote (its release): this window's own,
    # not "changes by" someone else.
    change_ids: tuple[int, ...] = ()


def export_plan(
    plan: Plan,
    request: ExportRequest,
    progress: ProgressCallback | None = None,
    announce_marking: Callable[[str], None] | None = None,
) -> ExportResult:
    """Write the workbook or calendar ``request`` asks for; complete or not at all.

    ``announce_marking`` hears the marking every page will carry (the
    partner's caveat included) before anything is written.
    """
    kind = request.kind
    if request.date_from and request.date_to and request.date_to < request.date_from:
        raise UserError("The period ends before it starts; check --from and --to.")
    plan_name = plan.name
    # Every sheet from one state of the plan, even while another program writes it.
    with plan.snapshot() as session:
        partner = resolve_partner(session, request.partner) if request.partner else None
        event_filter = EventFilter(
            date_from=request.date_from,
            date_to=request.date_to,
            instructor_id=resolve_instructor(session, request.instructor)
            if request.instructor
            else None,
            venue_id=resolve_venue(session, request.venue) if request.venue else None,
        )
        # Refused now, in a sentence, if no page header can hold it. A file
        # with names is at least OFFICIAL-SENSITIVE by default: a partner whose
        # people are named (its calendar too, so the export dialog's preview
        # holds for either kind), or the master workbook asked for them.
        names = (partner is not None and partner.code in partners_with_names(session)) or (
            request.names and partner is None
        )
        marking = printed_marking(
            request.marking, partner.releasability if partner else None, names=names
        )
        if announce_marking is not None:
            announce_marking(marking)
        drafts = (
            count_events(
                session,
                replace(event_filter, unit_ids=partner.unit_ids, statuses=frozenset({"draft"})),
            )
            if partner
            else 0
        )
        if kind == ICS:
            selection = partner_filter(partner, event_filter) if partner else event_filter
            count = write_calendar_file(
                session,
                request.target,
                plan_name=plan_name,
                event_filter=selection,
                audience_units=partner.unit_ids if partner else None,
                partner_facing=partner is not None,
                marking=marking,
                progress=progress,
            )
            return ExportResult(
                request.target,
                kind,
                count,
                marking,
                request.partner,
                None,
                drafts_left_out=drafts,
            )
        if partner is None:
            if request.names and plan.read_only:
                raise UserError(
                    "An export of names is recorded in the plan; open the plan for editing."
                )
            people = people_rows(session, event_filter) if request.names else None
            result = write_master_file(
                session,
                request.target,
                plan_name=plan_name,
                event_filter=event_filter,
                marking=marking,
                people=people,
                progress=progress,
            )
            if people is not None:
                record_names_export(session, request.target, people)
            return ExportResult(request.target, kind, result.events, marking, None, None)

        if plan.read_only:
            raise UserError("A partner workbook records a release; open the plan for editing.")
        release_uuid = new_uuid()
        reply_form = load_reply_form(session, partner, release_uuid)
        pack = write_partner_file(
            session,
            request.target,
            plan_name=plan_name,
            partner=partner,
            event_filter=event_filter,
            marking=marking,
            reply_form=reply_form,
            progress=progress,
        )
        release = Release(
            uuid=release_uuid,
            partner_code=partner.code,
            released_by=load_preferences().author or plan.user,
            # The period asked for (None: open), not the events' span: the next
            # release knows which events this one covered and so withdrew.
            period_start=request.date_from,
            period_end=request.date_to,
            file_name=request.target.name,
            file_hash=pack.workbook.file_hash,
            marking=marking,
            snapshot=pack.snapshot,
            names_sent=pack.names_sent or None,
        )
        session.add(release)
        session.flush()
        written = session.info.get(WRITTEN_ROWS, [])
        return ExportResult(
            request.target,
            kind,
            pack.workbook.events,
            marking,
            partner.code,
            release.id,
            tuple(pack.changes),
            drafts_left_out=drafts,
            change_ids=tuple(row.id for row in written if row.id is not None),
        )


# --- one file each, read in the caller's session ------------------------------
# The reads a writer needs before its first row (counts, period, calendars,
# legend) are made here; the rows are handed over as generators that read
# the plan as the writer consumes them, all in ``session``.


def _schedule_source(
    session: Session, selection: EventFilter, *, audience_units: frozenset[int] | None = None
) -> ScheduleSource:
    return ScheduleSource(
        selection=selection,
        events=count_events(session, selection),
        period=selection_period(session, selection),
        calendars=load_calendars(session),
        courses=courses_in(session, selection),
        rows=iter_events(session, selection, audience_units=audience_units),
        modules=count_modules(session, selection),
    )


def write_master_file(
    session: Session,
    target: Path,
    *,
    plan_name: str,
    event_filter: EventFilter,
    marking: str,
    people: list[list[Any]] | None = None,
    progress: ProgressCallback | None = None,
) -> WorkbookResult:
    """The master workbook of the events ``event_filter`` selects (with its
    Trainees sheet when ``people`` are given)."""
    return write_master_workbook(
        target,
        _schedule_source(session, event_filter),
        plan_name=plan_name,
        marking=marking,
        assignments=assignment_count(session, event_filter),
        by_instructor=iter_assignments(session, event_filter),
        by_venue=iter_venue_events(session, event_filter),
        people=people,
        coordination=coordination_book(load_coordination(session)),
        progress=progress,
    )


def write_partner_file(
    session: Session,
    target: Path,
    *,
    plan_name: str,
    partner: Partner,
    event_filter: EventFilter,
    marking: str,
    reply_form: ReplyForm | None = None,
    progress: ProgressCallback | None = None,
) -> PartnerWorkbookResult:
    """``partner``'s workbook of its events within ``event_filter``, with the
    changes since its last release (recording the new release is the caller's)."""
    selection = partner_filter(partner, event_filter)
    return write_partner_workbook(
        target,
        _schedule_source(session, selection, audience_units=partner.unit_ids),
        plan_name=plan_name,
        partner=partner,
        marking=marking,
        previous=previous_release(session, partner.code),
        reply_form=reply_form,
        progress=progress,
    )


def write_calendar_file(
    session: Session,
    target: Path,
    *,
    plan_name: str,
    event_filter: EventFilter,
    audience_units: frozenset[int] | None,
    partner_facing: bool,
    marking: str,
    progress: ProgressCallback | None = None,
) -> int:
    """The .ics of the events ``event_filter`` selects; returns how many it holds."""
    rows = iter_events(session, event_filter, audience_units=audience_units)
    return write_calendar(
        target,
        with_record_times(session, rows),
        plan_name=plan_name,
        total=count_events(session, event_filter),
        zones=zone_spans(session, event_filter),
        series=series_in(session, event_filter),
        partner_facing=partner_facing,
        marking=marking,
        progress=progress,
    )
