"""What a checked-out plan file remembers: its origin, and what changed in it since.

A checkout is an ordinary plan file with three more tables, written by
SQLite itself rather than by the program, so that every way of changing
the file counts (a window's edit, an import's bulk insert, a purge, a
command):

- ``sync_state``: the origin (a server URL without its password, or
  nothing), the id of the base (the state both sides last agreed on) and
  of the last file-to-file synchronisation;
- ``sync_base``: a copy-on-write record of the base. Triggers on every
  plan table put a row's stored values there the first time it is changed
  or deleted after the base, and a NULL for a row added since. A row
  never touched since has no entry: it is still as it was at the base.
  So the file's own changes are found without reading the plan, and a
  row changed on both sides still has the value both sides started from.
  ``peer`` holds the row as a file-to-file synchronisation left it;
- ``sync_digest``: per table, the server's ids, uuids and row digests
  (``hashtextextended`` of the row's text) at the base, so the server's
  changes are found by one scan of digests instead of reading every row.

The tables are not in the ORM metadata: ``copy`` leaves them behind, and a
copy of a checkout is a plain plan. A migration that rebuilds a table drops
its triggers; ``ensure_tracking`` puts them back, and runs whenever a
checkout is opened for editing.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table

from scheduler.model import Base

STATE_TABLE = "sync_state"
BASE_TABLE = "sync_base"
DIGEST_TABLE = "sync_digest"

# The keys of sync_state.
ORIGIN = "origin"  # the server URL with its password masked out, or ""
BASE_ID = "base_id"  # the state the file and its origin last agreed on
BASE_AT = "base_at"  # when (UTC, ISO)
PEER_ID = "peer_id"  # the last file-to-file synchronisation, shared by both files
PLAN_ID = "plan_id"  # the origin plan's identity (its "name" metadata row's uuid)

_DDL = (
    f"CREATE TABLE IF NOT EXISTS {STATE_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    f"CREATE TABLE IF NOT EXISTS {BASE_TABLE} (tbl TEXT NOT NULL, key TEXT NOT NULL, "
    "data TEXT, peer TEXT, PRIMARY KEY (tbl, key)) WITHOUT ROWID",
    f"CREATE TABLE IF NOT EXISTS {DIGEST_TABLE} (tbl TEXT PRIMARY KEY, ids BLOB NOT NULL, "
    "digests BLOB NOT NULL, uuids BLOB NOT NULL)",
)


def synced_tables() -> list[Table]:
    """Every plan table, parents before children."""
    return list(Base.metadata.sorted_tables)


def row_key_sql(table: Table, alias: str) -> str:
    """The SQL naming one row of ``table`` across plans: its uuid, or for a
    link table (no uuid) its two ends' ids joined by ``:``."""
    if "uuid" in table.c:
        return f"{alias}.uuid"
    return " || ':' || ".join(f"{alias}.{column.name}" for column in table.primary_key)


def _triggers(table: Table) -> list[str]:
    name = table.name
    values = ", ".join(f"OLD.{column.name}" for column in table.columns)
    old_key, new_key = row_key_sql(table, "OLD"), row_key_sql(table, "NEW")
    capture = (
        f"INSERT OR IGNORE INTO {BASE_TABLE} (tbl, key, data) "
        f"VALUES ('{name}', {old_key}, json_array({values}))"
    )
    return [
        f"CREATE TRIGGER sync_track_{name}_update AFTER UPDATE ON {name} BEGIN {capture}; END",
        f"CREATE TRIGGER sync_track_{name}_delete AFTER DELETE ON {name} BEGIN {capture}; END",
        f"CREATE TRIGGER sync_track_{name}_insert AFTER INSERT ON {name} BEGIN "
        f"INSERT OR IGNORE INTO {BASE_TABLE} (tbl, key, data) VALUES ('{name}', {new_key}, NULL); "
        "END",
    ]


def is_checkout(connection: Connection) -> bool:
    found = connection.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (STATE_TABLE,)
    ).first()
    return found is not None


def ensure_tracking(connection: Connection) -> None:
    """Create the tracking tables and (re)create every table's triggers.

    Triggers name their columns, so they are rebuilt each time: after a
    migration added a column, the old ones would capture a short row.
    """
    for statement in _DDL:
        connection.exec_driver_sql(statement)
    existing = {
        row[0]
        for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_track_%'"
        )
    }
    for trigger in existing:
        connection.exec_driver_sql(f"DROP TRIGGER {trigger}")
    for table in synced_tables():
        for statement in _triggers(table):
            connection.exec_driver_sql(statement)


