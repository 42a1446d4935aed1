"""What an export reads from the plan: events as plain rows, in chunks.

Rows are built from column queries (never ORM objects) and streamed from the
database cursor, with each chunk's audiences and instructors fetched in one
query each, so memory stays flat however large the plan is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, exists, func, select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import (
    ClosureDay,
    Course,
    EventAudience,
    EventInstructor,
    Instructor,
    Nation,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.planning.data import ClosureData, last_day_of
from scheduler.planning.readiness import unit_children, units_and_below
from scheduler.planning.workdays import PlanCalendars

CHUNK = 1000

# Statuses a partner sees: drafts are the cell's own proposals; cancelled
# events stay listed (as cancelled) so a partner's calendar learns of them.
PARTNER_STATUSES = frozenset({"planned", "confirmed", "delivered", "cancelled"})


class AudienceRow(NamedTuple):
    unit_id: int
    code: str
    name: str
    seats: int
    nation_code: str


class StaffRow(NamedTuple):
    name: str
    role: str
    releasable: bool


class EventRow(NamedTuple):
    """One event with what any export may show; a partner export shows less."""

    id: int
    uuid: str
    ref: str
    course_code: str
    course_title: str
    category: str
    colour: str | None
    start: datetime
    end: datetime
    status: str
    venue_name: str | None
    venue_location: str | None
    nation_code: str | None
    time_zone: str | None
    notes: str | None
    partner_remarks: str | None
    series_id: int | None
    recurrence_id: datetime | None
    is_override: bool
    audience: tuple[AudienceRow, ...]
    staff: tuple[StaffRow, ...]

    @property
    def last_day(self) -> date:
        """The last calendar day the event occupies (an end at midnight is the day before)."""
        return last_day_of(self.start, self.end)

    @property
    def seats(self) -> int:
        return sum(a.seats for a in self.audience)


@dataclass(frozen=True, slots=True)
class Partner:
    """Who a partner file is for: a nation (all its units) or one unit and those below it."""

    code: str
    name: str
    nation_code: str
    releasability: str | None
    unit_ids: frozenset[int]


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events an export holds. ``date_to`` is inclusive (a whole day)."""

    date_from: date | None = None
    date_to: date | None = None
    unit_ids: frozenset[int] | None = None
    instructor_id: int | None = None
    venue_id: int | None = None
    statuses: frozenset[str] | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.date_from is not None:
            found.append(TrainingEvent.end > datetime.combine(self.date_from, time()))
        if self.date_to is not None:
            found.append(
                TrainingEvent.start < datetime.combine(self.date_to + timedelta(days=1), time())
            )
        if self.unit_ids is not None:
            found.append(
                exists().where(
                    EventAudience.event_id == TrainingEvent.id,
                    EventAudience.unit_id.in_(sorted(self.unit_ids)),
                )
            )
        if self.instructor_id is not None:
            found.append(
                exists().where(
                    EventInstructor.event_id == TrainingEvent.id,
                    EventInstructor.instructor_id == self.instructor_id,
                )
            )
        if self.venue_id is not None:
            found.append(TrainingEvent.venue_id == self.venue_id)
        if self.statuses is not None:
            found.append(TrainingEvent.status.in_(sorted(self.statuses)))
        return found


def partner_choices(session: Session) -> list[tuple[str, str]]:
    """(code, label) of every partner one can export or report for: each nation
    with units (all of them), then each unit (it and the units below it)."""
    has_units = select(Unit.id).where(Unit.nation_id == Nation.id).exists()
    nations = [
        (code, f"{name} ({code}) — all its units")
        for code, name in session.execute(
            select(Nation.code, Nation.name).where(has_units).order_by(Nation.code)
        )
    ]
    units = [
        (code, f"{code} — {name}")
        for code, name in session.execute(select(Unit.code, Unit.name).order_by(Unit.code))
    ]
    return nations + units


