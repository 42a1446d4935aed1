"""Noticing what other planners change, so the window's views stay current.

Polls the plan every few seconds for change-log rows past the last one seen
(``services/remote_changes.py``): one indexed ``max(id)`` query when nothing
happened. Rows this window wrote itself are skipped; the rest become one
``document.changed`` emission naming the kinds of record to refresh. Works
for a shared plan on a server and for a plan file another program writes
(a read-only viewer beside an editor). A failed poll (server away) is
logged and retried at the next tick; it never interrupts the planner.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

if TYPE_CHECKING:
    from scheduler.services.remote_changes import RemoteChanges
    from scheduler.ui.document import PlanDocument

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 5000


class PlanWatcher(QObject):
    """Emits ``document.changed`` (and ``noticed(who)``) for others' changes."""

    noticed = Signal(object)  # tuple of "user@host" who changed something

    def __init__(self, document: PlanDocument, interval_ms: int = POLL_INTERVAL_MS) -> None:
        super().__init__(document)
        self.document = document
        self.last_id: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll_in_background)
        self._failing = False
        self._busy = False

    def start(self) -> None:
        self._baseline()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def _baseline(self) -> None:
        from scheduler.services.remote_changes import latest_change_id

        try:
            self.last_id = self.document.read(latest_change_id)
        except Exception:
            log.warning("cannot read the change log of %s", self.document.plan.display)
            self.last_id = None

    def poll(self) -> bool:
        """Look once, here and now; True when others' changes were announced."""
        from scheduler.services.remote_changes import changes_since

        if self.last_id is None:
            self._baseline()
            return False
        after = self.last_id
        own = self.document.own_change_ids
        try:
            found = self.document.read(lambda session: changes_since(session, after, own))
        except Exception as exc:
            self._poll_failed(exc)
            return False
        return self._apply(found)

    def poll_in_background(self) -> None:
        """The timer's look: off the GUI thread, so a server that has gone
        away (a connection timing out) never freezes the window."""
        from scheduler.services.remote_changes import changes_since

        if self._busy:
            return
        if self.last_id is None:
            self._baseline()
            return
        after, own = self.last_id, set(self.document.own_change_ids)
        self._busy = True

        def done(found: RemoteChanges) -> None:
            self._busy = False
            if self.last_id == after:  # nothing polled meanwhile
                self._apply(found)

        def failed(error: BaseException) -> None:
            self._busy = False
            self._poll_failed(error)

        self.document.read_async(
            lambda session: changes_since(session, after, own), done, failed=failed, owner=self
        )

    def _poll_failed(self, exc: BaseException) -> None:
        if not self._failing:
            log.warning("polling %s failed: %s", self.document.plan.display, exc)
        self._failing = True

    def _apply(self, found: RemoteChanges) -> bool:
        """Announce what a look found (on the GUI thread)."""
        self._failing = False
        self.last_id = found.last_id
        # Our own ids at or below the watermark will not be seen again.
        own = self.document.own_change_ids
        self.document.own_change_ids = {i for i in own if i > found.last_id}
        if found.changes is None:
            return False
        log.info("changes by %s noticed in %s", ", ".join(found.who), self.document.plan.display)
        self.document.changed.emit(found.changes)
        self.noticed.emit(found.who)
        return True
