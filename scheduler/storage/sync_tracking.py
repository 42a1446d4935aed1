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
  (``hashtextextended`` of the row's text) at the base, summed up per
  bucket of 16 ids, so the server's changes are found from one aggregate
  query instead of reading every row.

The tables are not in the ORM metadata: ``copy`` leaves them behind, and a
copy of a checkout is a plain plan. A migration that rebuilds a table drops
its triggers; ``ensure_tracking`` puts them back, and runs whenever a
checkout is opened for editing.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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
    "digests BLOB NOT NULL, uuids BLOB NOT NULL, bucket_ids BLOB NOT NULL, "
    "bucket_sums BLOB NOT NULL, bucket_counts BLOB NOT NULL)",
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


def forget_state(connection: Connection, *keys: str) -> None:
    marks = ", ".join("?" for _ in keys)
    connection.exec_driver_sql(f"DELETE FROM {STATE_TABLE} WHERE key IN ({marks})", keys)


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


# Rows are summed up in buckets of 16 ids; a bucket's sum of its rows' digests
# (each shifted right 16 bits, so the sum stays exact in 64 bits) tells
# whether anything in it changed. Comparing the buckets' arrays is one
# comparison of bytes when nothing did.
BUCKET_SHIFT = 4
DIGEST_BITS = 16


@dataclass
class ServerDigests:
    """One table's rows on the server at the base: sorted ids, their digests and uuids,
    and per bucket of ids the sum of its digests and its count of rows."""

    ids: array[int] = field(default_factory=lambda: array("q"))
    digests: array[int] = field(default_factory=lambda: array("q"))
    uuids: bytes = b""
    bucket_ids: array[int] = field(default_factory=lambda: array("q"))
    bucket_sums: array[int] = field(default_factory=lambda: array("q"))
    bucket_counts: array[int] = field(default_factory=lambda: array("q"))

    @classmethod
    def from_rows(cls, rows: Mapping[int, tuple[int, str]]) -> ServerDigests:
        """From id -> (digest, uuid)."""
        ordered = sorted(rows)
        found = cls(
            array("q", ordered),
            array("q", (rows[ident][0] for ident in ordered)),
            "".join(rows[ident][1].ljust(36) for ident in ordered).encode("ascii"),
        )
        sums: dict[int, int] = {}
        counts: dict[int, int] = {}
        for ident in ordered:
            bucket = ident >> BUCKET_SHIFT
            sums[bucket] = sums.get(bucket, 0) + (rows[ident][0] >> DIGEST_BITS)
            counts[bucket] = counts.get(bucket, 0) + 1
        found.bucket_ids = array("q", sums)
        found.bucket_sums = array("q", sums.values())
        found.bucket_counts = array("q", counts.values())
        return found

    def with_buckets(
        self, changed: Iterable[int], rows: Mapping[int, tuple[int, str]]
    ) -> ServerDigests:
        """A copy whose ``changed`` buckets hold ``rows`` (id -> (digest, uuid)) instead.

        The rest is copied in slices, so a sync of a few thousand rows does
        not rebuild the digests of a 100,000-event plan row by row.
        """
        ids, digests, uuids = array("q"), array("q"), bytearray()
        by_bucket: dict[int, list[int]] = {}
        for ident in sorted(rows):
            by_bucket.setdefault(ident >> BUCKET_SHIFT, []).append(ident)
        start = 0
        for bucket in sorted(set(changed)):
            low = bisect_left(self.ids, bucket << BUCKET_SHIFT, start)
            high = bisect_left(self.ids, (bucket + 1) << BUCKET_SHIFT, low)
            ids += self.ids[start:low]
            digests += self.digests[start:low]
            uuids += self.uuids[36 * start : 36 * low]
            for ident in by_bucket.get(bucket, []):
                ids.append(ident)
                digests.append(rows[ident][0])
                uuids += rows[ident][1].ljust(36).encode("ascii")
            start = high
        ids += self.ids[start:]
        digests += self.digests[start:]
        uuids += self.uuids[36 * start :]
        sums = dict(zip(self.bucket_ids, self.bucket_sums, strict=True))
        counts = dict(zip(self.bucket_ids, self.bucket_counts, strict=True))
        for bucket in set(changed):
            sums.pop(bucket, None)
            counts.pop(bucket, None)
        for ident, (digest, _) in rows.items():
            bucket = ident >> BUCKET_SHIFT
            sums[bucket] = sums.get(bucket, 0) + (digest >> DIGEST_BITS)
            counts[bucket] = counts.get(bucket, 0) + 1
        order = sorted(sums)
        return ServerDigests(
            ids,
            digests,
            bytes(uuids),
            array("q", order),
            array("q", (sums[bucket] for bucket in order)),
            array("q", (counts[bucket] for bucket in order)),
        )

    def buckets(self) -> tuple[array[int], array[int], array[int]]:
        return self.bucket_ids, self.bucket_sums, self.bucket_counts

    def rows_in(self, buckets: Iterable[int]) -> dict[int, tuple[int, str]]:
        """The rows of the given buckets: id -> (digest, uuid)."""
        found: dict[int, tuple[int, str]] = {}
        for bucket in buckets:
            low = bisect_left(self.ids, bucket << BUCKET_SHIFT)
            high = bisect_left(self.ids, (bucket + 1) << BUCKET_SHIFT)
            for index in range(low, high):
                found[self.ids[index]] = (self.digests[index], self.uuid_at(index))
        return found

    def uuid_at(self, index: int) -> str:
        return self.uuids[36 * index : 36 * index + 36].decode("ascii").rstrip()

    def blobs(self) -> tuple[bytes, ...]:
        return (
            self.ids.tobytes(),
            self.digests.tobytes(),
            self.uuids,
            self.bucket_ids.tobytes(),
            self.bucket_sums.tobytes(),
            self.bucket_counts.tobytes(),
        )

    @classmethod
    def from_blobs(cls, *blobs: bytes) -> ServerDigests:
        arrays = []
        for blob in (blobs[0], blobs[1], blobs[3], blobs[4], blobs[5]):
            found = array("q")
            found.frombytes(blob)
            arrays.append(found)
        return cls(arrays[0], arrays[1], blobs[2], arrays[2], arrays[3], arrays[4])


_DIGEST_COLUMNS = "ids, digests, uuids, bucket_ids, bucket_sums, bucket_counts"


def load_digests(connection: Connection) -> dict[str, ServerDigests]:
    return {
        str(row[0]): ServerDigests.from_blobs(*row[1:])
        for row in connection.exec_driver_sql(f"SELECT tbl, {_DIGEST_COLUMNS} FROM {DIGEST_TABLE}")
    }


def store_digests(connection: Connection, digests: Mapping[str, ServerDigests]) -> None:
    """Write the digests of the tables given (the others stay as they are)."""
    for name, found in digests.items():
        connection.exec_driver_sql(
            f"INSERT OR REPLACE INTO {DIGEST_TABLE} (tbl, {_DIGEST_COLUMNS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (name, *found.blobs()),
        )
