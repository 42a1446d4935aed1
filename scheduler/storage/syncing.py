"""Taking a shared plan offline (``checkout``) and bringing it back (``sync``).

A checkout is a plan file copied from a server that remembers its origin
and the base: the state both last agreed on (``sync_tracking``). A sync
finds what changed on each side since the base, merges record by record
and field by field (``merge``), and writes the result into both, so that
afterwards they are the same plan and the base moves forward.

Order of writing, so that a kill at any moment loses nothing:

1. the file notes the sync as pending (its id and how its conflicts were
   settled) in a small transaction of its own;
2. the server takes the merge in one transaction, with a "Sync" line in
   its change log whose uuid is the sync's id;
3. the file takes the merge, the new base, and forgets the pending sync,
   in one transaction.

A kill before 2 commits leaves the server as it was (and the file's note
is dropped next time, as the server has no such sync). A kill between 2
and 3 leaves the server synchronised and the file as it was: the next
sync finds the note and the server's line, and finishes, taking the
server's side of every conflict that was settled then. Running a sync
again after it completed finds nothing to do.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Table, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from scheduler.errors import UserError
from scheduler.model import ChangeLog, PlanMeta, TrainingEvent, current_user, new_uuid, utc_now
from scheduler.model.changelog import as_text
from scheduler.model.refs import REF_PATTERN, RefAllocator, serialize_ref_allocation
from scheduler.storage import sync_tracking as tracking
from scheduler.storage.copying import copy_rows
from scheduler.storage.location import PlanLocation, ServerLocation, describe, parse_location
from scheduler.storage.merge import (
    Conflict,
    MergeRefused,
    MergeResult,
    Resolution,
    Row,
    Side,
    Versions,
    chosen_value,
    merge,
)
from scheduler.storage.plan import Plan, PlanAccess, build_plan_file, open_plan
from scheduler.storage.same_records import SameRecord, join_same_records, rekey
from scheduler.storage.server import long_work
from scheduler.storage.sync_reading import (
    ROW_DIGEST,
    Read,
    TableScan,
    in_buckets,
    read_against_server,
    read_between_files,
    scan,
)
from scheduler.storage.sync_rows import (
    SHAPES,
    TABLES,
    PlanRows,
    PlanWriter,
    Written,
    chunks,
    has_uuid,
)
from scheduler.storage.sync_summary import written_text

log = logging.getLogger(__name__)

PENDING = "pending"  # sync_state: the id of a sync the server may have taken
PENDING_SETTLED = "pending_settled"  # how that sync settled its conflicts (JSON)
SYNC_ENTITY = "Sync"

# The steps a sync reports to its progress callback, in order. Stopping is
# safe before WRITING_FILE (the other side has not committed yet), not after.
READING = "Reading what changed on each side"
WRITING_OTHER = "Writing to the other side"
WRITING_FILE = "Writing to this file"
Progress = Callable[[str], None]


class SyncError(UserError):
    """A sync that could not be done; nothing was written (the message says so)."""


# --- checkout --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CheckoutResult:
    origin: str
    file: str
    rows: dict[str, int]


def _server_location(url: PlanLocation | str) -> ServerLocation:
    location = parse_location(url)
    if not isinstance(location, ServerLocation):
        raise SyncError(
            f"“{location}” is a plan file. Take a copy offline from the shared plan on its "
            "server (a postgresql:// address); to copy a plan file, use “copy”."
        )
    return location


def _plan_identity(connection: Connection) -> str:
    found = connection.scalar(select(PlanMeta.uuid).where(PlanMeta.key == "name"))
    return str(found or "")


def checkout_plan(
    url: PlanLocation | str, path: Path | str, *, force: bool = False
) -> CheckoutResult:
    """Copy the shared plan at ``url`` into a new plan file that remembers it.

    Rows, digests and identity are read in one REPEATABLE READ transaction,
    so the base is one state of the server even while planners edit it.
    The file is built beside its place and renamed over it when complete.
    """
    origin_location = _server_location(url)
    target = Path(path)
    with open_plan(origin_location, access=PlanAccess.READ) as origin:
        revision = origin.schema_revision

        def fill(destination: Plan) -> dict[str, int]:
            if destination.schema_revision != revision:
                raise SyncError(
                    f"The shared plan is at plan format {revision}, this program writes "
                    f"{destination.schema_revision}. Bring them to the same version first."
                )
            with (
                origin.engine.connect().execution_options(
                    isolation_level="REPEATABLE READ"
                ) as reader,
                destination.engine.begin() as writer,
                long_work(reader),
            ):
                counts = copy_rows(reader, writer)
                digests = {  # in the same snapshot as the rows copied
                    table.name: tracking.ServerDigests.from_rows(scan(reader, table))
                    for table in tracking.synced_tables()
                    if has_uuid(table)
                }
                tracking.ensure_tracking(writer)
                tracking.store_digests(writer, digests)
                tracking.write_state(
                    writer,
                    {
                        tracking.ORIGIN: origin_location.without_password.url,
                        tracking.PLAN_ID: _plan_identity(reader),
                        tracking.BASE_ID: new_uuid(),
                        tracking.BASE_AT: utc_now().isoformat(timespec="seconds"),
                    },
                )
                # After the triggers: this line goes to the server with the next sync.
                writer.execute(
                    insert(ChangeLog).values(
                        **_log_values(
                            "checked out", f"taken offline from {origin_location.display}"
                        )
                    )
                )
            return counts

        counts = build_plan_file(target, name=origin.name, force=force, fill=fill)
    assert counts is not None
    return CheckoutResult(origin_location.display, str(target), counts)


def _log_values(action: str, sentence: str, uuid: str | None = None) -> dict[str, Any]:
    now = utc_now()
    return {
        "entity": SYNC_ENTITY,
        "entity_uuid": uuid or new_uuid(),
        "uuid": uuid or new_uuid(),
        "action": action,
        "field": None,
        "old_value": None,
        "new_value": sentence,
        "changed_at": now,
        "changed_by": current_user(),
        "created_at": now,
        "updated_at": now,
        "version_id": 1,
    }


# --- sync ------------------------------------------------------------------


@dataclass
class SyncReport:
    file: str
    origin: str
    dry_run: bool
    applied: bool = False
    to_file: Written = field(default_factory=Written)
    to_origin: Written = field(default_factory=Written)
    # Conflicts nobody settled: nothing was written.
    unsettled: list[Conflict] = field(default_factory=list)
    settled: list[tuple[Conflict, Resolution]] = field(default_factory=list)
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    # Records both sides added with one unique value (a venue's name): kept as one.
    joined: list[SameRecord] = field(default_factory=list)
    finished_interrupted: bool = False
    # Who changed each conflicting thing, per side: ident -> "user@host, date".
    who: dict[str, tuple[str, str]] = field(default_factory=dict)
    versions: dict[str, dict[str, Versions]] = field(default_factory=dict)
    sync_id: str = ""

    @property
    def nothing_to_do(self) -> bool:
        return not self.unsettled and not self.to_file.total and not self.to_origin.total


def _open_origin(state: dict[str, str], origin: PlanLocation | str | None) -> Plan:
    location = parse_location(origin) if origin is not None else None
    if location is None:
        remembered = state.get(tracking.ORIGIN)
        if not remembered:
            raise SyncError("This plan file does not remember a server to synchronise with.")
        location = parse_location(remembered)
    if not isinstance(location, ServerLocation):
        raise SyncError(f"“{location}” is not a shared plan on a server.")
    server = open_plan(location)
    try:
        with server.engine.connect() as connection:
            identity = _plan_identity(connection)
        if state.get(tracking.PLAN_ID) and identity != state[tracking.PLAN_ID]:
            raise SyncError(
                f"{location.display} holds another plan than the one this file was taken "
                "from. Nothing was changed."
            )
        return server
    except BaseException:
        server.close()
        raise


def _renumber(result: MergeResult, versions: Mapping[str, Mapping[str, Versions]],
              mine: Connection, theirs: Connection) -> list[tuple[str, str]]:  # fmt: skip
    """Give a new ref to each event added on the laptop whose ref the server has for
    another event (both sides count up from the same number while apart)."""
    events = result.result.get(TrainingEvent.__tablename__, {})
    laptop = {
        key: row
        for key, row in events.items()
        if row is not None
        and (found := versions[TrainingEvent.__tablename__][key]).base is None
        and found.theirs is None
        and found.mine is not None
    }
    if not laptop:
        return []
    table = TrainingEvent.__table__
    refs = {row["ref"] for row in laptop.values()}
    taken: dict[str, str] = {}
    for batch in chunks(sorted(refs)):
        for ref, uuid in theirs.execute(
            select(table.c.ref, table.c.uuid).where(table.c.ref.in_(batch))
        ):
            taken[ref] = uuid
    for key, row in events.items():  # server events the merge changes or adds
        if row is not None and key not in laptop and row["ref"] in refs:
            taken[row["ref"]] = key
    clashing = {key: row for key, row in laptop.items() if taken.get(row["ref"], key) != key}
    if not clashing:
        return []
    # The next free number of each prefix needs only that prefix's refs, on both sides.
    prefixes = {
        match["prefix"] for row in clashing.values() if (match := REF_PATTERN.match(row["ref"]))
    }
    everywhere = [row["ref"] for row in events.values() if row is not None]
    for connection in (mine, theirs):
        for prefix in prefixes:
            everywhere += connection.scalars(
                select(table.c.ref).where(table.c.ref.like(f"{prefix}-%"))
            )
    allocator = RefAllocator(everywhere)
    renumbered = []
    for row in sorted(clashing.values(), key=lambda row: row["ref"]):
        match = REF_PATTERN.match(row["ref"])
        nation, year = match["prefix"].split("-") if match else ("XX", str(row["start"].year))
        new = allocator.allocate(nation, int(year))
        renumbered.append((row["ref"], new))
        row["ref"] = new
    return renumbered


def _who(connection: Connection, conflicts: list[Conflict], since: str) -> dict[str, str]:
    """The last person to change each conflicting thing since the base, on one side."""
    keys = sorted({conflict.key for conflict in conflicts})
    found: dict[str, str] = {}
    if not keys:
        return found
    base_at = datetime.fromisoformat(since) if since else datetime.min
    rows = connection.execute(
        select(ChangeLog.entity_uuid, ChangeLog.field, ChangeLog.action, ChangeLog.changed_by,
               ChangeLog.changed_at)
        .where(ChangeLog.entity_uuid.in_(keys), ChangeLog.changed_at >= base_at)
        .order_by(ChangeLog.changed_at)
    ).all()  # fmt: skip
    for uuid, field_name, action, by, at in rows:
        text_at = f"{by}, {at.strftime('%d %b %Y %H:%M').lstrip('0')}"
        found[f"{uuid}/"] = text_at
        if field_name:
            found[f"{uuid}/{field_name}"] = text_at
        if action == "deleted":
            found[f"{uuid}/deleted"] = text_at
    return found


def _who_for(conflict: Conflict, side: dict[str, str]) -> str:
    if conflict.field is None:
        return side.get(f"{conflict.key}/deleted") or side.get(f"{conflict.key}/", "")
    return side.get(f"{conflict.key}/{conflict.field}") or side.get(f"{conflict.key}/", "")


def _pending_settled(state: dict[str, str], theirs: Connection) -> tuple[dict[str, str], bool]:
    """How an interrupted sync settled its conflicts, when the server took it."""
    pending = state.get(PENDING)
    if not pending:
        return {}, False
    taken = theirs.scalar(select(ChangeLog.id).where(ChangeLog.uuid == pending))
    if taken is None:
        return {}, False
    return json.loads(state.get(PENDING_SETTLED) or "{}"), True


def _finish_resolutions(read: Read, settled_before: dict[str, str]) -> dict[str, Resolution]:
    """The server already holds what the interrupted sync chose: take its side there."""
    resolutions: dict[str, Resolution] = {}
    for table, rows in read.versions.items():
        for key, found in rows.items():
            if found.theirs is None or found.mine is None:
                ident = f"{table}/{key}/"
                if ident in settled_before:
                    resolutions[ident] = Resolution(Side.THEIRS)
                continue
            for name in SHAPES[table].fields:
                ident = f"{table}/{key}/{name}"
                if settled_before.get(ident) == as_text(found.theirs.get(name)):
                    resolutions[ident] = Resolution(Side.THEIRS)
    return resolutions


def _new_digests(
    theirs: Connection,
    stored: dict[str, tracking.ServerDigests],
    scans: Mapping[str, TableScan],
    written: Written,
) -> dict[str, tracking.ServerDigests]:
    """The digests of the tables the sync saw changed or wrote, as the sync leaves
    them, read from inside its transaction (the other tables stay as they were).

    Only the buckets the server changed in, and those the sync wrote to,
    are read again. Another planner's change committed meanwhile is not in
    this snapshot, so its bucket keeps the old sum and the next sync finds it.
    """
    shift = tracking.BUCKET_SHIFT
    digests: dict[str, tracking.ServerDigests] = {}
    for name, scanned in scans.items():
        touched, gone = written.touched(name), written.deleted_ids.get(name, [])
        if not scanned.buckets and not touched and not gone:
            continue
        table, quoted = TABLES[name], theirs.dialect.identifier_preparer.quote(name)
        changed = set(scanned.buckets) | {ident >> shift for ident in gone}
        for batch in chunks(touched):
            query = select(table.c.id).where(table.c.uuid.in_(batch))
            changed |= {ident >> shift for ident in theirs.scalars(query)}
        rows: dict[int, tuple[int, str]] = {}
        for batch in chunks(sorted(changed)):
            statement = text(f"SELECT t.id, t.uuid, {ROW_DIGEST} FROM {in_buckets(quoted)}")
            found = theirs.execute(statement, {"b": batch})
            rows.update({ident: (digest, uuid) for ident, uuid, digest in found})
        digests[name] = stored.get(name, tracking.ServerDigests()).with_buckets(changed, rows)
    return digests


def _checkout_state(plan: Plan) -> dict[str, str]:
    """What the checkout ``plan`` remembers; refused in words when it is no checkout."""
    if plan.is_shared:
        raise SyncError("Synchronise a plan file taken offline, not the shared plan itself.")
    with plan.engine.connect() as connection:
        if not tracking.is_checkout(connection):
            raise SyncError(
                f"“{plan.short_name}” was not taken offline from a shared plan, so there is "
                "nothing to synchronise it with. Use “checkout” to take one."
            )
        return tracking.read_state(connection)


def is_checkout(plan: Plan) -> bool:
    """Whether ``plan`` is a plan file taken offline (File ▸ Synchronise… applies)."""
    if plan.is_shared:
        return False
    with plan.engine.connect() as connection:
        return tracking.is_checkout(connection)


def origin_of(plan: Plan) -> str:
    """The server a checkout was taken from, as planners may see it (no password)."""
    remembered = _checkout_state(plan).get(tracking.ORIGIN, "")
    if not remembered:
        return ""
    location = parse_location(remembered)
    return location.display if isinstance(location, ServerLocation) else str(location)


def _open_checkout(location: PlanLocation) -> tuple[Plan, dict[str, str]]:
    if isinstance(location, ServerLocation):
        raise SyncError("Synchronise a plan file taken offline, not the shared plan itself.")
    plan = open_plan(location)
    try:
        return plan, _checkout_state(plan)
    except BaseException:
        plan.close()
        raise


def sync_plan(
    path: Path | str,
    *,
    origin: PlanLocation | str | None = None,
    dry_run: bool = False,
    prefer: Side | None = None,
    resolutions: Mapping[str, Resolution] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Open the checkout at ``path`` and synchronise it with its server (``sync_checkout``)."""
    file_plan, _ = _open_checkout(parse_location(path))
    with file_plan:
        return sync_checkout(
            file_plan,
            origin=origin,
            dry_run=dry_run,
            prefer=prefer,
            resolutions=resolutions,
            progress=progress,
        )


