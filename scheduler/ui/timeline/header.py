"""The date header above the days: months, ISO weeks, days, today's mark.

Painted per tile column (``tiles.TileGrid``) into images kept while the
zoom, palette, font and today stay the same, so scrolling blits a few
images instead of drawing some 70 lines and labels. The one thing that
depends on the scroll position, the name of a month that starts left of
the view (pulled into view), is painted over the tiles directly.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPainter, QPalette

from scheduler.planning.wording import MONTH_NAMES, WEEKDAYS
from scheduler.ui.timeline.geometry import BAND_HEIGHT, HEADER_HEIGHT, LABEL_WIDTH, DayAxis
from scheduler.ui.timeline.imagecache import ImageCache, blank, cut
from scheduler.ui.timeline.rows import TODAY, blend
from scheduler.ui.timeline.tiles import EDGE, TILE_WIDTH, TileGrid

BUDGET = 8 * 1024 * 1024
MARGIN = 256  # pixels painted left of a tile, for labels that run into it


def _following(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


class Header:
    """Paints the header of a ``TimelineView`` and keeps its tiles.

    ``prepare(...)`` states the scene before each use (a new one drops the
    tiles); ``tile(column)`` is kept or painted now; ``paint`` draws it all.
    """

    def __init__(self) -> None:
        self.cache = ImageCache(BUDGET)
        self.grid = TileGrid(date.min, 1, 1.0)
        self._ratio = 1.0
        self._palette = QPalette()
        self._small = QFont()
        self._today = date.min

    def prepare(
        self, grid: TileGrid, ratio: float, palette: QPalette, small: QFont, today: date
    ) -> None:
        if self.cache.use((grid.key, ratio, palette.cacheKey(), small.key(), today)):
            self.grid, self._ratio, self._today = grid, ratio, today
            self._palette, self._small = QPalette(palette), QFont(small)

    def tile(self, column: int) -> QImage:
        """Months, weeks and days of one column."""
        found = self.cache.get(column)
        if found is not None:
            return found
        # Painted with a margin on the left, cut off after: Qt places glyphs a
        # little differently when text starts at a negative x, and a label
        # running in from the previous column would not match direct painting.
        palette, grid, ratio = self._palette, self.grid, self._ratio
        image = blank(
            MARGIN + TILE_WIDTH + EDGE,
            HEADER_HEIGHT,
            ratio,
            palette.color(QPalette.ColorRole.Window),
        )
        painter = QPainter(image)
        try:
            self._content(
                painter,
                grid.axis(column, MARGIN),
                grid.days_of(column, -MARGIN, TILE_WIDTH + EDGE),
                palette,
                self._small,
                self._today,
            )
        finally:
            painter.end()
        return self.cache.put(column, cut(image, MARGIN, TILE_WIDTH))

    def paint(self, p: QPainter, axis: DayAxis, width: int) -> None:
        """The whole header band of a viewport ``width`` wide (after ``prepare``)."""
        palette, grid = self._palette, self.grid
        p.fillRect(0, 0, width, HEADER_HEIGHT, palette.color(QPalette.ColorRole.Window))
        p.save()
        p.setClipRect(LABEL_WIDTH, 0, width - LABEL_WIDTH, HEADER_HEIGHT)
        for column in grid.columns(axis.scroll_x, width - LABEL_WIDTH):
            p.drawImage(QPoint(grid.x_of(column, axis.scroll_x), 0), self.tile(column))
        self._pulled_month(p, axis, width, palette, self._small)
        p.restore()
        p.setPen(blend(palette, QPalette.ColorRole.WindowText, 70))
        p.drawLine(QPointF(0, HEADER_HEIGHT - 1), QPointF(width, HEADER_HEIGHT - 1))

    def _pulled_month(
        self, p: QPainter, axis: DayAxis, width: int, palette: QPalette, small: QFont
    ) -> None:
        """A month that starts left of the view shows its name at the left edge."""
        first, _last = axis.visible()
        month = date(first.year, first.month, 1)
        if axis.x_of(month) >= LABEL_WIDTH:
            return
        end = axis.x_of(_following(month))
        right = min(math.floor(end) - 1, width)
        if right <= LABEL_WIDTH:
            return
        # Over the tiles' name (cut at the edge): the months band up to the next month.
        p.save()
        p.setClipRect(
            QRect(LABEL_WIDTH, 0, right - LABEL_WIDTH, BAND_HEIGHT), Qt.ClipOperation.IntersectClip
        )
        p.fillRect(
            QRect(LABEL_WIDTH, 0, right - LABEL_WIDTH, BAND_HEIGHT),
            palette.color(QPalette.ColorRole.Window),
        )
        p.setFont(small)
        p.setPen(palette.color(QPalette.ColorRole.WindowText))
        _month_label(p, QFontMetrics(small), month, LABEL_WIDTH, end, LABEL_WIDTH + width)
        # The line under the band, where it reaches into the band (at 2x it does).
        p.setPen(blend(palette, QPalette.ColorRole.WindowText, 70))
        p.drawLine(QPointF(LABEL_WIDTH, BAND_HEIGHT), QPointF(right, BAND_HEIGHT))
        p.restore()

    def _content(
        self,
        p: QPainter,
        axis: DayAxis,
        days: tuple[date, date],
        palette: QPalette,
        small: QFont,
        today: date,
    ) -> None:
        """Months, weeks and days of ``days`` at the axis' places (a tile's)."""
        first, last = days
        p.setFont(small)
        metrics = QFontMetrics(small)
        text = palette.color(QPalette.ColorRole.WindowText)
        line = blend(palette, QPalette.ColorRole.WindowText, 70)
        right = math.inf
        # Months.
        month = date(first.year, first.month, 1)
        while month <= last:
            following = _following(month)
            left = axis.x_of(month)
            p.setPen(text)
            _month_label(p, metrics, month, left, axis.x_of(following), right)
            p.setPen(line)
            p.drawLine(QPointF(left, 0), QPointF(left, HEADER_HEIGHT))
            month = following
        # ISO weeks. A label spans ``step`` weeks: start early enough for one
        # that begins before these days and runs into them.
        week_width = axis.day_width * 7
        step = 1 if week_width >= 30 else 2 if week_width >= 15 else 4
        monday = first - timedelta(days=first.weekday() + 7 * (step - 1))
        while monday <= last:
            x = axis.x_of(monday)
            number = monday.isocalendar().week
            p.setPen(line)
            p.drawLine(QPointF(x, BAND_HEIGHT), QPointF(x, HEADER_HEIGHT if step == 1 else 36))
            if number % step == 0 or step == 1:
                label = f"W{number}" if week_width * step >= 30 else str(number)
                p.setPen(text)
                p.drawText(
                    QRectF(x + 2, BAND_HEIGHT, week_width * step - 2, BAND_HEIGHT),
                    Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
            monday += timedelta(days=7)
        # Days.
        if axis.day_width >= 14:
            day = first
            while day <= last:
                x = axis.x_of(day)
                label = (
                    f"{WEEKDAYS[day.weekday()]} {day.day}" if axis.day_width >= 56 else str(day.day)
                )
                p.setPen(text if day != today else TODAY)
                p.drawText(
                    QRectF(x, 2 * BAND_HEIGHT, axis.day_width, BAND_HEIGHT),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )
                day += timedelta(days=1)
        elif week_width >= 16:  # too narrow for every day: the date of each Monday
            monday = first - timedelta(days=first.weekday() + 7 * (step - 1))
            p.setPen(text)
            while monday <= last:
                if monday.isocalendar().week % step == 0 or step == 1:
                    p.drawText(
                        QRectF(
                            axis.x_of(monday) + 2, 2 * BAND_HEIGHT, week_width * step, BAND_HEIGHT
                        ),
                        Qt.AlignmentFlag.AlignVCenter,
                        str(monday.day),
                    )
                monday += timedelta(days=7)
        if first <= today <= last:
            x = axis.x_of(today)
            p.fillRect(QRectF(x, HEADER_HEIGHT - 4, max(axis.day_width, 2), 4), TODAY)
        p.setPen(line)
        right = MARGIN + TILE_WIDTH + EDGE
        p.drawLine(QPointF(0, BAND_HEIGHT), QPointF(right, BAND_HEIGHT))
        p.drawLine(QPointF(0, 2 * BAND_HEIGHT), QPointF(right, 2 * BAND_HEIGHT))


def _month_label(
    p: QPainter, metrics: QFontMetrics, month: date, left: float, end: float, right: float
) -> None:
    """The longest form of the month's name that fits between ``left`` and its end."""
    room = min(end, right) - left - 8
    name = MONTH_NAMES[month.month - 1]
    for label in (f"{name} {month.year}", f"{name[:3]} {month.year}", name[:3]):
        if metrics.horizontalAdvance(label) <= room:
            p.drawText(
                QRectF(left + 4, 0, room + 4, BAND_HEIGHT), Qt.AlignmentFlag.AlignVCenter, label
            )
            return
