"""Records of one plan as the merge sees them, and the merge's result written back.

Ids are each plan's own (a record added on the laptop and another added on
the server may both be number 100 312), so a record travels as its fields
with every reference replaced by the referenced record's uuid, and is
named by its uuid; a link table without uuids (a course's prerequisites)
names a row by the uuids of its two ends. Reading and writing work the
same on a plan file and on a server.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Dialect,
    Table,
    UniqueConstraint,
    and_,
    bindparam,
    delete,
    insert,
    select,
    update,
)

from scheduler.storage.copying import self_reference
from scheduler.storage.merge import Reference, Row, Shape
from scheduler.storage.sync_tracking import synced_tables

# Columns a plan keeps for itself: never compared, never carried over.
BOOKKEEPING = frozenset({"id", "uuid", "updated_at", "version_id"})
_CHUNK = 900  # below SQLite's limit of bound parameters per statement

TABLES: dict[str, Table] = {table.name: table for table in synced_tables()}


def has_uuid(table: Table) -> bool:
    return "uuid" in table.c


def _shape(table: Table) -> Shape:
    references = {
        fk.parent.name: Reference(fk.column.table.name, (fk.ondelete or "RESTRICT").upper())
        for fk in table.foreign_keys
    }
    fields = tuple(column.name for column in table.columns if column.name not in BOOKKEEPING)
    return Shape(table.name, fields, references)


SHAPES: dict[str, Shape] = {name: _shape(table) for name, table in TABLES.items()}


def chunks(items: Iterable[Any]) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def link_key(table: Table, row: Mapping[str, Any]) -> str:
    return ":".join(str(row[column.name]) for column in table.primary_key)


UuidLookup = Callable[[str, Iterable[int]], Mapping[int, str]]


class PlanRows:
    """Reads one plan's records in the merge's terms (references as uuids)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._uuids: dict[str, dict[int, str]] = {}

    def uuids_of(self, table_name: str, ids: Iterable[int]) -> dict[int, str]:
        known = self._uuids.setdefault(table_name, {})
        missing = {ident for ident in ids if ident is not None and ident not in known}
        table = TABLES[table_name]
        for batch in chunks(sorted(missing)):
            for ident, uuid in self.connection.execute(
                select(table.c.id, table.c.uuid).where(table.c.id.in_(batch))
            ):
                known[ident] = uuid
        return known

    def ids_of(self, table_name: str, uuids: Iterable[str]) -> dict[str, int]:
        table = TABLES[table_name]
        found: dict[str, int] = {}
        for batch in chunks(sorted(set(uuids))):
            for uuid, ident in self.connection.execute(
                select(table.c.uuid, table.c.id).where(table.c.uuid.in_(batch))
            ):
                found[uuid] = ident
        return found

    def portable(
        self, table: Table, raw: Sequence[Mapping[str, Any]], lookup: UuidLookup | None = None
    ) -> dict[str, Row]:
        """``raw`` rows (ids) as the merge's rows (uuids), keyed as across plans."""
        lookup = lookup or self.uuids_of
        shape = SHAPES[table.name]
        maps = {
            name: lookup(reference.parent, {row[name] for row in raw})
            for name, reference in shape.references.items()
        }
        found: dict[str, Row] = {}
        for row in raw:
            record = {name: row[name] for name in shape.fields}
            for name, uuids in maps.items():
                if record[name] is not None:
                    record[name] = uuids.get(record[name], f"missing:{record[name]}")
            key = row["uuid"] if has_uuid(table) else link_key(table, record)
            found[key] = record
        return found

    def _select(self, table: Table, column: Any, values: Iterable[Any]) -> dict[str, Row]:
        found: dict[str, Row] = {}
        for batch in chunks(sorted(set(values))):
            raw = [dict(row) for row in self.connection.execute(
                select(table).where(column.in_(batch))
            ).mappings()]  # fmt: skip
            found.update(self.portable(table, raw))
        return found

    def by_keys(self, table: Table, keys: Iterable[str]) -> dict[str, Row]:
        return self._select(table, table.c.uuid, keys)

    def by_ids(self, table: Table, ids: Iterable[int]) -> dict[str, Row]:
        return self._select(table, table.c.id, ids)

    def every_row(self, table: Table) -> dict[str, Row]:
        raw = [dict(row) for row in self.connection.execute(select(table)).mappings()]
        return self.portable(table, raw)


