"""The events list of a big plan as ids: which events a search, filters and
sort show, in order, and the table rows of just the ones on screen.

A 100,000-event plan's list held as table rows took 140 MB and three
seconds to read before the first row showed. The window now holds the
ordered ids (under a megabyte) and asks ``rows_of`` for the few hundred
rows in view. Search and filters become SQL: each word is matched in
Python against the plan's small tables (courses, venues, units, people,
statuses), which become ``IN`` lists, and only the event's own texts
(ref, dates, seats) are matched row by row, case-blind in every alphabet
(``folded``). A row is shown when every word is found in one of its cells,
as the table's search always did.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    false,
    func,
    or_,
    select,
    values,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import column

from scheduler.model import (
    Course,
    EventAudience,
    EventInstructor,
    EventStatus,
    Instructor,
    Nation,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.services.event_listing import STATUS_TEXT
from scheduler.services.tables import EVENT_COLUMNS, Row, event_rows_by_id
from scheduler.storage.text_folding import folded

# SQLite takes at most 32,766 parameters a statement (999 before 3.32).
_CHUNK = 900


@dataclass(frozen=True, slots=True)
class EventQuery:
    """What the events list shows: the planner's search, filters and sort."""

    window: tuple[datetime, datetime] | None = None  # events overlapping [start, end)
    search: str = ""
    facets: Mapping[str, str] = field(default_factory=dict)  # status/nation/unit/instructor/venue
    focus: tuple[str, frozenset[str]] | None = None  # a course, for one of these units
    sort_column: int = EVENT_COLUMNS.index("Start")
    descending: bool = False

    @property
    def narrowed(self) -> bool:
        """Whether the search, filters or focus leave events of the period out."""
        return bool(self.search.split() or any(self.facets.values()) or self.focus)


@dataclass(frozen=True, slots=True)
class Listed:
    """The ids shown, in order, and how many events the period holds."""

    ids: list[int]
    total: int
    pages: dict[int, list[Row | None]]  # rows of the pages asked for, read with the ids
    chosen: list[int]  # ids of the uuids asked for that are shown (a selection kept)


def list_events(
    session: Session,
    query: EventQuery,
    pages: Iterable[int] = (0,),
    page_size: int = 200,
    keep: Sequence[str] = (),
) -> Listed:
    """The ids ``query`` shows; the rows of ``pages`` (of ``page_size``
    rows: those in view); and the ids of ``keep`` (uuids selected before a
    reload)."""
    # Core rows, not the ORM's: its per-row work cost 50 ms at 100,000 events.
    ids = list(session.connection().execute(_ordered(session, query)).scalars())
    total = len(ids)
    if query.narrowed:
        counting = select(func.count()).select_from(TrainingEvent)
        if query.window is not None:
            counting = counting.where(_in_window(query.window))
        total = session.scalar(counting) or 0
    chosen: list[int] = []
    for part in _chunks(list(keep)):
        chosen += session.scalars(select(TrainingEvent.id).where(TrainingEvent.uuid.in_(part)))
    read = {
        number: rows_of(session, ids[number * page_size : (number + 1) * page_size])
        for number in pages
        if number * page_size < len(ids)
    }
    return Listed(ids, total, read, chosen)


def rows_of(session: Session, ids: Sequence[int]) -> list[Row | None]:
    """The table rows of these events, in this order (None: deleted since)."""
    found: dict[int, Row] = {}
    for part in _chunks(list(ids)):
        found.update(event_rows_by_id(session, part))
    return [found.get(i) for i in ids]


def keys_of(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, int]]:
    """id -> (uuid, version) of these events, for acting on a selection."""
    keys: dict[int, tuple[str, int]] = {}
    for part in _chunks(list(ids)):
        query = select(TrainingEvent.id, TrainingEvent.uuid, TrainingEvent.version_id).where(
            TrainingEvent.id.in_(part)
        )
        keys.update((i, (u, v)) for i, u, v in session.execute(query))
    return keys


