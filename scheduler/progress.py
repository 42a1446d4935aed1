"""Progress reports and cancellation for long work: exports, imports, reports, checks.

One module for every layer (exchange, services, reports and the window's
workers), so that a Cancel pressed in the window stops a writer deep in
``exchange`` with the very exception the window then recognises. It imports
no Qt and no database: the window runs the work on a worker thread and
passes a callback that updates a progress bar; returning False from it asks
the work to stop. Stopping raises ``Cancelled``, and the writers leave no
partial file behind.
"""

from __future__ import annotations

from collections.abc import Callable

from scheduler.errors import UserError

# progress(done, total) -> keep going?
ProgressCallback = Callable[[int, int], bool]


class Cancelled(UserError):
    """The planner stopped the work; nothing was written."""

    def __init__(self, message: str = "Stopped. Nothing was written.") -> None:
        super().__init__(message)


class Progress:
    """Counts work done and asks the callback at most every ``step`` units.

    Calling the callback per row would cost more than the row itself on a
    100,000-event export; every few hundred rows is smooth enough for a bar.
    """

    def __init__(self, callback: ProgressCallback | None, total: int, step: int = 500) -> None:
        self.callback = callback
        self.total = max(total, 1)
        self.done = 0
        self._step = step
        self._next_report = 0

    def advance(self, amount: int = 1) -> None:
        self.done += amount
        if self.callback is not None and self.done >= self._next_report:
            self._next_report = self.done + self._step
            self._ask()

    def finish(self) -> None:
        self.done = self.total
        if self.callback is not None:
            self._ask()

    def _ask(self) -> None:
        assert self.callback is not None
        if self.callback(min(self.done, self.total), self.total) is False:
            raise Cancelled()
