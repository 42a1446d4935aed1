"""The names on the left of the timeline and each row's utilisation strip.

Names change only with the rows, so they are kept as images of
``BLOCK_ROWS`` rows (background, arrow, name, the dividing line) and
blitted; the utilisation strip changes with the days in view, but many
rows share a value, so strips are kept by what they show. A frame then
draws two images a row instead of five calls.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QPalette

from scheduler.services.timeline_rows import TimelineRow
from scheduler.ui.timeline.geometry import (
    BAND_HEIGHT,
    HEADER_HEIGHT,
    LABEL_WIDTH,
    ROW_HEIGHT,
    USE_WIDTH,
)
from scheduler.ui.timeline.imagecache import ImageCache, blank
from scheduler.ui.timeline.rows import TODAY, blend
from scheduler.ui.timeline.tiles import BLOCK_ROWS

BUDGET = 8 * 1024 * 1024
STRIP_LEFT = LABEL_WIDTH - USE_WIDTH - 4
STRIP_HEIGHT = ROW_HEIGHT - 8
GOOD, BUSY = QColor("#43A047"), QColor("#FB8C00")


class Labels:
    """Paints the label column of a ``TimelineView`` and keeps its images.

    ``prepare(...)`` states the scene before each use (a new one drops what
    it shows differently); ``strip(...)`` is kept or painted now.
    """

    def __init__(self) -> None:
        self.names = ImageCache(BUDGET)
        self.strips = ImageCache(BUDGET // 4)
        self.rows: Sequence[TimelineRow] = ()
        self._ratio = 1.0
        self._palette = QPalette()
        self._font = QFont()
        self._small = QFont()

    def prepare(
        self,
        rows: Sequence[TimelineRow],
        rows_version: int,
        ratio: float,
        palette: QPalette,
        font: QFont,
        small: QFont,
    ) -> None:
        self.rows = rows
        scene = (ratio, palette.cacheKey(), font.key(), small.key())
        self.names.use((*scene, rows_version))
        if self.strips.use(scene):
            self._ratio, self._palette = ratio, QPalette(palette)
            self._font, self._small = QFont(font), QFont(small)

    def strip(self, index: int, share: float) -> QImage:
        """Row ``index``'s utilisation strip showing ``share``."""
        stripe = _stripe(self.rows[index], index)
        key = (stripe, f"{share:.0%}", round(USE_WIDTH * min(share, 1.0) * 64))
        found = self.strips.get(key)
        if found is None:
            found = self.strips.put(key, self._strip(stripe, share))
        return found

    def paint(
        self, p: QPainter, offset: int, height: int, shares: dict[int, float], corner_text: str
    ) -> None:
        """The column for the vertical scroll ``offset``; ``shares``: row index → use."""
        palette = self._palette
        p.save()
        p.setClipRect(0, 0, LABEL_WIDTH, height)
        p.setPen(palette.color(QPalette.ColorRole.WindowText))
        p.drawText(
            QRectF(8, 0, LABEL_WIDTH - 16, HEADER_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            corner_text,
        )
        p.drawText(
            QRectF(STRIP_LEFT, 2 * BAND_HEIGHT, USE_WIDTH, BAND_HEIGHT),
            Qt.AlignmentFlag.AlignCenter,
            "Use",
        )
        p.setClipRect(0, HEADER_HEIGHT, LABEL_WIDTH, height)
        block_height = BLOCK_ROWS * ROW_HEIGHT
        first = offset // block_height
        last = (offset + height - HEADER_HEIGHT) // block_height
        for block in range(first, last + 1):
            image = self.names.get(block)
            if image is None:
                image = self.names.put(block, self._names(block))
            p.drawImage(QPoint(0, HEADER_HEIGHT + block * block_height - offset), image)
        for index, share in shares.items():
            top = HEADER_HEIGHT + index * ROW_HEIGHT - offset + 4
            p.drawImage(QPoint(STRIP_LEFT, top), self.strip(index, share))
        p.restore()
        p.setPen(blend(palette, QPalette.ColorRole.WindowText, 70))
        p.drawLine(QPointF(LABEL_WIDTH - 1, 0), QPointF(LABEL_WIDTH - 1, HEADER_HEIGHT - 1))

    def _names(self, block: int) -> QImage:
        rows, ratio, palette, font = self.rows, self._ratio, self._palette, self._font
        window = palette.color(QPalette.ColorRole.Window)
        image = blank(LABEL_WIDTH, BLOCK_ROWS * ROW_HEIGHT, ratio, window)
        p = QPainter(image)
        metrics = QFontMetrics(font)
        bold = QFont(font)
        bold.setBold(True)
        text = palette.color(QPalette.ColorRole.WindowText)
        for offset in range(BLOCK_ROWS):
            index = block * BLOCK_ROWS + offset
            if index >= len(rows):
                break
            row, top = rows[index], offset * ROW_HEIGHT
            _fill_stripe(p, _stripe(row, index), QRect(0, top, LABEL_WIDTH, ROW_HEIGHT), palette)
            left = 6 + row.depth * 14
            if row.collapsible:
                _arrow(p, left, top, row.collapsed, text)
            left += 14
            p.setFont(bold if row.kind == "group" else font)
            p.setPen(text)
            label = f"{row.label} ({row.count})" if row.kind == "group" else row.label
            room = LABEL_WIDTH - left - (USE_WIDTH + 10 if row.kind == "resource" else 6)
            p.drawText(
                QRectF(left, top, room, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(room)),
            )
        # The dividing line, as a line (at 2x a 1-pixel line straddles its x).
        p.setPen(blend(palette, QPalette.ColorRole.WindowText, 70))
        p.drawLine(QPointF(LABEL_WIDTH - 1, 0), QPointF(LABEL_WIDTH - 1, BLOCK_ROWS * ROW_HEIGHT))
        p.end()
        return image

    def _strip(self, stripe: str, share: float) -> QImage:
        ratio, palette, small = self._ratio, self._palette, self._small
        image = blank(USE_WIDTH, STRIP_HEIGHT, ratio, palette.color(QPalette.ColorRole.Window))
        p = QPainter(image)
        box = QRectF(0, 0, USE_WIDTH, STRIP_HEIGHT)
        _fill_stripe(p, stripe, box.toRect(), palette)
        p.fillRect(box, blend(palette, QPalette.ColorRole.WindowText, 28))
        colour = GOOD if share < 0.6 else BUSY if share < 0.9 else TODAY
        p.fillRect(QRectF(0, 0, USE_WIDTH * min(share, 1.0), STRIP_HEIGHT), colour)
        p.setFont(small)
        p.setPen(palette.color(QPalette.ColorRole.WindowText))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{share:.0%}")
        p.end()
        return image


def _stripe(row: TimelineRow, index: int) -> str:
    return "group" if row.kind == "group" else "odd" if index % 2 else "even"


def _fill_stripe(p: QPainter, stripe: str, rect: QRect, palette: QPalette) -> None:
    """A row's shade over the window colour, as in the days."""
    if stripe == "group":
        p.fillRect(rect, blend(palette, QPalette.ColorRole.WindowText, 30))
    elif stripe == "odd":
        p.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))


def _arrow(p: QPainter, left: float, top: float, collapsed: bool, colour: QColor) -> None:
    middle = top + ROW_HEIGHT / 2
    if collapsed:
        points = [QPointF(left, middle - 4), QPointF(left + 6, middle), QPointF(left, middle + 4)]
    else:
        points = [
            QPointF(left - 1, middle - 3),
            QPointF(left + 7, middle - 3),
            QPointF(left + 3, middle + 3),
        ]
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    p.drawPolygon(points)
    p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
