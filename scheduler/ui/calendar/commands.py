"""Undo steps of the calendar: an edit of series and events restored from snapshots.

A move of "this and following" occurrences splits a series; making an event
recur creates dozens of occurrences. ``SeriesEdit`` takes a snapshot of the
series and events the edit may touch before it runs and of everything it
touched after, and undo/redo write one back over the other
(``services.series.restore``), keeping uuids and refs. One undo step each.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from scheduler.services.changes import Changes
from scheduler.services.series import SeriesResult, Slice, capture, restore
from scheduler.ui.document import ServiceCommand


class SeriesEdit(ServiceCommand):
    def __init__(
        self,
        text: str,
        change: Callable[[Session], SeriesResult],
        series_uuids: tuple[str, ...] = (),
        event_uuids: tuple[str, ...] = (),
    ) -> None:
        super().__init__(text)
        self.change = change
        self.series_uuids = series_uuids
        self.event_uuids = event_uuids
        self.before: Slice | None = None
        self.after: Slice | None = None

    def apply(self, session: Session) -> Changes:
        if self.after is not None and self.before is not None:
            return restore(session, self.after, self.before)
        self.before = capture(session, self.series_uuids, self.event_uuids)
        result = self.change(session)
        self.after = capture(
            session,
            tuple(dict.fromkeys((*self.series_uuids, *result.series_uuids))),
            tuple(dict.fromkeys((*self.event_uuids, *result.event_uuids))),
        )
        return result.changes

    def revert(self, session: Session) -> Changes:
        assert self.before is not None and self.after is not None
        return restore(session, self.before, self.after)
