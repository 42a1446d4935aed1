"""Where a dragged event would land, for the drag's preview.

The drop moves an event by its host nation's working days (holidays
skipped, ``services.event_moves``); the preview must show the same days.
The rule's inputs (calendar, working days) are read once per event and kept
until the plan changes, so a drag reads the plan at most once.
"""

from __future__ import annotations

from datetime import date

from scheduler.services.changes import Changes
from scheduler.services.event_moves import Landing, landing_of
from scheduler.ui.document import PlanDocument


class Landings:
    def __init__(self, document: PlanDocument) -> None:
        self.document = document
        self._kept: dict[str, Landing] = {}
        document.changed.connect(self._forget)

    def span(self, uuid: str, first_day: date) -> tuple[date, date]:
        """The first and last day the event gets when dropped on ``first_day``."""
        landing = self._kept.get(uuid)
        if landing is None:
            landing = self.document.read(lambda s: landing_of(s, uuid))
            self._kept[uuid] = landing
        return landing.span(first_day)

    def _forget(self, _changes: Changes) -> None:
        self._kept.clear()
