"""Sheets of rows that belong to another record and are matched by what they
say: unavailability (person, first and last day), venue closures (venue,
days), closure days (day, nation) and training requirements (target,
course). A row that matches a stored one updates its other cells; the
rest are added. Nothing is ever deleted by an import.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.exchange.import_schema import SheetSpec
from scheduler.model import (
    CapabilityTarget,
    ClosureDay,
    Course,
    Instructor,
    Nation,
    Record,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    VenueClosure,
)
from scheduler.model.enums import AbsenceKind
from scheduler.services.importing.changeset import Link, Update
from scheduler.services.importing.context import ImportRun
from scheduler.services.importing.records import TARGETS, at_least, target_key


@dataclass(frozen=True, slots=True)
class Value:
    """A non-key column: a new row's value when its cell is blank; may it be emptied."""

    column: str
    default: Any = None
    nullable: bool = True


class KeyedRows:
    """One sheet of rows matched by a composite key (see the module doc).

    Keys and values name records by uuid; ``links`` says which columns hold
    a record's id, and of which model.
    """

    def __init__(
        self,
        run: ImportRun,
        spec: SheetSpec,
        model: type[Record],
        key_columns: tuple[str, ...],
        values: tuple[Value, ...],
        links: dict[str, type[Record]],
    ) -> None:
        self.run = run
        self.spec = spec
        self.model = model
        self.key_columns = key_columns
        self.values = {value.column: value for value in values}
        self.links = links
        stored = run.stored(model, [*key_columns, *self.values])
        self.index: dict[tuple[Hashable, ...], dict[str, Any]] = {}
        for row in stored.rows.values():
            linked = self._linked(row)
            self.index[tuple(linked[c] for c in key_columns)] = linked
        self.seen: dict[tuple[Hashable, ...], int] = {}

    def _linked(self, row: dict[str, Any]) -> dict[str, Any]:
        values = dict(row)
        for column, model in self.links.items():
            values[column] = self.run.uuid_of(model, row[column])
        return values

    def _stored(self, column: str, value: Any) -> Any:
        model = self.links.get(column)
        return Link(model, value) if model is not None and value is not None else value

    def apply(
        self,
        row: ParsedRow,
        key: dict[str, Any],
        given: dict[str, Any],
        labels: dict[str, str],
    ) -> None:
        """Add or update one row. ``key``: column -> value of the key columns;
        ``given``: column -> value of the other cells the row fills (None
        empties); ``labels``: column -> the sheet's field key, for messages."""
        run, spec = self.run, self.spec
        identity = tuple(key[c] for c in self.key_columns)
        if identity in self.seen:
            run.error(spec, row, None, f"the same as row {self.seen[identity]}; one row each")
            return
        self.seen[identity] = row.number
        for column, value in given.items():
            if value is None and not self.values[column].nullable:
                run.error(spec, row, labels.get(column), "it is needed; it cannot be emptied")
                return
        stored = self.index.get(identity)
        if stored is None:
            insert = {column: self._stored(column, value) for column, value in key.items()}
            for column, spec_value in self.values.items():
                value = given.get(column, spec_value.default)
                insert[column] = self._stored(column, value)
            run.changes.insert(self.model, insert)
            run.counts.count(spec.name, "added")
            return
        changed = {
            column: (stored[column], self._stored(column, value))
            for column, value in given.items()
            if value != stored[column]
        }
        if changed:
            record = self.run.stored(self.model, ()).rows[stored["uuid"]]
            changed = {c: (record[c], new) for c, (_old, new) in changed.items()}
            run.changes.update(
                self.model, Update(stored["uuid"], stored["id"], stored["version_id"], changed)
            )
        run.counts.count(spec.name, "changed" if changed else "unchanged")


def _span_ok(run: ImportRun, spec: SheetSpec, row: ParsedRow) -> bool:
    first, last = row.get("start"), row.get("end")
    if first is None or last is None:
        return False
    if last < first:
        run.error(
            spec, row, "end", f"{spec.field('end').header} is before {spec.field('start').header}"
        )
        return False
    return True


def _given(row: ParsedRow, cells: dict[str, str]) -> dict[str, Any]:
    """Column -> value of the cells (field key -> column) the row fills."""
    return {column: row.values[key] for key, column in cells.items() if row.given(key)}