def sync_checkout(
    file_plan: Plan,
    *,
    origin: PlanLocation | str | None = None,
    dry_run: bool = False,
    prefer: Side | None = None,
    resolutions: Mapping[str, Resolution] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Synchronise the open checkout ``file_plan`` with its server; see the module's docstring.

    Unsettled conflicts (no ``resolutions`` entry, no ``prefer``) stop the
    sync before anything is written; the report lists them. ``origin``
    overrides the remembered server address (one with a password, say).
    """
    state = _checkout_state(file_plan)
    server = _open_origin(state, origin)
    with server:
        _same_format(file_plan, server, "The file and the shared plan")
        run = _Run(file_plan, server, state, server=True)
        return run.sync(dry_run, prefer, resolutions or {}, progress or (lambda _step: None))


def sync_with_file(
    path: Path | str,
    other: Path | str,
    *,
    dry_run: bool = False,
    prefer: Side | None = None,
    resolutions: Mapping[str, Resolution] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """Synchronise two checkouts of the same server with each other (no server needed).

    Both must stand on the same base (the same last sync with the server)
    and, when either met another file since, on the same last meeting:
    otherwise what one of them changed could not be told from what the
    other did, and the files are refused, unchanged.
    """
    file_location, other_location = parse_location(path), parse_location(other)
    if describe(file_location) == describe(other_location):
        raise SyncError("That is the same file twice.")
    file_plan, state = _open_checkout(file_location)
    with file_plan:
        other_plan, other_state = _open_checkout(other_location)
        with other_plan:
            for key, words in (
                (tracking.PLAN_ID, "were taken from different shared plans"),
                (tracking.BASE_ID, "were last synchronised with the server at different times"),
                (tracking.PEER_ID, "last met other files since"),
            ):
                if key == tracking.BASE_ID and _same_server_state(file_plan, other_plan):
                    continue  # two checkouts of a server that did not change in between
                if state.get(key) != other_state.get(key):
                    raise SyncError(
                        f"“{file_location.name}” and “{other_location.name}” {words}, so their "
                        "changes cannot be told apart. Synchronise each with the server "
                        "first. Nothing was changed."
                    )
            _same_format(file_plan, other_plan, "The two files")
            run = _Run(file_plan, other_plan, state, server=False)
            return run.sync(dry_run, prefer, resolutions or {}, progress or (lambda _step: None))


def _same_format(first: Plan, second: Plan, both: str) -> None:
    if first.schema_revision != second.schema_revision:
        raise SyncError(
            f"{both} are at different plan formats. Open both with this version of "
            "Training Scheduler first. Nothing was changed."
        )


def _same_server_state(first: Plan, second: Plan) -> bool:
    """Whether two checkouts stand on the same state of the server (equal digests)."""
    with first.engine.connect() as one, second.engine.connect() as other:
        return tracking.load_digests(one) == tracking.load_digests(other)


class _Run:
    def __init__(
        self, file_plan: Plan, other: Plan, state: dict[str, str], *, server: bool
    ) -> None:
        self.file_plan = file_plan
        self.other = other
        self.state = state
        self.server = server
        self.now = utc_now()
        self.log_line: dict[str, Any] = {}
        self.joined: list[SameRecord] = []
        self.mine_view: dict[str, dict[str, Row | None]] = {}  # the file's side of each record

    def _connect_other(self) -> Connection:
        connection = self.other.engine.connect()
        if self.server:
            return connection.execution_options(isolation_level="REPEATABLE READ")
        return connection

    def sync(
        self,
        dry_run: bool,
        prefer: Side | None,
        resolutions: Mapping[str, Resolution],
        say: Progress,
    ) -> SyncReport:
        report = SyncReport(self.file_plan.display, self.other.display, dry_run, sync_id=new_uuid())
        with self.file_plan.engine.connect() as mine, self._connect_other() as theirs:
            try:
                # The interactive limits (a server silent for 12 s is given up on):
                # a sync's statements take well under a second at 100,000 events.
                finished = self._merge_and_write_other(
                    report, mine, theirs, dry_run, prefer, resolutions, say
                )
            except IntegrityError as exc:
                theirs.rollback()
                raise SyncError(
                    "The synchronisation was refused: the two sides hold two different records "
                    f"that must be unique ({_constraint(exc)}). Rename or remove one on either "
                    "side, then synchronise again. Nothing was changed."
                ) from exc
            except DBAPIError as exc:
                theirs.rollback()
                if "could not serialize" in str(exc.orig).lower():
                    raise SyncError(
                        "Another planner changed the shared plan while it was being "
                        "synchronised. Nothing was changed: synchronise again."
                    ) from exc
                raise
            if finished is None:
                return report
            say(WRITING_FILE)
            try:
                self._write_file(report, mine, *finished)
            except DBAPIError as exc:
                mine.rollback()
                raise SyncError(
                    f"{self.other.display} has taken the synchronisation, but this file could "
                    f"not be written ({' '.join(str(exc.orig).split())}). The file is as it "
                    "was: synchronise again to finish."
                ) from exc
        report.applied = True
        log.info("synchronised %s with %s", self.file_plan.display, self.other.display)
        return report

    def _merge_and_write_other(
        self,
        report: SyncReport,
        mine: Connection,
        theirs: Connection,
        dry_run: bool,
        prefer: Side | None,
        resolutions: Mapping[str, Resolution],
        say: Progress,
    ) -> tuple[Read, MergeResult, dict[str, tracking.ServerDigests]] | None:
        """Read, merge and (unless stopped) write the other side and commit it.

        Returns what the file still needs, or None when nothing is to be written.
        """
        serialize_ref_allocation(theirs)
        say(READING)
        read = (
            read_against_server(mine, theirs) if self.server else read_between_files(mine, theirs)
        )
        self.joined = join_same_records(read.versions)
        report.joined = self.joined
        settled_before, interrupted = _pending_settled(self.state, theirs)
        report.finished_interrupted = interrupted
        chosen = dict(resolutions)
        if interrupted:
            chosen = {**_finish_resolutions(read, settled_before), **chosen}
        try:
            merged = merge(SHAPES, read.versions, resolutions=chosen, prefer=prefer)
        except MergeRefused as exc:
            raise SyncError(f"The synchronisation was refused: {exc} Nothing was changed.") from exc
        report.versions = read.versions
        report.unsettled, report.settled = merged.unsettled, merged.settled
        conflicts = merged.unsettled + [found for found, _ in merged.settled]
        since = self.state.get(tracking.BASE_AT, "")
        mine_who, theirs_who = _who(mine, conflicts, since), _who(theirs, conflicts, since)
        report.who = {
            found.ident: (_who_for(found, mine_who), _who_for(found, theirs_who))
            for found in conflicts
        }
        report.renumbered = _renumber(merged, read.versions, mine, theirs)
        unsettled = {found.key for found in merged.unsettled}
        self.mine_view = _side(read.versions, Side.MINE)
        theirs_view = _side(read.versions, Side.THEIRS)
        report.to_file = _planned(merged.result, self.mine_view, unsettled)
        report.to_origin = _planned(merged.result, theirs_view, unsettled)
        if report.unsettled or dry_run or (report.nothing_to_do and not self.state.get(PENDING)):
            theirs.rollback()
            report.applied = not report.unsettled and not dry_run
            return None
        # The plan lock keeps other writers out of the file from here to the end.
        tracking.write_state(mine, {
            PENDING: report.sync_id,
            PENDING_SETTLED: json.dumps({
                found.ident: as_text(chosen_value(found, resolution))
                for found, resolution in merged.settled
            }),
        })  # fmt: skip
        mine.commit()
        say(WRITING_OTHER)
        self.now = utc_now()
        written = PlanWriter(PlanRows(theirs), self.now).apply(merged.result, theirs_view)
        self.log_line = _log_values(
            "synchronised",
            f"synchronised {self.file_plan.display} with {self.other.display}: to the "
            f"{'shared plan' if self.server else 'other file'}: {written_text(written)}; "
            f"to the file: {written_text(report.to_file)}",
            report.sync_id,
        )
        theirs.execute(insert(ChangeLog).values(**self.log_line))
        digests: dict[str, tracking.ServerDigests] = {}
        if self.server:
            written.inserted.setdefault(ChangeLog.__tablename__, []).append(report.sync_id)
            digests = _new_digests(theirs, read.digests, read.scans, written)
        else:
            _record_peers(theirs, read.versions, report.sync_id)
            tracking.write_state(theirs, {tracking.PEER_ID: report.sync_id})
        theirs.commit()
        return read, merged, digests

    def _write_file(
        self,
        report: SyncReport,
        mine: Connection,
        read: Read,
        merged: MergeResult,
        digests: dict[str, tracking.ServerDigests],
    ) -> None:
        rekey(mine, self.joined)
        PlanWriter(PlanRows(mine), self.now).apply(merged.result, self.mine_view)
        mine.execute(insert(ChangeLog).values(**self.log_line))
        if self.server:
            tracking.reset_base(mine)
            tracking.store_digests(mine, digests)
            tracking.write_state(mine, {
                tracking.BASE_ID: report.sync_id,
                tracking.BASE_AT: self.now.isoformat(timespec="seconds"),
            })  # fmt: skip
            tracking.forget_state(mine, tracking.PEER_ID)
        else:
            _record_peers(mine, read.versions, report.sync_id)
            tracking.write_state(mine, {tracking.PEER_ID: report.sync_id})
        tracking.forget_state(mine, PENDING, PENDING_SETTLED)
        mine.commit()


def _record_peers(
    connection: Connection, versions: Mapping[str, Mapping[str, Versions]], sync_id: str
) -> None:
    """Note in this file how a file-to-file sync left every record it looked at."""
    rows = PlanRows(connection)
    for name, found in versions.items():
        table = TABLES[name]
        keys = list(found)
        if name == ChangeLog.__tablename__:
            keys.append(sync_id)
        if not has_uuid(table):
            keys = [key for key in (_file_link_key(rows, table, key) for key in keys) if key]
        tracking.record_peer(connection, table, keys)
    if ChangeLog.__tablename__ not in versions:
        tracking.record_peer(connection, TABLES[ChangeLog.__tablename__], [sync_id])


def _file_link_key(rows: PlanRows, table: Table, key: str) -> str | None:
    """A link row's key in this file (its ends' ids), from its key across plans."""
    ends = []
    for column, uuid in zip(table.primary_key, key.split(":"), strict=True):
        parent = next(iter(column.foreign_keys)).column.table.name
        ident = rows.ids_of(parent, [uuid]).get(uuid)
        if ident is None:
            return None
        ends.append(str(ident))
    return ":".join(ends)


def _constraint(exc: IntegrityError) -> str:
    detail = str(exc.orig).splitlines()
    found = [line for line in detail if line.startswith("DETAIL")]
    return (found[0].removeprefix("DETAIL:").strip() if found else detail[0]).rstrip(".")


def _side(
    versions: Mapping[str, Mapping[str, Versions]], side: Side
) -> dict[str, dict[str, Row | None]]:
    return {
        table: {
            key: (found.mine if side is Side.MINE else found.theirs) for key, found in rows.items()
        }
        for table, rows in versions.items()
    }


def _planned(
    result: Mapping[str, Mapping[str, Row | None]],
    current: Mapping[str, Mapping[str, Row | None]],
    unsettled: set[str] | frozenset[str] = frozenset(),
) -> Written:
    """What writing ``result`` into a side holding ``current`` would do, leaving out
    the records still in conflict (``unsettled`` keys) and what refers to them."""
    planned = Written()
    for table, rows in result.items():
        here = current.get(table, {})
        references = SHAPES[table].references
        for key, row in rows.items():
            old = here.get(key)
            if row == old or key in unsettled:
                continue
            if unsettled and any((row or old or {}).get(name) in unsettled for name in references):
                continue
            target = (
                planned.deleted
                if row is None
                else planned.inserted
                if old is None
                else planned.updated
            )
            target.setdefault(table, []).append(key)
    return planned