def resolve_partner(session: Session, code: str) -> Partner:
    """A nation code (its units) or a unit code (that unit and everything below it)."""
    wanted = code.strip().upper()
    nation = session.execute(
        select(Nation.id, Nation.code, Nation.name, Nation.releasability).where(
            func.upper(Nation.code) == wanted
        )
    ).first()
    if nation is not None:
        ids = session.scalars(select(Unit.id).where(Unit.nation_id == nation.id)).all()
        return Partner(nation.code, nation.name, nation.code, nation.releasability, frozenset(ids))
    unit = session.execute(
        select(Unit.id, Unit.code, Unit.name, Nation.code.label("nation"), Nation.releasability)
        .join(Nation, Unit.nation_id == Nation.id)
        .where(func.upper(Unit.code) == wanted)
    ).first()
    if unit is None:
        nations = ", ".join(session.scalars(select(Nation.code).order_by(Nation.code)))
        raise UserError(
            f"There is no partner “{code}” in this plan. Give a nation code ({nations}) "
            "or a unit code such as the ones on the Units page."
        )
    children = unit_children(
        (unit_id, parent) for unit_id, parent in session.execute(select(Unit.id, Unit.parent_id))
    )
    found = units_and_below((unit.id,), children)
    return Partner(unit.code, unit.name, unit.nation, unit.releasability, frozenset(found))


def _by_name(session: Session, column: Any, id_column: Any, name: str, what: str) -> int:
    wanted = name.strip().casefold()
    matches = [
        (row_id, text)
        for row_id, text in session.execute(select(id_column, column))
        if text.casefold() == wanted
    ]
    if not matches:
        raise UserError(f"There is no {what} called “{name}” in this plan.")
    return int(matches[0][0])


def resolve_instructor(session: Session, name: str) -> int:
    return _by_name(session, Instructor.name, Instructor.id, name, "instructor")


def resolve_venue(session: Session, name: str) -> int:
    return _by_name(session, Venue.name, Venue.id, name, "venue")


def count_events(session: Session, event_filter: EventFilter) -> int:
    stmt = select(func.count(TrainingEvent.id)).where(*event_filter.conditions())
    return int(session.scalar(stmt) or 0)


def event_period(session: Session, event_filter: EventFilter) -> tuple[date, date] | None:
    """First and last day of the selected events (the export's period when none is given)."""
    first, last = session.execute(
        select(func.min(TrainingEvent.start), func.max(TrainingEvent.end)).where(
            *event_filter.conditions()
        )
    ).one()
    if first is None or last is None:
        return None
    last_day = last_day_of(first, last)
    return first.date(), last_day


def _event_columns() -> tuple[Any, ...]:
    return (
        TrainingEvent.id,
        TrainingEvent.uuid,
        TrainingEvent.ref,
        Course.code,
        Course.title,
        Course.category,
        Course.colour,
        TrainingEvent.start,
        TrainingEvent.end,
        TrainingEvent.status,
        Venue.name,
        Venue.location,
        Nation.code,
        func.coalesce(Venue.time_zone, Nation.time_zone),
        TrainingEvent.notes,
        TrainingEvent.partner_remarks,
        TrainingEvent.series_id,
        TrainingEvent.recurrence_id,
        TrainingEvent.is_override,
    )


def _audiences(
    session: Session, ids: Sequence[int], unit_ids: frozenset[int] | None
) -> dict[int, list[AudienceRow]]:
    stmt = (
        select(
            EventAudience.event_id,
            Unit.id,
            Unit.code,
            Unit.name,
            EventAudience.seats,
            Nation.code,
        )
        .join(Unit, EventAudience.unit_id == Unit.id)
        .join(Nation, Unit.nation_id == Nation.id)
        .where(EventAudience.event_id.in_(ids))
        .order_by(EventAudience.event_id, Unit.code)
    )
    found: dict[int, list[AudienceRow]] = {}
    for event_id, unit_id, code, name, seats, nation in session.execute(stmt):
        if unit_ids is None or unit_id in unit_ids:
            found.setdefault(event_id, []).append(
                AudienceRow(unit_id, code, name, seats or 0, nation)
            )
    return found


