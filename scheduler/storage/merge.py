"""The three-way merge of a plan's records: pure, no I/O.

Each record touched on either side since the base comes in three versions:
the base (what both sides started from), mine (the file being
synchronised) and theirs (its origin). A version is the record's fields
with references as the referenced record's uuid (ids differ between
plans), or None when the record does not exist there.

Field by field: a field changed on one side only takes that side's value;
changed alike on both sides, it stays; changed differently, it is a
conflict. A record deleted on one side and changed on the other is a
conflict too, and so is a record one side deleted that the other made
something refer to (an instructor added to an event the file deleted).
Conflicts are settled by a planner's resolution, by ``prefer``, or
returned unsettled, in which case nothing may be written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

Row = dict[str, Any]


class Side(Enum):
    MINE = "mine"
    THEIRS = "theirs"


@dataclass(frozen=True, slots=True)
class Reference:
    parent: str  # the referenced table
    on_delete: str  # CASCADE, SET NULL or RESTRICT


@dataclass(frozen=True, slots=True)
class Shape:
    """What the merge needs to know of one table."""

    name: str
    fields: tuple[str, ...]
    references: Mapping[str, Reference]


@dataclass(frozen=True, slots=True)
class Versions:
    base: Row | None
    mine: Row | None
    theirs: Row | None


@dataclass(frozen=True, slots=True)
class Conflict:
    """One thing both sides changed differently. ``field`` None: one side deleted
    the record (``deleted_by``) while the other changed it or referred to it."""

    table: str
    key: str
    field: str | None
    base: Any
    mine: Any
    theirs: Any
    deleted_by: Side | None = None

    @property
    def ident(self) -> str:
        return f"{self.table}/{self.key}/{self.field or ''}"


@dataclass(frozen=True, slots=True)
class Resolution:
    """How a planner settled a conflict: one side's value, or a value typed in
    (for a field). It holds only while the two values are the ones the
    planner saw (``seen``): a conflict that changed since is asked again."""

    choice: Side | None
    value: Any = None
    seen: tuple[Any, Any] | None = None

    def fits(self, conflict: Conflict) -> bool:
        return self.seen is None or self.seen == (conflict.mine, conflict.theirs)


@dataclass
class MergeResult:
    # Per table, per touched key: the merged record, None when it is gone.
    result: dict[str, dict[str, Row | None]]
    unsettled: list[Conflict]
    settled: list[tuple[Conflict, Resolution]] = field(default_factory=list)


class MergeRefused(Exception):
    """A resolution the plan cannot hold (deleting what others still need)."""


def chosen_value(conflict: Conflict, resolution: Resolution) -> Any:
    """The value a resolution keeps (None for a deletion kept)."""
    if resolution.choice is Side.MINE:
        return conflict.mine
    if resolution.choice is Side.THEIRS:
        return conflict.theirs
    return resolution.value


class _Merger:
    def __init__(
        self,
        shapes: Mapping[str, Shape],
        versions: Mapping[str, Mapping[str, Versions]],
        resolutions: Mapping[str, Resolution],
        prefer: Side | None,
    ) -> None:
        self.shapes = shapes
        self.versions = versions
        self.resolutions = resolutions
        self.prefer = prefer
        self.unsettled: dict[str, Conflict] = {}
        self.settled: dict[str, tuple[Conflict, Resolution]] = {}

    def settle(self, conflict: Conflict) -> Resolution | None:
        resolution = self.resolutions.get(conflict.ident)
        if resolution is not None and resolution.fits(conflict):
            self.settled[conflict.ident] = (conflict, resolution)
            self.unsettled.pop(conflict.ident, None)
            return resolution
        if self.prefer is not None:
            chosen = Resolution(self.prefer)
            self.settled[conflict.ident] = (conflict, chosen)
            self.unsettled.pop(conflict.ident, None)
            return chosen
        self.unsettled[conflict.ident] = conflict
        return None

    def record(self, table: str, key: str, found: Versions) -> Row | None:
        base, mine, theirs = found.base, found.mine, found.theirs
        if mine == theirs:
            return None if mine is None else dict(mine)
        if mine is None or theirs is None:
            deleted_by = Side.MINE if mine is None else Side.THEIRS
            survivor: Row = theirs if mine is None else mine  # type: ignore[assignment]
            if base is not None and survivor == base:
                return None  # deleted on one side, left alone on the other
            if base is None:
                return dict(survivor)  # added on one side only
            conflict = Conflict(table, key, None, base, mine, theirs, deleted_by)
            resolution = self.settle(conflict)
            if resolution is None:
                return dict(base)  # unsettled: keep something whole meanwhile
            chosen = chosen_value(conflict, resolution)
            return None if chosen is None else dict(chosen)
        merged: Row = {}
        for name in self.shapes[table].fields:
            old = base.get(name) if base is not None else None
            ours, others = mine.get(name), theirs.get(name)
            if ours == others:
                merged[name] = ours
            elif base is not None and ours == old:
                merged[name] = others
            elif base is not None and others == old:
                merged[name] = ours
            else:
                conflict = Conflict(table, key, name, old, ours, others)
                resolution = self.settle(conflict)
                merged[name] = ours if resolution is None else chosen_value(conflict, resolution)
        return merged

    def run(self) -> MergeResult:
        result = {
            table: {key: self.record(table, key, found) for key, found in rows.items()}
            for table, rows in self.versions.items()
        }
        for _ in range(50):  # each round settles references to one more level of records
            if not self._settle_references(result):
                break
        return MergeResult(result, list(self.unsettled.values()), list(self.settled.values()))

    def _settle_references(self, result: dict[str, dict[str, Row | None]]) -> bool:
        """Records that refer to a record the merge removes; True when anything changed."""
        changed = False
        for table, rows in result.items():
            shape = self.shapes[table]
            for key, row in list(rows.items()):
                if row is None:
                    continue
                for name, reference in shape.references.items():
                    target = row.get(name)
                    if (
                        target is None
                        or result.get(reference.parent, {}).get(target, 1) is not None
                    ):
                        continue
                    changed |= self._removed_parent(result, reference, target, table, key, name)
        changed |= self._revive_children(result)
        return changed

    def _removed_parent(
        self,
        result: dict[str, dict[str, Row | None]],
        reference: Reference,
        target: str,
        table: str,
        key: str,
        name: str,
    ) -> bool:
        parent = self.versions[reference.parent][target]
        if parent.mine is None and parent.theirs is None:
            deleted = True  # gone on both sides: nothing to keep
        else:
            deleted_by = Side.MINE if parent.mine is None else Side.THEIRS
            conflict = Conflict(
                reference.parent, target, None, parent.base, parent.mine, parent.theirs, deleted_by
            )
            resolution = self.settle(conflict)
            if resolution is None:
                survivor = parent.theirs if parent.mine is None else parent.mine
                result[reference.parent][target] = None if survivor is None else dict(survivor)
                return True
            chosen = chosen_value(conflict, resolution)
            deleted = chosen is None
            if not deleted:
                result[reference.parent][target] = dict(chosen)
                return True
        row = result[table][key]
        assert row is not None
        if reference.on_delete == "CASCADE":
            result[table][key] = None
        elif reference.on_delete == "SET NULL":
            row[name] = None
        else:
            raise MergeRefused(
                f"{reference.parent}/{target} cannot be deleted: {table}/{key} still needs it."
            )
        return True

    def _revive_children(self, result: dict[str, dict[str, Row | None]]) -> bool:
        """A kept record brings back what its deletion cascaded to on the deleting side."""
        changed = False
        for table, rows in result.items():
            shape = self.shapes[table]
            cascades = [
                (name, reference)
                for name, reference in shape.references.items()
                if reference.on_delete == "CASCADE"
            ]
            if not cascades:
                continue
            for key, row in rows.items():
                if row is not None:
                    continue
                found = self.versions[table][key]
                survivor = found.theirs if found.mine is None else found.mine
                if survivor is None or found.base is None or survivor != found.base:
                    continue
                for name, reference in cascades:
                    parent = survivor.get(name)
                    if parent is None:
                        continue
                    parent_found = self.versions.get(reference.parent, {}).get(parent)
                    if parent_found is None or result[reference.parent].get(parent) is None:
                        continue
                    deleter = parent_found.mine if found.mine is None else parent_found.theirs
                    if deleter is None:  # the parent was deleted on the same side, then kept
                        rows[key] = dict(survivor)
                        changed = True
                        break
        return changed


def merge(
    shapes: Mapping[str, Shape],
    versions: Mapping[str, Mapping[str, Versions]],
    *,
    resolutions: Mapping[str, Resolution] | None = None,
    prefer: Side | None = None,
) -> MergeResult:
    """Merge every touched record; see the module's docstring."""
    return _Merger(shapes, versions, resolutions or {}, prefer).run()
