"""Rotating backups of plan files through SQLite's online backup API.

Backups are complete, self-contained plan files (rollback journal, not WAL,
so one file is the whole backup) written to a temporary name and renamed
when finished: a crash mid-backup never leaves something that looks like a
good backup. They live in the program's data folder, one folder per plan,
so they survive the plan's folder being lost or emptied.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import sqlite3
from contextlib import closing, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scheduler.app_paths import PLAN_SUFFIX, backups_root
from scheduler.errors import PlanFileError
from scheduler.storage.inspection import read_only_uri

log = logging.getLogger(__name__)

DEFAULT_KEEP = 20
_NAME = re.compile(r"^(?P<stamp>\d{8}-\d{6}-\d{6})-(?P<reason>[a-z0-9-]+)\.tsplan$")
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backup_folder(plan_path: Path) -> Path:
    """The folder of one plan's backups (stem plus a hash of its full path)."""
    resolved = str(plan_path.resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:10]
    return backups_root() / f"{plan_path.stem}-{digest}"


def list_backups(plan_path: Path) -> list[Backup]:
    """The plan's backups, newest first."""
    folder = backup_folder(plan_path)
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match and entry.is_file():
            found.append(
                Backup(
                    path=entry,
                    taken_at=datetime.strptime(match["stamp"], _STAMP_FORMAT),
                    reason=match["reason"],
                    size=entry.stat().st_size,
                )
            )
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def copy_database(source: sqlite3.Connection, target_path: Path) -> None:
    """Copy an open database into a new self-contained file at ``target_path``."""
    partial = target_path.with_name(target_path.name + ".partial")
    with suppress(FileNotFoundError):
        partial.unlink()
    try:
        with closing(sqlite3.connect(partial)) as target:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        os.replace(partial, target_path)
    except (OSError, sqlite3.Error):
        with suppress(OSError):
            partial.unlink()
        raise


def state_of(connection: sqlite3.Connection) -> tuple[str, int] | None:
    """What identifies a plan's state: its schema revision and newest change-log row.

    Every write the program makes adds a change-log row (bulk writes one
    summary row), so two copies with the same pair hold the same plan.
    None when the file is not a readable plan.
    """
    try:
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        newest = connection.execute("SELECT MAX(id) FROM change_log").fetchone()
    except sqlite3.Error:
        return None
    return (str(revision[0]) if revision else "", int(newest[0] or 0))


def _newest_state(plan_path: Path) -> tuple[Backup, tuple[str, int] | None] | None:
    found = list_backups(plan_path)
    if not found:
        return None
    try:
        with closing(sqlite3.connect(read_only_uri(found[0].path), uri=True)) as newest:
            return found[0], state_of(newest)
    except sqlite3.Error:
        return found[0], None


def backup_plan(plan_path: Path, reason: str, *, keep: int = DEFAULT_KEEP) -> Path:
    """Back up the plan now (readers and writers may keep working) and rotate.

    A plan in the very state of its newest backup is not backed up again, so
    the backups kept hold ``keep`` different states (an import used to take
    two identical ones: on open and before importing). Returns the backup
    that holds the plan's state.
    """
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    folder = backup_folder(plan_path)
    target = folder / f"{datetime.now().strftime(_STAMP_FORMAT)}-{reason}{PLAN_SUFFIX}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(read_only_uri(plan_path), uri=True)) as source:
            newest = _newest_state(plan_path)
            state = state_of(source)
            if newest is not None and state is not None and newest[1] == state:
                log.info("%s is as its newest backup %s; not backed up again", plan_path, newest[0])
                return newest[0].path
            copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise PlanFileError(
            f"Could not back up “{plan_path.name}” to {folder}: {exc}. "
            "Nothing was changed; free some disk space and try again."
        ) from exc
    rotate(plan_path, keep=keep)
    log.info("backed up %s to %s", plan_path, target)
    return target


