"""What an import will do to the plan, worked out before anything is written.

Records are named by uuid throughout, existing and new alike, so a row may
point at a record that another row of the same file adds. A ``Link`` in a
column value stands for "the id of this record" and is resolved when the
change set is written (``writer.py``), once new records have their ids.
Only real differences are kept: an unchanged row adds nothing, so an import
that changes nothing writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table

from scheduler.model import Record


@dataclass(frozen=True, slots=True)
class Link:
    """The id of the ``model`` record with ``uuid`` (new or existing)."""

    model: type[Record]
    uuid: str


@dataclass(slots=True)
class Update:
    """Changed columns of one existing record: column -> (old, new).

    ``touch`` alone (no columns) still makes a new version of the record:
    its children changed, and calendars must see a new revision.
    """

    uuid: str
    record_id: int
    version: int
    columns: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    touch: bool = False


@dataclass(slots=True)
class Children:
    """Replace the rows of ``table`` that belong to each listed parent.

    ``rows`` maps a parent's uuid to the complete new list of its child rows
    (column -> value, ``Link`` where it points at a record). ``versioned``
    tables are Records (uuid, version, timestamps are filled in); the others
    are plain association tables.
    """

    table: Table
    parent_column: str
    parent_model: type[Record]
    versioned: bool
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


@dataclass(slots=True)
class LogEntry:
    """One change-log row: which field of which record went from what to what."""

    entity: str
    uuid: str
    field: str
    old: Any
    new: Any


@dataclass(slots=True)
class ChangeSet:
    """Everything an import writes, in the order it must be written."""

    inserts: dict[type[Record], list[dict[str, Any]]] = field(default_factory=dict)
    updates: dict[type[Record], list[Update]] = field(default_factory=dict)
    children: list[Children] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    # Existing record ids by model and uuid, for resolving links to them.
    known_ids: dict[type[Record], dict[str, int]] = field(default_factory=dict)

    def insert(self, model: type[Record], values: dict[str, Any]) -> None:
        self.inserts.setdefault(model, []).append(values)

    def update(self, model: type[Record], change: Update) -> None:
        self.updates.setdefault(model, []).append(change)
        for column, (old, new) in change.columns.items():
            self.log.append(LogEntry(model.__name__, change.uuid, column, old, new))

    def touch(self, model: type[Record], uuid: str, record_id: int, version: int) -> None:
        """A new version of an existing record whose children changed (its
        modules, costs, kit…), so calendars and sync see it changed."""
        for change in self.updates.get(model, []):
            if change.uuid == uuid:
                change.touch = True
                return
        self.updates.setdefault(model, []).append(Update(uuid, record_id, version, touch=True))

    def child_rows(self, table: Table, parent_column: str, parent_model: type[Record]) -> Children:
        for found in self.children:
            if found.table is table:
                return found
        found = Children(table, parent_column, parent_model, versioned="uuid" in table.c)
        self.children.append(found)
        return found

    def models(self) -> Iterable[type[Record]]:
        seen: list[type[Record]] = []
        for model in (*self.inserts, *self.updates):
            if model not in seen:
                seen.append(model)
        return seen

    @property
    def empty(self) -> bool:
        return not (
            any(self.inserts.values())
            or any(self.updates.values())
            or any(c.rows for c in self.children)
        )
