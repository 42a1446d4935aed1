"""What an export reads from the plan: the plain rows ``scheduler.exchange`` writes.

The writers in ``exchange`` know formats only; every query an export makes
is here. Rows are built from column queries (never ORM objects) and
streamed from the database cursor, with each chunk's audiences and
instructors fetched in one query each, so memory stays flat however large
the plan is: the ``iter_*`` functions are generators, and a writer pulls a
chunk only when it has written the previous one. Every function takes the
caller's session, so one export reads one state of the plan
(``services.exports`` opens ``plan.snapshot()``).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Any

from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.partner_language import workbook_language
from scheduler.exchange.release_changes import SentRelease, known_to_partner
from scheduler.exchange.rows import (
    AssignmentRow,
    AudienceRow,
    CourseColour,
    EventFilter,
    EventRow,
    ModuleRow,
    Partner,
    PreviousRelease,
    RecordTimes,
    SeriesRow,
    StaffRow,
    ZoneSpan,
)
from scheduler.model import (
    Course,
    EventAudience,
    EventInstructor,
    EventModule,
    EventSeries,
    Instructor,
    ModuleInstructor,
    Nation,
    Release,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.planning.readiness import unit_children, units_and_below
from scheduler.services.event_extent import event_days
from scheduler.services.event_listing import event_join

CHUNK = 1000


def event_conditions(event_filter: EventFilter) -> list[ColumnElement[bool]]:
    """The filter as WHERE conditions on ``TrainingEvent``.

    The EXISTS subqueries correlate with the event alone: a query that also
    selects from ``EventInstructor`` (the ``By instructor`` sheet) would
    otherwise correlate the subquery's own table away and have no FROM left.
    """
    found: list[ColumnElement[bool]] = []
    if event_filter.date_from is not None:
        found.append(TrainingEvent.end > datetime.combine(event_filter.date_from, time()))
    if event_filter.date_to is not None:
        found.append(
            TrainingEvent.start < datetime.combine(event_filter.date_to + timedelta(days=1), time())
        )
    if event_filter.unit_ids is not None:
        found.append(
            exists()
            .where(
                EventAudience.event_id == TrainingEvent.id,
                EventAudience.unit_id.in_(sorted(event_filter.unit_ids)),
            )
            .correlate(TrainingEvent)
        )
    if event_filter.instructor_id is not None:
        # On the event, or on one of its modules only.
        found.append(
            or_(
                exists()
                .where(
                    EventInstructor.event_id == TrainingEvent.id,
                    EventInstructor.instructor_id == event_filter.instructor_id,
                )
                .correlate(TrainingEvent),
                exists()
                .where(
                    EventModule.event_id == TrainingEvent.id,
                    ModuleInstructor.module_id == EventModule.id,
                    ModuleInstructor.instructor_id == event_filter.instructor_id,
                )
                .correlate(TrainingEvent),
            )
        )
    if event_filter.venue_id is not None:
        found.append(
            or_(
                TrainingEvent.venue_id == event_filter.venue_id,
                exists()
                .where(
                    EventModule.event_id == TrainingEvent.id,
                    EventModule.venue_id == event_filter.venue_id,
                )
                .correlate(TrainingEvent),
            )
        )
    if event_filter.statuses is not None:
        found.append(TrainingEvent.status.in_(sorted(event_filter.statuses)))
    return found


# --- who and what an export is for -----------------------------------------


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


def partner_caveats(session: Session) -> dict[str, str | None]:
    """Each partner choice's releasability caveat ("MKD"): its nation's, for a unit."""
    nations = select(Nation.code, Nation.releasability)
    units = select(Unit.code, Nation.releasability).join(Nation, Unit.nation_id == Nation.id)
    return {
        code: caveat for query in (nations, units) for code, caveat in session.execute(query).all()
    }


def resolve_partner(session: Session, code: str) -> Partner:
    """A nation code (its units) or a unit code (that unit and everything below it)."""
    wanted = code.strip().upper()
    nation = session.execute(
        select(Nation.id, Nation.code, Nation.name, Nation.releasability, Nation.languages).where(
            func.upper(Nation.code) == wanted
        )
    ).first()
    if nation is not None:
        ids = session.scalars(select(Unit.id).where(Unit.nation_id == nation.id)).all()
        return Partner(
            nation.code,
            nation.name,
            nation.code,
            nation.releasability,
            frozenset(ids),
            workbook_language(nation.languages or ()),
        )
    unit = session.execute(
        select(
            Unit.id,
            Unit.code,
            Unit.name,
            Nation.code.label("nation"),
            Nation.releasability,
            Nation.languages,
        )
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
    return Partner(
        unit.code,
        unit.name,
        unit.nation,
        unit.releasability,
        frozenset(found),
        workbook_language(unit.languages or ()),
    )


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


# --- counts and spans, read before a writer starts ---------------------------


def count_events(session: Session, event_filter: EventFilter) -> int:
    stmt = select(func.count(TrainingEvent.id)).where(*event_conditions(event_filter))
    return int(session.scalar(stmt) or 0)


def count_modules(session: Session, event_filter: EventFilter) -> int:
    stmt = (
        select(func.count(EventModule.id))
        .join(TrainingEvent, TrainingEvent.id == EventModule.event_id)
        .where(*event_conditions(event_filter))
    )
    return int(session.scalar(stmt) or 0)


def selection_period(session: Session, event_filter: EventFilter) -> tuple[date, date] | None:
    """The period asked for, or the span of the selected events when open-ended."""
    found = event_days(session, *event_conditions(event_filter))
    first = event_filter.date_from or (found[0] if found else None)
    last = event_filter.date_to or (found[1] if found else None)
    if first is None or last is None:
        return None
    return first, last


def assignment_count(session: Session, event_filter: EventFilter) -> int:
    """Instructor assignments of the selected events (rows of ``By instructor``)."""
    stmt = (
        select(func.count())
        .select_from(EventInstructor)
        .join(TrainingEvent, EventInstructor.event_id == TrainingEvent.id)
        .where(*event_conditions(event_filter))
    )
    return int(session.scalar(stmt) or 0)


def courses_in(session: Session, event_filter: EventFilter) -> list[CourseColour]:
    """The courses the selected events run (for the colour legend)."""
    stmt = (
        select(Course.code, Course.title, Course.colour)
        .where(
            Course.id.in_(
                select(TrainingEvent.course_id).where(*event_conditions(event_filter)).distinct()
            )
        )
        .order_by(Course.code)
    )
    return [(code, title, colour) for code, title, colour in session.execute(stmt)]


def previous_release(session: Session, partner_code: str) -> PreviousRelease | None:
    """What the partner holds from the releases sent to it, for its new
    workbook's "changes since" sheet: each event as last sent, whatever
    period that release covered. Releases before the newest one that covered
    every date are not read (it replaced all of them)."""
    newest_first = session.execute(
        select(Release.released_at, Release.period_start, Release.period_end, Release.id)
        .where(Release.partner_code == partner_code)
        .order_by(Release.released_at.desc(), Release.id.desc())
    ).all()
    wanted = []
    for _released_at, first, last, ident in newest_first:
        wanted.append(ident)
        if first is None and last is None:
            break
    if not wanted:
        return None
    snapshots = {
        ident: snapshot
        for ident, snapshot in session.execute(
            select(Release.id, Release.snapshot).where(Release.id.in_(wanted))
        )
    }
    sent = [
        SentRelease(released_at, first, last, list(snapshots.get(ident) or []))
        for released_at, first, last, ident in reversed(newest_first[: len(wanted)])
    ]
    return PreviousRelease(
        sent[-1].released_at,
        known_to_partner(sent),
        tuple((r.released_at, r.first, r.last) for r in sent),
    )


# --- event rows, streamed -----------------------------------------------------


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
        Venue.holiday_region,
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


_RawModule = tuple[str, datetime, datetime, str | None, str | None, str | None, list[StaffRow]]


def modules_by_event(session: Session, ids: Sequence[int]) -> dict[int, list[_RawModule]]:
    """Each event's modules with their own venue and people (None, []: the event's)."""
    stmt = (
        select(
            EventModule.id,
            EventModule.event_id,
            EventModule.title,
            EventModule.start,
            EventModule.end,
            Venue.name,
            Venue.location,
            Nation.code,
        )
        .outerjoin(Venue, EventModule.venue_id == Venue.id)
        .outerjoin(Nation, Venue.nation_id == Nation.id)
        .where(EventModule.event_id.in_(ids))
        .order_by(EventModule.event_id, EventModule.start, EventModule.id)
    )
    rows = list(session.execute(stmt))
    if not rows:
        return {}
    people: dict[int, list[StaffRow]] = {}
    for module_id, name, role, releasable in session.execute(
        select(
            ModuleInstructor.module_id,
            Instructor.name,
            ModuleInstructor.role,
            Instructor.releasable,
        )
        .join(Instructor, ModuleInstructor.instructor_id == Instructor.id)
        .where(ModuleInstructor.module_id.in_([r[0] for r in rows]))
        .order_by(ModuleInstructor.module_id, ModuleInstructor.role, Instructor.name)
    ):
        people.setdefault(module_id, []).append(StaffRow(name, str(role), bool(releasable)))
    found: dict[int, list[_RawModule]] = {}
    for module_id, event_id, title, start, end, venue, location, nation in rows:
        found.setdefault(event_id, []).append(
            (title or "", start, end, venue, location, nation, people.get(module_id, []))
        )
    return found


def module_rows(
    raw: list[_RawModule],
    venue: str | None,
    location: str | None,
    nation: str | None,
    staff: tuple[StaffRow, ...],
) -> tuple[ModuleRow, ...]:
    """Modules with the event's venue and people where they have none of their own."""
    return tuple(
        ModuleRow(
            title or f"Module {number}",
            start,
            end,
            own_venue if own_venue is not None else venue,
            own_location if own_venue is not None else location,
            own_nation if own_venue is not None else nation,
            tuple(own_staff) if own_staff else staff,
        )
        for number, (title, start, end, own_venue, own_location, own_nation, own_staff) in
        enumerate(raw, start=1)
    )  # fmt: skip


