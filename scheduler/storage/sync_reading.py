"""What changed on each side of a sync since the base, as three versions per record.

Against a server, the file's changes are what its triggers captured and
the server's are the rows whose digest differs from the one kept at the
base (``sync_tracking``). Between two files taken from the same server
(two laptops meeting in the field), both sides' changes are what their
triggers captured; the base of a record is the value the last
file-to-file synchronisation left in both ("peer"), else the server's
value at the checkout.
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select, text

from scheduler.storage import sync_tracking as tracking
from scheduler.storage.merge import Row, Versions
from scheduler.storage.sync_rows import TABLES, PlanRows, chunks, decode, has_uuid, link_key


@dataclass
class TableScan:
    """What the server's digests said of one table: the buckets of ids that differ
    from the base, and the digest of each row now in them (id -> digest)."""

    buckets: set[int]
    rows: dict[int, int]


@dataclass
class Read:
    """Every record touched on either side, in its three versions."""

    versions: dict[str, dict[str, Versions]]
    # Against a server: per table, what changed there, and its digests at the base.
    scans: dict[str, TableScan]
    digests: dict[str, tracking.ServerDigests]


# A row's digest, computed by the server (``t`` is the row).
ROW_DIGEST = "hashtextextended(t::text, 0)"


def scan(connection: Connection, table: Table) -> dict[int, tuple[int, str]]:
    """Every row's digest and uuid (id -> both), computed by the server."""
    name = connection.dialect.identifier_preparer.quote(table.name)
    return {
        ident: (digest, uuid)
        for ident, uuid, digest in connection.exec_driver_sql(
            f"SELECT id, uuid, {ROW_DIGEST} FROM {name} AS t"
        )
    }


def _differing_buckets(
    connection: Connection, table: Table, stored: tracking.ServerDigests
) -> TableScan:
    """One aggregate query per table; the rows only of the buckets that changed."""
    name = connection.dialect.identifier_preparer.quote(table.name)
    shift, bits = tracking.BUCKET_SHIFT, tracking.DIGEST_BITS
    found = connection.exec_driver_sql(
        f"SELECT id >> {shift} AS b, sum({ROW_DIGEST} >> {bits})::bigint, count(*) "
        f"FROM {name} AS t GROUP BY b ORDER BY b"
    ).all()
    now = (
        array("q", (row[0] for row in found)),
        array("q", (row[1] for row in found)),
        array("q", (row[2] for row in found)),
    )
    if now == stored.buckets():
        return TableScan(set(), {})
    then = {bucket: (total, count) for bucket, total, count in zip(*stored.buckets(), strict=True)}
    buckets = {bucket for bucket, total, count in found if then.pop(bucket, None) != (total, count)}
    buckets |= set(then)  # emptied since
    rows: dict[int, int] = {}
    for batch in chunks(sorted(buckets)):
        query = text(f"SELECT t.id, {ROW_DIGEST} FROM {in_buckets(name)}")
        rows.update({ident: digest for ident, digest in connection.execute(query, {"b": batch})})
    return TableScan(buckets, rows)


def in_buckets(quoted_table: str) -> str:
    """``FROM`` the rows (``t``) of the buckets ``:b``: one range of the key's index each."""
    shift = tracking.BUCKET_SHIFT
    return (
        f"unnest(CAST(:b AS bigint[])) AS u(b) JOIN {quoted_table} AS t "
        f"ON t.id >= u.b << {shift} AND t.id < (u.b + 1) << {shift}"
    )


class BaseLookup:
    """One file's records as they were at the base: captured rows, else as they are."""

    def __init__(
        self, connection: Connection, captured: Mapping[str, Mapping[str, tracking.Captured]]
    ) -> None:
        self.rows = PlanRows(connection)
        self.connection = connection
        self.captured = captured
        self.decoded: dict[str, dict[str, dict[str, Any]]] = {}
        self.old_uuids: dict[str, dict[int, str]] = {}
        for name, entries in captured.items():
            table = TABLES.get(name)
            if table is None:
                continue
            decoded = {
                key: decode(table, entry.base, connection)
                for key, entry in entries.items()
                if entry.base is not None
            }
            self.decoded[name] = decoded
            if has_uuid(table):
                self.old_uuids[name] = {row["id"]: row["uuid"] for row in decoded.values()}

    def entries(self, table: Table) -> Mapping[str, tracking.Captured]:
        return self.captured.get(table.name, {})

    def uuids_of(self, table_name: str, ids: Any) -> dict[int, str]:
        wanted = {ident for ident in ids if ident is not None}
        old = self.old_uuids.get(table_name, {})
        found = {ident: old[ident] for ident in wanted if ident in old}
        found.update(self.rows.uuids_of(table_name, wanted - set(found)))
        return found

    def bases(self, table: Table) -> dict[str, Row]:
        """The base version of each captured record (absent: added since the base)."""
        decoded = self.decoded.get(table.name, {})
        return self.rows.portable(table, list(decoded.values()), lookup=self.uuids_of)

    def peers(self, table: Table) -> dict[str, Row | None]:
        """Each record as the last file-to-file synchronisation left it (None: gone)."""
        found: dict[str, Row | None] = {}
        raw = []
        for key, entry in self.entries(table).items():
            if not entry.has_peer:
                continue
            if entry.peer is not None:
                raw.append(decode(table, entry.peer, self.connection))
            elif has_uuid(table):
                found[key] = None
            else:
                found[self._link_key(table, key)] = None
        found.update(self.rows.portable(table, raw, lookup=self.uuids_of))
        return found

    def _link_key(self, table: Table, key: str) -> str:
        """A link row's key across plans, from its key in this file (the two ends' ids)."""
        ends = []
        for column, ident in zip(table.primary_key, key.split(":"), strict=True):
            parent = next(iter(column.foreign_keys)).column.table.name
            ends.append(self.uuids_of(parent, [int(ident)]).get(int(ident), f"missing:{ident}"))
        return ":".join(ends)

    def link_base(self, table: Table, *, with_peers: bool) -> dict[str, Row]:
        """A link table (no uuids, a few rows) at the base, whole."""
        entries = self.entries(table)
        current = [dict(row) for row in self.connection.execute(select(table)).mappings()]
        added = {key for key, entry in entries.items() if entry.base is None}
        base = self.rows.portable(
            table, [row for row in current if link_key(table, row) not in added]
        )
        base.update(self.bases(table))
        if with_peers:
            for key, row in self.peers(table).items():
                if row is None:
                    base.pop(key, None)
                else:
                    base[key] = row
        return base


