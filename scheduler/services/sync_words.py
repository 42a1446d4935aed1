"""A sync's report in a planner's words: which records, which values, whose change.

The merge speaks of tables, uuids and fields; a planner knows "event
MK-2027-014", "venue" and "Krivolak range". Records the report does not
hold (the venue an event points to) are named from the plan file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Connection, select

from scheduler.storage.merge import Conflict, Resolution, Row, Side, Versions
from scheduler.storage.sync_rows import SHAPES, TABLES, has_uuid
from scheduler.storage.sync_summary import record_word, written_text
from scheduler.storage.syncing import SyncReport

# The fields that name a record in a sentence, the first one filled.
_NAMING_FIELDS = ("ref", "code", "name", "name_latin", "key", "partner_code", "rule", "day")


def field_word(name: str) -> str:
    return name.removesuffix("_id").replace("_", " ")


@dataclass
class Labels:
    """Names records for sentences: from the report's versions, else from the file."""

    versions: Mapping[str, Mapping[str, Versions]]
    connection: Connection | None = None

    def _row(self, table: str, key: str) -> Row | None:
        found = self.versions.get(table, {}).get(key)
        if found is not None:
            return found.mine or found.theirs or found.base
        model = TABLES.get(table)
        if self.connection is None or model is None or not has_uuid(model):
            return None
        raw = self.connection.execute(select(model).where(model.c.uuid == key)).mappings().first()
        return dict(raw) if raw is not None else None

    def record(self, table: str, key: str, *, with_word: bool = True) -> str:
        """ "event MK-2027-014", "venue Krivolak" (without the word: "Krivolak")."""
        row = self._row(table, key)
        word = record_word(table)
        if row is None:
            return word
        for name in _NAMING_FIELDS:
            if row.get(name):
                named = self.value(table, name, row[name])
                return f"{word} {named}" if with_word else named
        parents = [
            self.record(reference.parent, row[name])
            for name, reference in SHAPES[table].references.items()
            if isinstance(row.get(name), str)
        ]
        return f"{word} ({', '.join(parents)})" if parents else word

    def value(self, table: str, name: str, value: Any) -> str:
        if value is None:
            return "(empty)"
        reference = SHAPES[table].references.get(name) if table in SHAPES else None
        if reference is not None and isinstance(value, str):
            return self.record(reference.parent, value, with_word=False)
        if isinstance(value, Enum):
            return str(value.value)
        if isinstance(value, datetime):
            return value.strftime("%d %b %Y %H:%M").lstrip("0")
        if isinstance(value, date):
            return value.strftime("%d %b %Y").lstrip("0")
        if isinstance(value, bool):
            return "yes" if value else "no"
        text = str(value)
        return text if len(text) <= 80 else text[:79] + "…"

    def version(self, conflict: Conflict, side: Side) -> str:
        """One side's value of a conflict, in words."""
        found = conflict.mine if side is Side.MINE else conflict.theirs
        if conflict.field is None:
            if found is None:
                return "deleted"
            base = conflict.base or {}
            changed = [
                name for name in SHAPES[conflict.table].fields if found.get(name) != base.get(name)
            ]
            if not changed:
                return "kept (something now refers to it)"
            shown = ", ".join(
                f"{field_word(name)} “{self.value(conflict.table, name, found[name])}”"
                for name in changed[:3]
            )
            return f"changed: {shown}" + (" …" if len(changed) > 3 else "")
        return f"“{self.value(conflict.table, conflict.field, found)}”"

    def what(self, conflict: Conflict) -> str:
        label = self.record(conflict.table, conflict.key)
        return label if conflict.field is None else f"{label} · {field_word(conflict.field)}"


def choice_text(labels: Labels, conflict: Conflict, resolution: Resolution) -> str:
    if resolution.choice is Side.MINE:
        return f"kept this file's {labels.version(conflict, Side.MINE)}"
    if resolution.choice is Side.THEIRS:
        return f"kept the other side's {labels.version(conflict, Side.THEIRS)}"
    value = labels.value(conflict.table, conflict.field or "", resolution.value)
    return f"set to “{value}”"


@dataclass(frozen=True, slots=True)
class ConflictRow:
    """One conflict as the Synchronise dialog lists it."""

    conflict: Conflict
    what: str
    mine: str
    theirs: str
    mine_by: str
    theirs_by: str

    @property
    def can_type(self) -> bool:
        """A value may be typed instead: a text or whole-number field, not a deletion."""
        found = self.conflict
        if found.field is None or found.field in SHAPES[found.table].references:
            return False
        values = [value for value in (found.mine, found.theirs) if value is not None]
        if not values:
            return False
        texts = all(isinstance(value, str) for value in values)
        numbers = all(isinstance(value, int) and not isinstance(value, bool) for value in values)
        return texts or numbers


def conflict_rows(report: SyncReport, labels: Labels) -> list[ConflictRow]:
    rows = []
    for conflict in report.unsettled:
        mine_by, theirs_by = report.who.get(conflict.ident, ("", ""))
        rows.append(
            ConflictRow(
                conflict,
                labels.what(conflict),
                labels.version(conflict, Side.MINE),
                labels.version(conflict, Side.THEIRS),
                mine_by,
                theirs_by,
            )
        )
    return sorted(rows, key=lambda row: row.what)  # the same order each time: by record


def summary_lines(report: SyncReport, *, other: str = "the shared plan") -> list[str]:
    """What a sync brings each way (or would), without its conflicts."""
    verb = "Would bring" if report.dry_run else "Brought"
    if report.unsettled:
        verb = f"Besides the conflicts, {verb[0].lower()}{verb[1:]}"
    lines = [
        f"{verb} into this file: {written_text(report.to_file)}.",
        f"{verb} to {other}: {written_text(report.to_origin)}.",
    ]
    if report.finished_interrupted:
        lines.append("Finishes the synchronisation that was interrupted last time.")
    labels = Labels(report.versions)
    for same in report.joined:
        label = labels.record(same.table, same.shared)
        lines.append(
            f"{label[:1].upper()}{label[1:]} was added on both sides: "
            f"{'would be' if report.dry_run else 'kept as'} one."
        )
    becomes = "would become" if report.dry_run else "is now"
    for old, new in report.renumbered:
        lines.append(
            f"Event {old}, added on this laptop, {becomes} {new}: "
            f"{other} already has an event {old}."
        )
    return lines


def report_lines(report: SyncReport, labels: Labels, *, other: str = "the server") -> list[str]:
    """The report as the command prints it."""
    lines: list[str] = []
    if report.unsettled:
        count = len(report.unsettled)
        lines.append(
            f"{count} conflict{'s' if count != 1 else ''} need{'s' if count == 1 else ''} a "
            "decision; nothing was written:"
        )
        for row in conflict_rows(report, labels):
            lines.append(f"  {row.what}")
            lines.append(
                f"    this file: {row.mine}" + (f" ({row.mine_by})" if row.mine_by else "")
            )
            lines.append(
                f"    {other}: {row.theirs}" + (f" ({row.theirs_by})" if row.theirs_by else "")
            )
        lines.append(
            "Run again with --prefer mine or --prefer theirs, or synchronise in the window "
            "(File ▸ Synchronise…) to decide each one."
        )
        return lines
    lines += summary_lines(report, other=other)
    for conflict, resolution in report.settled:
        lines.append(
            f"Conflict {labels.what(conflict)}: {choice_text(labels, conflict, resolution)}."
        )
    return lines
