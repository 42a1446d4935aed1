"""Long work off the GUI thread, with a progress dialog and Cancel.

The work function receives ``progress(done, total) -> bool``; it returns
False once the planner pressed Cancel, and the work should then stop
(raising ``scheduler.progress.Cancelled``). The result or the error comes
back on the GUI thread. Qt-free code (exports, imports, checks) needs no Qt
to report: the callback type, the counter and ``Cancelled`` live in
``scheduler.progress``, which this module only wraps.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from scheduler.progress import Cancelled, ProgressCallback

log = logging.getLogger(__name__)
T = TypeVar("T")
_running: set[_Job] = set()  # jobs alive until their result reached the GUI thread


class _Signals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[ProgressCallback], Any]) -> None:
        super().__init__()
        # Python owns the job: the pool must not delete it (and its signals)
        # while queued results are still on their way to the GUI thread.
        self.setAutoDelete(False)
        self.work = work
        self.signals = _Signals()
        self.cancel_requested = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        self.signals.progressed.emit(done, total)
        return not self.cancel_requested.is_set()

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:  # delivered to the GUI thread, shown there
            self._deliver(self.signals.failed, exc)
        else:
            self._deliver(self.signals.finished, result)

    @staticmethod
    def _deliver(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:
            # The program is closing and took the receiver with it.
            log.debug("result of a background job dropped at shutdown")


def run_with_progress(
    parent: QWidget | None,
    label: str,
    work: Callable[[ProgressCallback], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
) -> QProgressDialog:
    """Start ``work`` on the thread pool; the dialog shows progress and cancels."""
    dialog = QProgressDialog(label, "Cancel", 0, 0, parent)
    dialog.setObjectName("progress_dialog")
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(300)
    job = _Job(work)

    def progressed(done: int, total: int) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def finished(result: object) -> None:
        _running.discard(job)
        if not shiboken6.isValid(dialog):
            return  # the window closed meanwhile
        dialog.reset()
        on_done(cast(T, result))  # what ``work`` returned, through a Qt signal

    def failed(error: object) -> None:
        _running.discard(job)
        if not shiboken6.isValid(dialog):
            return
        dialog.reset()
        if isinstance(error, Cancelled):
            log.info("%s cancelled", label)
        on_error(cast(BaseException, error))  # ``_Job.run`` sends only exceptions

    job.signals.progressed.connect(progressed)
    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    dialog.canceled.connect(job.cancel_requested.set)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
    return dialog


DISCARD_RESULTS = "discard_results"


def discard_results(owner: QObject) -> None:
    """Drop whatever background work ``owner`` still awaits (its plan is closing)."""
    owner.setProperty(DISCARD_RESULTS, True)


def run_in_background(
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[BaseException], None],
    owner: QObject | None = None,
) -> None:
    """Run ``work`` on the thread pool; its result or error arrives on the GUI thread.

    When ``owner`` (the page or monitor waiting for the result) has been
    deleted meanwhile, or marked with ``discard_results`` (its plan was
    closed and it only awaits deletion), the result is dropped: a closed
    page must not spend the GUI thread on showing it. Reads of the plan go
    through ``PlanDocument.read_async``, which opens the session for them.
    """
    job = _Job(lambda _progress: work())

    def wanted() -> bool:
        return owner is None or (shiboken6.isValid(owner) and not owner.property(DISCARD_RESULTS))

    def finished(result: object) -> None:
        _running.discard(job)
        if wanted():
            on_done(cast(T, result))  # what ``work`` returned, through a Qt signal

    def failed(error: object) -> None:
        _running.discard(job)
        if wanted():
            on_error(cast(BaseException, error))  # ``_Job.run`` sends only exceptions

    job.signals.finished.connect(finished)
    job.signals.failed.connect(failed)
    _running.add(job)
    QThreadPool.globalInstance().start(job)
