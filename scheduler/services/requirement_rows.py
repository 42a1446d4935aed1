"""The Requirements page's rows, and the event a "schedule this" starts from.

Readiness numbers come from ``readiness_rows.load_readiness`` (SQL for just
what readiness needs); this adds what the page must hand the event editor,
which works in uuids: the target's, the course's and the unit's, and the
course's seat limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import CapabilityTarget, Course, Instructor, TrainingRequirement, Unit, Venue
from scheduler.planning.pathway import PathwayStatus, RequirementBar, requirement_bar
from scheduler.planning.readiness import ReadinessRow
from scheduler.planning.slots import Slot
from scheduler.services.readiness_rows import load_readiness
from scheduler.services.records import Values


@dataclass(frozen=True, slots=True)
class RequirementRow:
    numbers: ReadinessRow
    uuid: str
    target_uuid: str
    course_uuid: str
    unit_uuid: str
    max_seats: int | None
    bar: RequirementBar

    @property
    def status(self) -> PathwayStatus:
        return self.bar.status

    @property
    def seats_to_schedule(self) -> int:
        """The shortfall, at least one seat and at most what the course takes."""
        seats = max(1, self.numbers.shortfall)
        return min(seats, self.max_seats) if self.max_seats else seats


@dataclass(frozen=True, slots=True)
class RequirementOutline:
    """A requirement as recorded, before its numbers are worked out from
    every event: what the Requirements page shows at once on a big plan."""

    uuid: str
    target_uuid: str
    target: str
    unit: str
    course: str
    required: int
    due: date | None  # its own, or its target's


def requirement_outline(session: Session) -> list[RequirementOutline]:
    """Every training requirement as recorded, in the order of ``requirement_rows``."""
    query = (
        select(
            TrainingRequirement.uuid,
            CapabilityTarget.uuid,
            CapabilityTarget.name,
            Unit.code,
            Unit.name,
            Course.code,
            Course.title,
            TrainingRequirement.people,
            TrainingRequirement.due_date,
            CapabilityTarget.due_date,
        )
        .join(CapabilityTarget, CapabilityTarget.id == TrainingRequirement.target_id)
        .join(Unit, Unit.id == TrainingRequirement.unit_id)
        .join(Course, Course.id == TrainingRequirement.course_id)
    )
    rows = sorted(  # as ``readiness`` sorts its rows
        session.execute(query),
        key=lambda r: (r[2].casefold(), r[3].casefold(), r[8] or r[9] or date.max, r[5].casefold()),
    )
    return [
        RequirementOutline(
            uuid,
            target_uuid,
            target,
            f"{unit_code} — {unit_name}" if unit_name else unit_code,
            f"{course_code} — {title}" if title else course_code,
            people,
            due or target_due,
        )
        for uuid, target_uuid, target, unit_code, unit_name, course_code, title, people, due,
        target_due in rows
    ]  # fmt: skip


def requirement_rows(session: Session) -> list[RequirementRow]:
    """Every training requirement with its readiness numbers, by target, unit and due date."""
    uuids = {
        ident: (uuid, target)
        for ident, uuid, target in session.execute(
            select(
                TrainingRequirement.id,
                TrainingRequirement.uuid,
                CapabilityTarget.uuid,
            ).join(CapabilityTarget, CapabilityTarget.id == TrainingRequirement.target_id)
        )
    }
    courses = {
        ident: (uuid, seats)
        for ident, uuid, seats in session.execute(
            select(Course.id, Course.uuid, Course.max_trainees)
        )
    }
    units = {ident: uuid for ident, uuid in session.execute(select(Unit.id, Unit.uuid))}
    rows = []
    for numbers in load_readiness(session):
        uuid, target_uuid = uuids.get(numbers.requirement_id, ("", ""))
        course_uuid, max_seats = courses.get(numbers.course_id, ("", None))
        rows.append(
            RequirementRow(
                numbers,
                uuid,
                target_uuid,
                course_uuid,
                units.get(numbers.unit_id, ""),
                max_seats,
                requirement_bar(numbers),
            )
        )
    return rows


def scheduling_values(session: Session, row: RequirementRow, slot: Slot | None) -> Values:
    """The event editor's starting values: the course, the unit with the seats
    still missing, and the slot (dates, venue, people) when one was found.

    Planned rather than draft, so the seats count as scheduled once saved.
    """
    values: Values = {
        "course": row.course_uuid,
        "status": "planned",
        "audience": [{"unit": row.unit_uuid, "seats": row.seats_to_schedule}],
        "instructors": [],
    }
    if slot is None:
        return values
    venue = session.scalar(select(Venue.uuid).where(Venue.id == slot.venue_id))
    people = {
        ident: uuid
        for ident, uuid in session.execute(
            select(Instructor.id, Instructor.uuid).where(
                Instructor.id.in_([*slot.instructor_ids, *slot.interpreter_ids])
            )
        )
    }
    values.update(
        start=slot.start,
        end=slot.end,
        venue=venue,
        instructors=[
            {"instructor": people[i], "role": "instructor"}
            for i in slot.instructor_ids
            if i in people
        ]
        + [
            {"instructor": people[i], "role": "interpreter"}
            for i in slot.interpreter_ids
            if i in people
        ],
    )
    return values