def ordered_ids(session: Session, event_filter: EventFilter) -> list[int]:
    """The selected events' ids in start order (the order every sheet lists them)."""
    return list(
        session.scalars(
            select(TrainingEvent.id)
            .where(*event_conditions(event_filter))
            .order_by(TrainingEvent.start, TrainingEvent.ref, TrainingEvent.id)
        )
    )


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
    stmt = event_join(*_event_columns())
    for offset in range(0, len(ids), chunk):
        part = ids[offset : offset + chunk]
        unique = sorted(set(part))
        by_id = {row[0]: row for row in session.execute(stmt.where(TrainingEvent.id.in_(unique)))}
        audiences = _audiences(session, unique, audience_units)
        staff = _staff(session, unique) if with_staff else {}
        modules = modules_by_event(session, unique)
        for event_id in part:
            row = by_id[event_id]
            people = tuple(staff.get(event_id, ()))
            own = modules.get(event_id)
            yield EventRow._make(
                (
                    *row[:9],
                    str(row[9]),
                    *row[10:18],
                    bool(row[18]),
                    tuple(audiences.get(event_id, ())),
                    people,
                    row[19],
                    module_rows(own, row[10], row[11], row[12], people) if own else (),
                )
            )


def iter_assignments(session: Session, event_filter: EventFilter) -> Iterator[AssignmentRow]:
    """Each instructor's assignments among the selected events, by name then start.

    One streamed query: nothing else may run on the connection until it is
    read to the end, so its consumer reads nothing else meanwhile.
    """
    conditions = event_conditions(event_filter)
    has_modules = exists().where(EventModule.event_id == TrainingEvent.id).correlate(TrainingEvent)
    # Events held in modules: each person on each of their modules, read
    # whole first (few), then merged into the stream of the others.
    in_modules = list(
        session.scalars(
            select(TrainingEvent.id)
            .where(*conditions, has_modules)
            .order_by(TrainingEvent.start, TrainingEvent.ref, TrainingEvent.id)
        )
    )
    pieces = sorted(
        (
            AssignmentRow(
                person.name,
                person.role,
                row.ref,
                row.course_code,
                f"{row.course_title} — {module.title}",
                module.start,
                module.end,
                module.venue_name,
                row.status,
            )
            for row in iter_events_by_id(session, in_modules)
            for module in row.modules
            for person in module.staff
        ),
        key=lambda a: (a[0], a[5], a[2]),
    )
    stmt = (
        select(
            Instructor.name,
            EventInstructor.role,
            TrainingEvent.ref,
            Course.code,
            Course.title,
            TrainingEvent.start,
            TrainingEvent.end,
            Venue.name,
            TrainingEvent.status,
        )
        .join(EventInstructor, EventInstructor.instructor_id == Instructor.id)
        .join(TrainingEvent, EventInstructor.event_id == TrainingEvent.id)
        .join(Course, TrainingEvent.course_id == Course.id)
        .outerjoin(Venue, TrainingEvent.venue_id == Venue.id)
        .where(*conditions, ~has_modules)
        .order_by(Instructor.name, TrainingEvent.start, TrainingEvent.ref)
        .execution_options(yield_per=2000)
    )
    streamed = (AssignmentRow._make(row) for row in session.execute(stmt))
    yield from heapq.merge(streamed, pieces, key=lambda a: (a[0], a[5], a[2]))


