"""The readiness pathway read from a plan without loading the whole plan.

``load_plan_data`` reads every event, instructor and venue of a plan (a few
seconds at 100,000 events); readiness needs only the requirements, the unit
tree and the events of a required course whose audience holds a unit that a
requirement counts (the required unit or one below it). Those are selected
in SQL, then the same pure ``readiness`` computes the rows, so the numbers
cannot drift from the CLI's or the engine's.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.model import (
    CapabilityTarget,
    Course,
    EventAudience,
    Nation,
    Trainee,
    TrainingEvent,
    Unit,
)
from scheduler.planning.data import (
    DELIVERED,
    SCHEDULED_STATUSES,
    CourseData,
    EventData,
    PlanData,
    RequirementData,
    Seats,
    TraineeData,
    UnitData,
)
from scheduler.planning.readiness import ReadinessRow, readiness, unit_children, units_and_below
from scheduler.services.plan_snapshot import load_requirements, load_trainees
from scheduler.services.shared_values import Shared
from scheduler.services.stopped_reads import stop_if_unwanted

# What readiness reads of an event (its status as plain text: see plan_snapshot).
_EVENT_COLUMNS = (
    TrainingEvent.id,
    TrainingEvent.uuid,
    TrainingEvent.ref,
    TrainingEvent.course_id,
    TrainingEvent.start,
    TrainingEvent.end,
    type_coerce(TrainingEvent.status, String),
)


def load_readiness(session: Session, partner: str | None = None) -> list[ReadinessRow]:
    """One row per training requirement; with ``partner``, only that partner's.

    ``partner`` is a nation code (the requirements of its units) or a unit
    code (that unit and the units below it), as for a partner export; an
    unknown code is a UserError.
    """
    units = _units(session)
    requirements = load_requirements(session)
    if partner is not None:
        from scheduler.services.export_rows import resolve_partner  # the export's reads: on demand

        wanted = resolve_partner(session, partner).unit_ids
        requirements = [r for r in requirements if r.unit_id in wanted]
    if not requirements:
        return []
    counted = _counted_units(requirements, units)
    course_ids = {r.course_id for r in requirements}
    events = _events(session, course_ids, counted)
    trainees: list[TraineeData] = []
    if session.scalar(select(Trainee.id).limit(1)) is not None:
        trainees = load_trainees(session, only_passed_on=course_ids)
        events += _passed_on(session, trainees, {e.id for e in events})
    stop_if_unwanted()
    return readiness(
        PlanData.build(
            events=events,
            courses=_courses(session, course_ids),
            units=units,
            requirements=requirements,
            trainees=trainees,
        ),
        today=date.today(),
    )


def _passed_on(session: Session, trainees: list[TraineeData], loaded: set[int]) -> list[EventData]:
    """The events of passes not loaded for the forecast (a person who moved unit,
    a cancelled or draft event): course and days only, no seats to count."""
    wanted = {e.event_id for t in trainees for e in t.enrolments} - loaded
    if not wanted:
        return []
    return [
        EventData(ident, uuid, ref, course_id, None, start, end, status)
        for ident, uuid, ref, course_id, start, end, status in session.connection().execute(
            select(*_EVENT_COLUMNS).where(TrainingEvent.id.in_(sorted(wanted)))
        )
    ]


def target_due_dates(session: Session) -> dict[int, date | None]:
    """Each capability target's own due date (a requirement may have an earlier one)."""
    return {
        ident: due
        for ident, due in session.execute(select(CapabilityTarget.id, CapabilityTarget.due_date))
    }


def _counted_units(requirements: Collection[RequirementData], units: list[UnitData]) -> set[int]:
    """The required units and every unit below one of them."""
    children = unit_children((u.id, u.parent_id) for u in units)
    return units_and_below((r.unit_id for r in requirements), children)


def _units(session: Session) -> list[UnitData]:
    rows = session.execute(
        select(Unit.id, Unit.uuid, Unit.code, Unit.name, Nation.code, Unit.parent_id).join(
            Nation, Nation.id == Unit.nation_id
        )
    )
    return [
        UnitData(ident, uuid, code, name, nation, parent)
        for ident, uuid, code, name, nation, parent in rows
    ]


def _courses(session: Session, course_ids: Collection[int]) -> list[CourseData]:
    rows = session.execute(
        select(Course.id, Course.code, Course.title, Course.validity_months).where(
            Course.id.in_(sorted(course_ids))
        )
    )
    return [
        CourseData(ident, code, title, validity_months=validity)
        for ident, code, title, validity in rows
    ]


def _events(
    session: Session, course_ids: Collection[int], unit_ids: Collection[int]
) -> list[EventData]:
    """Scheduled and delivered events of these courses with one of these units on them.

    Each event keeps its whole audience: delivered people are shared out in
    proportion to all of its seats, not only the counted units'. Two plain
    scans filtered by course and status are cheaper than asking SQLite for
    the units (an IN list of hundreds of units makes it probe per unit).
    """
    statuses = sorted(SCHEDULED_STATUSES | {DELIVERED})
    courses = sorted(course_ids)
    wanted = (
        TrainingEvent.course_id.in_(courses),
        type_coerce(TrainingEvent.status, String).in_(statuses),
    )
    connection = session.connection()
    # Shared values: this read peaks with the events of every required course.
    seat_of, audiences, one = Shared(), Shared(), Shared()
    audience: dict[int, list[Seats]] = {}
    for event_id, unit_id, seats in connection.execute(
        select(EventAudience.event_id, EventAudience.unit_id, EventAudience.seats)
        .join(TrainingEvent, TrainingEvent.id == EventAudience.event_id)
        .where(*wanted)
    ):
        audience.setdefault(event_id, []).append(seat_of(Seats(unit_id, seats or 0)))
    counted = set(unit_ids)
    keep = {
        event_id
        for event_id, seats in audience.items()
        if any(seat.unit_id in counted for seat in seats)
    }
    return [
        EventData(
            ident,
            uuid,
            ref,
            course_id,
            None,
            one(start),
            one(end),
            one(status),
            audiences(tuple(audience[ident])),
            attended=attended,
            passed=passed,
        )
        for ident, uuid, ref, course_id, start, end, status, attended, passed in connection.execute(
            select(*_EVENT_COLUMNS, TrainingEvent.attended, TrainingEvent.passed).where(*wanted)
        )
        if ident in keep
    ]
