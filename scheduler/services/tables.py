"""Rows for the window's tables, as plain values (never live ORM objects).

Table models keep these rows and the uuid of each; they never touch the
database from ``data()``, so painting cannot trigger lazy loads. The events
table has its own column query (``event_rows_by_id``, for the rows in view)
because it may hold 100,000 rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from functools import partial
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from scheduler.model import (
    EventAudience,
    EventInstructor,
    EventStatus,
    Instructor,
    Nation,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.planning.weekdays import weekdays_text
from scheduler.services.entity_specs import EntitySpec, FieldKind, FieldSpec, spec_for
from scheduler.services.event_listing import event_listing

# Rows fetched from the plan at a time: 100,000 events are never all held as
# database rows and as table rows at once.
_BATCH = 5_000


@dataclass(frozen=True, slots=True)
class Row:
    """One table row: what it shows and what search and filters see.

    Rows sort by their cell text (dates are ISO text, so they sort right);
    the model sorts numeric columns by number.
    """

    uuid: str
    cells: tuple[str, ...]
    haystack: str  # casefolded text the search box matches
    facets: dict[str, str] = field(default_factory=dict)  # filter name -> value
    parent_uuid: str | None = None  # units: the tree
    # The version shown: an edit of the row is refused if the record changed since.
    version_id: int | None = None


def display(spec: FieldSpec, value: Any) -> str:
    """A value as a planner reads it in a table cell."""
    if value is None:
        return ""
    if spec.kind is FieldKind.BOOL:
        return "Yes" if value else "No"
    if spec.kind is FieldKind.CHOICE:
        raw = value.value if isinstance(value, Enum) else str(value)
        return dict(spec.choices).get(raw, raw)
    if spec.kind is FieldKind.WEEKDAYS:
        return weekdays_text(value)
    return value_text(value)


def value_text(value: Any) -> str:
    """Plain values as typed and read back: lists with ";", ISO dates, 7 not 7.0."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


_UUID, _VERSION, _ID = 0, 1, 2  # the leading columns of a record row read


def record_rows(session: Session, spec: EntitySpec) -> list[Row]:
    """Every record of a (small) entity as table rows.

    Read as columns, not ORM objects, with each referenced kind's names read
    once: 1,540 tasks (their target and courses) took 71 ms as objects and
    take 19 ms so."""
    model = spec.model
    relationships = inspect(model).relationships
    columns: list[Any] = [model.uuid, model.version_id, model.id]
    shown: list[tuple[int, Callable[[Any], str]]] = []  # per cell: its value's column, its text
    for field_spec in spec.table_fields:
        if field_spec.kind is FieldKind.REF:
            (foreign,) = relationships[field_spec.name].local_columns
            names = _names(session, field_spec.ref)
            shown.append((len(columns), partial(_named, names)))
            columns.append(foreign)
        elif field_spec.kind is FieldKind.MANY:  # a task's courses: "SCC; FTX-BN"
            listed = _listed_names(session, relationships[field_spec.name], field_spec.ref)
            shown.append((_ID, partial(_joined, listed)))
        else:
            shown.append((len(columns), partial(display, field_spec)))
            columns.append(getattr(model, field_spec.name))
    parent_field = spec.extra.get("tree_parent")
    uuids: dict[int, str] = {}
    if parent_field:  # the units' tree: the parent's uuid
        (foreign,) = relationships[parent_field].local_columns
        uuids = {ident: uuid for ident, uuid in session.execute(select(model.id, model.uuid))}
        columns.append(foreign)
    filtered = [
        (n, f.name) for n, f in enumerate(spec.table_fields) if f.name in spec.filter_fields
    ]
    rows = []
    for found in session.execute(select(*columns).order_by(model.id)):
        cells = tuple(text(found[column]) for column, text in shown)
        rows.append(
            Row(
                uuid=found[_UUID],
                cells=cells,
                haystack=" ".join(cells).casefold(),
                facets={name: cells[n] for n, name in filtered},
                parent_uuid=uuids.get(found[-1]) if parent_field else None,
                version_id=found[_VERSION],
            )
        )
    return rows


def _named(names: dict[int, str], ident: int | None) -> str:
    return names.get(ident, "") if ident is not None else ""


def _joined(listed: dict[int, list[str]], ident: int) -> str:
    return "; ".join(sorted(listed.get(ident, ())))


def _names(session: Session, key: str | None) -> dict[int, str]:
    """id -> how a record of kind ``key`` is named in a cell (its label fields)."""
    spec = spec_for(key or "")
    model = spec.model
    found = session.execute(select(model.id, *(getattr(model, n) for n in spec.label_fields)))
    return {row[0]: " ".join(str(value or "") for value in row[1:]).strip() for row in found}


def _listed_names(session: Session, relationship: Any, key: str | None) -> dict[int, list[str]]:
    """Owner id -> the names of the records it lists, read from the link table."""
    names = _names(session, key)
    ((_, owner_column),) = relationship.synchronize_pairs
    ((_, listed_column),) = relationship.secondary_synchronize_pairs
    listed: defaultdict[int, list[str]] = defaultdict(list)
    for owner, other in session.execute(select(owner_column, listed_column)):
        listed[owner].append(names.get(other, ""))
    return listed


