"""Keeps the open plan's conflicts current for the status bar and the views.

The full check runs once on a worker thread after a plan opens; from then on
each edit re-checks only the events it touched (the incremental engine, a
few milliseconds) on the GUI thread. Edits to courses, instructors, venues,
units or trainees (who is on which event) change what many events mean, so
they trigger a new full check in the background. GUI thread only, apart
from the full check it starts and the reads it lends the engine to
(``read_engine``): while one runs, edits wait to be re-checked, so the
engine never changes under a worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal

from scheduler.services.changes import Changes
from scheduler.ui.document import PlanDocument
from scheduler.ui.heap import give_back_freed, keep_out_of_collections
from scheduler.ui.workers import run_in_background

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from scheduler.planning.conflicts import Conflict
    from scheduler.planning.engine import ConflictEngine

log = logging.getLogger(__name__)
T = TypeVar("T")
# Kinds whose edit can change conflicts of events that did not change.
RESOURCE_KINDS = (
    "course",
    "instructor",
    "venue",
    "kit",  # its quantity and owner: what its bookings are judged against
    "unit",
    "nation",
    "qualification",
    "trainee",  # a person's postings and enrolments: their clashes and prerequisites
    "plan",
)


class ConflictMonitor(QObject):
    """Emits ``updated()`` whenever ``conflicts()`` changed; ``checking(bool)`` while busy."""

    updated = Signal()
    checking = Signal(bool)

    def __init__(self, document: PlanDocument) -> None:
        super().__init__(document)
        self.document = document
        self.engine: ConflictEngine | None = None
        self._generation = 0
        self._pending: set[int] = set()
        self._busy = False
        self._lent = 0  # reads of the engine running on workers
        document.changed.connect(self.on_changed)

    @property
    def ready(self) -> bool:
        return self.engine is not None

    def conflicts(self) -> list[Conflict]:
        return self.engine.conflicts() if self.engine is not None else []

    def conflicts_of(self, event_id: int) -> list[Conflict]:
        return self.engine.conflicts_of(event_id) if self.engine is not None else []

    def open_counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0}
        for conflict in self.conflicts():
            if not conflict.accepted:
                counts[str(conflict.severity)] += 1
        return counts

    def start_full_check(self) -> None:
        from scheduler.planning.engine import ConflictEngine
        from scheduler.services.plan_snapshot import load_plan_data

        self._generation += 1
        generation = self._generation
        self._pending.clear()
        self._busy = True
        self.checking.emit(True)

        def work(session: Session) -> ConflictEngine:
            return ConflictEngine(load_plan_data(session))

        def done(engine: ConflictEngine) -> None:
            if generation != self._generation:
                return
            self.engine = engine
            keep_out_of_collections()
            give_back_freed()  # the check's passing peak
            self._busy = False
            self.checking.emit(False)
            if self._pending:
                self._recheck(set(self._pending))
                self._pending.clear()
            self.updated.emit()

        def failed(error: BaseException) -> None:
            self._busy = False
            self.checking.emit(False)
            log.error("conflict check failed", exc_info=error)

        self.document.read_async(work, done, failed=failed, owner=self)

    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*RESOURCE_KINDS):
            self.start_full_check()
            return
        if not (changes.event_ids or changes.touches("event", "conflicts")):
            return
        if self._busy or self._lent or self.engine is None:
            self._pending |= set(changes.event_ids)
            return
        self._recheck(set(changes.event_ids))
        self.updated.emit()

    @property
    def lent(self) -> bool:
        """True while a worker reads the engine: nobody may change it meanwhile,
        not even for a moment (the event editor's what-if waits)."""
        return self._lent > 0

    def read_engine(
        self,
        work: Callable[[ConflictEngine], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
        owner: QObject | None = None,
    ) -> bool:
        """Run ``work(engine)`` on a worker (a slot search, say); False before the first check.

        Edits made meanwhile are re-checked once the read has finished.
        """
        engine = self.engine
        if engine is None:
            return False
        self._lent += 1

        def returned() -> None:
            self._lent -= 1
            if not self._lent and not self._busy and self._pending and self.engine is not None:
                self._recheck(set(self._pending))
                self._pending.clear()
                self.updated.emit()

        def done(result: T) -> None:
            returned()
            on_done(result)

        def failed(error: BaseException) -> None:
            returned()
            on_error(error)

        run_in_background(lambda: work(engine), done, failed, owner=owner)
        return True

    def _recheck(self, event_ids: set[int]) -> None:
        from scheduler.services.checking import recheck_events

        engine = self.engine
        assert engine is not None
        self.document.read(lambda session: recheck_events(session, engine, event_ids))
