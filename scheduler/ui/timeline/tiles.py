"""The body of the timeline (row bands under the header) and its tiles.

Painting some 500 bars from Python, one Qt call at a time, was most of a
scroll step at year zoom; and every Qt call lets other Python threads in
(the conflict check, the read-ahead), so the number of calls counts as
much as their cost. The body is therefore kept as tiles: a *block* of
``BLOCK_ROWS`` rows across one *column* of ``TILE_WIDTH`` pixels of days,
painted once into an image with exactly what direct painting draws (row
background, weekend shading and day lines, days off, absences, bars) and
blitted while scrolling. Columns sit at fixed places in the days (column
``c`` covers pixels ``c * TILE_WIDTH`` onwards of the whole period), so
scrolling reuses them; the look-ahead (``ahead.py``) paints those around
the view while the planner looks.

A tile shows every bar of its days in one lane. ``TimelinePainter``
paints over it, directly, a row whose bars in view stack in lanes, the
row of a bar being dragged, and the left end of a row whose first bar's
label is pulled into view.

Everything a tile shows is in the scene key of ``Body.prepare``: period
and zoom, device pixel ratio, palette, font, working week, the source's
version (bumped on any change to events or resources), the rows' version
(bumped by ``set_rows``) and the clash version (bumped when conflicts
change). A different key drops every tile. GUI thread only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QLineF, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPen, QPixmap

from scheduler.services.timeline_rows import TimelineBar, TimelineRow
from scheduler.ui.timeline.geometry import LABEL_WIDTH, ROW_HEIGHT, DayAxis
from scheduler.ui.timeline.imagecache import ImageCache, blank, cut
from scheduler.ui.timeline.rows import (
    LABEL_MIN_WIDTH,
    PlacedBar,
    RowLayout,
    RowPainter,
    assign_lanes,
    bar_rect,
    blend,
    px,
)
from scheduler.ui.timeline.source import TimelineSource

TILE_WIDTH = 512  # pixels of days per column; a multiple of 8 keeps 1.25x, 1.5x… ratios whole
BLOCK_ROWS = 8  # rows per tile
EDGE = 8  # pixels painted beyond each side of a tile, then cut off
BUDGET = 96 * 1024 * 1024  # bytes of body tiles kept (a screenful is ~5 MB at 1x, ~20 MB at 2x)


@dataclass(frozen=True, slots=True)
class Overlay:
    """What of a row a tile cannot show at one place, to paint over it directly.

    ``split`` None: the whole row (its bars in view stack in ``count`` lanes);
    otherwise the row's start up to x = ``split``, where a bar that starts
    left of the view keeps its label in view. ``bars`` are those to paint.
    """

    bars: tuple[TimelineBar, ...]
    lanes: tuple[int, ...]
    count: int
    split: int | None


class TileGrid:
    """Columns of ``TILE_WIDTH`` pixels over a period at one zoom (pure geometry)."""

    def __init__(self, first: date, days: int, day_width: float) -> None:
        self.first = first
        self.days = days
        self.day_width = day_width
        self.key = (first, days, day_width)

    def columns(self, scroll_x: int, width: int) -> range:
        """Columns sharing a pixel with the days from ``scroll_x`` over ``width`` pixels."""
        total = math.ceil(self.days * self.day_width)
        right = min(scroll_x + width, total)
        low = max(scroll_x, 0)
        if right <= low:
            return range(0)
        return range(low // TILE_WIDTH, (right - 1) // TILE_WIDTH + 1)

    def days_of(self, column: int, left: int = 0, right: int = TILE_WIDTH) -> tuple[date, date]:
        """The days a column shows part of (between its pixels ``left`` and ``right``),
        within the period."""
        low = math.floor((column * TILE_WIDTH + left) / self.day_width)
        high = math.ceil((column * TILE_WIDTH + right) / self.day_width) - 1
        return (
            self.first + timedelta(days=max(low, 0)),
            self.first + timedelta(days=min(high, self.days - 1)),
        )

    def span(self, columns: Sequence[int]) -> tuple[date, date]:
        return self.days_of(columns[0])[0], self.days_of(columns[-1])[1]

    def x_of(self, column: int, scroll_x: int) -> int:
        """Viewport x of a column's left edge."""
        return LABEL_WIDTH + column * TILE_WIDTH - scroll_x

    def axis(self, column: int, margin: int = 0) -> DayAxis:
        """The axis that puts a column's first pixel at x = ``margin``."""
        return DayAxis(
            self.first,
            self.days,
            self.day_width,
            column * TILE_WIDTH + LABEL_WIDTH - margin,
            TILE_WIDTH + margin,
        )


