"""The full check of a plan file, run beside the window so a large plan opens at once.

A plan the program did not close itself (a copy, a crash) is checked page by
page before anything is written to it: about three seconds for 100,000
events, and a tenth of a second for the digest of one it did close. The
window need not wait for that to show the plan: reading a damaged plan harms
nothing, writing to it could. So the window opens the plan with the check
running on a thread, and every write to the plan waits for the check (a
hook on the engine); a plan that fails it refuses the write and the window
says the plan is damaged. The backup taken on opening waits for the check
too, so a damaged plan never pushes a good backup out of the rotation.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from scheduler.errors import PlanFileError
from scheduler.storage.inspection import check_whole

log = logging.getLogger(__name__)
_READING = ("SELECT", "PRAGMA", "WITH", "EXPLAIN")
_TRANSACTION = frozenset({"BEGIN", "BEGIN DEFERRED", "COMMIT", "ROLLBACK"})


class WholeCheck:
    """``check_whole(path)`` on a thread, then ``then()`` if the plan is whole.

    ``wait()`` blocks until the check is done and raises its PlanFileError.
    Thread use: started on the opening thread; ``wait``/``error`` from any.
    """

    def __init__(self, path: Path, then: Callable[[], None] | None = None) -> None:
        self.path = path
        self._then = then
        self._done = threading.Event()
        self.error: PlanFileError | None = None
        self._thread = threading.Thread(target=self._run, name="plan check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            check_whole(self.path)
            if self._then is not None:
                self._then()
        except PlanFileError as exc:
            self.error = exc
        except Exception:  # a bug: the plan is not proven whole, so it stays unwritable
            log.exception("checking %s failed", self.path)
            self.error = PlanFileError(
                f"“{self.path.name}” could not be checked (see the log). Nothing was written "
                "to it; close it and open it again."
            )
        finally:
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    @property
    def passed(self) -> bool:
        return self._done.is_set() and self.error is None

    def wait(self) -> None:
        self._done.wait()
        if self.error is not None:
            raise self.error

    def wait_quietly(self) -> PlanFileError | None:
        """Wait for the check; its error, if any, instead of raising it."""
        self._done.wait()
        return self.error

    def guard(self, engine: Engine) -> None:
        """Make every write through ``engine`` wait for the check (and fail with it)."""

        def before_write(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
            if self._done.is_set() and self.error is None:
                return
            text = statement.strip().upper()
            if not text.startswith(_READING) and text not in _TRANSACTION:
                self.wait()

        event.listen(engine, "before_cursor_execute", before_write)
