"""Opening and creating plans: the one road from a location to a database session.

A location is a plan file (a path) or a shared plan on a PostgreSQL server
(a URL, ``storage/location.py``). Opening a file for editing happens in a
fixed order, each step before anything is written: inspect the file
read-only (damaged, foreign, newer plans are refused untouched), check it
may be written, take the lock, back it up, upgrade an older schema (after
its own backup), and only then connect. A server plan is inspected the same
way, then upgraded under an advisory lock (``storage/server.py``); it has no
lock file and no file backups.
"""

from __future__ import annotations

import glob
import logging
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from scheduler import __version__
from scheduler.errors import PlanDamagedError, PlanFileError, UserError
from scheduler.model import Nation, PlanMeta, current_user, install_change_log, utc_now
from scheduler.model.nations import NATIONS
from scheduler.processes import process_alive
from scheduler.storage import backups, sync_tracking
from scheduler.storage.engine import plan_file_engine
from scheduler.storage.inspection import (
    PLAN_APPLICATION,
    PlanFileFacts,
    check_whole,
    inspect_plan_file,
    require_writable,
)
from scheduler.storage.location import PlanLocation, ServerLocation, parse_location
from scheduler.storage.lock import PlanLock
from scheduler.storage.schema import SchemaState, current_revision, upgrade
from scheduler.storage.stale import remember_flushed, stale_candidates, stale_edit_error
from scheduler.storage.verified import forget, mark_verified
from scheduler.storage.whole_check import WholeCheck

log = logging.getLogger(__name__)
T = TypeVar("T")


class PlanAccess(Enum):
    """READ: look only (no lock, no backup, writes refused). EDIT: the usual."""

    READ = "read"
    EDIT = "edit"


class ReadOnlyPlanError(UserError):
    pass