class Body:
    """Paints row bands of a ``TimelineView`` and keeps them as block tiles.

    ``prepare(...)`` states the scene before each use; ``band(...)`` paints
    one row band anywhere; ``tile(block, column)`` returns a kept or newly
    painted tile (the bars of its days must have been read: ``ready``).
    """

    def __init__(self, source: TimelineSource) -> None:
        self.source = source
        self.tiles = ImageCache(BUDGET)
        self.grid = TileGrid(source.today, 1, 1.0)
        self.rows: Sequence[TimelineRow] = ()
        self.painter: RowPainter | None = None
        self.ratio = 1.0
        self._strips: dict[int, QPixmap] = {}
        self._overlays: dict[tuple[int, date, date, int], Overlay | None] = {}
        self._base = QColor()
        self._alternate = QColor()
        self._group = QColor()
        self._dim = QColor()
        self._line = QColor()

    # --- the scene
    def prepare(
        self,
        grid: TileGrid,
        rows: Sequence[TimelineRow],
        rows_version: int,
        ratio: float,
        palette: QPalette,
        font: QFont,
        clashes: Hashable,
        clash_of: Callable[[int], str | None],
    ) -> bool:
        """Drop every tile unless the scene is the one they were painted in;
        True when they were dropped."""
        self.rows = rows
        scene = (
            grid.key,
            rows_version,
            ratio,
            palette.cacheKey(),
            font.key(),
            self.source.working_weekdays,
            self.source.version,
            clashes,
            clash_of,
        )
        if not self.tiles.use(scene) and self.painter is not None:
            return False
        self.grid = grid
        self.ratio = ratio
        self._strips.clear()
        self._overlays.clear()
        self._base = palette.color(QPalette.ColorRole.Base)
        self._alternate = palette.color(QPalette.ColorRole.AlternateBase)
        self._group = blend(palette, QPalette.ColorRole.Text, 22)
        self._dim = blend(palette, QPalette.ColorRole.Text, 18)
        self._line = blend(palette, QPalette.ColorRole.Text, 40)
        self.painter = RowPainter(self.source, font, clash_of)
        return True

    @property
    def capacity(self) -> int:
        """Tiles the memory budget holds."""
        side = math.ceil(TILE_WIDTH * self.ratio) * math.ceil(BLOCK_ROWS * ROW_HEIGHT * self.ratio)
        return self.tiles.room(side * 4)

    def ready(self, columns: Sequence[int]) -> bool:
        """Whether the bars of these columns' days are read (so tiles can be painted)."""
        return not columns or self.source.covers(*self.grid.span(columns))

    # --- bands
    def strip(self, column: int) -> QPixmap:
        """One row's height of a column with days off dimmed and day lines, to lay
        under each row (a rectangle per weekend per row would cost a call each)."""
        found = self._strips.get(column)
        if found is not None:
            return found
        wide = QImage(
            math.ceil((TILE_WIDTH + 2 * EDGE) * self.ratio),
            math.ceil(ROW_HEIGHT * self.ratio),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        wide.setDevicePixelRatio(self.ratio)
        wide.fill(Qt.GlobalColor.transparent)
        p = QPainter(wide)
        axis = self.grid.axis(column, EDGE)
        working = self.source.working_weekdays
        first, last = self.grid.days_of(column, -EDGE, TILE_WIDTH + EDGE)
        day = first
        while day <= last:
            if day.weekday() in working:
                day += timedelta(days=1)
                continue
            start = day
            while day <= last and day.weekday() not in working:
                day += timedelta(days=1)
            left = px(axis.x_of(start))
            right = max(px(axis.x_of(day)), left + 1)
            p.fillRect(QRect(left, 0, right - left, ROW_HEIGHT), self._dim)
        if axis.day_width >= 6:  # day lines only where days are wide enough to tell apart
            p.setPen(QPen(self._line, 0))
            lines = []
            day = first
            while day <= last:
                x = axis.x_of(day)
                lines.append(QLineF(x, 0, x, ROW_HEIGHT))
                day += timedelta(days=1)
            p.drawLines(lines)
        p.end()
        strip = QPixmap.fromImage(cut(wide, EDGE, TILE_WIDTH))
        if len(self._strips) > 64:
            self._strips.clear()
        self._strips[column] = strip
        return strip

    def background(
        self,
        p: QPainter,
        index: int,
        top: int,
        left: int,
        right: int,
        strips: list[tuple[int, int]],
    ) -> None:
        """Row ``index``'s background from ``left`` to ``right``: base, stripe or group
        shade, weekends and day lines (``strips``: (x, column) of the columns there)."""
        band = QRect(left, top, right - left, ROW_HEIGHT)
        p.fillRect(band, self._base)
        if index < len(self.rows):
            if self.rows[index].kind == "group":
                p.fillRect(band, self._group)
            elif index % 2:
                p.fillRect(band, self._alternate)
        for x, column in strips:
            p.drawPixmap(QPoint(x, top), self.strip(column))

    def content(
        self,
        p: QPainter,
        index: int,
        axis: DayAxis,
        top: float,
        days: tuple[date, date],
        layout: RowLayout,
        label_left: float | None = None,
        dragged: int | None = None,
    ) -> None:
        """What lies on row ``index`` (days off, absences, bars) when it is a resource."""
        data = self.source.data
        row = self.rows[index] if index < len(self.rows) else None
        if data is None or row is None or row.kind != "resource":
            return
        assert self.painter is not None
        resource = data.resources[row.index]
        self.painter.paint(p, resource, axis, top, days, layout, label_left, dragged)

    def overlay(self, resource_id: int, axis: DayAxis, window: tuple[date, date]) -> Overlay | None:
        """What of the row the tiles cannot show with ``window`` in view (kept: the
        look-ahead works it out for the next place)."""
        key = (resource_id, *window, axis.scroll_x)
        if key in self._overlays:
            return self._overlays[key]
        bars = list(self.source.bars(resource_id, *window))
        lanes, count = assign_lanes(bars)
        found: Overlay | None = None
        if count > 1:
            found = Overlay(tuple(bars), tuple(lanes), count, None)
        else:
            assert self.painter is not None
            label_left = LABEL_WIDTH + 2
            pulled = [
                placed.rect.right()
                for placed in (
                    PlacedBar(bar, bar_rect(axis, 0, bar, 0, 1))
                    for bar in bars
                    if axis.x_of(bar.first) + 4 < label_left
                )
                if self.painter.clamps_label(placed, 1, label_left)
            ]
            if pulled:
                split = math.ceil(max(pulled)) + 2
                front = tuple(bar for bar in bars if axis.x_of(bar.first) < split)
                found = Overlay(front, (0,) * len(front), 1, split)
        if len(self._overlays) > 20_000:
            self._overlays.clear()
        self._overlays[key] = found
        return found

    # --- tiles
    def has(self, block: int, column: int) -> bool:
        return (block, column) in self.tiles

    def tile(self, block: int, column: int) -> QImage:
        """Rows ``block * BLOCK_ROWS`` onwards across a column, painted now if not kept.

        Painted ``EDGE`` pixels wider on each side and cut: at the edge of an
        image Qt drops the antialiased fringe of a shape that starts there, so
        the tile would not match direct painting.
        """
        found = self.tiles.get((block, column))
        if found is not None:
            return found
        width = TILE_WIDTH + 2 * EDGE
        image = blank(width, BLOCK_ROWS * ROW_HEIGHT, self.ratio, self._base)
        axis = self.grid.axis(column, EDGE)
        days = self.grid.days_of(column, -EDGE, TILE_WIDTH + EDGE)
        data = self.source.data
        p = QPainter(image)
        try:
            for offset in range(BLOCK_ROWS):
                index = block * BLOCK_ROWS + offset
                top = offset * ROW_HEIGHT
                self.background(p, index, top, 0, width, [(EDGE, column)])
                if data is None or index >= len(self.rows) or self.rows[index].kind != "resource":
                    continue
                resource = data.resources[self.rows[index].index]
                layout = RowLayout(
                    [
                        PlacedBar(bar, bar_rect(axis, top, bar, 0, 1))
                        for bar in self.source.bars(resource.id, *days)
                    ]
                )
                self.content(p, index, axis, top, days, layout)
                for placed in layout.bars:
                    rect = placed.rect
                    if rect.left() + 4 < 0 < rect.right() - 3 and rect.width() >= LABEL_MIN_WIDTH:
                        self._label_from_the_left(p, index, column, top, rect)
        finally:
            p.end()
        return self.tiles.put((block, column), cut(image, EDGE, TILE_WIDTH))

    def _label_from_the_left(
        self, p: QPainter, index: int, column: int, top: int, rect: QRectF
    ) -> None:
        """Paint again the start of a row whose first label begins left of the image.

        Qt places glyphs a little differently when text starts at a negative x,
        so the tile would not match direct painting: the row's start is painted
        on a scratch image where the label starts right of 0, and copied over.
        ``rect`` is the bar's, in the coordinates of ``p`` (the tile's ``EDGE`` wider).
        """
        shift = math.ceil(-(rect.left() + 4)) + EDGE
        right = min(math.ceil(rect.right()) + EDGE, TILE_WIDTH + 2 * EDGE)
        scratch = blank(shift + right, ROW_HEIGHT, self.ratio, self._base)
        axis = self.grid.axis(column, EDGE + shift)
        days = self.grid.days_of(column, -(EDGE + shift), right - EDGE)
        sp = QPainter(scratch)
        try:
            self.background(sp, index, 0, 0, shift + right, [(EDGE + shift, column)])
            data = self.source.data
            assert data is not None
            resource = data.resources[self.rows[index].index]
            layout = RowLayout(
                [
                    PlacedBar(bar, bar_rect(axis, 0, bar, 0, 1))
                    for bar in self.source.bars(resource.id, *days)
                ]
            )
            self.content(sp, index, axis, 0, days, layout)
        finally:
            sp.end()
        p.drawImage(QPoint(-shift, top), scratch)