def iter_venue_events(session: Session, event_filter: EventFilter) -> Iterator[EventRow]:
    """The selected events that have a venue, by venue name then start (no
    staff); an event held in modules once for each module, at its venue and
    on its days."""
    conditions = event_conditions(event_filter)
    has_modules = exists().where(EventModule.event_id == TrainingEvent.id).correlate(TrainingEvent)
    in_modules = list(
        session.scalars(
            select(TrainingEvent.id)
            .where(*conditions, has_modules)
            .order_by(TrainingEvent.start, TrainingEvent.ref, TrainingEvent.id)
        )
    )
    pieces = sorted(
        (
            row._replace(
                venue_name=module.venue_name,
                venue_location=module.venue_location,
                nation_code=module.nation_code,
                start=module.start,
                end=module.end,
                course_title=f"{row.course_title} — {module.title}",
            )
            for row in iter_events_by_id(session, in_modules, with_staff=False)
            for module in row.modules
            if module.venue_name
        ),
        key=lambda r: (r.venue_name or "", r.start, r.ref),
    )
    ids = list(
        session.scalars(
            select(TrainingEvent.id)
            .join(Venue, TrainingEvent.venue_id == Venue.id)
            .where(*conditions, ~has_modules)
            .order_by(Venue.name, TrainingEvent.start, TrainingEvent.ref)
        )
    )
    streamed = iter_events_by_id(session, ids, with_staff=False)
    yield from heapq.merge(streamed, pieces, key=lambda r: (r.venue_name or "", r.start, r.ref))


