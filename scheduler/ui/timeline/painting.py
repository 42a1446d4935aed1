"""Painting one viewport of the timeline with QPainter, from plain rows.

Only the rows and days in view are touched: the work of a paint grows with
the viewport, not with the plan (2,000 rows paint as fast as 50). Colours
come from the palette or are drawn with alpha over it, so the view reads on
light and dark palettes alike; bars take the calendar's colours.

A frame is mostly kept images: the body's block tiles (``tiles.py``), the
header's tiles (``header.py``) and the names (``labels.py``). What cannot
be kept is painted over them directly with the same code: rows whose bars
stack, the row of a bar being dragged, labels pulled into view at the left
edge, today's line and the drag preview. When the tiles of a new place
would cost more than painting it (a jump), the body is painted directly
and the look-ahead paints the tiles afterwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QPainter, QPalette, QPen

from scheduler.services.timeline_rows import TimelineBar
from scheduler.ui.timeline.geometry import HEADER_HEIGHT, LABEL_WIDTH, ROW_HEIGHT
from scheduler.ui.timeline.rows import TODAY, PlacedBar, RowLayout, assign_lanes, bar_rect
from scheduler.ui.timeline.tiles import BLOCK_ROWS, TILE_WIDTH

if TYPE_CHECKING:
    from scheduler.ui.timeline.view import TimelineView


class TimelinePainter:
    """Paints one frame of a ``TimelineView``; made per paint event."""

    def __init__(self, view: TimelineView, painter: QPainter) -> None:
        self.view = view
        self.p = painter
        self.palette = view.palette()
        self.axis = view.axis()
        self.width = view.viewport().width()
        self.height = view.viewport().height()
        self.first, self.last = self.axis.visible()
        self.body = view.body
        self.grid = view.body.grid
        self.columns = self.grid.columns(self.axis.scroll_x, self.width - LABEL_WIDTH)
        self.strips = [(self.grid.x_of(c, self.axis.scroll_x), c) for c in self.columns]
        self.offset = view.verticalScrollBar().value()

    def paint(self) -> None:
        p, view = self.p, self.view
        rows = view.visible_rows()
        p.save()
        p.setClipRect(LABEL_WIDTH, HEADER_HEIGHT, self.width - LABEL_WIDTH, self.height)
        if self._tiled():
            self._blit()
            self._over_tiles(rows)
        else:
            self._direct(rows)
        self._today()
        view.paint_drag(p)
        p.restore()
        view.header.paint(p, self.axis, self.width)
        view.labels.paint(p, self.offset, self.height, self._shares(rows), view.corner_text)

    # --- body from tiles
    def _blocks(self) -> range:
        height = BLOCK_ROWS * ROW_HEIGHT
        last = self.offset + max(self.height - HEADER_HEIGHT, 1) - 1
        return range(self.offset // height, last // height + 1)

    def _tiled(self) -> bool:
        """Whether to blit tiles: when the tiles missing cost no more to paint than
        the view itself (scrolling on, not jumping). The bars of the tiles' days
        beyond the view are then read too, if the read-ahead has not yet."""
        body, source = self.body, self.view.source
        if source.data is None or not self.columns:
            return False
        missing = sum(not body.has(b, c) for b in self._blocks() for c in self.columns)
        area = (self.width - LABEL_WIDTH) * (self.height - HEADER_HEIGHT)
        if missing * TILE_WIDTH * BLOCK_ROWS * ROW_HEIGHT > area:
            return False
        if missing and not body.ready(self.columns):
            source.ensure(*self.grid.span(self.columns))
        return True

    def _blit(self) -> None:
        p, body = self.p, self.body
        height = BLOCK_ROWS * ROW_HEIGHT
        for block in self._blocks():
            y = HEADER_HEIGHT + block * height - self.offset
            for x, column in self.strips:
                p.drawImage(QPoint(x, y), body.tile(block, column))
        # Past the end of the period (a short plan at a wide zoom): rows without days.
        end = self.grid.x_of(self.columns[-1] + 1, self.axis.scroll_x)
        if end < self.width:
            self._backgrounds(end, self.width, [])

    def _over_tiles(self, rows: list[tuple[int, float]]) -> None:
        """Rows a tile cannot show as they are now, painted directly over it."""
        view, body = self.view, self.body
        data = view.source.data
        assert data is not None
        dragged = view.dragging_event()
        window = (self.first, self.last)
        for index, top in rows:
            row = view.rows[index]
            if row.kind != "resource":
                continue
            resource_id = data.resources[row.index].id
            if dragged is not None:  # the dragged bar is dimmed wherever it shows
                bars = list(view.source.bars(resource_id, *window))
                if any(bar.event_id == dragged for bar in bars):
                    lanes, count = assign_lanes(bars)
                    self._row(index, top, bars, lanes, count)
                    continue
            over = body.overlay(resource_id, self.axis, window)
            if over is None:
                continue
            if over.split is None:
                self._row(index, top, list(over.bars), list(over.lanes), over.count)
                continue
            split = min(over.split, self.width)
            p = self.p
            p.save()
            p.setClipRect(
                QRect(LABEL_WIDTH, round(top), split - LABEL_WIDTH, ROW_HEIGHT),
                Qt.ClipOperation.IntersectClip,
            )
            self._row(index, top, list(over.bars), None, 1, split)
            p.restore()

    # --- body painted directly
    def _direct(self, rows: list[tuple[int, float]]) -> None:
        view = self.view
        data = view.source.data
        for index, top in rows:
            row = view.rows[index]
            if data is None or row.kind != "resource":
                self.body.background(
                    self.p, index, round(top), LABEL_WIDTH, self.width, self.strips
                )
                continue
            bars = list(view.source.bars(data.resources[row.index].id, self.first, self.last))
            lanes, count = assign_lanes(bars)
            self._row(index, top, bars, lanes, count)
        below = round(rows[-1][1]) + ROW_HEIGHT if rows else HEADER_HEIGHT
        if below < self.height:
            rest = QRect(LABEL_WIDTH, below, self.width - LABEL_WIDTH, self.height - below)
            self.p.fillRect(rest, self.palette.color(QPalette.ColorRole.Base))
            for x, column in self.strips:
                self.p.drawTiledPixmap(
                    QRect(x, below, TILE_WIDTH, rest.height()), self.body.strip(column)
                )

    def _backgrounds(self, left: int, right: int, strips: list[tuple[int, int]]) -> None:
        rows = self.view.visible_rows()
        for index, top in rows:
            self.body.background(self.p, index, round(top), left, right, strips)
        below = round(rows[-1][1]) + ROW_HEIGHT if rows else HEADER_HEIGHT
        if below < self.height:
            base = self.palette.color(QPalette.ColorRole.Base)
            self.p.fillRect(QRect(left, below, right - left, self.height - below), base)

    def _row(
        self,
        index: int,
        top: float,
        bars: list[TimelineBar],
        lanes: list[int] | None,
        count: int,
        right: int | None = None,
    ) -> None:
        """One row band painted directly, up to ``right``: background, then its bars
        as in view (``bars`` in ``lanes`` of ``count``)."""
        axis = self.axis
        right = self.width if right is None else right
        strips = [(x, column) for x, column in self.strips if x < right]
        self.body.background(self.p, index, round(top), LABEL_WIDTH, right, strips)
        layout = RowLayout(
            [
                PlacedBar(bar, bar_rect(axis, top, bar, lane, count), lane)
                for bar, lane in zip(bars, lanes or [0] * len(bars), strict=True)
            ],
            count,
        )
        self.body.content(
            self.p,
            index,
            axis,
            top,
            (self.first, min(self.last, axis.day_at(right))),
            layout,
            LABEL_WIDTH + 2,
            self.view.dragging_event(),
        )

    def _today(self) -> None:
        today = self.view.source.today
        if not self.first <= today <= self.last:
            return
        x = self.axis.x_of(today) + self.axis.day_width / 2
        self.p.setPen(QPen(TODAY, 2.0))
        self.p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, self.height))

    # --- names on the left
    def _shares(self, rows: list[tuple[int, float]]) -> dict[int, float]:
        """Row index → share of working days booked in view, for the resource rows."""
        view = self.view
        data = view.source.data
        if data is None:
            return {}
        shares = {}
        for index, _top in rows:
            row = view.rows[index]
            if row.kind != "resource":
                continue
            resource = data.resources[row.index]
            booked, working = view.source.utilisation(resource, self.first, self.last)
            shares[index] = booked / working if working else 0.0
        return shares
