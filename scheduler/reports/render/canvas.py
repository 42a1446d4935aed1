"""Measures, fonts, colours and text drawing shared by every report painter.

Everything is laid out in millimetres and converted to the device's pixels
here, so a page looks the same on a 300 dpi PDF writer and a 1200 dpi
printer. Text is always drawn as text (never as paths or images), so a PDF
can be searched and read back; it is elided to its box, never spilling out.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainter, QPen

# Families with Cyrillic and Latin-with-diacritics letters, first found wins:
# DejaVu Sans on Linux, Segoe UI or Arial on Windows.
FONT_FAMILIES = ["DejaVu Sans", "Segoe UI", "Arial", "Noto Sans", "Liberation Sans"]

INK = QColor(20, 20, 20)
MUTED = QColor(100, 100, 100)
RULE = QColor(150, 150, 150)
GRID = QColor(200, 200, 200)
WEEKEND = QColor(236, 236, 236)
OUTSIDE = QColor(247, 247, 247)
HOLIDAY = QColor(253, 228, 205)
BAND = QColor(232, 236, 242)
TROUBLE = QColor(192, 0, 0)
DELIVERED = QColor(46, 125, 50)
SCHEDULED = QColor(165, 214, 167)
ABSENCE = QColor(120, 120, 120)
DEFAULT_BAR = QColor(90, 120, 160)

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignCenter
TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


def font(points: float, *, bold: bool = False, italic: bool = False) -> QFont:
    result = QFont()
    result.setFamilies(FONT_FAMILIES)
    result.setPointSizeF(points)
    result.setBold(bold)
    result.setItalic(italic)
    # No "fi"/"fl" ligatures: a ligature glyph reads back as "ﬁ", so a search
    # of the PDF for "Whitfield" would miss it (QFont.setFeature: Qt 6.7+).
    if hasattr(result, "setFeature"):
        result.setFeature(QFont.Tag("liga"), 0)
    return result


def colour(text: str | None, fallback: QColor = DEFAULT_BAR) -> QColor:
    found = QColor(text) if text else QColor()
    return found if found.isValid() else QColor(fallback)


def tint(base: QColor, amount: float) -> QColor:
    """``base`` mixed with white: 0 is ``base``, 1 is white (light fills print well)."""
    return QColor(
        round(base.red() + (255 - base.red()) * amount),
        round(base.green() + (255 - base.green()) * amount),
        round(base.blue() + (255 - base.blue()) * amount),
    )


class Canvas:
    """A painter on a paged device, with millimetre units. One per document."""

    def __init__(self, painter: QPainter, dpi: float) -> None:
        self.painter = painter
        self.dpi = dpi

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def metrics(self, which: QFont) -> QFontMetricsF:
        return QFontMetricsF(which, self.painter.device())

    def line_height(self, which: QFont) -> float:
        return self.metrics(which).height()

    def fill(self, rect: QRectF, brush: QColor | QBrush) -> None:
        self.painter.fillRect(rect, brush)

    def frame(self, rect: QRectF, pen: QColor = GRID, width_mm: float = 0.15) -> None:
        self.painter.save()
        self.painter.setPen(QPen(pen, self.mm(width_mm)))
        self.painter.setBrush(Qt.BrushStyle.NoBrush)
        self.painter.drawRect(rect)
        self.painter.restore()

    def line(
        self, x1: float, y1: float, x2: float, y2: float, pen: QColor = RULE, width_mm: float = 0.2
    ) -> None:
        self.painter.save()
        self.painter.setPen(QPen(pen, self.mm(width_mm)))
        self.painter.drawLine(QPointF(x1, y1), QPointF(x2, y2))
        self.painter.restore()

    def text(
        self,
        rect: QRectF,
        text: str,
        which: QFont,
        *,
        align: Qt.AlignmentFlag = LEFT,
        pen: QColor = INK,
        padding_mm: float = 0.8,
    ) -> None:
        """One line of text in ``rect``, elided with "…" when too long; clipped to it."""
        inner = rect.adjusted(self.mm(padding_mm), 0, -self.mm(padding_mm), 0)
        if inner.width() <= 0 or not text:
            return
        shown = self.metrics(which).elidedText(text, Qt.TextElideMode.ElideRight, inner.width())
        self.painter.save()
        self.painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
        self.painter.setFont(which)
        self.painter.setPen(pen)
        self.painter.drawText(inner, int(align), shown)
        self.painter.restore()
