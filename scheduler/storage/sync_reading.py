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

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Table, select

from scheduler.storage import sync_tracking as tracking
from scheduler.storage.merge import Row, Versions
from scheduler.storage.sync_rows import TABLES, PlanRows, decode, has_uuid, link_key


@dataclass
class Read:
    """Every record touched on either side, in its three versions."""

    versions: dict[str, dict[str, Versions]]
    # Against a server: its (id, digest) per table as read, and as kept at the base.
    scans: dict[str, list[Any]]
    digests: dict[str, tracking.ServerDigests]


def scan(connection: Connection, table: Table, *, with_uuid: bool) -> list[Any]:
    """Every row's id (and uuid) and digest, computed by the server."""
    name = connection.dialect.identifier_preparer.quote(table.name)
    columns = "id, uuid" if with_uuid else "id"
    return list(
        connection.exec_driver_sql(
            f"SELECT {columns}, hashtextextended(t::text, 0) FROM {name} AS t"
        ).all()
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
    scans: dict[str, list[Any]] = {}
    for table in tracking.synced_tables():
        if not has_uuid(table):
            mine_now = lookup.rows.every_row(table)
            theirs_now = theirs_rows.every_row(table)
            base = lookup.link_base(table, with_peers=False)
            found = _differing(set(base) | set(mine_now) | set(theirs_now), base, mine_now,
                               theirs_now)  # fmt: skip
        else:
            scans[table.name] = scan(theirs, table, with_uuid=False)
            stored = digests.get(table.name, tracking.ServerDigests({})).rows
            found = _server_versions(table, lookup, stored, scans[table.name], theirs_rows)
        if found:
            versions[table.name] = found
    return Read(versions, scans, digests)


def _server_versions(
    table: Table,
    lookup: BaseLookup,
    stored: Mapping[int, tuple[int, str]],
    scanned: list[Any],
    theirs_rows: PlanRows,
) -> dict[str, Versions]:
    changed_ids = [ident for ident, digest in scanned if stored.get(ident, (None,))[0] != digest]
    present = {ident for ident, _ in scanned}
    gone = {uuid for ident, (_, uuid) in stored.items() if ident not in present}
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