def _staff(session: Session, ids: Sequence[int]) -> dict[int, list[StaffRow]]:
    stmt = (
        select(
            EventInstructor.event_id,
            Instructor.name,
            EventInstructor.role,
            Instructor.releasable,
        )
        .join(Instructor, EventInstructor.instructor_id == Instructor.id)
        .where(EventInstructor.event_id.in_(ids))
        .order_by(EventInstructor.event_id, EventInstructor.role, Instructor.name)
    )
    found: dict[int, list[StaffRow]] = {}
    for event_id, name, role, releasable in session.execute(stmt):
        found.setdefault(event_id, []).append(StaffRow(name, str(role), bool(releasable)))
    return found


def iter_events(
    session: Session,
    event_filter: EventFilter,
    *,
    audience_units: frozenset[int] | None = None,
    with_staff: bool = True,
    chunk: int = CHUNK,
) -> Iterator[EventRow]:
    """Selected events in start order. ``audience_units`` limits the audience
    shown to those units (a partner sees only its own); without ``with_staff``
    the rows' ``staff`` is left empty (a sheet that names no one skips a query)."""
    order = ordered_ids(session, event_filter)
    yield from iter_events_by_id(
        session, order, audience_units=audience_units, with_staff=with_staff, chunk=chunk
    )


def iter_events_by_id(
    session: Session,
    ids: Sequence[int],
    *,
    audience_units: frozenset[int] | None = None,
    with_staff: bool = True,
    chunk: int = CHUNK,
) -> Iterator[EventRow]:
    """The events ``ids`` (repeats allowed) in that order, read a chunk at a time."""
    stmt = (
        select(*_event_columns())
        .select_from(TrainingEvent)
        .join(Course, TrainingEvent.course_id == Course.id)
        .outerjoin(Venue, TrainingEvent.venue_id == Venue.id)
        .outerjoin(Nation, Venue.nation_id == Nation.id)
    )
    for offset in range(0, len(ids), chunk):
        part = ids[offset : offset + chunk]
        unique = sorted(set(part))
        by_id = {row[0]: row for row in session.execute(stmt.where(TrainingEvent.id.in_(unique)))}
        audiences = _audiences(session, unique, audience_units)
        staff = _staff(session, unique) if with_staff else {}
        for event_id in part:
            row = by_id[event_id]
            yield EventRow._make(
                (
                    *row[:9],
                    str(row[9]),
                    *row[10:18],
                    bool(row[18]),
                    tuple(audiences.get(event_id, ())),
                    tuple(staff.get(event_id, ())),
                )
            )


def ordered_ids(session: Session, event_filter: EventFilter) -> list[int]:
    return list(
        session.scalars(
            select(TrainingEvent.id)
            .where(*event_filter.conditions())
            .order_by(TrainingEvent.start, TrainingEvent.ref, TrainingEvent.id)
        )
    )


def load_calendars(session: Session) -> PlanCalendars:
    """Working calendars with the plan's own closure days, for working-day counts."""
    closures = [
        ClosureData(day, name, code)
        for day, name, code in session.execute(
            select(ClosureDay.day, ClosureDay.name, Nation.code).outerjoin(
                Nation, ClosureDay.nation_id == Nation.id
            )
        )
    ]
    calendars = {
        code: holiday
        for code, holiday in session.execute(select(Nation.code, Nation.holiday_calendar))
    }
    return PlanCalendars(closures, calendars)


def working_days(calendars: PlanCalendars, row: EventRow) -> int:
    return calendars.for_nation(row.nation_code).working_days_between(
        row.start.date(), row.last_day
    )


def join_units(
    audience: Iterable[AudienceRow], *, with_seats: bool = True, separator: str = "; "
) -> str:
    if with_seats:
        return separator.join(f"{a.code} {a.name} ({a.seats})" for a in audience)
    return separator.join(f"{a.code} {a.name}" for a in audience)


def join_staff(staff: Iterable[StaffRow], *, releasable_only: bool, separator: str = "; ") -> str:
    """Instructor names; a partner sees only names cleared for release."""
    names: list[str] = []
    withheld = 0
    for person in staff:
        if releasable_only and not person.releasable:
            withheld += 1
            continue
        names.append(
            person.name if person.role == "instructor" else f"{person.name} ({person.role})"
        )
    if withheld:
        names.append(f"{withheld} more (name not released)")
    return separator.join(names)
