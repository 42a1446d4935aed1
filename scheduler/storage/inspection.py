"""Read-only checks of a plan file before anything opens it for writing.

Every check here reads; none writes. A file that fails one is reported in
the planner's words and left byte-for-byte as it was: random bytes, a text
file, a truncated or damaged database, a database of another program, or a
plan written by a newer version of Training Scheduler.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from scheduler.errors import PlanDamagedError, PlanFileError
from scheduler.storage.schema import SchemaState, classify
from scheduler.storage.verified import Verdict, mark_verified, verdict

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_HEADER_SIZE = 100
PLAN_APPLICATION = "training-scheduler"


@dataclass(frozen=True, slots=True)
class PlanFileFacts:
    path: Path
    revision: str
    state: SchemaState
    name: str | None


def read_only_uri(path: Path) -> str:
    """A SQLite URI that reads ``path`` without writing anything, beside it included.

    A WAL-mode database opened with ``mode=ro`` still creates ``-wal`` and
    ``-shm`` files and cannot remove them. When neither exists, no program
    has the plan open, so the main file is complete and ``immutable=1``
    reads it leaving no trace. When they exist, ``mode=ro`` is needed to see
    the changes still held in the WAL.
    """
    in_use = any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-shm"))
    return f"{path.resolve().as_uri()}?{'mode=ro' if in_use else 'immutable=1'}"


def _check_header(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise PlanFileError(f"“{path.name}” is empty: it is not a plan (or it was never saved).")
    with path.open("rb") as handle:
        header = handle.read(SQLITE_HEADER_SIZE)
    if not header.startswith(SQLITE_MAGIC):
        raise PlanFileError(
            f"“{path.name}” is not a Training Scheduler plan. "
            "It may be another kind of file that was given the wrong name."
        )
    if len(header) < SQLITE_HEADER_SIZE:
        raise _damaged(path)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    change_counter_valid = header[24:28] == header[92:96]
    # A program killed while it copied its write-ahead log into the file may
    # leave page 1 saying more pages than were written yet: when the log
    # beside it still holds them, SQLite finishes the copy on opening, so the
    # file is short only if the log lacks them too.
    if page_size < 512:
        raise _damaged(path)
    if change_counter_valid and pages and size < page_size * pages:
        held = range(size // page_size + 1, pages + 1)  # pages the file lacks (1-based)
        if not _log_holds(Path(f"{path}-wal"), page_size, held):
            raise _damaged(path)


_WAL_MAGIC = (0x377F0682, 0x377F0683)
_WAL_HEADER, _FRAME_HEADER = 32, 24


def _log_holds(wal: Path, page_size: int, wanted: range) -> bool:
    """Whether the write-ahead log beside a plan holds every page in ``wanted``
    (frame headers only: the integrity check reads the pages themselves)."""
    try:
        with wal.open("rb") as handle:
            header = handle.read(_WAL_HEADER)
            if len(header) < _WAL_HEADER or int.from_bytes(header[:4], "big") not in _WAL_MAGIC:
                return False
            if int.from_bytes(header[8:12], "big") != page_size:
                return False
            missing = set(wanted)
            frame = _WAL_HEADER
            while missing:
                handle.seek(frame)
                page = handle.read(4)
                if len(page) < 4:
                    break
                missing.discard(int.from_bytes(page, "big"))
                frame += _FRAME_HEADER + page_size
            return not missing
    except OSError:
        return False


def _damaged(path: Path) -> PlanDamagedError:
    return PlanDamagedError(
        f"“{path.name}” is damaged (it may have been cut short while copying, or the disk "
        "failed). It was not changed. Restore a backup (File ▸ Restore from a backup, or "
        f"“training-scheduler restore {path.name}”), or ask whoever sent it for a fresh copy.",
        path,
    )


def inspect_plan_file(path: Path, *, whole: bool = True) -> PlanFileFacts:
    """Check that ``path`` is a usable plan, reading only; raise PlanFileError if not.

    ``whole`` also makes sure every page is sound (``check_whole``); without
    it only what opening needs is read, and the caller runs ``check_whole``
    before the plan's first write.
    """
    if not path.exists():
        raise PlanFileError(f"There is no plan at “{path}”.")
    if path.is_dir():
        raise PlanFileError(f"“{path}” is a folder, not a plan file.")
    try:
        _check_header(path)
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except OSError as exc:
        raise PlanFileError(f"“{path.name}” cannot be read: {exc.strerror or exc}.") from exc
    except sqlite3.Error as exc:
        raise _damaged(path) from exc
    try:
        if whole:
            _check_whole(path, connection)
        tables = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        if "plan_meta" not in tables or "alembic_version" not in tables:
            raise PlanFileError(f"“{path.name}” is a database, but not a Training Scheduler plan.")
        meta = dict(connection.execute("SELECT key, value FROM plan_meta").fetchall())
        if meta.get("application") != PLAN_APPLICATION:
            raise PlanFileError(f"“{path.name}” is a database, but not a Training Scheduler plan.")
        revision_row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        # A flipped byte in the schema's text reads as text that is not UTF-8.
        raise _damaged(path) from exc
    finally:
        connection.close()
    revision = revision_row[0] if revision_row else None
    state = classify(revision)
    if state is SchemaState.NONE or revision is None:
        raise PlanFileError(f"“{path.name}” is a database, but not a Training Scheduler plan.")
    if state is SchemaState.NEWER:
        raise PlanFileError(
            f"“{path.name}” was saved by a newer version of Training Scheduler "
            f"(plan format {revision}). Install the newer version to open it; "
            "this version has left the file untouched."
        )
    return PlanFileFacts(path=path, revision=revision, state=state, name=meta.get("name"))


def check_whole(path: Path) -> None:
    """Make sure every page of the plan is sound (reading only); PlanDamagedError if not."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except (OSError, sqlite3.Error) as exc:
        raise _damaged(path) from exc
    try:
        _check_whole(path, connection)
    except (sqlite3.Error, UnicodeDecodeError) as exc:
        raise _damaged(path) from exc
    finally:
        connection.close()


def _check_whole(path: Path, connection: sqlite3.Connection) -> None:
    """Skipped for a file exactly as we last found it whole (``verified.py``); a file
    altered behind our back is refused; anything else gets the full check."""
    known = verdict(path)
    if known is Verdict.ALTERED:
        raise _damaged(path)
    if known is Verdict.WHOLE:
        return
    # The full check: quick_check passes a file whose indexes no longer
    # match their tables (a changed byte inside an index entry).
    rows = connection.execute("PRAGMA integrity_check(1)").fetchall()
    if [tuple(row) for row in rows] != [("ok",)]:
        raise _damaged(path)
    mark_verified(path)


def is_read_only(path: Path) -> bool:
    """True when the file or its folder may not be written.

    The permission bits are checked as well as ``os.access`` because an
    administrator account may write anywhere, yet a file the planner marked
    read-only should still be treated as read-only.
    """
    mode = path.stat().st_mode
    if not mode & stat.S_IWUSR:
        return True
    folder = path.parent
    return not (os.access(path, os.W_OK) and os.access(folder, os.W_OK))


def require_writable(path: Path) -> None:
    if is_read_only(path):
        raise PlanFileError(
            f"“{path.name}” is read-only (or its folder is). Training Scheduler saves every "
            "change at once, so it needs to write to the plan: make the file writable, or "
            "copy it to a folder of your own and open the copy."
        )
