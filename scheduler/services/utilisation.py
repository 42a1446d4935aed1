"""Instructor and venue utilisation for a period, read with a few SQL queries.

Reads only what the period needs: the resources (of one nation, if asked),
their leave or closures overlapping the period, the plan's closure days,
and the events sharing a day with the period through the (start, end)
index with a lower bound on start (DESIGN.md, performance notes). Plain
columns only; the counting is ``planning.utilisation``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import String, func, null, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.exchange.heatmap_workbook import Heatmap, HeatmapCell, HeatmapRow
from scheduler.model import (
    Course,
    CourseKit,
    EventAudience,
    EventInstructor,
    EventModule,
    Instructor,
    Kit,
    Nation,
    TrainingEvent,
    Unavailability,
    Venue,
    VenueClosure,
)
from scheduler.planning.data import CANCELLED, KitNeed, ModuleData, last_day_of
from scheduler.planning.periods import quarter_of
from scheduler.planning.utilisation import (
    WORKING_DAY_HOURS,
    Booking,
    ResourceUse,
    UsedResource,
    Week,
    utilisation,
)
from scheduler.planning.workdays import PlanCalendars
from scheduler.services.event_extent import event_days, longest_event
from scheduler.services.plan_calendars import load_calendars
from scheduler.services.plan_snapshot import load_modules

UseKind = Literal["instructor", "venue", "kit"]
# Each kind as the page and its printout name it: (plural, singular).
USE_KIND_WORDS: dict[str, tuple[str, str]] = {
    "instructor": ("instructors", "Instructor"),
    "venue": ("venues", "Venue"),
    "kit": ("kit", "Kit"),
}
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
    course_id: int = 0


@dataclass(frozen=True, slots=True)
class UtilisationTable:
    kind: UseKind
    first: date
    last: date
    weeks: tuple[Week, ...]
    rows: tuple[ResourceUse, ...]
    events: dict[int, UsedEvent] = field(default_factory=dict)


def heatmap_of(
    table: UtilisationTable, order: Sequence[int], *, in_hours: bool, scope: str
) -> Heatmap:
    """The table's rows in ``order`` as a workbook's heatmap, in days or hours."""
    rows = []
    for index in order:
        use = table.rows[index]
        cells = tuple(
            HeatmapCell(
                w.booked_hours if in_hours else w.booked,
                w.available_hours if in_hours else w.available,
                w.over,
            )
            for w in use.weeks
        )
        rows.append(HeatmapRow(use.resource.name, use.resource.nation_code or "", cells, use.over))
    weeks = tuple(w.label.replace(" · ", " ") for w in table.weeks)
    title = f"{USE_KIND_WORDS[table.kind][1]} utilisation"
    return Heatmap(title, "hours" if in_hours else "days", scope, weeks, tuple(rows))


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
    week_start: int = 0,
) -> UtilisationTable:
    """Weeks of [first, last] and a row per instructor, venue or kit (of
    ``nation_code`` when given: a kit's owner nation, when a partner owns it)."""
    nations = {
        ident: (code, name)
        for ident, code, name in session.execute(select(Nation.id, Nation.code, Nation.name))
    }
    if kind == "kit":
        return _kit_utilisation(session, first, last, nations, nation_code, week_start)
    model: Any = Instructor if kind == "instructor" else Venue
    region = Venue.holiday_region if kind == "venue" else null()
    query = select(model.id, model.name, model.nation_id, region)
    if nation_code is not None:
        query = query.join(Nation, Nation.id == model.nation_id).where(Nation.code == nation_code)
    people = list(session.execute(query))
    ids = [ident for ident, _name, _nation, _region in people]

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
    for ident, name, nation_id, holiday_region in people:
        code, nation_name = nations.get(nation_id, (None, NO_NATION))
        resources.append(
            UsedResource(
                ident,
                name,
                code,
                nation_name,
                tuple(sorted(away.get(ident, ()))),
                holiday_region,
            )
        )

    bookings, events = _bookings(session, kind, first, last, chosen)
    calendars = load_calendars(session, first, last)
    weeks, rows = utilisation(resources, bookings, first, last, calendars, week_start)
    return UtilisationTable(kind, first, last, tuple(weeks), tuple(rows), events)


def _kit_utilisation(
    session: Session,
    first: date,
    last: date,
    nations: dict[int, tuple[str, str]],
    nation_code: str | None,
    week_start: int,
) -> UtilisationTable:
    """Kit keeps Monday to Friday without holidays; it is over-booked on the
    days its events need more than is held."""
    query = select(Kit.id, Kit.name, Kit.nation_id, Kit.quantity)
    if nation_code is not None:
        query = query.join(Nation, Nation.id == Kit.nation_id).where(Nation.code == nation_code)
    resources = []
    for ident, name, nation_id, quantity in session.execute(query):
        owner = nations.get(nation_id) if nation_id is not None else None
        code, nation_name = owner if owner is not None else (None, "The cell")
        resources.append(UsedResource(ident, name, code, nation_name, capacity=quantity or 1))
    needs: dict[tuple[int, int], KitNeed] = {
        (course_id, kit_id): KitNeed(kit_id, quantity, per)
        for course_id, kit_id, quantity, per in session.execute(
            select(
                CourseKit.course_id, CourseKit.kit_id, CourseKit.quantity, CourseKit.per_trainees
            )
        )
    }
    bookings, events = _bookings(session, "kit", first, last, {r.id for r in resources})
    seats = _seats(session, list(events))
    amounts: dict[int, list[Booking]] = {}
    for kit_id, found in bookings.items():
        amounts[kit_id] = [
            replace(
                b,
                amount=needs[(events[b.event_id].course_id, kit_id)].for_seats(
                    seats.get(b.event_id, 0)
                ),
            )
            for b in found
        ]
    calendars = PlanCalendars()
    weeks, rows = utilisation(resources, amounts, first, last, calendars, week_start)
    return UtilisationTable("kit", first, last, tuple(weeks), tuple(rows), events)


def _seats(session: Session, event_ids: list[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for start in range(0, len(event_ids), 900):
        for event_id, seats in session.execute(
            select(EventAudience.event_id, func.sum(EventAudience.seats))
            .where(EventAudience.event_id.in_(event_ids[start : start + 900]))
            .group_by(EventAudience.event_id)
        ):
            found[event_id] = int(seats or 0)
    return found


def _bookings(
    session: Session, kind: UseKind, first: date, last: date, chosen: set[int]
) -> tuple[dict[int, list[Booking]], dict[int, UsedEvent]]:
    window_start = datetime.combine(first, time.min)
    window_end = datetime.combine(last + timedelta(days=1), time.min)
    owner: Any = {
        "instructor": EventInstructor.instructor_id,
        "venue": TrainingEvent.venue_id,
        "kit": CourseKit.kit_id,
    }[kind]

    reach = window_start - longest_event(session)  # a scan of every event: once

    def columns(owner: Any) -> Any:
        return (
            select(
                owner,
                TrainingEvent.id,
                TrainingEvent.ref,
                TrainingEvent.start,
                TrainingEvent.end,
                type_coerce(TrainingEvent.status, String),
                Course.code,
                Course.title,
                Course.id,
                Course.daily_hours,
            )
            .join(Course, Course.id == TrainingEvent.course_id)
            .where(
                TrainingEvent.start < window_end,
                TrainingEvent.start >= reach,
                TrainingEvent.end > window_start,
                type_coerce(TrainingEvent.status, String) != CANCELLED,
            )
        )

    query = columns(owner)
    if kind == "instructor":
        query = query.join(EventInstructor, EventInstructor.event_id == TrainingEvent.id)
    elif kind == "kit":
        query = query.join(CourseKit, CourseKit.course_id == TrainingEvent.course_id)
    else:
        query = query.where(TrainingEvent.venue_id.is_not(None))
    bookings: dict[int, list[Booking]] = {}
    events: dict[int, UsedEvent] = {}
    connection = session.connection()
    rows: list[Any] = list(connection.execute(query))
    modules: dict[int, tuple[ModuleData, ...]] = {}
    if kind != "kit":
        # Events with modules hold their people and venue on their modules' days only.
        with_modules = list(
            connection.execute(
                columns(null()).where(TrainingEvent.id.in_(select(EventModule.event_id)))
            )
        )
        modules = load_modules(session, [row[1] for row in with_modules])
        held: dict[int, list[int]] = {}
        for row in rows:
            if row[1] in modules:
                held.setdefault(row[1], []).append(row[0])
        pieces: list[Any] = []
        for _none, ident, *rest in with_modules:
            for module in modules.get(ident, ()):
                own = (
                    [module.venue_id]
                    if kind == "venue" and module.venue_id is not None
                    else [a.instructor_id for a in module.staff]
                    if kind == "instructor" and module.staff is not None
                    else held.get(ident, [])
                )
                start, end = module.start, module.end
                pieces += [(resource, ident, rest[0], start, end, *rest[3:]) for resource in own]
        rows = [row for row in rows if row[1] not in modules] + pieces
    for resource, ident, ref, start, end, status, code, title, course_id, hours in rows:
        if resource not in chosen:
            continue
        daily = float(hours) if hours is not None else WORKING_DAY_HOURS
        bookings.setdefault(resource, []).append(Booking(ident, start, end, hours=daily))
        if ident not in events:
            events[ident] = UsedEvent(
                ident, ref, code, title, start.date(), last_day_of(start, end), status, course_id
            )
    return bookings, events