def _differing(
    keys: set[str],
    base: Mapping[str, Row | None],
    mine: Mapping[str, Row],
    theirs: Mapping[str, Row],
) -> dict[str, Versions]:
    found: dict[str, Versions] = {}
    for key in keys:
        versions = Versions(base.get(key), mine.get(key), theirs.get(key))
        if not (versions.base == versions.mine == versions.theirs):
            found[key] = versions
    return found


def read_against_server(mine: Connection, theirs: Connection) -> Read:
    lookup = BaseLookup(mine, tracking.captured(mine))
    digests = tracking.load_digests(mine)
    theirs_rows = PlanRows(theirs)
    versions: dict[str, dict[str, Versions]] = {}
    scans: dict[str, TableScan] = {}
    for table in tracking.synced_tables():
        if not has_uuid(table):
            mine_now = lookup.rows.every_row(table)
            theirs_now = theirs_rows.every_row(table)
            base = lookup.link_base(table, with_peers=False)
            found = _differing(set(base) | set(mine_now) | set(theirs_now), base, mine_now,
                               theirs_now)  # fmt: skip
        else:
            stored = digests.get(table.name, tracking.ServerDigests())
            scans[table.name] = _differing_buckets(theirs, table, stored)
            found = _server_versions(table, lookup, stored, scans[table.name], theirs_rows)
        if found:
            versions[table.name] = found
    return Read(versions, scans, digests)


def _server_versions(
    table: Table,
    lookup: BaseLookup,
    stored: tracking.ServerDigests,
    scanned: TableScan,
    theirs_rows: PlanRows,
) -> dict[str, Versions]:
    then = stored.rows_in(scanned.buckets)
    changed_ids = [
        ident for ident, digest in scanned.rows.items() if then.get(ident, (None,))[0] != digest
    ]
    gone = {uuid for ident, (_, uuid) in then.items() if ident not in scanned.rows}
    theirs = theirs_rows.by_ids(table, changed_ids)
    mine_keys = set(lookup.entries(table))
    theirs_keys = set(theirs) | gone
    keys = mine_keys | theirs_keys
    if not keys:
        return {}
    theirs.update(theirs_rows.by_keys(table, mine_keys - theirs_keys))
    mine = lookup.rows.by_keys(table, keys)
    # A record the file never touched is as it was at the base.
    base: dict[str, Row | None] = {key: mine.get(key) for key in keys - mine_keys}
    captured_bases = lookup.bases(table)
    base.update({key: captured_bases.get(key) for key in mine_keys})
    return _differing(keys, base, mine, theirs)


def read_between_files(mine: Connection, theirs: Connection) -> Read:
    ours = BaseLookup(mine, tracking.captured(mine))
    others = BaseLookup(theirs, tracking.captured(theirs))
    versions: dict[str, dict[str, Versions]] = {}
    for table in tracking.synced_tables():
        if not has_uuid(table):
            mine_now = ours.rows.every_row(table)
            theirs_now = others.rows.every_row(table)
            base = ours.link_base(table, with_peers=True)
            found = _differing(set(base) | set(mine_now) | set(theirs_now), base, mine_now,
                               theirs_now)  # fmt: skip
        else:
            found = _file_versions(table, ours, others)
        if found:
            versions[table.name] = found
    return Read(versions, {}, {})


def _file_versions(table: Table, ours: BaseLookup, others: BaseLookup) -> dict[str, Versions]:
    mine_keys, theirs_keys = set(ours.entries(table)), set(others.entries(table))
    keys = mine_keys | theirs_keys
    if not keys:
        return {}
    mine = ours.rows.by_keys(table, keys)
    theirs = others.rows.by_keys(table, keys)
    base: dict[str, Row | None] = {}
    our_bases, their_bases = ours.bases(table), others.bases(table)
    our_peers, their_peers = ours.peers(table), others.peers(table)
    for key in keys:
        if key in our_peers:
            base[key] = our_peers[key]
        elif key in their_peers:
            base[key] = their_peers[key]
        elif key in mine_keys:
            base[key] = our_bases.get(key)
        else:
            base[key] = their_bases.get(key)
    return _differing(keys, base, mine, theirs)
