"""Pages whose data is read on a worker thread, and only while they are seen.

A change to the plan while such a page is hidden only marks it stale; it
reads again when shown. Planners editing on the calendar then pay nothing
for the heatmap or requirements numbers they are not looking at.

Leaving a page while it reads stops the read's statements on a plan file
and drops what it brings back (the page reads again when shown). A page
that can let go of what it loaded (``drop_loaded``) does so once
``KEEP_HIDDEN`` other such pages were left after it, and the freed heap
goes back to the system: a planner who has looked at every page of a
100,000-event plan should not carry them all.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QWidget

from scheduler.errors import UserError
from scheduler.services.changes import Changes
from scheduler.ui.heap import give_back_freed

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from scheduler.ui.document import PlanDocument

log = logging.getLogger(__name__)
T = TypeVar("T")

# Pages left with their data, besides the one shown: quick back-and-forth
# between two or three pages stays instant.
KEEP_HIDDEN = 2
RELEASE_AFTER_MS = 1_000
# Records from which a hidden page lets go of what it loaded: below, holding
# them costs less than reading them again.
LONG_LIST = 5_000
_left: list[weakref.ref[LazyPage]] = []  # oldest first


class LazyPage(QWidget):
    """Subclasses set ``watched`` (record kinds) and implement ``reload``,
    starting each read with ``start_load`` and checking its result with
    ``is_current``; those that hold much may implement ``drop_loaded``."""

    watched: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = True
        self._generation = 0
        self._in_flight: int | None = None
        # When the page's first rows of its latest read were on screen
        # (``time.perf_counter``); numbers that need every event may come later.
        self.rows_shown_at: float | None = None

    def reload(self) -> None:
        raise NotImplementedError

    def mark_fresh(self) -> None:
        """Called by ``reload`` when it starts reading."""
        self._stale = False
        self.rows_shown_at = None

    def rows_on_screen(self) -> None:
        """Called once the page shows its first rows (what the planner came
        for: a list, the dashboard's counts and coming events)."""
        if self.rows_shown_at is None:
            self.rows_shown_at = time.perf_counter()

    def start_load(self) -> int:
        """A new read: its number, which ``is_current`` checks when it comes back."""
        self._generation += 1
        self._in_flight = self._generation
        return self._generation

    def is_current(self, generation: int) -> bool:
        """Whether a read that came back is still wanted (no newer one, page not left)."""
        if generation != self._generation:
            return False
        self._in_flight = None
        return True

    def read_in_background(
        self,
        document: PlanDocument,
        read: Callable[[Session], T],
        done: Callable[[T], None],
        *,
        say: Callable[[str], None],
        what: str,
    ) -> None:
        """One load of the page on a worker thread: ``done`` with what ``read``
        brings, if still wanted; a failure told in words (``say``: "The
        requirements could not be read; see the log." for ``what`` = "the
        requirements"), its detail in the log."""
        generation = self.start_load()

        def arrived(result: T) -> None:
            if self.is_current(generation):
                done(result)

        def failed(error: BaseException) -> None:
            if not self.is_current(generation):
                return
            if isinstance(error, UserError):
                say(str(error))
            else:
                log.error("reading %s failed", what, exc_info=error)
                say(f"{what[:1].upper()}{what[1:]} could not be read; see the log.")

        document.read_async(
            read, arrived, failed=failed, owner=self, cancelled=self.cancelled(generation)
        )

    def cancelled(self, generation: int) -> Callable[[], bool]:
        """For the worker: whether read ``generation`` is no longer wanted
        (a newer one started, or the page was left), so it may stop."""
        return lambda: generation != self._generation

    @property
    def stale(self) -> bool:
        """True until the first read, and while hidden after a change."""
        return self._stale

    def drop_loaded(self) -> bool:
        """Let go of what the page loaded; True if it did (it reads again when shown)."""
        return False

    def showEvent(self, event: QShowEvent) -> None:
        _forget(self)
        if self._stale:
            self.reload()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        super().hideEvent(event)
        if event.spontaneous():  # the window minimised: the page is still the one in view
            return
        if self._in_flight is not None:
            # Left while reading: what comes back is dropped; read again on return.
            self._generation += 1
            self._in_flight = None
            self._stale = True
        _left.append(weakref.ref(self))
        # After the page now shown has painted: freeing 100,000 rows takes a
        # few tenths of a second, better spent while the planner reads.
        QTimer.singleShot(RELEASE_AFTER_MS, _release_old)

    def invalidate(self) -> None:
        """What the page shows is out of date: read again now if seen, else when next shown."""
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*self.watched):
            self.invalidate()


def _forget(page: LazyPage) -> None:
    _left[:] = [ref for ref in _left if ref() is not None and ref() is not page]


def _release_old() -> None:
    """Pages left longest ago drop their data, once ``KEEP_HIDDEN`` newer ones were left."""
    alive = [ref for ref in _left if ref() is not None]
    _left[:] = alive
    dropped = False
    while len(_left) > KEEP_HIDDEN:
        page = _left.pop(0)()
        try:
            if page is not None and not page.isVisible() and page.drop_loaded():
                page._stale = True
                dropped = True
        except RuntimeError:  # its window was closed meanwhile: nothing left to free
            continue
    if dropped:
        give_back_freed()