def read_state(connection: Connection) -> dict[str, str]:
    return {
        str(key): str(value)
        for key, value in connection.exec_driver_sql(f"SELECT key, value FROM {STATE_TABLE}")
    }


def write_state(connection: Connection, values: dict[str, str]) -> None:
    for key, value in values.items():
        connection.exec_driver_sql(
            f"INSERT INTO {STATE_TABLE} (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


@dataclass(frozen=True, slots=True)
class Captured:
    """A row's stored values at the base (None: added since) and after the last
    file-to-file synchronisation (``has_peer`` False: none touched it)."""

    base: list[Any] | None
    peer: list[Any] | None
    has_peer: bool


def captured(connection: Connection) -> dict[str, dict[str, Captured]]:
    """Every row changed since the base, per table: key -> what it was."""
    found: dict[str, dict[str, Captured]] = {}
    for table, key, data, peer in connection.exec_driver_sql(
        f"SELECT tbl, key, data, peer FROM {BASE_TABLE}"
    ):
        peer_values = json.loads(peer) if peer is not None else None
        found.setdefault(table, {})[key] = Captured(
            json.loads(data) if data is not None else None,
            peer_values if peer_values != "absent" else None,
            peer is not None,
        )
    return found


def reset_base(connection: Connection) -> None:
    """The file's present state becomes its base: nothing has changed since."""
    connection.exec_driver_sql(f"DELETE FROM {BASE_TABLE}")


def record_peer(connection: Connection, table: Table, keys: Iterable[str]) -> None:
    """Note each row as a file-to-file synchronisation leaves it (JSON "absent" if gone).

    A row the file never touched since the base is still at its base value,
    so it is captured with its present values (or as added, when absent)
    before its peer value is noted.
    """
    key_sql = row_key_sql(table, "t")
    values = ", ".join(f"t.{column.name}" for column in table.columns)
    current = f"(SELECT json_array({values}) FROM {table.name} AS t WHERE {key_sql} = ?)"
    for key in keys:
        connection.exec_driver_sql(
            f"INSERT OR IGNORE INTO {BASE_TABLE} (tbl, key, data) VALUES (?, ?, {current})",
            (table.name, key, key),
        )
        connection.exec_driver_sql(
            f"UPDATE {BASE_TABLE} SET peer = COALESCE({current}, json_quote('absent')) "
            "WHERE tbl = ? AND key = ?",
            (key, table.name, key),
        )


@dataclass
class ServerDigests:
    """One table's rows on the server at the base: id -> (digest, uuid)."""

    rows: dict[int, tuple[int, str]]

    def to_blobs(self) -> tuple[bytes, bytes, bytes]:
        ids = array("q", self.rows.keys())
        digests = array("q", (digest for digest, _ in self.rows.values()))
        uuids = "".join(uuid.ljust(36) for _, uuid in self.rows.values()).encode("ascii")
        return ids.tobytes(), digests.tobytes(), uuids

    @classmethod
    def from_blobs(cls, ids: bytes, digests: bytes, uuids: bytes) -> ServerDigests:
        id_array, digest_array = array("q"), array("q")
        id_array.frombytes(ids)
        digest_array.frombytes(digests)
        text = uuids.decode("ascii")
        return cls(
            {
                ident: (digest, text[36 * index : 36 * index + 36].rstrip())
                for index, (ident, digest) in enumerate(zip(id_array, digest_array, strict=True))
            }
        )


def load_digests(connection: Connection) -> dict[str, ServerDigests]:
    return {
        str(name): ServerDigests.from_blobs(ids, digests, uuids)
        for name, ids, digests, uuids in connection.exec_driver_sql(
            f"SELECT tbl, ids, digests, uuids FROM {DIGEST_TABLE}"
        )
    }


def store_digests(connection: Connection, digests: dict[str, ServerDigests]) -> None:
    connection.exec_driver_sql(f"DELETE FROM {DIGEST_TABLE}")
    for name, found in digests.items():
        connection.exec_driver_sql(
            f"INSERT INTO {DIGEST_TABLE} (tbl, ids, digests, uuids) VALUES (?, ?, ?, ?)",
            (name, *found.to_blobs()),
        )