def people_rows(session: Session, event_filter: EventFilter) -> list[list[Any]]:
    """The named trainees on the selected events (the master workbook's Trainees
    sheet, when asked for): Ref, course, start, names, rank, nation, their unit
    on the event's first day, status, result date."""
    from scheduler.model import Enrolment, Trainee
    from scheduler.services.nominations import status_word
    from scheduler.services.trainee_facts import posting_on

    rows: list[list[Any]] = []
    for event, enrolment, person in session.execute(
        select(TrainingEvent, Enrolment, Trainee)
        .join(Enrolment, Enrolment.event_id == TrainingEvent.id)
        .join(Trainee, Trainee.id == Enrolment.trainee_id)
        .where(*event_conditions(event_filter))
        .order_by(TrainingEvent.start, TrainingEvent.ref, Trainee.name_latin, Trainee.name)
    ):
        posting = posting_on(person, event.start.date())
        rows.append(
            [
                event.ref,
                event.course.code,
                event.start,
                person.name,
                person.name_latin,
                person.rank,
                person.nation.code,
                posting.unit.code if posting is not None else None,
                status_word(enrolment.status).capitalize(),
                enrolment.result_date,
            ]
        )
    return rows


# --- what a calendar (.ics) needs beyond the rows ----------------------------


def zone_spans(session: Session, event_filter: EventFilter) -> list[ZoneSpan]:
    """Per time zone of the selected events' venues: the first start and last end."""
    zone = func.coalesce(Venue.time_zone, Nation.time_zone)
    stmt = (
        select(zone, func.min(TrainingEvent.start), func.max(TrainingEvent.end))
        .select_from(TrainingEvent)
        .join(Venue, TrainingEvent.venue_id == Venue.id)
        .join(Nation, Venue.nation_id == Nation.id)
        .where(*event_conditions(event_filter))
        .group_by(zone)
    )
    return [ZoneSpan(name, low, high) for name, low, high in session.execute(stmt)]


