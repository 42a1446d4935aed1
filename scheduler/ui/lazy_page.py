"""Pages whose data is read on a worker thread, and only while they are seen.

A change to the plan while such a page is hidden only marks it stale; it
reads again when shown. Planners editing on the calendar then pay nothing
for the heatmap or requirements numbers they are not looking at.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from scheduler.services.changes import Changes


class LazyPage(QWidget):
    """Subclasses set ``watched`` (record kinds) and implement ``reload``."""

    watched: tuple[str, ...] = ()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._stale = True

    def reload(self) -> None:
        raise NotImplementedError

    def mark_fresh(self) -> None:
        """Called by ``reload`` when it starts reading."""
        self._stale = False

    @property
    def stale(self) -> bool:
        """True until the first read, and while hidden after a change."""
        return self._stale

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.reload()
        super().showEvent(event)

    def on_changed(self, changes: Changes) -> None:
        if not changes.touches(*self.watched):
            return
        if self.isVisible():
            self.reload()
        else:
            self._stale = True