def decode(table: Table, values: list[Any], connection: Connection) -> dict[str, Any]:
    """A row captured by the file's triggers (``json_array`` of its stored values)
    as SQLAlchemy reads the table: dates, enums, JSON and booleans restored."""
    processors = _processors(table, connection.dialect)
    row: dict[str, Any] = {}
    for column, processor, value in zip(table.columns, processors, values, strict=True):
        row[column.name] = (
            processor(value) if processor is not None and value is not None else value
        )
    return row


_PROCESSORS: dict[tuple[str, str], list[Any]] = {}


def _processors(table: Table, dialect: Dialect) -> list[Any]:
    """Each column's result processor on ``dialect``, worked out once per table."""
    key = (table.name, dialect.name)
    if key not in _PROCESSORS:
        _PROCESSORS[key] = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in table.columns
        ]
    return _PROCESSORS[key]


@dataclass
class Written:
    """What the merge wrote into one plan: keys per table."""

    inserted: dict[str, list[str]] = field(default_factory=dict)
    updated: dict[str, list[str]] = field(default_factory=dict)
    deleted: dict[str, list[str]] = field(default_factory=dict)
    # The plan's own ids of the deleted rows (not those a deletion cascaded to).
    deleted_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(
            len(keys)
            for found in (self.inserted, self.updated, self.deleted)
            for keys in found.values()
        )

    def touched(self, table: str) -> list[str]:
        return self.inserted.get(table, []) + self.updated.get(table, [])