def _chunks(values: list[Any]) -> Iterable[list[Any]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _in_window(window: tuple[datetime, datetime]) -> ColumnElement[bool]:
    start, end = window
    return and_(TrainingEvent.start < end, TrainingEvent.end > start)


def _ordered(session: Session, query: EventQuery) -> Select[Any]:
    statement = select(TrainingEvent.id).select_from(TrainingEvent)
    key, table, on = _sort_key(session, query.sort_column)
    if table is not None:
        statement = statement.outerjoin(table, on)
    if query.focus is not None:
        statement = statement.join(Course, Course.id == TrainingEvent.course_id)
    conditions: list[ColumnElement[bool]] = []
    if query.window is not None:
        conditions.append(_in_window(query.window))
    conditions += _facet_conditions(session, query.facets)
    if query.focus is not None:
        course, units = query.focus
        conditions.append(Course.code == course)
        conditions.append(TrainingEvent.id.in_(_events_with_units(Unit.code.in_(sorted(units)))))
    tables = _SmallTables.read(session) if query.search.split() else None
    for word in query.search.casefold().split():
        assert tables is not None
        conditions.append(_word_condition(word, tables))
    if conditions:
        statement = statement.where(and_(*conditions))
    # Empty cells (no rank, no venue) last in either direction, as a planner
    # expects. Dates are never empty: sorted by them alone, the start's index
    # gives the order (50 ms at 100,000 events instead of 84).
    dates = key is TrainingEvent.start or key is TrainingEvent.end
    order: list[Any] = [] if dates else [case((key.is_(None), 1), else_=0)]
    order.append(key.desc() if query.descending else key.asc())
    if key is not TrainingEvent.start:
        order.append(TrainingEvent.start)
    return statement.order_by(*order, TrainingEvent.id)


# --- search


@dataclass(frozen=True, slots=True)
class _SmallTables:
    """The plan's small tables, folded once for a search of several words."""

    courses: list[tuple[int, str]]  # id, "code title category"
    venues: list[tuple[int, str]]  # id, "name host-nation-code"
    units: list[tuple[int, str]]
    people: list[tuple[int, str]]

    @classmethod
    def read(cls, session: Session) -> _SmallTables:
        def folded_rows(query: Any) -> list[tuple[int, str]]:
            return [
                (row[0], " ".join(str(v) for v in row[1:] if v).casefold())
                for row in session.execute(query)
            ]

        return cls(
            folded_rows(select(Course.id, Course.code, Course.title, Course.category)),
            folded_rows(
                select(Venue.id, Venue.name, Nation.code).outerjoin(
                    Nation, Nation.id == Venue.nation_id
                )
            ),
            folded_rows(select(Unit.id, Unit.code)),
            folded_rows(select(Instructor.id, Instructor.name)),
        )


def _word_condition(word: str, tables: _SmallTables) -> ColumnElement[bool]:
    """Events with ``word`` in one of their cells."""

    def having(rows: list[tuple[int, str]]) -> list[int]:
        return [i for i, text in rows if word in text]

    found: list[ColumnElement[bool]] = [folded(TrainingEvent.ref).contains(word, autoescape=True)]
    if courses := having(tables.courses):
        found.append(TrainingEvent.course_id.in_(courses))
    if venues := having(tables.venues):
        found.append(TrainingEvent.venue_id.in_(venues))
    if units := having(tables.units):
        found.append(TrainingEvent.id.in_(_events_with_units(EventAudience.unit_id.in_(units))))
    if people := having(tables.people):
        found.append(
            TrainingEvent.id.in_(
                select(EventInstructor.event_id).where(EventInstructor.instructor_id.in_(people))
            )
        )
    if statuses := [s.value for s in EventStatus if word in s.value.casefold()]:
        found.append(STATUS_TEXT.in_(statuses))
    if any(c.isdigit() for c in word):  # dates as shown, "2027-03-01 08:00"
        for column in (TrainingEvent.start, TrainingEvent.end):
            found.append(func.substr(cast(column, String), 1, 16).contains(word, autoescape=True))
    if word.isdigit():
        found.append(cast(_seats(), String).contains(word, autoescape=True))
    return or_(*found)


def _events_with_units(which: ColumnElement[bool]) -> Select[Any]:
    return select(EventAudience.event_id).join(Unit, Unit.id == EventAudience.unit_id).where(which)


def _seats() -> Any:
    return (
        select(func.coalesce(func.sum(EventAudience.seats), 0))
        .where(EventAudience.event_id == TrainingEvent.id)
        .scalar_subquery()
    )


# --- filters


def _facet_conditions(session: Session, facets: Mapping[str, str]) -> list[ColumnElement[bool]]:
    """The filter boxes' choices as conditions (each box shows one value or all)."""
    conditions: list[ColumnElement[bool]] = []
    for name, value in facets.items():
        if not value:
            continue
        if name == "status":
            conditions.append(STATUS_TEXT.in_([value.lower()]))
        elif name == "venue":
            conditions.append(
                TrainingEvent.venue_id.in_(select(Venue.id).where(Venue.name == value))
            )
        elif name == "unit":
            conditions.append(TrainingEvent.id.in_(_events_with_units(Unit.code == value)))
        elif name == "instructor":
            conditions.append(
                TrainingEvent.id.in_(
                    select(EventInstructor.event_id)
                    .join(Instructor, Instructor.id == EventInstructor.instructor_id)
                    .where(Instructor.name == value)
                )
            )
        elif name == "nation":  # hosting it, or sending a unit to it
            nation = select(Nation.id).where(Nation.code == value).scalar_subquery()
            conditions.append(
                or_(
                    TrainingEvent.venue_id.in_(select(Venue.id).where(Venue.nation_id == nation)),
                    TrainingEvent.id.in_(_events_with_units(Unit.nation_id == nation)),
                )
            )
        else:
            conditions.append(false())
    return conditions


# --- order
#
# Text columns from the small tables sort by a rank worked out here with
# ``str.casefold`` and joined in as a VALUES table, so the order is the same
# on a plan file and on any server, whatever its locale ("Пасуљанске" after
# "граничне" on a C-locale server too). Only the ref sorts in SQL, folded.

_STATUS_ORDER = sorted(EventStatus, key=lambda status: status.value)


def _ranks(pairs: Iterable[tuple[int, str | None]]) -> Any:
    """(id, rank) of each record by its text, case-blind; empty texts get no rank."""
    ordered = sorted(((i, t.casefold()) for i, t in pairs if t), key=lambda pair: pair[1])
    ranks: list[tuple[int, int]] = []
    rank, last = -1, None
    for record_id, text in ordered:
        if text != last:
            rank, last = rank + 1, text
        ranks.append((record_id, rank))
    table = values(column("id", Integer), column("rank", Integer), name="ranked")
    return table.data(ranks or [(0, 0)]).cte("ranked")


def _sort_key(session: Session, column: int) -> tuple[Any, Any, Any]:
    """What a column sorts by (a text's rank, empty last, or a value), and
    the table it comes from with the condition joining it, if any."""
    name = EVENT_COLUMNS[column]
    texts: dict[str, tuple[Any, Any]] = {
        "Course": (select(Course.id, Course.code), TrainingEvent.course_id),
        "Title": (select(Course.id, Course.title), TrainingEvent.course_id),
        "Category": (select(Course.id, Course.category), TrainingEvent.course_id),
        "Venue": (select(Venue.id, Venue.name), TrainingEvent.venue_id),
        "Nation": (  # the host nation, the venue's
            select(Venue.id, Nation.code).join(Nation, Nation.id == Venue.nation_id),
            TrainingEvent.venue_id,
        ),
    }
    if name in texts:
        query, on = texts[name]
        table = _ranks(session.execute(query))
        return table.c.rank, table, table.c.id == on
    lists: dict[str, tuple[Any, Any, Any]] = {  # a list sorts by its first name, as it reads
        "Units": (select(Unit.id, Unit.code), EventAudience.unit_id, EventAudience.event_id),
        "Instructors": (
            select(Instructor.id, Instructor.name),
            EventInstructor.instructor_id,
            EventInstructor.event_id,
        ),
    }
    if name in lists:
        query, member, event = lists[name]
        table = _ranks(session.execute(query))
        best = (
            select(event.label("event_id"), func.min(table.c.rank).label("rank"))
            .join(table, table.c.id == member)
            .group_by(event)
            .subquery("best")
        )
        return best.c.rank, best, best.c.event_id == TrainingEvent.id

    if name == "Ref":
        return folded(TrainingEvent.ref), None, None
    if name == "Status":
        return (
            case({s.value: rank for rank, s in enumerate(_STATUS_ORDER)}, value=STATUS_TEXT),
            None,
            None,
        )
    if name == "Seats":
        return cast(_seats(), Integer), None, None
    return (TrainingEvent.end if name == "End" else TrainingEvent.start), None, None