EVENT_COLUMNS = (
    "Ref",
    "Course",
    "Title",
    "Category",
    "Start",
    "End",
    "Venue",
    "Nation",
    "Units",
    "Seats",
    "Instructors",
    "Status",
)


def _grouped(pairs: Iterable[tuple[int, str]]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for event_id, text in pairs:
        grouped[event_id].append(text)
    return grouped


def event_rows(session: Session) -> list[Row]:
    """Every event as a table row (the events list reads only the rows in
    view, ``event_rows_by_id``; this is the whole list, as tests compare)."""
    return [row for _, row in _event_rows(session)]


def event_rows_by_id(session: Session, ids: Sequence[int]) -> dict[int, Row]:
    """The rows of these events (the events list's rows in view), by event id."""
    return dict(_event_rows(session, TrainingEvent.id.in_(ids), list(ids)))


def _event_rows(
    session: Session, which: Any = None, chosen: Any = None
) -> Iterator[tuple[int, Row]]:
    """The events ``which`` selects (all without it) as (id, row).

    Plain column queries: about 4 µs a row instead of the ORM's 20+.
    Facets: status, nation (host), and the units, instructors and venue
    involved (each a "|"-joined list so a filter can match one of them).
    """
    query = event_listing()
    audience_query = select(
        EventAudience.event_id, Unit.code, EventAudience.seats, Unit.nation_id
    ).join(Unit, Unit.id == EventAudience.unit_id)
    teacher_query = select(EventInstructor.event_id, Instructor.name).join(
        Instructor, Instructor.id == EventInstructor.instructor_id
    )
    if which is not None:
        if chosen is None:
            chosen = select(TrainingEvent.id).where(which)
        query = query.where(which)
        audience_query = audience_query.where(EventAudience.event_id.in_(chosen))
        teacher_query = teacher_query.where(EventInstructor.event_id.in_(chosen))
    nation_codes = {
        nation_id: code for nation_id, code in session.execute(select(Nation.id, Nation.code))
    }
    units: dict[int, list[str]] = defaultdict(list)
    seats: dict[int, int] = defaultdict(int)
    unit_nations: dict[int, set[str]] = defaultdict(set)
    for event_id, code, count, nation_id in session.execute(audience_query):
        units[event_id].append(code)
        seats[event_id] += count or 0
        unit_nations[event_id].add(nation_codes.get(nation_id, ""))
    teachers = _grouped((event_id, name) for event_id, name in session.execute(teacher_query))
    # Most texts repeat across rows (a course's title, a venue, a list of
    # units): one string each, not one per row, halves what 100,000 rows hold.
    shared: dict[str, str] = {}
    one = shared.setdefault
    for (
        event_id,
        uuid,
        ref,
        code,
        title,
        category,
        first,
        last,
        status,
        venue,
        nation,
        version_id,
    ) in session.execute(query.execution_options(yield_per=_BATCH)):
        unit_codes = units.get(event_id, [])
        names = teachers.get(event_id, [])
        status_text = one(status.capitalize(), status.capitalize())
        venue_text = one(venue or "", venue or "")
        nation_text = one(nation or "", nation or "")
        category = one(category, category)
        unit_list = ", ".join(sorted(unit_codes))
        people = ", ".join(sorted(names, key=str.casefold))
        cells = (
            ref,
            one(code, code),
            one(title, title),
            category,
            str(first)[:16],  # ISO "YYYY-MM-DD HH:MM": readable and sorts right
            str(last)[:16],
            venue_text,
            nation_text,
            one(unit_list, unit_list),
            one(str(seats.get(event_id, 0)), str(seats.get(event_id, 0))),
            one(people, people),
            status_text,
        )
        nations = "|".join(sorted({nation or "", *unit_nations.get(event_id, ())}))
        unit_facet = "|".join(unit_codes)
        people_facet = "|".join(names)
        yield (
            event_id,
            Row(
                uuid=uuid,
                cells=cells,
                haystack=" ".join(cells).casefold(),
                facets={
                    "status": status_text,
                    "nation": one(nations, nations),
                    "unit": one(unit_facet, unit_facet),
                    "instructor": one(people_facet, people_facet),
                    "venue": venue_text,
                    "category": category,
                },
                version_id=version_id,
            ),
        )


EVENT_NUMERIC_COLUMNS = frozenset({EVENT_COLUMNS.index("Seats")})


def event_facet_choices(session: Session) -> dict[str, list[str]]:
    """What the events filters offer, from the small tables (not 100k rows)."""

    def names(column: Any) -> list[str]:
        return sorted((v for v in session.scalars(select(column)) if v), key=str.casefold)

    return {
        "status": [s.value.capitalize() for s in EventStatus],
        "nation": names(Nation.code),
        "unit": names(Unit.code),
        "instructor": names(Instructor.name),
        "venue": names(Venue.name),
    }
