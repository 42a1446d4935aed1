"""Work done ahead while the planner looks at the timeline: read bars, paint tiles.

After each change of the visible days, and a short pause, the bars of the
viewports around this one are read on a worker thread: one viewport back
and two ahead in the direction of the last scroll, in whole tile columns.
Meanwhile the GUI thread paints the body's tiles for the viewport on
either side (then the pages above and below) and works out their
utilisation strips, a few milliseconds at a time, from bars already read:
two viewports are read ahead so that the next one can be painted at once,
while the one after it is still being read. A scroll step then mostly
blits images.
GUI thread only, apart from the reading job the source runs.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer

from scheduler.ui.timeline.geometry import HEADER_HEIGHT, ROW_HEIGHT
from scheduler.ui.timeline.tiles import BLOCK_ROWS

if TYPE_CHECKING:
    from scheduler.ui.timeline.view import TimelineView

PAUSE_MS = 120  # no work ahead while the view keeps moving
SLICE_SECONDS = 0.006  # painting ahead per turn of the event loop
RETRY_MS = 20  # while the bars a tile needs are still being read

Item = tuple[str, int, int]  # ("tile", block, column) or ("use", scroll x, 0)
Work = list[Item]


class LookAhead(QObject):
    """Reads and paints ahead for one ``TimelineView`` (its parent)."""

    def __init__(self, view: TimelineView) -> None:
        super().__init__(view)
        self.view = view
        self.direction = 1  # +1 after scrolling to later days, -1 to earlier ones
        self._scroll_x: int | None = None
        self._work: Work = []
        self._waiting: Work = []
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(PAUSE_MS)
        self._pause.timeout.connect(self.start)
        self._slice = QTimer(self)
        self._slice.setSingleShot(True)
        self._slice.timeout.connect(self.paint_some)

    @property
    def busy(self) -> bool:
        """Whether work planned for the current place is not done yet."""
        return bool(self._work or self._waiting) or self._pause.isActive()

    def moved(self) -> None:
        """The visible days changed: drop the work planned for the old place."""
        scroll_x = self.view.horizontalScrollBar().value()
        if self._scroll_x is not None and scroll_x != self._scroll_x:
            self.direction = 1 if scroll_x > self._scroll_x else -1
        self._scroll_x = scroll_x
        self._work, self._waiting = [], []
        self._slice.stop()
        self._pause.start()

    def start(self) -> None:
        """Read around the view on a worker thread and start painting tiles."""
        view = self.view
        view.prepare_tiles()
        grid = view.body.grid
        scroll_x, width = view.horizontalScrollBar().value(), view.data_width
        back, ahead = (width, 2 * width) if self.direction > 0 else (2 * width, width)
        columns = grid.columns(max(scroll_x - back, 0), back + width + ahead)
        if columns:
            view.source.prefetch(*grid.span(columns))
        self._work = self._plan()
        self._waiting = []
        self._slice.start(0)

    def _plan(self) -> Work:
        """What to do, last first: the tiles the view lacks, the viewport ahead (and
        its utilisation strips), the one behind, then the pages below and above;
        no more tiles than the cache keeps."""
        view = self.view
        body, grid = view.body, view.body.grid
        scroll_x, width = view.horizontalScrollBar().value(), view.data_width
        page = max(view.viewport().height() - HEADER_HEIGHT, ROW_HEIGHT)
        height = BLOCK_ROWS * ROW_HEIGHT
        offset = view.verticalScrollBar().value()
        blocks = range(offset // height, (offset + page - 1) // height + 1)
        here = grid.columns(scroll_x, width)
        after = [c for c in grid.columns(scroll_x + width, width) if c not in here]
        before = [c for c in grid.columns(max(scroll_x - width, 0), width) if c not in here]
        before.reverse()
        next_use = ("use", min(scroll_x + width, view.horizontalScrollBar().maximum()), 0)
        last_use = ("use", max(scroll_x - width, 0), 0)
        if self.direction > 0:
            beside = [*(("tile", b, c) for c in after for b in blocks), next_use]
            beside += [*(("tile", b, c) for c in before for b in blocks), last_use]
        else:
            beside = [*(("tile", b, c) for c in before for b in blocks), last_use]
            beside += [*(("tile", b, c) for c in after for b in blocks), next_use]
        rows = len(view.rows)
        near = [
            b
            for b in (
                *range(blocks.stop, blocks.stop + len(blocks)),
                *range(blocks.start - len(blocks), blocks.start),
            )
            if 0 <= b * BLOCK_ROWS < rows
        ]
        work: Work = [("tile", b, c) for b in blocks for c in here]
        work += beside
        work += [("tile", b, c) for b in near for c in here]
        room = body.capacity // 2
        work = [item for item in work if item[0] == "use" or (room := room - 1) >= 0]
        work.reverse()
        return work

    def paint_some(self) -> None:
        """Paint tiles for a few milliseconds, then let the event loop run."""
        view = self.view
        view.prepare_tiles()
        deadline = time.perf_counter() + SLICE_SECONDS
        work = self._work
        while work and time.perf_counter() < deadline:
            item = work.pop()
            if not self._do(item):
                self._waiting.append(item)
        if work:
            self._slice.start(0)
        elif self._waiting and view.source.prefetching:
            self._slice.start(RETRY_MS)
        elif self._waiting:
            # The read finished: do what it brought (what it could not read is dropped).
            self._work = [item for item in reversed(self._waiting) if self._can(item)]
            self._waiting = []
            if self._work:
                self._slice.start(0)

    def _can(self, item: Item) -> bool:
        """Whether the bars ``item`` needs are read."""
        view = self.view
        if item[0] == "tile":
            return view.body.ready(range(item[2], item[2] + 1))
        first, last = view.window_at(item[1])
        return view.source.covers(first, last)

    def _do(self, item: Item) -> bool:
        """Do ``item`` if its bars are read; False to try again after the read."""
        if not self._can(item):
            return False
        view = self.view
        if item[0] == "tile":
            if not view.body.has(item[1], item[2]):
                view.body.tile(item[1], item[2])
            view.header.tile(item[2])
            return True
        data = view.source.data
        if data is None:
            return True
        axis = view.axis_at(item[1])
        first, last = axis.visible()
        for index, _top in view.visible_rows():
            row = view.rows[index]
            if row.kind == "resource":
                resource = data.resources[row.index]
                view.body.overlay(resource.id, axis, (first, last))
                booked, working = view.source.utilisation(resource, first, last)
                view.labels.strip(index, booked / working if working else 0.0)
        return True
