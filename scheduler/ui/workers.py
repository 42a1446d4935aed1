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
    """Tells the GUI thread, where it was made, of every job's progress and
    end, by the job's number: only numbers cross between threads.

    The work, its result or its error, and the progress dialog's Cancel,
    are let go on the GUI thread, never on a worker: a job's cancel event,
    freed on a worker, made PySide undo its connection to the dialog there,
    holding a Qt lock while it waited for the interpreter, which the GUI
    thread held while waiting for that lock (two clean-clone runs hung). And one postman for
    the program rather than a QObject per job: a job's own signals held its
    callbacks, and they the page awaiting it, through Qt, where Python's
    collector cannot see, so every read ever run kept a closed plan alive.
    """

    progressed = Signal(int, int, int)
    ended = Signal(int)


@dataclass(frozen=True, slots=True)
class _Awaited:
    """What the GUI thread does with a job's news."""

    done: Callable[[object], None]
    failed: Callable[[object], None]
    progressed: Callable[[int, int], None] | None = None


# By job number: what awaits it and its work, until it has ended (GUI thread).
_awaited: dict[int, tuple[_Awaited, object]] = {}
# By job number: (failed, result or error), put by its worker, taken on the GUI thread.
_ended: dict[int, tuple[bool, object]] = {}
_stopped: set[int] = set()  # jobs the planner cancelled: their progress callback says stop
_numbers = itertools.count(1)


@functools.cache
def _postman() -> _Postman:
    """Made on the GUI thread by the first job started (jobs start there)."""
    postman = _Postman()
    postman.progressed.connect(_on_progress)
    postman.ended.connect(_on_ended)
    return postman


def _on_progress(number: int, done: int, total: int) -> None:
    found = _awaited.get(number)
    if found is not None and found[0].progressed is not None:
        found[0].progressed(done, total)


def _on_ended(number: int) -> None:
    failed, value = _ended.pop(number)
    awaited, _work = _awaited.pop(number)  # the work goes here, on the GUI thread
    _stopped.discard(number)
    if failed:
        awaited.failed(value)
    else:
        awaited.done(value)


def _stop(number: int) -> None:
    _stopped.add(number)


class _Job(QRunnable):
    """One piece of work for the pool, which deletes the job once run (on
    its thread); by then it holds nothing but its number, and the postman."""

    def __init__(
        self, postman: _Postman, number: int, work: Callable[[ProgressCallback], Any]
    ) -> None:
        super().__init__()
        self.postman = postman
        self.number = number
        self.work: Callable[[ProgressCallback], Any] | None = work

    def progress(self, done: int, total: int) -> bool:
        self.postman.progressed.emit(self.number, done, total)
        return self.number not in _stopped

    def run(self) -> None:
        work, self.work = self.work, None
        assert work is not None
        try:
            value, failed = work(self.progress), False
        except BaseException as exc:  # delivered to the GUI thread, shown there
            value, failed = exc, True
        del work
        _ended[self.number] = (failed, value)
        del value  # the GUI thread holds the last reference
        try:
            self.postman.ended.emit(self.number)
        except RuntimeError:
            # The program is closing and took the postman with it.
            log.debug("result of a background job dropped at shutdown")


def _start(work: Callable[[ProgressCallback], Any], awaited: _Awaited) -> int:
    """Run ``work`` on the pool; ``awaited`` hears of it on the GUI thread.
    The job's number, which ``_stop`` takes to make its progress say stop."""
    job = _Job(_postman(), next(_numbers), work)
    _awaited[job.number] = (awaited, work)
    QThreadPool.globalInstance().start(job)
    return job.number


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

    number = _start(work, _Awaited(finished, failed, progressed))
    dialog.canceled.connect(functools.partial(_stop, number))
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