def _period_rows(
    run: ImportRun,
    spec: SheetSpec,
    model: type[Record],
    owner: tuple[str, str, str, type[Record]],
    values: tuple[Value, ...],
) -> None:
    """Days off of one owner (a person's leave, a venue's closures): matched by
    owner, first and last day. ``owner``: (cell, entity, column, model)."""
    rows = run.rows(spec.name)
    if not rows:
        return
    cell, entity, column, owner_model = owner
    cells = {value.column: value.column for value in values}
    sheet = KeyedRows(
        run, spec, model, (column, "start_date", "end_date"), values, {column: owner_model}
    )
    for row in rows:
        found = run.lookup(spec, row, cell, entity)
        if found is None or not _span_ok(run, spec, row):
            continue
        key = {column: found, "start_date": row.get("start"), "end_date": row.get("end")}
        sheet.apply(row, key, _given(row, cells), _labels(cells))


def work_out_unavailability(run: ImportRun) -> None:
    _period_rows(
        run,
        schema.UNAVAILABILITY,
        Unavailability,
        ("who", "instructor", "instructor_id", Instructor),
        (Value("reason"), Value("kind", AbsenceKind.LEAVE.value, nullable=False)),
    )


def _labels(cells: dict[str, str]) -> dict[str, str]:
    return {column: key for key, column in cells.items()}


def work_out_venue_closures(run: ImportRun) -> None:
    _period_rows(
        run,
        schema.VENUE_CLOSURES,
        VenueClosure,
        ("venue", "venue", "venue_id", Venue),
        (Value("reason"),),
    )


def work_out_closure_days(run: ImportRun) -> None:
    spec = schema.CLOSURE_DAYS
    rows = run.rows(spec.name)
    if not rows:
        return
    cells = {"name": "name"}
    sheet = KeyedRows(
        run,
        spec,
        ClosureDay,
        ("day", "nation_id"),
        (Value("name", nullable=False),),
        {"nation_id": Nation},
    )
    for row in rows:
        nation = None
        if row.get("nation") is not None:
            nation = run.lookup(spec, row, "nation", "nation")
            if nation is None:
                continue
        if row.get("day") is None:
            continue
        key = {"day": row.get("day"), "nation_id": nation}
        sheet.apply(row, key, _given(row, cells), _labels(cells))


def work_out_requirements(run: ImportRun) -> None:
    spec = schema.REQUIREMENTS
    rows = run.rows(spec.name)
    if not rows:
        return
    cells = {"people": "people", "due": "due_date"}
    sheet = KeyedRows(
        run,
        spec,
        TrainingRequirement,
        ("target_id", "course_id"),
        (Value("people", nullable=False), Value("due_date"), Value("unit_id", nullable=False)),
        {"target_id": CapabilityTarget, "course_id": Course, "unit_id": Unit},
    )
    targets = run.registry("target")
    people_check = at_least(1)
    for row in rows:
        unit = run.lookup(spec, row, "unit", "unit")
        course = run.lookup(spec, row, "course", "course")
        owner = unit
        if row.get("target_unit") is not None:
            owner = run.lookup(spec, row, "target_unit", "unit")
        people = row.get("people")
        if people is not None and (message := people_check(people)) is not None:
            run.error(spec, row, "people", message)
            continue
        if unit is None or course is None or owner is None or row.get("target") is None:
            continue
        name = row.values["target"]
        target = targets.find(target_key(owner, name))
        if target is None:
            target = targets.add(target_key(owner, name), {"unit_id": owner, "name": name})
            run.changes.insert(
                CapabilityTarget,
                {
                    "uuid": target,
                    "unit_id": Link(Unit, owner),
                    "name": name,
                    "due_date": None,
                    "description": None,
                },
            )
            run.counts.count(TARGETS.spec.name, "added")
        given = {**_given(row, cells), "unit_id": unit}
        labels = {**_labels(cells), "unit_id": "unit"}
        sheet.apply(row, {"target_id": target, "course_id": course}, given, labels)


PERIOD_SHEETS: tuple[Callable[[ImportRun], None], ...] = (
    work_out_unavailability,
    work_out_venue_closures,
    work_out_closure_days,
    work_out_requirements,
)
