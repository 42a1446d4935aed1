"""The open plan as the window sees it: one Plan, one undo stack, one signal.

Every edit goes through ``PlanDocument.push`` as an ``UndoStep``: one named
service operation (``services/edits.py``), recorded so that undo and redo
write back exactly the rows it touched; the Changes it returns are
broadcast on ``changed`` so each view refreshes only when its kind of
record changed. Changes other planners (or other programs) make
arrive on the same signal, from ``PlanWatcher``. An edit refused because
someone else changed the record first (StaleEditError) is put to the
planner: reload (drop the edit) or overwrite (apply it on the fresh row).
GUI thread only.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from scheduler.errors import StaleEditError, UserError
from scheduler.services.changes import EVERYTHING, Changes

if TYPE_CHECKING:  # the window paints before SQLAlchemy is imported
    from sqlalchemy.orm import Session

    from scheduler.services.undo_log import Done
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
        # The ledger: the version each row had when this window's undo stack
        # last wrote it; an undo or redo of a row at another version is refused.
        self.versions: dict[tuple[str, int], int] = {}
        from scheduler.ui.plan_watcher import PlanWatcher

        self.watcher = PlanWatcher(self)
        if watch:
            self.watcher.start()

    @property
    def read_only(self) -> bool:
        return self.plan.read_only

    def read(self, fn: Callable[[Session], T]) -> T:
        """Run a short query now, on the GUI thread, in its own transaction.

        For what a dialog or a drop needs before it can go on (an editor's
        choices, a validation). Anything that may take long, or runs while
        the planner works, goes through ``read_async``.
        """
        with self.plan.session() as session:
            return fn(session)

    def read_async(
        self,
        fn: Callable[[Session], T],
        done: Callable[[T], None],
        *,
        failed: Callable[[BaseException], None] | None = None,
        owner: QObject | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        """Run the query ``fn`` on a worker thread; ``done(result)`` on the GUI thread.

        The one road for background reads (after Anki's ``QueryOp``): the
        session is opened here, in the worker, and closed before the result
        travels back; ``fn`` gets nothing of the UI. ``owner`` is the widget
        waiting for the result: once it is gone (or its plan closed) the
        result is dropped. Without ``failed`` an error is logged and shown
        on ``failed``, in the planner's words. Once ``cancelled()`` is true
        the read's statements on a plan file stop, and it fails with
        ``ReadCancelled`` (``services/stopped_reads.py``).
        """
        from scheduler.ui.workers import run_in_background

        plan = self.plan

        def work() -> T:
            with plan.session() as session:
                if cancelled is None:
                    return fn(session)
                from scheduler.services.stopped_reads import interrupted_when

                with interrupted_when(session, cancelled):
                    return fn(session)

        run_in_background(work, done, failed or self._read_failed, owner=owner or self)

    def _read_failed(self, error: BaseException) -> None:
        log.error("a background read of %s failed", self.plan.display, exc_info=error)
        message = str(error) if isinstance(error, UserError) else "The plan could not be read."
        self.failed.emit(message)

    def note_own_changes(self, ids: Iterable[int]) -> None:
        """Change-log rows this window wrote outside ``write`` (a partner
        export's release, on a worker): its own, not another planner's."""
        self.own_change_ids.update(ids)

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

    def push(self, command: UndoStep) -> bool:
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

    def _resolve_stale(self, command: UndoStep, stale: StaleEditError) -> bool:
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


class UndoStep(QUndoCommand):
    """One edit the planner made: a named service operation and what it did.

    ``operation(session, *args, **kwargs)`` is one of ``services/edits.py``'s
    functions; its first run is recorded (``undo_log.run_recorded``) and undo
    and redo write the recorded rows back, checked against the versions this
    window last left them at (the document's ledger), so another planner's
    change in between is never overwritten. The first ``redo()`` that
    QUndoStack.push triggers is skipped: ``first_run`` already did the work
    (and could report a refusal before anything entered the stack).
    """

    def __init__(self, text: str, operation: Callable[..., Changes], *args: Any, **kwargs: Any):
        super().__init__(text)
        self.operation = operation
        self.args = args
        self.kwargs = kwargs
        self.done: Done | None = None
        self._document: PlanDocument | None = None
        self._skip_redo = False
        # Set by the planner's "Overwrite" after a stale-edit refusal: the next
        # run applies the edit without checking the versions it was based on.
        self.overwrite = False

    def _run_operation(self, session: Session) -> Changes:
        from scheduler.services.records import OWN_VERSIONS
        from scheduler.services.undo_log import run_recorded

        if self._document is not None:
            session.info[OWN_VERSIONS] = dict(self._document.versions)
        kwargs = dict(self.kwargs)
        if self.overwrite:
            for name in ("expected_version", "expected"):
                if name in kwargs:
                    kwargs[name] = None
        self.done = run_recorded(session, lambda s: self.operation(s, *self.args, **kwargs))
        return self.done.changes

    def first_run(self, document: PlanDocument) -> None:
        self._document = document
        document.write(self._run_operation)
        assert self.done is not None
        document.versions.update(self.done.versions)
        self.overwrite = False
        self._skip_redo = True

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self._replay(undoing=False)

    def undo(self) -> None:
        self._replay(undoing=True)

    def _replay(self, *, undoing: bool) -> None:
        from scheduler.services import undo_log

        document, done = self._document, self.done
        assert document is not None and done is not None
        applied: list[undo_log.Applied] = []

        def work(session: Session) -> Changes:
            step = undo_log.undo if undoing else undo_log.redo
            result = step(session, done, document.versions, overwrite=self.overwrite)
            applied.append(result)
            return result.changes

        try:
            document.write(work)
        except UserError as exc:
            log.info("undo step %r refused: %s", self.text(), exc)
            self.setObsolete(True)
            document.failed.emit(str(exc))
            return
        self.overwrite = False
        for key in applied[0].gone:
            document.versions.pop(key, None)
        document.versions.update(applied[0].versions)
