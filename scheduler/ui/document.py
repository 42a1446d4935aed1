"""The open plan as the window sees it: one Plan, one undo stack, one signal.

Every edit goes through ``PlanDocument.push`` as a QUndoCommand whose
``redo``/``undo`` call services inside one transaction; the Changes they
return are broadcast on ``changed`` so each view refreshes only when its
kind of record changed. Changes other planners (or other programs) make
arrive on the same signal, from ``PlanWatcher``. An edit refused because
someone else changed the record first (StaleEditError) is put to the
planner: reload (drop the edit) or overwrite (apply it on the fresh row).
GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from scheduler.errors import StaleEditError, UserError
from scheduler.services.changes import EVERYTHING, Changes

if TYPE_CHECKING:  # the window paints before SQLAlchemy is imported
    from sqlalchemy.orm import Session

    from scheduler.storage import Plan

log = logging.getLogger(__name__)
T = TypeVar("T")

# The planner's answers to a stale edit (ui/dialogs/stale_edit.py asks).
RELOAD, OVERWRITE = "reload", "overwrite"
StaleResolver = Callable[[StaleEditError], str]


class PlanDocument(QObject):
    """Owns the open Plan and its undo stack; emits ``changed(Changes)``.

    ``failed(str)`` carries a message for the planner when an undo step
    cannot be applied (another planner removed the record, say); the stack
    then stays where it was.
    """

    changed = Signal(object)
    failed = Signal(str)

    def __init__(self, plan: Plan, parent: QObject | None = None, *, watch: bool = True) -> None:
        super().__init__(parent)
        self.plan = plan
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(500)
        # Asked when an edit is refused as stale; None: refuse and reload.
        self.stale_resolver: StaleResolver | None = None
        # change_log ids this window wrote: not news to it when polled.
        self.own_change_ids: set[int] = set()
        from scheduler.ui.plan_watcher import PlanWatcher

        self.watcher = PlanWatcher(self)
        if watch:
            self.watcher.start()

    @property
    def read_only(self) -> bool:
        return self.plan.read_only

    def read(self, fn: Callable[[Session], T]) -> T:
        """Run a query in its own short transaction."""
        with self.plan.session() as session:
            return fn(session)

    def write(self, fn: Callable[[Session], Changes]) -> Changes:
        """Run one edit in one transaction and broadcast what it changed."""
        if self.read_only:
            raise UserError("This plan is open read-only; nothing was changed.")
        from scheduler.model.changelog import WRITTEN_ROWS

        with self.plan.session() as session:
            changes = fn(session)
            session.flush()
            written = list(session.info.get(WRITTEN_ROWS, []))
        self.own_change_ids.update(row.id for row in written if row.id is not None)
        self.changed.emit(changes)
        return changes

    def push(self, command: ServiceCommand) -> bool:
        """Do ``command`` and put it on the undo stack; False (and a message) if refused."""
        if self.read_only:
            self.failed.emit("This plan is open read-only; nothing was changed.")
            return False
        try:
            command.first_run(self)
        except StaleEditError as stale:
            return self._resolve_stale(command, stale)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.undo_stack.push(command)
        return True

    def _resolve_stale(self, command: ServiceCommand, stale: StaleEditError) -> bool:
        """Reload (drop the edit, show the fresh data) or overwrite, as the planner says.

        Without a resolver (scripts, tests) the edit stays refused. Either
        way nothing of the other planner's is lost without the planner's choice.
        """
        choice = self.stale_resolver(stale) if self.stale_resolver else RELOAD
        if self.stale_resolver is None:
            self.failed.emit(str(stale))
        if choice != OVERWRITE:
            self.changed.emit(EVERYTHING)
            return False
        command.overwrite = True
        try:
            command.first_run(self)
        except UserError as exc:
            self.failed.emit(str(exc))
            self.changed.emit(EVERYTHING)
            return False
        self.undo_stack.push(command)
        return True

    def close(self) -> None:
        self.watcher.stop()
        self.undo_stack.clear()
        self.plan.close()


class ServiceCommand(QUndoCommand):
    """An undoable edit: ``apply`` and ``revert`` each call services in one transaction.

    The first ``redo()`` that QUndoStack.push triggers is skipped because
    ``first_run`` already did the work (and could report a refusal before
    anything entered the stack).
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._document: PlanDocument | None = None
        self._skip_redo = False
        # Set by the planner's "Overwrite" after a stale-edit refusal: the next
        # run applies the edit without checking the version it was based on.
        self.overwrite = False

    def apply(self, session: Session) -> Changes:
        raise NotImplementedError

    def revert(self, session: Session) -> Changes:
        raise NotImplementedError

    def first_run(self, document: PlanDocument) -> None:
        self._document = document
        document.write(self.apply)
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._run(self.apply)

    def undo(self) -> None:
        self._run(self.revert)

    def _run(self, fn: Callable[[Session], Changes]) -> None:
        assert self._document is not None
        try:
            self._document.write(fn)
        except UserError as exc:
            log.info("undo step %r refused: %s", self.text(), exc)
            self.setObsolete(True)
            self._document.failed.emit(str(exc))
