"""Records both sides added apart that the plan holds to be one: the same unique value.

A plan allows one venue called "Krivolak", one instructor of a name, one
line per instructor on an event, one closure per nation and day. When the
laptop and the server each added such a record while apart, keeping both
is impossible and would be wrong: they are one venue, one booking. The
laptop's record takes the server's uuid and the two are merged field by
field (from no common base, so fields that differ are conflicts for a
person). Only a record the other side *added* is joined this way; a clash
with one it had before (renamed on the laptop, say) is refused in words.
Refs and certificate serials are numbers the program hands out, not
identity: a ref that clashes is renumbered (``syncing._renumber``); serials
given on both sides for one event are refused in words (rare).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, update

from scheduler.model import ChangeLog
from scheduler.storage.merge import Versions
from scheduler.storage.sync_rows import SHAPES, TABLES, has_uuid, unique_columns
from scheduler.storage.sync_tracking import synced_tables

_HANDED_OUT = frozenset({("ref",), ("certificate_serial",)})


@dataclass(frozen=True, slots=True)
class SameRecord:
    table: str
    laptop: str  # the uuid the laptop gave it
    shared: str  # the uuid the other side gave it, which both keep
    created_at: Any  # and when the other side first wrote it


def join_same_records(versions: dict[str, dict[str, Versions]]) -> list[SameRecord]:
    """Join each record added on the laptop to the one the other side added with
    the same unique value (parents first, so children's keys use joined parents)."""
    joined: list[SameRecord] = []
    for table in synced_tables():
        found = versions.get(table.name)
        if not found or not has_uuid(table):
            continue
        keys = [columns for columns in unique_columns(table) if columns not in _HANDED_OUT]
        if not keys:
            continue
        theirs_added = {
            (columns, tuple(row.theirs.get(name) for name in columns)): key
            for key, row in found.items()
            if row.base is None and row.mine is None and row.theirs is not None
            for columns in keys
        }
        for key, row in list(found.items()):
            if row.base is not None or row.theirs is not None or row.mine is None:
                continue
            for columns in keys:
                shared = theirs_added.get((columns, tuple(row.mine.get(n) for n in columns)))
                if shared is None or found[shared].mine is not None:
                    continue
                theirs = found[shared].theirs
                assert theirs is not None
                # When it was first written is bookkeeping, not a planner's conflict.
                mine = {**row.mine, "created_at": theirs.get("created_at")}
                found[shared] = Versions(None, mine, theirs)
                del found[key]
                joined.append(SameRecord(table.name, key, shared, theirs.get("created_at")))
                _point_children(versions, table.name, key, shared)
                _point_log_lines(versions, key, shared)
                break
    return joined


def _point_children(
    versions: Mapping[str, Mapping[str, Versions]], parent: str, old: str, new: str
) -> None:
    """The laptop's records that referred to ``old`` now refer to ``new``."""
    for name, rows in versions.items():
        fields = [
            f for f, reference in SHAPES[name].references.items() if reference.parent == parent
        ]
        if not fields:
            continue
        for row in rows.values():
            for version in (row.base, row.mine):
                if version is None:
                    continue
                for field in fields:
                    if version.get(field) == old:
                        version[field] = new


def _point_log_lines(versions: Mapping[str, Mapping[str, Versions]], old: str, new: str) -> None:
    """The laptop's change-log lines about ``old`` are about ``new`` now, on both sides."""
    for row in versions.get(ChangeLog.__tablename__, {}).values():
        if row.mine is not None and row.mine.get("entity_uuid") == old:
            row.mine["entity_uuid"] = new


def rekey(connection: Connection, joined: list[SameRecord]) -> None:
    """Give the laptop's joined records, in this file, the uuids the other side gave them."""
    for same in joined:
        table = TABLES[same.table]
        renamed = (
            update(table)
            .where(table.c.uuid == same.laptop)
            .values(uuid=same.shared, created_at=same.created_at)
        )
        connection.execute(renamed)
        connection.execute(
            update(ChangeLog)
            .where(ChangeLog.entity_uuid == same.laptop)
            .values(entity_uuid=same.shared)
        )
