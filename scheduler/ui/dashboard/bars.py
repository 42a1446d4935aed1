"""The readiness bar: required as a track, scheduled lighter, delivered solid.

Painted by a delegate so a partner with thousands of requirements is one
tree view, not thousands of widgets. Colours come from the palette (the
highlight for fills, the text colour for the track) so the bars read in a
light and a dark palette; requirements late or at risk are drawn in a red
chosen for the palette's lightness.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from scheduler.ui.palette_colours import attention_colour, is_dark

BAR_ROLE = Qt.ItemDataRole.UserRole + 10


@dataclass(frozen=True, slots=True)
class BarValues:
    required: int
    scheduled: int
    delivered: int
    attention: bool


class BarDelegate(QStyledItemDelegate):
    """Paints ``BarValues`` stored under ``BAR_ROLE``; other cells as usual."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        values = index.data(BAR_ROLE)
        if not isinstance(values, BarValues):
            super().paint(painter, option, index)
            return
        widget = option.widget
        style = widget.style() if isinstance(widget, QWidget) else None
        if style is not None:  # selection and focus background, as other cells
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        paint_bar(painter, QRectF(option.rect), values, option.palette)

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        height = option.fontMetrics.height() + 10
        return QSize(max(hint.width(), 12 * height), max(hint.height(), height))


def paint_bar(painter: QPainter, rect: QRectF, values: BarValues, palette: QPalette) -> None:
    """Required, scheduled and delivered along one scale, in ``rect``."""
    margin = max(3.0, rect.height() * 0.2)
    area = rect.adjusted(4, margin, -4, -margin)
    if area.width() <= 4 or area.height() <= 2:
        return
    booked = values.delivered + values.scheduled
    scale = area.width() / max(values.required, booked, 1)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    if is_dark(palette):
        highlight = highlight.lighter(130)
    light = QColor(highlight)
    light.setAlpha(95)
    text = palette.color(QPalette.ColorRole.Text)
    red = attention_colour(palette)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    track = QRectF(area.left(), area.top(), values.required * scale, area.height())
    if values.attention and booked < values.required:
        missing = QColor(red)
        missing.setAlpha(45)
        painter.fillRect(
            QRectF(
                area.left() + booked * scale,
                area.top(),
                track.right() - area.left() - booked * scale,
                area.height(),
            ),
            missing,
        )
    delivered = QRectF(area.left(), area.top(), values.delivered * scale, area.height())
    scheduled = QRectF(delivered.right(), area.top(), values.scheduled * scale, area.height())
    painter.fillRect(scheduled, light)
    painter.fillRect(delivered, highlight)
    outline = QColor(red if values.attention else text)
    if not values.attention:
        outline.setAlpha(150)
    pen = QPen(outline, 1.5 if values.attention else 1.0)
    pen.setCosmetic(True)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if values.required > 0:
        painter.drawRect(track.adjusted(0.5, 0.5, -0.5, -0.5))
    painter.restore()
