"""Long work off the GUI thread, with a progress dialog and Cancel.

The work function receives ``progress(done, total) -> bool``; it returns
False once the planner pressed Cancel, and the work should then stop
(raising ``scheduler.progress.Cancelled``). The result or the error comes
back on the GUI thread. Qt-free code (exports, imports, checks) needs no Qt
to report: the callback type, the counter and ``Cancelled`` live in
``scheduler.progress``, which this module only wraps.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from scheduler.progress import Cancelled, ProgressCallback

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Postman(QObject):
    """Carries every job's progress, result or error from the pool's threads
    to the GUI thread, where it was made, under the job's number.

    One for the program rather than a QObject per job: a job's own signals
    held its callbacks, and they the page awaiting it, through Qt, where
    Python's collector cannot see; and a QRunnable the pool was told not to
    delete stayed alive for good. Every read ever run kept a closed plan's
    pages and engine alive.
    """

    progressed = Signal(int, int, int)
    finished = Signal(int, object)
    failed = Signal(int, object)


@dataclass(frozen=True, slots=True)
class _Awaited:
    """What the GUI thread does with a job's news."""

    done: Callable[[object], None]
    failed: Callable[[object], None]
    progressed: Callable[[int, int], None] | None = None


_awaited: dict[int, _Awaited] = {}  # by job number, until the result has arrived
_numbers = itertools.count(1)


@functools.cache
def _postman() -> _Postman:
    """Made on the GUI thread by the first job started (jobs start there)."""
    postman = _Postman()
    postman.progressed.connect(_on_progress)
    postman.finished.connect(_on_finished)
    postman.failed.connect(_on_failed)
    return postman


def _on_progress(number: int, done: int, total: int) -> None:
    awaited = _awaited.get(number)
    if awaited is not None and awaited.progressed is not None:
        awaited.progressed(done, total)


def _on_finished(number: int, result: object) -> None:
    awaited = _awaited.pop(number, None)
    if awaited is not None:
        awaited.done(result)


def _on_failed(number: int, error: object) -> None:
    awaited = _awaited.pop(number, None)
    if awaited is not None:
        awaited.failed(error)


class _Job(QRunnable):
    """One piece of work for the pool, which deletes it once run (and with
    it ``work`` and what that holds). A plain callable given to the pool
    instead deadlocked: PySide disconnected it on a worker thread, holding a
    Qt lock while it waited for the interpreter, which the GUI thread held
    while waiting for that lock."""

    def __init__(
        self, postman: _Postman, number: int, work: Callable[[ProgressCallback], Any]
    ) -> None:
        super().__init__()
        self.postman = postman
        self.number = number
        self.work = work
        self.cancel = threading.Event()

    def progress(self, done: int, total: int) -> bool:
        self.postman.progressed.emit(self.number, done, total)
        return not self.cancel.is_set()

    def run(self) -> None:
        try:
            result = self.work(self.progress)
        except BaseException as exc:  # delivered to the GUI thread, shown there
            _send(self.postman.failed, self.number, exc)
        else:
            _send(self.postman.finished, self.number, result)


def _start(work: Callable[[ProgressCallback], Any], awaited: _Awaited) -> threading.Event:
    """Run ``work`` on the pool; ``awaited`` hears of it on the GUI thread.
    The event returned, once set, makes ``work``'s progress callback say stop."""
    job = _Job(_postman(), next(_numbers), work)
    _awaited[job.number] = awaited
    QThreadPool.globalInstance().start(job)
    return job.cancel


def _send(signal: Any, number: int, value: object) -> None:
    try:
        signal.emit(number, value)
    except RuntimeError:
        # The program is closing and took the postman with it.
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

    def progressed(done: int, total: int) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def finished(result: object) -> None:
        if not shiboken6.isValid(dialog):
            return  # the window closed meanwhile
        dialog.reset()
        on_done(cast(T, result))  # what ``work`` returned, through a Qt signal

    def failed(error: object) -> None:
        if not shiboken6.isValid(dialog):
            return
        dialog.reset()
        if isinstance(error, Cancelled):
            log.info("%s cancelled", label)
        on_error(cast(BaseException, error))  # ``run`` sends only exceptions

    cancel = _start(work, _Awaited(finished, failed, progressed))
    dialog.canceled.connect(cancel.set)
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

    def wanted() -> bool:
        return owner is None or (shiboken6.isValid(owner) and not owner.property(DISCARD_RESULTS))

    def finished(result: object) -> None:
        if wanted():
            on_done(cast(T, result))  # what ``work`` returned, through a Qt signal

    def failed(error: object) -> None:
        if wanted():
            on_error(cast(BaseException, error))  # ``run`` sends only exceptions

    _start(lambda _progress: work(), _Awaited(finished, failed))
