"""Paints one heatmap cell: its load fill, its "3/4", and marks for what needs a look.

The fill and ink come from the model (palette-aware); the delegate adds a
red corner for double-booked days, hatching for weeks with no working day
(leave, closure, holidays), and a selection outline that leaves the fill
readable. Painting by hand keeps 700 x 52 cells cheap to scroll.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from scheduler.ui.utilisation.model import AWAY_ROLE, DOUBLE_ROLE, OVER_RED

AnyIndex = QModelIndex | QPersistentModelIndex


class HeatmapDelegate(QStyledItemDelegate):
    """For the week and total columns of ``UtilisationModel``."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        palette: QPalette = option.palette
        rect: QRect = option.rect
        state = option.state
        painter.save()
        box = rect.adjusted(1, 1, -1, -1)
        fill = index.data(Qt.ItemDataRole.BackgroundRole)
        if isinstance(fill, QColor):
            painter.fillRect(box, fill)
        if index.data(AWAY_ROLE):
            hatch = QColor(palette.color(QPalette.ColorRole.Text))
            hatch.setAlpha(60)
            painter.fillRect(box, QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        if index.data(DOUBLE_ROLE):
            corner = QPolygonF(
                [
                    QPointF(box.right() - 8, box.top()),
                    QPointF(box.right() + 1, box.top()),
                    QPointF(box.right() + 1, box.top() + 9),
                ]
            )
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(OVER_RED.darker(140) if isinstance(fill, QColor) else OVER_RED)
            painter.drawPolygon(corner)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        ink = index.data(Qt.ItemDataRole.ForegroundRole)
        painter.setPen(ink if isinstance(ink, QColor) else palette.color(QPalette.ColorRole.Text))
        painter.setFont(option.font)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(index.data() or ""))
        if state & QStyle.StateFlag.State_Selected:
            pen = QPen(palette.color(QPalette.ColorRole.Highlight), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()
