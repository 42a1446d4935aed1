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

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from scheduler import __version__
from scheduler.errors import PlanFileError, UserError
from scheduler.model import Nation, PlanMeta, current_user, install_change_log, utc_now
from scheduler.model.nations import NATIONS
from scheduler.storage import backups
from scheduler.storage.engine import plan_file_engine
from scheduler.storage.inspection import (
    PLAN_APPLICATION,
    PlanFileFacts,
    inspect_plan_file,
    require_writable,
)
from scheduler.storage.location import PlanLocation, ServerLocation, parse_location
from scheduler.storage.lock import PlanLock
from scheduler.storage.schema import SchemaState, current_revision, upgrade
from scheduler.storage.stale import remember_flushed, stale_candidates, stale_edit_error
from scheduler.storage.verified import mark_verified

log = logging.getLogger(__name__)


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
    ) -> None:
        self.location = location
        self.engine = engine
        self.access = access
        self.lock = lock
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
        if self.access is PlanAccess.EDIT:
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
) -> Plan:
    """Open an existing plan (file or server URL); raise PlanFileError (nothing written)
    if unusable."""
    location = parse_location(path)
    if isinstance(location, ServerLocation):
        return _open_server_plan(location, access)
    path = location
    facts = inspect_plan_file(path)
    require_writable(path)
    if access is PlanAccess.READ:
        if facts.state is SchemaState.OLDER:
            raise PlanFileError(
                f"“{path.name}” was made by an older version of Training Scheduler. "
                f"Open it in the program, or run “training-scheduler migrate {path}”, "
                "to bring it up to date first."
            )
        return Plan(path, plan_file_engine(path), access, lock=None)

    lock = PlanLock(path)
    lock.acquire(take_over=take_over_lock)
    try:
        if backup_on_open and backups.needs_backup(path):
            backups.backup_plan(path, "open")
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
        log.info("upgraded %s from %s", path, facts.revision)
    finally:
        engine.dispose()


def create_plan(path: PlanLocation | str, *, name: str | None = None, force: bool = False) -> Plan:
    """Create an empty plan (nations pre-filled) and open it for editing.

    A file plan is built under a temporary name and moved into place when
    complete, so a crash never leaves half a plan. With ``force`` an
    existing plan is backed up before it is replaced. A server plan is
    built in one transaction (``storage/server.py``).
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
    path = location
    if path.exists():
        if not force:
            raise PlanFileError(
                f"“{path}” already exists. Choose another name, or use --force to replace it "
                "(the old plan is backed up first)."
            )
        if path.is_dir():
            raise PlanFileError(f"“{path}” is a folder, not a plan file.")
        _back_up_before_replacing(path)
    if not path.parent.is_dir():
        raise PlanFileError(f"The folder “{path.parent}” does not exist.")
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        _build_empty_plan(partial, name or path.stem)
        for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            # An old WAL beside the new file would be replayed into it.
            with suppress(FileNotFoundError):
                leftover.unlink()
        os.replace(partial, path)
    except OSError as exc:
        raise PlanFileError(f"Could not create “{path}”: {exc.strerror or exc}.") from exc
    finally:
        for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            with suppress(FileNotFoundError):
                leftover.unlink()
    return open_plan(path, backup_on_open=False)


def _back_up_before_replacing(path: Path) -> None:
    lock = PlanLock(path)
    lock.acquire()  # refuse to replace a plan another program has open
    try:
        try:
            inspect_plan_file(path)
        except PlanFileError:
            return  # not a (healthy) plan: nothing of the planner's to keep
        backups.backup_plan(path, "before-replace")
    finally:
        lock.release()


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