def unique_columns(table: Table) -> list[tuple[str, ...]]:
    """The columns of each unique constraint but the uuid (and the key)."""
    found = [
        tuple(column.name for column in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    found += [(column.name,) for column in table.columns if column.unique]
    return sorted({columns for columns in found if columns not in (("uuid",), ("id",))})


class PlanWriter:
    """Brings one plan to the merge's result, inside the caller's transaction.

    Inserts go parents first, then updates (which may point at the new
    rows), then deletions children first (after the updates moved
    references away from what they delete).
    """

    def __init__(self, rows: PlanRows, now: datetime) -> None:
        self.rows = rows
        self.connection = rows.connection
        self.now = now
        self.written = Written()
        self._early: set[str] = set()  # deleted before the inserts (_delete_in_the_way)

    def _ids(self, table: Table, rows: list[Row]) -> list[dict[str, Any]]:
        """``rows`` with their references as this plan's ids (one query per reference)."""
        found = [dict(row) for row in rows]
        for name, reference in SHAPES[table.name].references.items():
            targets = {row[name] for row in found if row.get(name) is not None}
            if not targets:
                continue
            ids = self.rows.ids_of(reference.parent, targets)
            for row in found:
                target = row.get(name)
                if target is None:
                    continue
                if target not in ids:
                    raise LookupError(f"{table.name}.{name} refers to {reference.parent} {target}")
                row[name] = ids[target]
        return found

    def apply(
        self,
        result: Mapping[str, Mapping[str, Row | None]],
        current: Mapping[str, Mapping[str, Row | None]],
    ) -> Written:
        changes = {table.name: self._changes(table, result, current) for table in synced_tables()}
        # Plain fields first: a renumbered ref frees its number before a new event takes it.
        for table in synced_tables():
            references = SHAPES[table.name].references
            plain = {
                key: {name: value for name, value in fields.items() if name not in references}
                for key, fields in changes[table.name].items()
            }
            plain = {key: fields for key, fields in plain.items() if fields}
            if plain:
                self._update(table, plain, count=False)
        self._delete_in_the_way(result, current)
        for table in synced_tables():
            here = current.get(table.name, {})
            new = {
                key: row
                for key, row in result.get(table.name, {}).items()
                if row is not None and here.get(key) is None
            }
            if new:
                self._insert(table, new)
        for table in synced_tables():
            references = SHAPES[table.name].references
            pointing = {
                key: {name: value for name, value in fields.items() if name in references}
                for key, fields in changes[table.name].items()
            }
            pointing = {key: fields for key, fields in pointing.items() if fields}
            if pointing:
                self._update(table, pointing, count=False)
            if changes[table.name]:
                self.written.updated[table.name] = list(changes[table.name])
        for table in reversed(synced_tables()):
            here = current.get(table.name, {})
            gone = [
                key
                for key, row in result.get(table.name, {}).items()
                if row is None and here.get(key) is not None and key not in self._early
            ]
            if gone:
                self._delete(table, gone, here)
        return self.written

    def _delete_in_the_way(
        self,
        result: Mapping[str, Mapping[str, Row | None]],
        current: Mapping[str, Mapping[str, Row | None]],
    ) -> None:
        """Delete first the records whose unique value a new or changed one takes.

        A plan hands out the next number of a prefix again once the highest
        event of it is deleted: the other side may have deleted MK-2027-014
        and added a new MK-2027-014, which cannot go in while the old one is
        still here. Only records nothing kept refers to are deleted early
        (their deletion could otherwise take a kept record along).
        """
        kept_refs = {
            value
            for table, rows in result.items()
            for row in rows.values()
            if row is not None
            for name in SHAPES[table].references
            if (value := row.get(name)) is not None
        }
        for table in reversed(synced_tables()):
            here = current.get(table.name, {})
            wanted = result.get(table.name, {})
            gone = {
                key: old
                for key, row in wanted.items()
                if row is None and (old := here.get(key)) is not None and key not in kept_refs
            }
            if not gone:
                continue
            in_the_way: set[str] = set()
            for columns in unique_columns(table):
                taken = {
                    tuple(row.get(name) for name in columns)
                    for key, row in wanted.items()
                    if row is not None and here.get(key) != row
                }
                in_the_way |= {
                    key for key, old in gone.items() if tuple(old.get(n) for n in columns) in taken
                }
            if in_the_way:
                self._delete(table, sorted(in_the_way), here)
                self._early |= in_the_way

    @staticmethod
    def _changes(
        table: Table,
        result: Mapping[str, Mapping[str, Row | None]],
        current: Mapping[str, Mapping[str, Row | None]],
    ) -> dict[str, Row]:
        """Per record kept on both: the fields whose value changes."""
        if not has_uuid(table):
            return {}
        here = current.get(table.name, {})
        return {
            key: {name: value for name, value in row.items() if old.get(name) != value}
            for key, row in result.get(table.name, {}).items()
            if row is not None and (old := here.get(key)) is not None and old != row
        }

    def _insert(self, table: Table, new: dict[str, Row]) -> None:
        parent = self_reference(table)
        later: dict[str, Row] = {}
        rows = []
        for key, row in new.items():
            if parent is not None and row.get(parent) is not None:
                later[key] = {parent: row[parent]}
                row = {**row, parent: None}
            rows.append(row)
        values = self._ids(table, rows)
        if has_uuid(table):
            for key, found in zip(new, values, strict=True):
                found.update(uuid=key, version_id=1, updated_at=self.now)
        for batch in chunks(values):
            self.connection.execute(insert(table), batch)
        self.written.inserted[table.name] = list(new)
        if later:
            self._update(table, later, count=False)

    def _update(self, table: Table, changed: dict[str, Row], *, count: bool) -> None:
        by_fields: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        translated = self._ids(table, list(changed.values()))
        for key, values in zip(changed, translated, strict=True):
            names = tuple(sorted(values))
            by_fields.setdefault(names, []).append(
                {**{f"v_{name}": values[name] for name in names}, "k_uuid": key}
            )
        for names, rows in by_fields.items():
            statement = (
                update(table)
                .where(table.c.uuid == bindparam("k_uuid"))
                .values(
                    {
                        **{name: bindparam(f"v_{name}") for name in names},
                        "version_id": table.c.version_id + 1,
                        "updated_at": self.now,
                    }
                )
            )
            self.connection.execute(statement, rows)
        if count:
            self.written.updated[table.name] = list(changed)

    def _delete(self, table: Table, gone: list[str], here: Mapping[str, Row | None]) -> None:
        if has_uuid(table):
            ids = self.written.deleted_ids.setdefault(table.name, [])
            for batch in chunks(gone):
                statement = delete(table).where(table.c.uuid.in_(batch)).returning(table.c.id)
                ids += self.connection.scalars(statement)
        else:
            ends = [column.name for column in table.primary_key]
            for key in gone:
                row = here[key]
                assert row is not None
                found = {
                    name: self.rows.ids_of(SHAPES[table.name].references[name].parent, [row[name]])
                    for name in ends
                }
                if all(row[name] in found[name] for name in ends):
                    self.connection.execute(
                        delete(table).where(
                            and_(*(table.c[name] == found[name][row[name]] for name in ends))
                        )
                    )
        self.written.deleted.setdefault(table.name, []).extend(gone)
