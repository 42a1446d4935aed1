"""Copying a whole plan between a file and a server, either way.

A deployed planner takes a copy of the shared plan offline and brings it
back; a cell moves its laptop plan onto a server. Every row of every table
travels with its id, uuid, ref and version_id, so undo history, releases
("what changed since we last sent it") and stale-edit checks mean the same
on both sides. Rows go as bulk Core inserts in dependency order (parents
before children, a unit's parent before the unit), all in one transaction
on the target: a failure leaves the target as it was. On PostgreSQL the id
sequences are then moved past the copied ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text

from scheduler.errors import PlanFileError
from scheduler.model import Base, ChangeLog, current_user, new_uuid, utc_now
from scheduler.storage.location import PlanLocation, ServerLocation, describe, parse_location
from scheduler.storage.plan import Plan, PlanAccess, create_plan, open_plan

log = logging.getLogger(__name__)

_CHUNK = 5000
# Tables every new plan fills by itself: their rows do not make a target "non-empty".
_SEEDED = frozenset({"nation", "plan_meta", "change_log"})


@dataclass(frozen=True, slots=True)
class CopyResult:
    source: str
    target: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _self_reference(table: Table) -> str | None:
    for fk in table.foreign_keys:
        if fk.column.table is table:
            return fk.parent.name
    return None


def _parents_first(rows: list[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    """Rows ordered so that each row's parent (same table) comes before it."""
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    pending = rows
    while pending:
        later = []
        for row in pending:
            parent = row[column]
            if parent is None or parent in placed or parent == row["id"]:
                ordered.append(row)
                placed.add(row["id"])
            else:
                later.append(row)
        if len(later) == len(pending):  # a cycle or a dangling parent: keep as is
            ordered.extend(later)
            break
        pending = later
    return ordered


def _rows(connection: Connection, table: Table) -> list[dict[str, Any]]:
    query = select(table)
    if "id" in table.c:
        query = query.order_by(table.c.id)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    parent = _self_reference(table)
    return _parents_first(rows, parent) if parent else rows


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def holds_planning_data(connection: Connection) -> bool:
    """True when the plan holds anything beyond what a new plan starts with."""
    for table in _tables():
        if table.name in _SEEDED:
            continue
        if connection.scalar(select(func.count()).select_from(table)):
            return True
    return False


def reset_sequences(connection: Connection) -> None:
    """Move PostgreSQL's id sequences past the ids inserted explicitly."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in _tables():
        if "id" not in table.c:
            continue
        highest = f"(SELECT MAX(id) FROM {quote(table.name)})"
        connection.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:table, 'id'), "
                f"COALESCE({highest}, 0) + 1, false)"
            ),
            {"table": table.name},
        )


def _open_target(target: PlanLocation, *, force: bool) -> Plan:
    """The target plan, open for editing: made when missing, refused when in use."""
    if isinstance(target, ServerLocation):
        try:
            plan = open_plan(target)
        except PlanFileError as exc:
            if "no plan at" not in str(exc):
                raise
            return create_plan(target)
        return plan
    if target.exists():
        if not force:
            raise PlanFileError(
                f"“{target}” already exists. Choose another name, or use --force to replace "
                "it (the old plan is backed up first)."
            )
        return create_plan(target, force=True)
    return create_plan(target)


def copy_plan(source: PlanLocation | str, target: PlanLocation | str, *, force: bool) -> CopyResult:
    """Copy every row of ``source`` into ``target`` (a file or a server, either way).

    A target holding planning data is refused unless ``force``; then its
    content is replaced (a file target is backed up first).
    """
    source_location, target_location = parse_location(source), parse_location(target)
    if describe(source_location) == describe(target_location):
        raise PlanFileError("The source and the target are the same plan.")
    with open_plan(source_location, access=PlanAccess.READ) as origin:
        source_revision = origin.schema_revision
        with _open_target(target_location, force=force) as destination:
            if destination.schema_revision != source_revision:
                raise PlanFileError(
                    f"The target is at plan format {destination.schema_revision}, the source at "
                    f"{source_revision}. Run “training-scheduler migrate” on the older one first."
                )
            with origin.engine.connect() as reader, destination.engine.begin() as writer:
                if holds_planning_data(writer) and not force:
                    raise PlanFileError(
                        f"{describe(target_location)} already holds a plan with data. Use --force "
                        "to replace it."
                    )
                counts = _copy_rows(reader, writer)
                reset_sequences(writer)
                writer.execute(
                    insert(ChangeLog).values(
                        entity="Copy",
                        entity_uuid=new_uuid(),
                        uuid=new_uuid(),
                        action="copied",
                        field=None,
                        old_value=None,
                        new_value=f"copied from {describe(source_location)}"[:2000],
                        changed_at=utc_now(),
                        changed_by=current_user(),
                        created_at=utc_now(),
                        updated_at=utc_now(),
                        version_id=1,
                    )
                )
    log.info(
        "copied %s to %s: %s rows", describe(source_location), describe(target_location), counts
    )
    return CopyResult(describe(source_location), describe(target_location), counts)


def _copy_rows(reader: Connection, writer: Connection) -> dict[str, int]:
    tables = _tables()
    for table in reversed(tables):
        writer.execute(delete(table))
    counts: dict[str, int] = {}
    for table in tables:
        rows = _rows(reader, table)
        for chunk in _chunks(rows):
            writer.execute(insert(table), chunk)
        counts[table.name] = len(rows)
    return counts