def series_in(session: Session, event_filter: EventFilter) -> list[SeriesRow]:
    """The rule of each series with an occurrence among the selected events.

    Its ``modified`` is the latest change of the series or of any occurrence
    in the plan, not only the selected ones, so it does not depend on the
    filter.
    """
    selected = select(TrainingEvent.series_id).where(
        TrainingEvent.series_id.is_not(None), *event_conditions(event_filter)
    )
    wanted = sorted({ident for ident in session.scalars(selected.distinct()) if ident is not None})
    found: list[SeriesRow] = []
    stmt = (
        select(
            EventSeries.id,
            EventSeries.uuid,
            EventSeries.rrule,
            EventSeries.dtstart,
            EventSeries.created_at,
            EventSeries.updated_at,
            func.max(TrainingEvent.updated_at),
        )
        .outerjoin(TrainingEvent, TrainingEvent.series_id == EventSeries.id)
        .group_by(EventSeries.id)
    )
    for offset in range(0, len(wanted), 900):
        for row in session.execute(stmt.where(EventSeries.id.in_(wanted[offset : offset + 900]))):
            series_id, uuid, rrule, dtstart, created, updated, latest = row
            modified = max(updated, latest) if latest is not None else updated
            found.append(SeriesRow(series_id, uuid, rrule, dtstart, created, modified))
    return found


def _record_times(session: Session, ids: list[int]) -> dict[int, RecordTimes]:
    return {
        event_id: RecordTimes(version, created, updated)
        for event_id, version, created, updated in session.execute(
            select(
                TrainingEvent.id,
                TrainingEvent.version_id,
                TrainingEvent.created_at,
                TrainingEvent.updated_at,
            ).where(TrainingEvent.id.in_(ids))
        )
    }


def with_record_times(
    session: Session, rows: Iterable[EventRow], chunk: int = 900
) -> Iterator[tuple[EventRow, RecordTimes]]:
    """Each row with its record's version and times (a calendar's SEQUENCE,
    CREATED and LAST-MODIFIED), read a chunk at a time: the stream stays flat."""
    stream = iter(rows)
    while batch := list(islice(stream, chunk)):
        times = _record_times(session, sorted({row.id for row in batch}))
        for row in batch:
            yield row, times[row.id]
