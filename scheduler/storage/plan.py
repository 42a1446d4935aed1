"""Opening and creating plans: the one road from a path to a database session.

Opening for editing happens in a fixed order, each step before anything is
written: inspect the file read-only (damaged, foreign, newer plans are
refused untouched), check it may be written, take the lock, back it up,
upgrade an older schema (after its own backup), and only then connect.
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
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

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
from scheduler.storage.lock import PlanLock
from scheduler.storage.schema import SchemaState, current_revision, upgrade
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
    """

    def __init__(
        self, path: Path, engine: Engine, access: PlanAccess, lock: PlanLock | None
    ) -> None:
        self.path = path
        self.engine = engine
        self.access = access
        self.lock = lock
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        install_change_log(self._sessions)
        if access is PlanAccess.READ:
            event.listen(self._sessions, "before_flush", _refuse_writes)
        self.user = current_user()

    @property
    def read_only(self) -> bool:
        return self.access is PlanAccess.READ

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
        except OperationalError as exc:
            session.rollback()
            raise _storage_error(self.path, exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def name(self) -> str:
        with self.session() as session:
            name = session.scalar(select(PlanMeta.value).where(PlanMeta.key == "name"))
        return name or self.path.stem

    @property
    def schema_revision(self) -> str:
        with self.engine.connect() as connection:
            return current_revision(connection) or "?"

    def backup(self, reason: str = "manual") -> Path:
        return backups.backup_plan(self.path, reason)

    def close(self) -> None:
        """Checkpoint the WAL into the file, disconnect and release the lock."""
        checkpointed = False
        if self.access is PlanAccess.EDIT:
            with suppress(Exception), self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                checkpointed = True
        self.engine.dispose()
        if checkpointed:
            # Closed cleanly by us: the next open need not re-read every page.
            mark_verified(self.path)
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


def _storage_error(path: Path, exc: OperationalError) -> UserError:
    text = str(exc.orig).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return PlanFileError(
            f"The disk holding “{path.name}” is full. Your last change was not saved; "
            "everything before it is safe. Free some space and try again."
        )
    if "readonly" in text or "read-only" in text:
        return PlanFileError(f"“{path.name}” cannot be written any more (read-only).")
    if "locked" in text:
        return PlanFileError(
            f"“{path.name}” is busy (another program is writing it). Try again in a moment."
        )
    return PlanFileError(f"“{path.name}” could not be saved: {exc.orig}.")


def open_plan(
    path: Path | str,
    *,
    access: PlanAccess = PlanAccess.EDIT,
    take_over_lock: bool = False,
    backup_on_open: bool = True,
) -> Plan:
    """Open an existing plan file; raise PlanFileError (nothing written) if unusable."""
    path = Path(path)
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


def _migrate(path: Path, facts: PlanFileFacts) -> None:
    backups.backup_plan(path, f"before-upgrade-from-{facts.revision}")
    engine = plan_file_engine(path)
    try:
        with engine.begin() as connection:
            upgrade(connection)
        log.info("upgraded %s from %s", path, facts.revision)
    finally:
        engine.dispose()


def create_plan(path: Path | str, *, name: str | None = None, force: bool = False) -> Plan:
    """Create an empty plan (nations pre-filled) and open it for editing.

    The plan is built under a temporary name and moved into place when
    complete, so a crash never leaves half a plan. With ``force`` an
    existing plan is backed up before it is replaced.
    """
    path = Path(path)
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
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        engine.dispose()
