"""Copying a whole plan between a file and a server, either way.

A deployed planner takes a copy of the shared plan offline and brings it
back; a cell moves its laptop plan onto a server. Every row of every table
travels with its id, uuid, ref and version_id, so undo history, releases
("what changed since we last sent it") and stale-edit checks mean the same
on both sides. Rows go as bulk Core inserts in dependency order (parents
before children, a unit's parent before the unit), all in one transaction
on the target: a failure leaves the target as it was. A file target is
built beside its place and renamed over it; on PostgreSQL the id sequences
are moved past the copied ids after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text

from scheduler.errors import PlanFileError
from scheduler.model import ChangeLog, current_user, new_uuid, utc_now
from scheduler.storage.location import PlanLocation, ServerLocation, describe, parse_location
from scheduler.storage.plan import Plan, PlanAccess, build_plan_file, create_plan, open_plan
from scheduler.storage.server import long_work
from scheduler.storage.sync_tracking import synced_tables

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


def self_reference(table: Table) -> str | None:
    """The column by which a row of ``table`` names another row of it (a unit's parent)."""
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


def _table_rows(connection: Connection, table: Table) -> list[dict[str, Any]]:
    """Every row of ``table``, a unit's parent before the unit (for inserting in order)."""
    query = select(table)
    if "id" in table.c:
        query = query.order_by(table.c.id)
    rows = [dict(row) for row in connection.execute(query).mappings()]
    parent = self_reference(table)
    return _parents_first(rows, parent) if parent else rows


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), _CHUNK):
        yield rows[start : start + _CHUNK]


def holds_planning_data(connection: Connection) -> bool:
    """True when the plan holds anything beyond what a new plan starts with."""
    for table in synced_tables():
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
    for table in synced_tables():
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


def _open_server_target(target: ServerLocation) -> Plan:
    """The server plan to copy into, open for editing; made when the database is empty."""
    try:
        return open_plan(target)
    except PlanFileError as exc:
        if "no plan at" not in str(exc):
            raise
        return create_plan(target)


def copy_plan(source: PlanLocation | str, target: PlanLocation | str, *, force: bool) -> CopyResult:
    """Copy every row of ``source`` into ``target`` (a file or a server, either way).

    A target holding planning data is refused unless ``force``; then its
    content is replaced. A file target is built beside its place and renamed
    over it when complete (the old plan backed up first), so a kill leaves
    the old plan or the copy. A server target is written in one transaction;
    its id sequences are moved past the copied ids only after the commit
    (``setval`` is not undone by a rollback, so setting them inside the
    transaction broke the plan when the copy was killed), and opening a
    server plan repairs any that still lag.
    """
    source_location, target_location = parse_location(source), parse_location(target)
    if describe(source_location) == describe(target_location):
        raise PlanFileError("The source and the target are the same plan.")
    with open_plan(source_location, access=PlanAccess.READ) as origin:
        source_revision = origin.schema_revision

        def fill(destination: Plan) -> dict[str, int]:
            if destination.schema_revision != source_revision:
                raise PlanFileError(
                    f"The target is at plan format {destination.schema_revision}, the source at "
                    f"{source_revision}. Run “training-scheduler migrate” on the older one first."
                )
            with (
                origin.engine.connect() as reader,
                destination.engine.begin() as writer,
                long_work(reader),
                long_work(writer),
            ):
                if holds_planning_data(writer) and not force:
                    raise PlanFileError(
                        f"{describe(target_location)} already holds a plan with data. Use --force "
                        "to replace it."
                    )
                counts = copy_rows(reader, writer)
                writer.execute(_copy_log_row(writer, source_location))
            return counts

        if isinstance(target_location, ServerLocation):
            with _open_server_target(target_location) as destination:
                counts = fill(destination)
                with destination.engine.begin() as connection:
                    reset_sequences(connection)
        else:
            if target_location.exists() and not force:
                raise PlanFileError(
                    f"“{target_location}” already exists. Choose another name, or use --force "
                    "to replace it (the old plan is backed up first)."
                )
            found = build_plan_file(target_location, name=origin.name, force=force, fill=fill)
            assert found is not None
            counts = found
    log.info(
        "copied %s to %s: %s rows", describe(source_location), describe(target_location), counts
    )
    return CopyResult(describe(source_location), describe(target_location), counts)


def _copy_log_row(writer: Connection, source: PlanLocation) -> Any:
    # An explicit id: the sequences still lag the copied ids until after the commit.
    highest = writer.scalar(select(func.max(ChangeLog.id))) or 0
    return insert(ChangeLog).values(
        id=highest + 1,
        entity="Copy",
        entity_uuid=new_uuid(),
        uuid=new_uuid(),
        action="copied",
        field=None,
        old_value=None,
        new_value=f"copied from {describe(source)}"[:2000],
        changed_at=utc_now(),
        changed_by=current_user(),
        created_at=utc_now(),
        updated_at=utc_now(),
        version_id=1,
    )


def copy_rows(reader: Connection, writer: Connection) -> dict[str, int]:
    """Replace every row of the plan on ``writer`` with those of ``reader``; the counts."""
    tables = synced_tables()
    for table in reversed(tables):
        writer.execute(delete(table))
    counts: dict[str, int] = {}
    for table in tables:
        rows = _table_rows(reader, table)
        for chunk in _chunks(rows):
            writer.execute(insert(table), chunk)
        counts[table.name] = len(rows)
    return counts
