"""Rows for the window's tables, as plain values (never live ORM objects).

Table models keep these rows and the uuid of each; they never touch the
database from ``data()``, so painting cannot trigger lazy loads. The events
table has its own column query (``event_rows_by_id``, for the rows in view)
because it may hold 100,000 rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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


def _label(obj: Any, key: str | None) -> str:
    if obj is None:
        return ""
    spec = spec_for(key or "")
    return " ".join(str(getattr(obj, n) or "") for n in spec.label_fields).strip()


def record_rows(session: Session, spec: EntitySpec) -> list[Row]:
    """Every record of a (small) entity as table rows."""
    query = select(spec.model)
    for field_spec in spec.table_fields:
        if field_spec.kind in (FieldKind.REF, FieldKind.MANY):
            query = query.options(selectinload(getattr(spec.model, field_spec.name)))
    rows = []
    for obj in session.scalars(query):
        cells, facets = [], {}
        for field_spec in spec.table_fields:
            value = getattr(obj, field_spec.name)
            if field_spec.kind is FieldKind.REF:
                text = _label(value, field_spec.ref)
            elif field_spec.kind is FieldKind.MANY:  # a task's courses: "SCC; FTX-BN"
                text = "; ".join(sorted(_label(item, field_spec.ref) for item in value))
            else:
                text = display(field_spec, value)
            cells.append(text)
            if field_spec.name in spec.filter_fields:
                facets[field_spec.name] = text
        parent_field = spec.extra.get("tree_parent")
        parent = getattr(obj, parent_field) if parent_field else None
        rows.append(
            Row(
                uuid=obj.uuid,
                cells=tuple(cells),
                haystack=" ".join(cells).casefold(),
                facets=facets,
                parent_uuid=parent.uuid if parent is not None else None,
                version_id=obj.version_id,
            )
        )
    return rows


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
