"""Turning placed events into rows and writing the whole demo in bulk.

Events get their references in date order (``MK-2027-001`` is the first
event hosted in North Macedonia that year), the way a planner reads them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, text
from sqlalchemy.orm import Session

from scheduler.demo.placement import Placement
from scheduler.demo.rows import Row, RowFactory, table
from scheduler.demo.series import PlacedSeries
from scheduler.model import TrainingEvent
from scheduler.model.refs import RefAllocator

# Tables this big go straight to the SQLite driver (see _insert_plain).
_FAST_PATH_ROWS = 5000
_WRITE_CACHE_KIB = 256 * 1024
# Columns that hold one value for every row of a demo build.
_SHARED_COLUMNS = frozenset({"created_at", "updated_at", "version_id"})

# Parents before children, so foreign keys hold row by row.
TABLE_ORDER: tuple[str, ...] = (
    "qualification",
    "course",
    "course_qualification",
    "course_prerequisite",
    "unit",
    "instructor",
    "instructor_qualification",
    "unavailability",
    "venue",
    "venue_closure",
    "kit",
    "course_kit",
    "closure_day",
    "provider",
    "capability_target",
    "training_requirement",
    "evaluation_milestone",
    "collective_task",
    "task_course",
    "event_series",
    "training_event",
    "event_audience",
    "event_instructor",
    "event_cost",
    "trainee",
    "trainee_posting",
    "enrolment",
    "change_log",
)


def end_of(placement: Placement) -> datetime:
    hours = placement.course.daily_hours
    day_length = timedelta(hours=hours + (0.5 if hours >= 6 else 0))
    return datetime.combine(date.fromordinal(placement.last), placement.start_time) + day_length


def event_rows(
    session: Session,
    factory: RowFactory,
    placements: Sequence[Placement],
    series: Sequence[PlacedSeries],
    course_ids: dict[str, int],
) -> dict[int, str]:
    """Rows for events, audiences, instructors and series; ``id(placement)`` -> ref."""
    series_ids: dict[int, int] = {}
    for placed in series:
        series_ids[placed.index] = factory.add(
            "event_series",
            rrule=placed.rrule,
            dtstart=placed.dtstart,
            exdates=placed.exdates,
        )["id"]
    allocator = RefAllocator(session.scalars(select(TrainingEvent.ref)))
    ordered = sorted(
        range(len(placements)),
        key=lambda i: (placements[i].first, placements[i].start_time, i),
    )
    refs: dict[int, str] = {}
    for i in ordered:
        p = placements[i]
        start = datetime.combine(date.fromordinal(p.first), p.start_time)
        ref = allocator.allocate(p.venue.nation, start.year)
        refs[id(p)] = ref
        event_id = factory.add(
            "training_event",
            ref=ref,
            course_id=course_ids[p.course.code],
            venue_id=p.venue.id,
            start=start,
            end=end_of(p),
            status=p.status,
            series_id=series_ids[p.series] if p.series is not None else None,
            recurrence_id=p.recurrence_id,
            is_override=False,
            notes="\n".join(p.notes) or None,
            partner_remarks=p.partner_remarks,
            attended=p.attended,
            passed=p.passed,
            outcome=p.outcome,
            provider_id=p.provider_id,
            funding_line=p.funding_line,
        )["id"]
        for unit, seats in p.audience:
            factory.add("event_audience", event_id=event_id, unit_id=unit.id, seats=seats)
        for person, role in p.staff:
            factory.add("event_instructor", event_id=event_id, instructor_id=person.id, role=role)
    return refs


def write_rows(session: Session, factory: RowFactory) -> None:
    connection = session.connection()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Random uuids land all over their unique indexes; with SQLite's
        # default 2 MiB page cache a 100,000-event plan spends most of its
        # write time re-reading index pages. Widen it for this write only.
        previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar() or -2000)
        connection.exec_driver_sql(f"PRAGMA cache_size = -{_WRITE_CACHE_KIB}")
    try:
        for name in TABLE_ORDER:
            rows = factory.rows.get(name)
            if not rows:
                continue
            if sqlite and len(rows) >= _FAST_PATH_ROWS:
                _insert_plain(connection, name, rows)
            else:
                session.execute(insert(table(name)), rows)
    finally:
        if sqlite:
            connection.exec_driver_sql(f"PRAGMA cache_size = {previous}")
    if connection.dialect.name == "postgresql":
        # Keys were given explicitly; move each sequence past them.
        for name in TABLE_ORDER:
            if factory.rows.get(name) and "id" in table(name).c:
                session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"(SELECT MAX(id) FROM {name}))"
                    )
                )


def _insert_plain(connection: Connection, name: str, rows: list[Row]) -> None:
    """executemany straight to the driver, values converted by the column types.

    Core's per-row parameter handling costs more than SQLite's own work on
    hundreds of thousands of rows; converting column by column here with
    the same bind processors (once for the columns every row shares) halves
    the write.
    """
    dialect = connection.dialect
    target = table(name)
    keys = list(rows[0])
    compiled = insert(target).compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup
    assert order is not None
    columns: list[Sequence[Any]] = []
    for key in order:
        convert = target.c[key].type.dialect_impl(dialect).bind_processor(dialect)
        if key in _SHARED_COLUMNS:
            value = rows[0][key]
            columns.append([convert(value) if convert and value is not None else value] * len(rows))
            continue
        column = [row[key] for row in rows]
        if convert is not None:
            column = [None if value is None else convert(value) for value in column]
        columns.append(column)
    values = list(zip(*columns, strict=True))
    connection.exec_driver_sql(str(compiled), values)
