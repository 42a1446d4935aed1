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


def backup_plan(plan_path: Path, reason: str, *, keep: int = DEFAULT_KEEP) -> Path:
    """Back up the plan now (readers and writers may keep working) and rotate."""
    reason = re.sub(r"[^a-z0-9-]+", "-", reason.lower()).strip("-") or "manual"
    folder = backup_folder(plan_path)
    target = folder / f"{datetime.now().strftime(_STAMP_FORMAT)}-{reason}{PLAN_SUFFIX}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(read_only_uri(plan_path), uri=True)) as source:
            copy_database(source, target)
    except (OSError, sqlite3.Error) as exc:
        raise PlanFileError(
            f"Could not back up “{plan_path.name}” to {folder}: {exc}. "
            "Nothing was changed; free some disk space and try again."
        ) from exc
    rotate(plan_path, keep=keep)
    log.info("backed up %s to %s", plan_path, target)
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


def restore_into(backup: Path, plan_path: Path) -> None:
    """Replace the plan's content with a backup's (the plan must be closed by all)."""
    with (
        closing(sqlite3.connect(read_only_uri(backup), uri=True)) as source,
        closing(sqlite3.connect(plan_path)) as target,
    ):
        source.backup(target)


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

    The plan's lock is held throughout, so no other program opens the plan
    half-restored; the current content is backed up first, so a restore is
    itself undoable by restoring that backup.
    """
    from scheduler.storage.lock import PlanLock

    lock = PlanLock(plan_path)
    lock.acquire()
    try:
        backup_plan(plan_path, "before-restore")
        try:
            restore_into(backup, plan_path)
        except sqlite3.Error as exc:
            raise PlanFileError(
                f"Could not restore “{plan_path.name}” from the backup: {exc}. "
                "The plan was backed up just before; nothing else changed."
            ) from exc
    finally:
        lock.release()
