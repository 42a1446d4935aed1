"""Exporting a plan: master workbook, partner pack, iCalendar. Shared by GUI and CLI.

Each export reads the plan in one transaction; a partner workbook also
records a Release (file hash, period, marking, snapshot of its events) so
that the next release can tell the partner what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from scheduler.errors import UserError
from scheduler.exchange.changes import Change
from scheduler.exchange.ics import write_calendar
from scheduler.exchange.master_workbook import write_master_workbook
from scheduler.exchange.partner_workbook import (
    PreviousRelease,
    partner_filter,
    write_partner_workbook,
)
from scheduler.exchange.progress import ProgressCallback
from scheduler.exchange.rows import (
    EventFilter,
    resolve_instructor,
    resolve_partner,
    resolve_venue,
)
from scheduler.model import Release
from scheduler.preferences import load_preferences
from scheduler.services.markings import marking_for
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


def export_plan(
    plan: Plan, request: ExportRequest, progress: ProgressCallback | None = None
) -> ExportResult:
    """Write the workbook or calendar ``request`` asks for; complete or not at all."""
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
        marking = marking_for(request.marking, partner.releasability if partner else None)
        if kind == ICS:
            selection = partner_filter(partner, event_filter) if partner else event_filter
            count = write_calendar(
                session,
                request.target,
                plan_name=plan_name,
                event_filter=selection,
                audience_units=partner.unit_ids if partner else None,
                partner_facing=partner is not None,
                marking=marking,
                progress=progress,
            )
            return ExportResult(request.target, kind, count, marking, request.partner, None)
        if partner is None:
            result = write_master_workbook(
                session,
                request.target,
                plan_name=plan_name,
                event_filter=event_filter,
                marking=marking,
                progress=progress,
            )
            return ExportResult(request.target, kind, result.events, marking, None, None)

        if plan.read_only:
            raise UserError("A partner workbook records a release; open the plan for editing.")
        last = session.execute(
            select(Release.released_at, Release.snapshot)
            .where(Release.partner_code == partner.code)
            .order_by(Release.released_at.desc(), Release.id.desc())
            .limit(1)
        ).first()
        previous = PreviousRelease(last[0], list(last[1] or [])) if last else None
        pack = write_partner_workbook(
            session,
            request.target,
            plan_name=plan_name,
            partner=partner,
            event_filter=event_filter,
            marking=marking,
            previous=previous,
            progress=progress,
        )
        period = pack.workbook.period
        release = Release(
            partner_code=partner.code,
            released_by=load_preferences().author or plan.user,
            period_start=period[0] if period else None,
            period_end=period[1] if period else None,
            file_name=request.target.name,
            file_hash=pack.workbook.file_hash,
            marking=marking,
            snapshot=pack.snapshot,
        )
        session.add(release)
        session.flush()
        return ExportResult(
            request.target,
            kind,
            pack.workbook.events,
            marking,
            partner.code,
            release.id,
            tuple(pack.changes),
        )