def describe_backup(plan_path: Path, target: Path, since: datetime) -> str:
    """What a planner's "back up now" did: a new backup, or none needed (and how many are kept)."""
    found = list_backups(plan_path)
    count = (
        "1 backup of this plan is" if len(found) == 1 else f"{len(found)} backups of this plan are"
    )
    kept = f"{count} kept, each a different state (up to the newest {DEFAULT_KEEP})."
    newest = found[0] if found else None
    if newest is not None and newest.path == target and newest.taken_at < since:
        return (
            f"Nothing new to back up: the plan is as in its backup of "
            f"{newest.taken_at:%d %b %Y %H:%M} ({target}). {kept}"
        )
    return f"Backed up to {target}. {kept}"


def keep_damaged(plan_path: Path) -> Path | None:
    """A raw copy of a damaged plan about to be replaced, in its backup folder.

    A damaged file may still hold the last days' work for someone who can
    mend it; replacing it by a backup must not destroy it. It is kept under a
    name the backup list does not offer for restoring.
    """
    folder = backup_folder(plan_path)
    target = folder / f"damaged-{datetime.now().strftime(_STAMP_FORMAT)}{PLAN_SUFFIX}.keep"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy2(plan_path, target)
    except OSError as exc:
        log.warning("could not keep a copy of the damaged %s: %s", plan_path, exc)
        return None
    log.info("kept the damaged %s as %s", plan_path, target)
    return target


def rotate(plan_path: Path, *, keep: int = DEFAULT_KEEP) -> None:
    for old in list_backups(plan_path)[keep:]:
        with suppress(OSError):
            old.path.unlink()


def needs_backup(plan_path: Path) -> bool:
    """False when the newest backup is younger than the plan's last change.

    Opening a plan a dozen times a day should not rotate away the backups
    that hold real history.
    """
    backups = list_backups(plan_path)
    if not backups:
        return True
    newest = backups[0].path.stat().st_mtime
    wal = plan_path.with_name(plan_path.name + "-wal")
    changed = plan_path.stat().st_mtime
    if wal.exists() and wal.stat().st_size > 0:
        changed = max(changed, wal.stat().st_mtime)
    return changed >= newest


def copy_plan_file(source: Path, target: Path) -> None:
    """A new self-contained copy of the plan file ``source`` (a backup) at ``target``."""
    with closing(sqlite3.connect(read_only_uri(source), uri=True)) as connection:
        copy_database(connection, target)


def copy_plan(plan_path: Path, target: Path) -> None:
    """Save a copy of the plan elsewhere (a whole, self-contained plan file)."""
    if target.resolve() == plan_path.resolve():
        raise PlanFileError("Choose another name: a copy cannot replace the plan itself.")
    try:
        with closing(sqlite3.connect(read_only_uri(plan_path), uri=True)) as source:
            copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise PlanFileError(f"Could not save a copy as “{target}”: {exc}.") from exc


def restore_plan(plan_path: Path, backup: Path) -> None:
    """Put a backup's content into the (closed) plan, keeping the current state too.

    The backup is copied beside the plan and renamed over it when complete
    (``plan.build_plan_file``): a kill at any moment leaves the plan as it was
    or restored. The plan is locked throughout, so no other program opens it
    half-restored, and its current state is backed up first, so a restore is
    itself undone by restoring that backup.
    """
    from scheduler.storage.inspection import inspect_plan_file
    from scheduler.storage.plan import build_plan_file

    try:
        inspect_plan_file(backup)
    except PlanFileError as exc:
        raise PlanFileError(f"That backup cannot be used: {exc}") from exc
    try:
        build_plan_file(
            plan_path, name=plan_path.stem, force=True, source=backup, reason="before-restore"
        )
    except sqlite3.Error as exc:
        raise PlanFileError(
            f"Could not restore “{plan_path.name}” from the backup: {exc}. "
            "The plan was left as it was."
        ) from exc
