"""Writing a file so that it is either complete or not there at all.

Exports are written under a hidden temporary name in the target folder and
moved into place in one step once complete; a failure or a cancel removes
the temporary file, and an existing file of that name stays as it was.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from types import TracebackType

from scheduler.errors import UserError


class PendingFile:
    """A file being written: ``temp`` is where to write, ``publish`` puts it in place."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        folder = self.target.parent
        if not folder.is_dir():
            raise UserError(f"The folder “{folder}” does not exist; the file was not written.")
        if self.target.is_dir():
            raise UserError(f"“{self.target}” is a folder; give a file name to write.")
        self.temp = folder / f".{self.target.name}.{os.getpid()}.partial"
        self.published = False

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
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.discard()


def write_error(target: Path, exc: OSError) -> UserError:
    """An OS failure while writing, in words a planner can act on."""
    reason = exc.strerror or str(exc)
    return UserError(f"Could not write “{target}”: {reason}. Nothing was written.")
