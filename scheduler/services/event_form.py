"""What the event editor needs from the plan, without Qt: pickers, working-day
ends, and the edited event as the conflict engine and slot finder see it.

The editor works in uuids (as ``services.records`` does); the engine works
in integer ids. ``EditorChoices`` holds both for the small tables, read once
when the editor opens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import Course, Instructor, Nation, TrainingEvent, Unit, Venue
from scheduler.planning.data import Assignment, EventData, ModuleData, Seats
from scheduler.services.records import Values
from scheduler.services.series import calendar_for_values


@dataclass(frozen=True, slots=True)
class Choice:
    id: int
    uuid: str
    label: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class EditorChoices:
    courses: list[Choice]
    venues: list[Choice]
    units: list[Choice]
    instructors: list[Choice]

    def id_of(self, kind: str, uuid: str | None) -> int | None:
        for choice in getattr(self, kind):
            if choice.uuid == uuid:
                return int(choice.id)
        return None

    def by_id(self, kind: str, ident: int) -> Choice | None:
        return next((c for c in getattr(self, kind) if c.id == ident), None)


def _sorted(items: list[Choice]) -> list[Choice]:
    return sorted(items, key=lambda c: c.label.casefold())


def editor_choices(session: Session) -> EditorChoices:
    courses = [
        Choice(i, u, f"{code} — {title}", {"days": days, "hours": hours})
        for i, u, code, title, days, hours in session.execute(
            select(
                Course.id,
                Course.uuid,
                Course.code,
                Course.title,
                Course.duration_days,
                Course.daily_hours,
            )
        )
    ]
    venues = [
        Choice(i, u, f"{name} ({code})", {"nation": code})
        for i, u, name, code in session.execute(
            select(Venue.id, Venue.uuid, Venue.name, Nation.code).join(Nation)
        )
    ]
    units = [
        Choice(i, u, f"{code} — {name}", {"strength": strength})
        for i, u, code, name, strength in session.execute(
            select(Unit.id, Unit.uuid, Unit.code, Unit.name, Unit.strength)
        )
    ]
    instructors = [
        Choice(i, u, name, {"role": str(getattr(role, "value", role))})
        for i, u, name, role in session.execute(
            select(Instructor.id, Instructor.uuid, Instructor.name, Instructor.role)
        )
    ]
    return EditorChoices(_sorted(courses), _sorted(venues), _sorted(units), _sorted(instructors))


def working_end(session: Session, values: Values, first_day: date, working_days: int) -> date:
    """The last day of ``working_days`` working days from ``first_day`` where the event is held."""
    calendar = calendar_for_values(session, values)
    return calendar.end_date(first_day, max(working_days, 1))


def event_id_of(session: Session, uuid: str) -> int | None:
    return session.scalar(select(TrainingEvent.id).where(TrainingEvent.uuid == uuid))


def as_event_data(
    choices: EditorChoices, values: Values, event_id: int, ref: str = "(new)"
) -> EventData | None:
    """The edited event for a what-if check; None while it lacks a course or dates."""
    course = choices.id_of("courses", values.get("course"))
    start, end = values.get("start"), values.get("end")
    if course is None or not isinstance(start, datetime) or not isinstance(end, datetime):
        return None
    audience = tuple(
        Seats(unit, int(row.get("seats") or 0))
        for row in values.get("audience", [])
        if (unit := choices.id_of("units", row.get("unit"))) is not None
    )
    staff = tuple(
        Assignment(person, str(row.get("role") or "instructor"))
        for row in values.get("instructors", [])
        if (person := choices.id_of("instructors", row.get("instructor"))) is not None
    )
    roles = {c.uuid: str(c.extra.get("role") or "instructor") for c in choices.instructors}
    modules = tuple(
        ModuleData(
            row["start"],
            row["end"],
            choices.id_of("venues", row.get("venue")),
            tuple(
                Assignment(person, roles.get(uuid, "instructor"))
                for uuid in row.get("staff") or []
                if (person := choices.id_of("instructors", uuid)) is not None
            )
            or None,
            str(row.get("title") or ""),
        )
        for row in values.get("modules") or []
        if isinstance(row.get("start"), datetime)
        and isinstance(row.get("end"), datetime)
        and row["end"] > row["start"]
    )
    return EventData(
        id=event_id,
        uuid=str(values.get("uuid") or ""),
        ref=str(values.get("ref") or ref),
        course_id=course,
        venue_id=choices.id_of("venues", values.get("venue")),
        start=start,
        end=end,
        status=str(values.get("status") or "planned"),
        audience=audience,
        staff=staff,
        modules=tuple(sorted(modules, key=lambda m: m.start)),
        external=values.get("provider") is not None,
    )