def _refuse_writes(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.dirty or session.deleted:
        raise ReadOnlyPlanError("This plan is open read-only; your change was not saved.")


class Plan:
    """An open plan: its engine, sessions, lock and backups.

    Owns the lock until ``close()``. Sessions come from ``session()``, one
    transaction each, so every edit is committed as soon as it is done.
    Thread use: the Plan may be shared; each thread takes its own sessions.
    A shared plan (``is_shared``) lives on a server: no ``path``, no lock
    file, no file backups.
    """

    def __init__(
        self,
        location: PlanLocation,
        engine: Engine,
        access: PlanAccess,
        lock: PlanLock | None,
        whole_check: WholeCheck | None = None,
    ) -> None:
        self.location = location
        self.engine = engine
        self.access = access
        self.lock = lock
        # The full check still running beside the window (see open_plan); writes wait for it.
        self.whole_check = whole_check
        if whole_check is not None:
            whole_check.guard(engine)
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_change_log(self._sessions)
        event.listen(self._sessions, "before_flush", remember_flushed)
        if access is PlanAccess.READ:
            event.listen(self._sessions, "before_flush", _refuse_writes)
        self.user = current_user()

    @property
    def read_only(self) -> bool:
        return self.access is PlanAccess.READ

    @property
    def is_shared(self) -> bool:
        """True for a plan on a database server, shared by several planners."""
        return isinstance(self.location, ServerLocation)

    @property
    def path(self) -> Path:
        """The plan file; a shared plan has none (UserError, in words)."""
        if isinstance(self.location, ServerLocation):
            raise UserError(
                f"The shared plan at {self.location.display} is on a server, not in a file. "
                "Copy it to a file with “training-scheduler copy URL FILE”."
            )
        return self.location

    @property
    def identity(self) -> str:
        """Names this plan in per-plan settings (a view's filters): the resolved
        file, or the server URL with its password masked (never stored)."""
        if isinstance(self.location, ServerLocation):
            return self.location.display
        return str(self.location.resolve())

    @property
    def display(self) -> str:
        """Where the plan is, as a planner may see it (a URL's password masked)."""
        if isinstance(self.location, ServerLocation):
            return self.location.display
        return str(self.location)

    @property
    def short_name(self) -> str:
        """The file's name, or "DATABASE on HOST": for a status bar."""
        if isinstance(self.location, ServerLocation):
            return self.location.name
        return self.location.name

    def new_session(self) -> Session:
        session = self._sessions()
        session.info["user"] = self.user
        return session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on error."""
        session = self.new_session()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            # Another planner changed (or deleted) a row this edit was based on.
            candidates = stale_candidates(session, exc)
            session.rollback()
            raise stale_edit_error(self._sessions, candidates) from exc
        except OperationalError as exc:
            session.rollback()
            raise self._storage_error(exc) from exc
        except DBAPIError as exc:
            session.rollback()
            if isinstance(self.location, ServerLocation) and exc.connection_invalidated:
                raise self._storage_error(exc) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def snapshot(self, *, writing: bool = False) -> Iterator[Session]:
        """``session()`` pinned to one state of the plan from its first read to its end.

        Each read of a plain session sees the latest committed state (the
        SQLite driver opens no transaction for reads), so a long export read
        part of its sheets before another program's import and part after.
        Here the first statement opens the read transaction (``BEGIN`` on a
        plan file; REPEATABLE READ on a server) that every later read shares.
        A write at the end (a partner release) still belongs to the same
        transaction, and is refused if the plan changed meanwhile. ``writing``
        takes the plan file's write lock at once (``BEGIN IMMEDIATE``), for a
        transaction that reads what it is about to change (an import).
        """
        with self.session() as session:
            if isinstance(self.location, ServerLocation):
                if not writing:
                    session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
            else:
                connection = session.connection()
                connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
                connection.exec_driver_sql("SELECT 1 FROM plan_meta LIMIT 1").fetchall()
            yield session

    @property
    def name(self) -> str:
        with self.session() as session:
            name = session.scalar(select(PlanMeta.value).where(PlanMeta.key == "name"))
        if name:
            return name
        if isinstance(self.location, ServerLocation):
            return self.location.name
        return self.location.stem

    @property
    def schema_revision(self) -> str:
        with self.engine.connect() as connection:
            return current_revision(connection) or "?"

    def backup(self, reason: str = "manual") -> Path:
        if isinstance(self.location, ServerLocation):
            raise UserError(
                "A shared plan is backed up on its server (by its administrator, with "
                "pg_dump). To keep a copy of your own, use “training-scheduler copy URL FILE”."
            )
        return backups.backup_plan(self.location, reason)

    def _storage_error(self, exc: DBAPIError) -> UserError:
        if isinstance(self.location, ServerLocation):
            from scheduler.storage.server import connection_error

            return connection_error(self.location, exc)
        return _storage_error(self.location, exc)

    def close(self) -> None:
        """Checkpoint the WAL into the file, disconnect and release the lock."""
        if isinstance(self.location, ServerLocation):
            self.engine.dispose()
            return
        checkpointed = False
        whole = self.whole_check is None or (self.whole_check.wait_quietly() is None)
        if self.access is PlanAccess.EDIT and whole:
            with suppress(Exception), self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                checkpointed = True
        self.engine.dispose()
        if checkpointed:
            # Closed cleanly by us: the next open need not re-read every page.
            mark_verified(self.location)
        if self.lock is not None:
            self.lock.release()

    def __enter__(self) -> Plan:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _storage_error(path: Path, exc: DBAPIError) -> UserError:
    text = str(exc.orig).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return PlanFileError(
            f"The disk holding “{path.name}” is full. Your last change was not saved; "
            "everything before it is safe. Free some space and try again."
        )
    if "disk i/o error" in text:
        return PlanFileError(
            f"“{path.name}” could not be written (a disk error: the disk may be full, or "
            "failing). Your last change was not saved; everything before it is safe. Free "
            "some space, or save a copy elsewhere, and try again."
        )
    if "readonly" in text or "read-only" in text:
        return PlanFileError(f"“{path.name}” cannot be written any more (read-only).")
    if "locked" in text:
        return PlanFileError(
            f"“{path.name}” is busy (another program is writing it). Try again in a moment."
        )
    return PlanFileError(f"“{path.name}” could not be saved: {exc.orig}.")


def open_plan(
    path: PlanLocation | str,
    *,
    access: PlanAccess = PlanAccess.EDIT,
    take_over_lock: bool = False,
    backup_on_open: bool = True,
    check_in_background: bool = False,
) -> Plan:
    """Open an existing plan (file or server URL); raise PlanFileError (nothing written)
    if unusable.

    A plan file is checked whole before it is used. With
    ``check_in_background`` (the window) that check runs on a thread and the
    plan may be read meanwhile; its first write waits for the check, and
    fails if the plan is damaged (``Plan.whole_check``).
    """
    location = parse_location(path)
    if isinstance(location, ServerLocation):
        return _open_server_plan(location, access)
    path = location
    facts = inspect_plan_file(path, whole=False)
    require_writable(path)
    if facts.state is SchemaState.OLDER or not check_in_background:
        check_whole(path)
        check_in_background = False
    if access is PlanAccess.READ:
        if facts.state is SchemaState.OLDER:
            raise PlanFileError(
                f"“{path.name}” was made by an older version of Training Scheduler. "
                f"Open it in the program, or run “training-scheduler migrate {path}”, "
                "to bring it up to date first."
            )
        engine = plan_file_engine(path, read_only=True)
        check = WholeCheck(path) if check_in_background else None
        return Plan(path, engine, access, lock=None, whole_check=check)

    lock = PlanLock(path)
    lock.acquire(take_over=take_over_lock)
    try:

        def back_up() -> None:
            if backup_on_open and backups.needs_backup(path):
                backups.backup_plan(path, "open")

        if check_in_background:
            check = WholeCheck(path, then=back_up)
            return Plan(path, plan_file_engine(path), access, lock, whole_check=check)
        back_up()
        if facts.state is SchemaState.OLDER:
            _migrate(path, facts)
        return Plan(path, plan_file_engine(path), access, lock)
    except BaseException:
        lock.release()
        raise


def _open_server_plan(location: ServerLocation, access: PlanAccess) -> Plan:
    from scheduler.storage.server import inspect_server_plan, migrate_server_plan, server_engine

    engine = server_engine(location)
    try:
        facts = inspect_server_plan(engine, location)
        if facts.state is SchemaState.OLDER:
            if access is PlanAccess.READ:
                raise PlanFileError(
                    f"The shared plan at {location.display} was made by an older version of "
                    "Training Scheduler. Run “training-scheduler migrate URL” (or open it for "
                    "editing) to bring it up to date first."
                )
            migrate_server_plan(engine, location)
        return Plan(location, engine, access, lock=None)
    except BaseException:
        engine.dispose()
        raise


def _migrate(path: Path, facts: PlanFileFacts) -> None:
    backups.backup_plan(path, f"before-upgrade-from-{facts.revision}")
    engine = plan_file_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection)
            if sync_tracking.is_checkout(connection):
                # A rebuilt table lost its triggers; a new column needs them rewritten.
                sync_tracking.ensure_tracking(connection)
        log.info("upgraded %s from %s", path, facts.revision)
    finally:
        engine.dispose()


def create_plan(path: PlanLocation | str, *, name: str | None = None, force: bool = False) -> Plan:
    """Create an empty plan (nations pre-filled) and open it for editing.

    A file plan is built beside its place and moved there when complete
    (``build_plan_file``), so a crash never leaves half a plan. With
    ``force`` an existing plan is backed up before it is replaced. A server
    plan is built in one transaction (``storage/server.py``).
    """
    location = parse_location(path)
    if isinstance(location, ServerLocation):
        from scheduler.storage.server import create_server_plan_schema, server_engine

        engine = server_engine(location)
        try:
            create_server_plan_schema(engine, location, name=name or location.name, force=force)
        finally:
            engine.dispose()
        return open_plan(location)
    build_plan_file(location, name=name or location.stem, force=force)
    return open_plan(location, backup_on_open=False)


def build_plan_file(
    path: Path,
    *,
    name: str,
    force: bool,
    fill: Callable[[Plan], T] | None = None,
    source: Path | None = None,
    reason: str = "before-replace",
) -> T | None:
    """Write a whole plan at ``path``: the old plan there, or the new one, never a mix.

    The new plan is built under a hidden name in the same folder: an empty
    plan that ``fill`` then fills (a demo, a copy of a server plan), or a
    copy of the plan file ``source`` (a backup being restored). Only when it
    is complete and closed does it replace ``path``, in one rename. An old
    plan there is refused without ``force``; with it, the old plan is locked
    (no other program may have it open), backed up, and its write-ahead log
    emptied into it first, so a kill at any moment leaves the old plan whole
    or the new one in place. ``reason`` names the old plan's backup.
    Returns what ``fill`` returned.
    """
    path = Path(path)
    if path.is_dir():
        raise PlanFileError(f"“{path}” is a folder, not a plan file.")
    if not path.parent.is_dir():
        raise PlanFileError(f"The folder “{path.parent}” does not exist.")
    lock: PlanLock | None = None
    if path.exists():
        if not force:
            raise PlanFileError(
                f"“{path}” already exists. Choose another name, or use --force to replace it "
                "(the old plan is backed up first)."
            )
        lock = PlanLock(path)
        lock.acquire()  # refuse to replace a plan another program has open
    try:
        _remove_leftovers(path)
        partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
        try:
            if source is not None:
                backups.copy_plan_file(source, partial)
                result = None
            else:
                result = _build_into(partial, name, fill)
            if lock is not None:
                _settle_old_plan(path, reason)
            for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
                # Empty after _settle_old_plan; an old WAL beside the new file
                # would otherwise be replayed into it.
                with suppress(FileNotFoundError):
                    leftover.unlink()
            forget(path)
            os.replace(partial, path)
            _sync_folder(path.parent)
        except OSError as exc:
            raise PlanFileError(f"Could not write “{path}”: {exc.strerror or exc}.") from exc
        finally:
            for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
                with suppress(FileNotFoundError):
                    leftover.unlink()
        mark_verified(path)
        return result
    finally:
        if lock is not None:
            lock.release()


def _build_into(partial: Path, name: str, fill: Callable[[Plan], T] | None) -> T | None:
    _build_empty_plan(partial, name)
    if fill is None:
        return None
    plan = Plan(partial, plan_file_engine(partial), PlanAccess.EDIT, lock=None)
    try:
        return fill(plan)
    finally:
        plan.close()


def _settle_old_plan(path: Path, reason: str) -> None:
    """Back up the plan about to be replaced and fold its WAL into the file.

    After this the file alone is the whole old plan, so deleting its (now
    empty) WAL before the rename loses nothing even if we are killed there.
    A damaged plan is kept as it is, in the backup folder; a file that is not
    a plan at all holds nothing of the planner's to keep.
    """
    try:
        inspect_plan_file(path)
    except PlanDamagedError:
        backups.keep_damaged(path)
        return
    except PlanFileError:
        return
    backups.backup_plan(path, reason)
    with suppress(sqlite3.Error), closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _remove_leftovers(path: Path) -> None:
    """Hidden files a killed build of this plan left beside it (their process is gone)."""
    for leftover in path.parent.glob(f".{glob.escape(path.name)}.*.partial*"):
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not process_alive(int(pid)):
            with suppress(OSError):
                leftover.unlink()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX): the folder's entry, not only the file, reaches disk."""
    if os.name != "posix":
        return  # Windows commits a rename with the file system's own journal
    with suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


def _build_empty_plan(path: Path, name: str) -> None:
    engine = plan_file_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection)
        with Session(engine) as session, session.begin():
            fill_new_plan(session, name)
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()


def fill_new_plan(session: Session, name: str) -> None:
    """What every new plan holds: its metadata row and the nations."""
    now = utc_now().isoformat(timespec="seconds")
    for key, value in (
        ("application", PLAN_APPLICATION),
        ("name", name),
        ("created_with", __version__),
        ("created_at", now),
    ):
        session.add(PlanMeta(key=key, value=value))
    for seed in NATIONS:
        session.add(
            Nation(
                code=seed.code,
                name=seed.name,
                time_zone=seed.time_zone,
                holiday_calendar=seed.code,
                languages=list(seed.languages),
                releasability=seed.releasability,
            )
        )
