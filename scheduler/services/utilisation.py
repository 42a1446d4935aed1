"""Instructor and venue utilisation for a period, read with a few SQL queries.

Reads only what the period needs: the resources (of one nation, if asked),
their leave or closures overlapping the period, the plan's closure days,
and the events sharing a day with the period through the (start, end)
index with a lower bound on start (DESIGN.md, performance notes). Plain
columns only; the counting is ``planning.utilisation``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.model import (
    ClosureDay,
    Course,
    EventInstructor,
    Instructor,
    Nation,
    TrainingEvent,
    Unavailability,
    Venue,
    VenueClosure,
)
from scheduler.planning.data import CANCELLED, ClosureData, last_day_of
from scheduler.planning.periods import quarter_of
from scheduler.planning.utilisation import (
    Booking,
    ResourceUse,
    UsedResource,
    Week,
    utilisation,
)
from scheduler.planning.workdays import DEFAULT_WORKING_WEEKDAYS, PlanCalendars
from scheduler.services.event_extent import event_days, longest_event

UseKind = Literal["instructor", "venue"]
NO_NATION = "No nation"


@dataclass(frozen=True, slots=True)
class UsedEvent:
    """What a cell's tooltip says about one event."""

    id: int
    ref: str
    course_code: str
    course_title: str
    first: date
    last: date
    status: str


@dataclass(frozen=True, slots=True)
class UtilisationTable:
    kind: UseKind
    first: date
    last: date
    weeks: tuple[Week, ...]
    rows: tuple[ResourceUse, ...]
    events: dict[int, UsedEvent] = field(default_factory=dict)


def nation_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every nation, by code: the filter's entries."""
    return [
        (code, name)
        for code, name in session.execute(select(Nation.code, Nation.name).order_by(Nation.code))
    ]


def default_period(session: Session, today: date) -> tuple[date, date]:
    """The quarter to show first: today's, or the nearest one holding events."""
    span = event_days(session)
    day = today if span is None else min(max(today, span[0]), span[1])
    return quarter_of(day)


def load_utilisation(
    session: Session,
    kind: UseKind,
    first: date,
    last: date,
    *,
    nation_code: str | None = None,
    working_weekdays: frozenset[int] = DEFAULT_WORKING_WEEKDAYS,
    week_start: int = 0,
) -> UtilisationTable:
    """Weeks of [first, last] and a row per instructor or venue (of ``nation_code`` when given)."""
    nations = {
        ident: (code, name, calendar or code)
        for ident, code, name, calendar in session.execute(
            select(Nation.id, Nation.code, Nation.name, Nation.holiday_calendar)
        )
    }
    model: Any = Instructor if kind == "instructor" else Venue
    query = select(model.id, model.name, model.nation_id)
    if nation_code is not None:
        query = query.join(Nation, Nation.id == model.nation_id).where(Nation.code == nation_code)
    people = list(session.execute(query))
    ids = [ident for ident, _name, _nation in people]

    away: dict[int, list[tuple[date, date]]] = {}
    if kind == "instructor":
        absence: Any = select(
            Unavailability.instructor_id, Unavailability.start_date, Unavailability.end_date
        ).where(Unavailability.start_date <= last, Unavailability.end_date >= first)
    else:
        absence = select(
            VenueClosure.venue_id, VenueClosure.start_date, VenueClosure.end_date
        ).where(VenueClosure.start_date <= last, VenueClosure.end_date >= first)
    chosen = set(ids)
    for owner, low, high in session.execute(absence):
        if owner in chosen:
            away.setdefault(owner, []).append((low, high))

    resources = []
    for ident, name, nation_id in people:
        code, nation_name, _calendar = nations.get(nation_id, (None, NO_NATION, None))
        resources.append(
            UsedResource(ident, name, code, nation_name, tuple(sorted(away.get(ident, ()))))
        )

    bookings, events = _bookings(session, kind, first, last, chosen)
    closures = [
        ClosureData(day, name, nations[nation_id][0] if nation_id in nations else None)
        for day, name, nation_id in session.execute(
            select(ClosureDay.day, ClosureDay.name, ClosureDay.nation_id).where(
                ClosureDay.day >= first, ClosureDay.day <= last
            )
        )
    ]
    calendars = PlanCalendars(
        closures,
        {code: calendar for code, _name, calendar in nations.values()},
        working_weekdays=working_weekdays,
    )
    weeks, rows = utilisation(resources, bookings, first, last, calendars, week_start)
    return UtilisationTable(kind, first, last, tuple(weeks), tuple(rows), events)


def _bookings(
    session: Session, kind: UseKind, first: date, last: date, chosen: set[int]
) -> tuple[dict[int, list[Booking]], dict[int, UsedEvent]]:
    window_start = datetime.combine(first, time.min)
    window_end = datetime.combine(last + timedelta(days=1), time.min)
    owner: Any = EventInstructor.instructor_id if kind == "instructor" else TrainingEvent.venue_id
    query = (
        select(
            owner,
            TrainingEvent.id,
            TrainingEvent.ref,
            TrainingEvent.start,
            TrainingEvent.end,
            type_coerce(TrainingEvent.status, String),
            Course.code,
            Course.title,
        )
        .join(Course, Course.id == TrainingEvent.course_id)
        .where(
            TrainingEvent.start < window_end,
            TrainingEvent.start >= window_start - longest_event(session),
            TrainingEvent.end > window_start,
            type_coerce(TrainingEvent.status, String) != CANCELLED,
        )
    )
    if kind == "instructor":
        query = query.join(EventInstructor, EventInstructor.event_id == TrainingEvent.id)
    else:
        query = query.where(TrainingEvent.venue_id.is_not(None))
    bookings: dict[int, list[Booking]] = {}
    events: dict[int, UsedEvent] = {}
    for resource, ident, ref, start, end, status, code, title in session.connection().execute(
        query
    ):
        if resource not in chosen:
            continue
        bookings.setdefault(resource, []).append(Booking(ident, start, end))
        if ident not in events:
            events[ident] = UsedEvent(
                ident, ref, code, title, start.date(), last_day_of(start, end), status
            )
    return bookings, events
