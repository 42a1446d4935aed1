"""Writing a file so that it is either complete or not there at all.

Exports are written under a hidden temporary name in the target folder and
moved into place in one step once complete; a failure or a cancel removes
the temporary file, and an existing file of that name stays as it was.

openpyxl streams each sheet of a large workbook through a temporary file of
its own, which it would put in the system's temp folder: tens of MB left
behind there when an export is killed, where nobody looks. While a
``PendingFile`` is open, those go beside the output too, under hidden names
carrying the process id, so that files of a killed export are recognised
and removed: by the next export into that folder, or when the program next
starts (the folders with an export under way are noted in the data folder).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from types import TracebackType

from scheduler.app_paths import data_dir
from scheduler.errors import UserError

log = logging.getLogger(__name__)
_SHEET_PREFIX = ".ts-sheet."
# .NAME.PID.partial (the output) and .ts-sheet.PID.XXXX.tmp (openpyxl's sheets)
_OURS = re.compile(r"^\.(?:ts-sheet\.(?P<sheet_pid>\d+)\..*\.tmp|.+\.(?P<pid>\d+)\.partial)$")
_JOURNAL = "exports-under-way.json"
_here = threading.local()
_journal_lock = threading.Lock()
_openpyxl_temporary_file: Callable[[str], str] | None = None


def _place_sheet_files() -> None:
    """Send openpyxl's temporary sheet files beside the output (once; openpyxl is
    imported only by exports that need it, never at start-up)."""
    global _openpyxl_temporary_file
    if _openpyxl_temporary_file is not None:
        return
    from openpyxl.worksheet import _writer as openpyxl_writer

    _openpyxl_temporary_file = openpyxl_writer.create_temporary_file
    openpyxl_writer.create_temporary_file = _temporary_sheet


def _temp_files() -> list[str]:
    from openpyxl.worksheet import _writer as openpyxl_writer

    files: list[str] = openpyxl_writer.ALL_TEMP_FILES
    return files


def _temporary_sheet(suffix: str = "") -> str:
    """openpyxl's temporary sheet file, beside the output while an export runs."""
    folder = getattr(_here, "folder", None)
    if folder is None:
        assert _openpyxl_temporary_file is not None
        return str(_openpyxl_temporary_file(suffix))
    with tempfile.NamedTemporaryFile(
        mode="w+",
        dir=folder,
        prefix=f"{_SHEET_PREFIX}{os.getpid()}.",
        suffix=f"{suffix}.tmp",
        delete=False,
    ) as handle:
        pass
    _temp_files().append(handle.name)
    return handle.name


class PendingFile:
    """A file being written: ``temp`` is where to write, ``publish`` puts it in place.

    Use as a context manager, from the thread that writes the file.
    """

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        folder = self.target.parent
        if not folder.is_dir():
            raise UserError(f"The folder “{folder}” does not exist; the file was not written.")
        if self.target.is_dir():
            raise UserError(f"“{self.target}” is a folder; give a file name to write.")
        self.temp = folder / f".{self.target.name}.{os.getpid()}.partial"
        self.published = False
        self._outer_folder: Path | None = None

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with self.temp.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def publish(self) -> None:
        try:
            os.replace(self.temp, self.target)
        except PermissionError as exc:
            raise UserError(
                f"“{self.target.name}” cannot be replaced: it is open in another program "
                "or the folder is read-only. Close it and export again."
            ) from exc
        self.published = True

    def discard(self) -> None:
        if not self.published:
            self.temp.unlink(missing_ok=True)

    def __enter__(self) -> PendingFile:
        folder = self.target.parent
        if self.target.suffix.lower() == ".xlsx":
            _place_sheet_files()
        remove_interrupted(folder)
        _note_folder(folder, under_way=True)
        self._outer_folder = getattr(_here, "folder", None)
        _here.folder = folder
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _here.folder = self._outer_folder
        self.discard()
        _remove_own_sheets(self.target.parent)
        _note_folder(self.target.parent, under_way=False)


def _pid_of(name: str) -> int | None:
    match = _OURS.match(name)
    if match is None:
        return None
    return int(match["sheet_pid"] or match["pid"])


def remove_interrupted(folder: Path) -> None:
    """Temporary files in ``folder`` of exports whose program is no longer running."""
    from scheduler.processes import process_alive

    with suppress(OSError):
        for entry in folder.iterdir():
            pid = _pid_of(entry.name)
            if pid is not None and pid != os.getpid() and not process_alive(pid):
                with suppress(OSError):
                    entry.unlink()
                    log.info("removed %s, left by an interrupted export", entry)


def _remove_own_sheets(folder: Path) -> None:
    """openpyxl keeps its sheet files until exit when a write fails: not beside a file."""
    if _openpyxl_temporary_file is None:
        return  # no workbook was written by this process
    prefix = f"{_SHEET_PREFIX}{os.getpid()}."
    files = _temp_files()
    with suppress(OSError):
        for entry in folder.iterdir():
            if entry.name.startswith(prefix) and str(entry) in files:
                with suppress(OSError):
                    entry.unlink()
                with suppress(ValueError):
                    files.remove(str(entry))


def _journal_path() -> Path:
    return data_dir() / _JOURNAL


def _read_journal() -> dict[str, list[int]]:
    try:
        data = json.loads(_journal_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _update_journal(folder: Path, change: Callable[[list[int]], list[int]]) -> None:
    """Apply ``change`` to the process ids noted for ``folder`` (bookkeeping only:
    a failure is logged, never raised into an export)."""
    with _journal_lock:
        try:
            journal = _read_journal()
            key = str(folder.resolve())
            pids = change(list(journal.get(key, [])))
            if pids:
                journal[key] = pids
            else:
                journal.pop(key, None)
            target = _journal_path()
            partial = target.with_name(f"{target.name}.{os.getpid()}.tmp")
            partial.write_text(json.dumps(journal), encoding="utf-8")
            os.replace(partial, target)
        except (OSError, UserError) as exc:
            log.warning("could not note the export folder %s: %s", folder, exc)


def _note_folder(folder: Path, *, under_way: bool) -> None:
    """Remember (or forget) that this process writes an export into ``folder``."""
    me = os.getpid()
    _update_journal(folder, lambda pids: [p for p in pids if p != me] + ([me] if under_way else []))


def sweep_interrupted_exports() -> None:
    """At start-up: remove what exports killed earlier left beside their outputs."""
    from scheduler.processes import process_alive

    with _journal_lock:
        journal = _read_journal()
    for folder, pids in journal.items():
        gone = {pid for pid in pids if pid != os.getpid() and not process_alive(pid)}
        if gone:
            remove_interrupted(Path(folder))
            _update_journal(Path(folder), _without(gone))


def _without(gone: set[int]) -> Callable[[list[int]], list[int]]:
    return lambda pids: [p for p in pids if p not in gone]


def write_error(target: Path, exc: OSError) -> UserError:
    """An OS failure while writing, in words a planner can act on."""
    reason = exc.strerror or str(exc)
    return UserError(f"Could not write “{target}”: {reason}. Nothing was written.")


__all__ = [
    "PendingFile",
    "remove_interrupted",
    "sweep_interrupted_exports",
    "write_error",
]
