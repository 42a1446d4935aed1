"""Facts for the dashboard: what is coming up soon, readiness and releases due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import EventStatus, TrainingEvent, Unit
from scheduler.planning.pathway import PartnerPathway, pathway
from scheduler.planning.readiness import unit_children, units_and_below
from scheduler.services.coordination_rows import PartnerSummary, load_coordination
from scheduler.services.event_listing import event_listing, listed
from scheduler.services.readiness_rows import load_readiness, target_due_dates
from scheduler.services.releases_due import ReleaseDue, releases_due
from scheduler.services.stopped_reads import stop_if_unwanted


@dataclass(frozen=True, slots=True)
class Upcoming:
    uuid: str
    ref: str
    course: str
    start: datetime
    end: datetime
    venue: str
    status: str


def upcoming_events(
    session: Session, today: date, days: int = 14, at_least: int = 10
) -> list[Upcoming]:
    """Events running in the next ``days`` days (cancelled ones left out).

    When fewer than ``at_least`` fall in that window (a plan for next year,
    seen in November), the next ``at_least`` events are given instead, so
    the dashboard always says what comes next.
    """
    first = datetime.combine(today, time())
    last = first + timedelta(days=days)
    soon = _upcoming(session, first, last, None)
    return soon if len(soon) >= at_least else _upcoming(session, first, None, at_least)


def _upcoming(
    session: Session, first: datetime, last: datetime | None, limit: int | None
) -> list[Upcoming]:
    query = (
        event_listing(where=TrainingEvent.end > first)
        .where(TrainingEvent.status != EventStatus.CANCELLED)
        .order_by(TrainingEvent.start)
        .limit(limit)
    )
    if last is not None:
        query = query.where(TrainingEvent.start < last)
    return [
        Upcoming(
            e.uuid,
            e.ref,
            f"{e.course_code} {e.course_title}",
            e.start,
            e.end,
            e.venue or "",
            EventStatus(e.status).label,
        )
        for e in map(listed, session.execute(query))
    ]


@dataclass(frozen=True, slots=True)
class DashboardFacts:
    """What the dashboard reads off the GUI thread: pathway and releases due.

    ``unit_codes`` gives, for each unit on a requirement, its code and the
    codes of the units below it: the events a click on a bar should list.
    """

    pathway: list[PartnerPathway]
    releases: list[ReleaseDue]
    unit_codes: dict[int, tuple[str, ...]]


def partner_summaries(session: Session) -> list[PartnerSummary]:
    """Per partner: milestones at risk, costs, other providers (a read of
    its own: about 1.2 s at 100,000 events, after the pathway is shown)."""
    return load_coordination(session, with_overlaps=False).per_partner_summary()


def load_dashboard(session: Session) -> DashboardFacts:
    """The pathway per partner and the releases due (about 1.2 s at 100,000 events)."""
    rows = load_readiness(session)
    stop_if_unwanted()
    units = session.execute(select(Unit.id, Unit.code, Unit.parent_id)).all()
    codes = {ident: code for ident, code, _parent in units}
    children = unit_children((ident, parent) for ident, _code, parent in units)
    unit_codes: dict[int, tuple[str, ...]] = {}
    for unit_id in {r.unit_id for r in rows}:
        below = units_and_below((unit_id,), children)
        unit_codes[unit_id] = tuple(sorted(codes[u] for u in below if u in codes))
    return DashboardFacts(
        pathway(rows, target_due_dates(session)),
        releases_due(session),
        unit_codes,
    )
