"""The state of one import while it is worked out: the plan as stored, the
records the file names, the problems found, and the change set growing.

Records are keyed by uuid. ``Registry`` finds a record of one kind by its
natural key (a code, a name, a ref) among the plan's and the file's new
ones, so later sheets can point at records earlier sheets add.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.import_rows import ERROR, ParsedRow, ParsedSheet, Problem
from scheduler.exchange.import_schema import SheetSpec
from scheduler.model import Record, new_uuid
from scheduler.services.importing.changeset import ChangeSet, Link

_BOOKKEEPING = ("id", "uuid", "version_id")


def fold(text: str) -> str:
    """How keys are compared: case and runs of spaces do not matter."""
    return " ".join(text.split()).casefold()


def same_value(a: Any, b: Any) -> bool:
    """Equal as the plan means it: 7 == 7.0 and an enum equals its text, but 1 is not True."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    return bool(a == b)


@dataclass(slots=True)
class StoredTable:
    """Rows of one table as plain values: uuid -> column -> value (plus id, version_id)."""

    model: type[Record]
    rows: dict[str, dict[str, Any]]
    by_id: dict[int, str]

    @classmethod
    def load(cls, session: Session, model: type[Record], columns: Iterable[str]) -> StoredTable:
        names = ["id", "uuid", "version_id", *columns]
        statement = select(*(getattr(model, name) for name in names))
        rows: dict[str, dict[str, Any]] = {}
        by_id: dict[int, str] = {}
        for values in session.execute(statement):
            row = dict(zip(names, values, strict=True))
            rows[row["uuid"]] = row
            by_id[row["id"]] = row["uuid"]
        return cls(model, rows, by_id)

    def uuid_of(self, record_id: int | None) -> str | None:
        return self.by_id.get(record_id) if record_id is not None else None


@dataclass(slots=True)
class Registry:
    """The records of one kind the import can point at: key -> uuid, uuid -> values.

    ``values`` holds what each record will look like after the import (the
    stored row with the file's changes, or a new record's values), so checks
    that need a record's nation or role see the file's word.
    """

    model: type[Record]
    label: str  # "course", for messages
    keys: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)
    # Keys more than one stored record has (only where the plan allows it:
    # two trainees of one nation, one name and no service number).
    shared: set[str] = field(default_factory=set)

    def find(self, key: str | None) -> str | None:
        return self.keys.get(fold(key)) if key else None

    def add(self, key: str, values: dict[str, Any], uuid: str | None = None) -> str:
        uuid = uuid or new_uuid()
        self.keys[fold(key)] = uuid
        self.values[uuid] = values
        self.new.add(uuid)
        return uuid

    def link(self, uuid: str) -> Link:
        return Link(self.model, uuid)


@dataclass(slots=True)
class Counts:
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def count(self, sheet: str, outcome: str) -> None:
        table = getattr(self, outcome)
        table[sheet] = table.get(sheet, 0) + 1


class ImportRun:
    """One import being worked out against one session's view of the plan.

    Owns the problems found and the change set; used from one thread.
    """

    def __init__(self, session: Session, sheets: dict[str, ParsedSheet]) -> None:
        self.session = session
        self.sheets = sheets
        self.problems: list[Problem] = []
        self.changes = ChangeSet()
        self.counts = Counts()
        self.registries: dict[str, Registry] = {}
        # Plain lookups a sheet reads once and another may reuse (child rows by parent).
        self.cache: dict[str, Any] = {}
        self._stored: dict[type[Record], StoredTable] = {}

    # -- reading the plan -------------------------------------------------------------

    def stored(self, model: type[Record], columns: Iterable[str]) -> StoredTable:
        """The table's rows with at least ``columns``, read once per import."""
        wanted = list(columns)
        found = self._stored.get(model)
        if found is not None:
            sample = next(iter(found.rows.values()), None)
            if sample is None or all(name in sample for name in wanted):
                return found
            wanted = list(dict.fromkeys([*(k for k in sample if k not in _BOOKKEEPING), *wanted]))
        found = self._stored[model] = StoredTable.load(self.session, model, wanted)
        self.changes.known_ids[model] = {u: r["id"] for u, r in found.rows.items()}
        return found

    def uuid_of(self, model: type[Record], record_id: int | None) -> str | None:
        """The uuid of a stored record, from its id."""
        if record_id is None:
            return None
        found = self._stored.get(model) or self.stored(model, ())
        return found.by_id.get(record_id)

    def touch(self, model: type[Record], uuid: str) -> None:
        """A new version of the stored record ``uuid`` (nothing for a new one)."""
        stored = self.stored(model, ()).rows.get(uuid)
        if stored is not None:
            self.changes.touch(model, uuid, stored["id"], stored["version_id"])

    def rows(self, name: str) -> list[ParsedRow]:
        sheet = self.sheets.get(name)
        return sheet.rows if sheet is not None else []

    def registry(self, entity: str) -> Registry:
        return self.registries[entity]

    # -- problems ----------------------------------------------------------------------

    def error(self, spec: SheetSpec, row: ParsedRow, key: str | None, message: str) -> None:
        column = spec.field(key).header if key else None
        self.problems.append(Problem(spec.name, row.number, column, message, ERROR))

    def warn(self, spec: SheetSpec, row: ParsedRow, key: str | None, message: str) -> None:
        column = spec.field(key).header if key else None
        self.problems.append(Problem(spec.name, row.number, column, message, "warning"))

    @property
    def failed(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    def lookup(
        self, spec: SheetSpec, row: ParsedRow, key: str, entity: str, text: str | None = None
    ) -> str | None:
        """The uuid of the ``entity`` record the cell names, or an error and None."""
        value = row.get(key) if text is None else text
        if value is None:
            return None
        registry = self.registries[entity]
        found = registry.find(value)
        if found is None:
            self.error(spec, row, key, f"unknown {registry.label} “{value}”")
        return found
