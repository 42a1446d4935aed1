"""Painting one viewport of the timeline with QPainter, from plain rows.

Only the rows and days in view are touched: the work of a paint grows with
the viewport, not with the plan (2,000 rows paint as fast as 50). Colours
come from the palette or are drawn with alpha over it, so the view reads on
light and dark palettes alike; bars take the calendar's colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen

from scheduler.services.timeline_rows import TimelineBar, TimelineRow
from scheduler.ui.calendar.colours import text_on
from scheduler.ui.timeline.geometry import (
    BAND_HEIGHT,
    HEADER_HEIGHT,
    LABEL_WIDTH,
    ROW_HEIGHT,
    USE_WIDTH,
    DayAxis,
)

if TYPE_CHECKING:
    from scheduler.ui.timeline.view import TimelineView

TODAY = QColor("#E53935")
CLASH = {"error": QColor("#E53935"), "warning": QColor("#FB8C00")}
HOLIDAY = QColor(255, 152, 0, 70)
SHADE = {
    "leave": QColor(66, 133, 244, 90),
    "deployment": QColor(156, 39, 176, 90),
    "travel": QColor(0, 150, 136, 90),
    "training": QColor(121, 85, 72, 90),
    "closure": QColor(128, 128, 128, 110),
}
MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(slots=True)
class PlacedBar:
    bar: TimelineBar
    rect: QRectF
    lane: int = 0


@dataclass(slots=True)
class RowLayout:
    bars: list[PlacedBar] = field(default_factory=list)
    lanes: int = 1


def layout_row(axis: DayAxis, top: float, bars: list[TimelineBar]) -> RowLayout:
    """Bars of one row in lanes: overlapping bookings sit one above the other."""
    ends: list[date] = []
    lanes: list[int] = []
    for bar in bars:
        for lane, end in enumerate(ends):
            if end < bar.first:
                ends[lane] = bar.last
                lanes.append(lane)
                break
        else:
            ends.append(bar.last)
            lanes.append(len(ends) - 1)
    count = max(len(ends), 1)
    height = (ROW_HEIGHT - 6) / count
    placed = []
    for bar, lane in zip(bars, lanes, strict=True):
        left = axis.x_of(bar.first)
        right = axis.x_of(bar.last + timedelta(days=1))
        rect = QRectF(left, top + 3 + lane * height, max(right - left - 1, 2.0), height - 1)
        placed.append(PlacedBar(bar, rect, lane))
    return RowLayout(placed, count)


def _blend(palette: QPalette, role: QPalette.ColorRole, alpha: int) -> QColor:
    colour = QColor(palette.color(role))
    colour.setAlpha(alpha)
    return colour


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
        self.text = self.palette.color(QPalette.ColorRole.Text)
        self.grid = _blend(self.palette, QPalette.ColorRole.Text, 40)
        self.small = QFont(view.font())
        self.small.setPointSizeF(max(view.font().pointSizeF() * 0.85, 7.0))

    def paint(self) -> None:
        p, view = self.p, self.view
        p.fillRect(0, 0, self.width, self.height, self.palette.color(QPalette.ColorRole.Base))
        rows = view.visible_rows()
        p.save()
        p.setClipRect(LABEL_WIDTH, HEADER_HEIGHT, self.width - LABEL_WIDTH, self.height)
        self._stripes(rows)
        self._weekends()
        for index, top in rows:
            self._row(view.rows[index], top)
        self._today()
        view.paint_drag(p)
        p.restore()
        self._header()
        self._labels(rows)

    # --- body
    def _stripes(self, rows: list[tuple[int, float]]) -> None:
        alternate = self.palette.color(QPalette.ColorRole.AlternateBase)
        group = _blend(self.palette, QPalette.ColorRole.Text, 22)
        for index, top in rows:
            row = self.view.rows[index]
            if row.kind == "group":
                self.p.fillRect(QRect(0, round(top), self.width, ROW_HEIGHT), group)
            elif index % 2:
                self.p.fillRect(QRect(0, round(top), self.width, ROW_HEIGHT), alternate)

    def _weekends(self) -> None:
        """Days off dimmed: one strip of the columns, tiled down the rows in one call
        (a rectangle per weekend per paint cost a third of a year view's paint)."""
        working = self.view.source.working_weekdays
        width = self.axis.day_width
        strip = self.view.weekend_strip(self.axis, self.width, working)
        self.p.drawTiledPixmap(
            QRect(0, HEADER_HEIGHT, self.width, self.height - HEADER_HEIGHT), strip
        )
        if width >= 6:  # day lines only where days are wide enough to tell apart
            self.p.setPen(QPen(self.grid, 0))
            day = self.first
            while day <= self.last:
                x = self.axis.x_of(day)
                self.p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, self.height))
                day += timedelta(days=1)

    def _row(self, row: TimelineRow, top: float) -> None:
        if row.kind != "resource":
            return
        view, axis = self.view, self.axis
        data = view.source.data
        assert data is not None
        resource = data.resources[row.index]
        width = axis.day_width
        for day in view.source.days_off(resource.nation_code, self.first, self.last):
            left = round(axis.x_of(day))
            self.p.fillRect(QRect(left, round(top), max(round(width), 1), ROW_HEIGHT), HOLIDAY)
        for shade in data.shades.get(resource.id, ()):
            if shade.last < self.first or shade.first > self.last:
                continue
            left = round(axis.x_of(max(shade.first, self.first)))
            right = round(axis.x_of(min(shade.last, self.last) + timedelta(days=1)))
            rect = QRect(left, round(top) + 1, max(right - left, 1), ROW_HEIGHT - 2)
            colour = SHADE.get(shade.kind, SHADE["leave"])
            self.p.fillRect(rect, colour)
            self.p.fillRect(rect, QBrush(colour.darker(140), Qt.BrushStyle.BDiagPattern))
        layout = view.layout_of(row, top)
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for placed in layout.bars:
            self._bar(placed, layout.lanes)
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _bar(self, placed: PlacedBar, lanes: int) -> None:
        p, bar, rect = self.p, placed.bar, placed.rect
        fill = self.view.source.colours.fill(bar.category, bar.status)
        if self.view.dragging_event() == bar.event_id:
            fill.setAlpha(70)
        clash = self.view.clash_of(bar.event_id)
        if clash is None and rect.width() < 8:
            p.fillRect(rect.toAlignedRect(), fill)  # a day or two at year zoom: no outline
            return
        if clash is not None:
            p.setPen(QPen(CLASH[clash], 2.0))
            p.setBrush(fill)
            p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        else:
            p.setPen(QPen(fill.darker(150), 1.0))
            p.setBrush(fill)
            p.drawRoundedRect(rect, 3, 3)
        if rect.width() >= 18 and lanes <= 2:
            p.setFont(self.small)
            metrics = QFontMetrics(self.small)
            label = f"{bar.course_code} · {bar.ref}"
            text_rect = rect.adjusted(4, 0, -3, 0)
            # Keep the label in view when the bar starts left of the window.
            if text_rect.left() < LABEL_WIDTH + 2:
                text_rect.setLeft(LABEL_WIDTH + 2)
            room = int(text_rect.width())
            # The code matters more than the ref: drop the ref before cutting the code.
            if metrics.horizontalAdvance(label) > room:
                label = bar.course_code
            if metrics.horizontalAdvance(label) > room:
                return
            p.setPen(text_on(fill))
            p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, label)

    def _today(self) -> None:
        today = self.view.source.today
        if not self.first <= today <= self.last:
            return
        x = self.axis.x_of(today) + self.axis.day_width / 2
        self.p.setPen(QPen(TODAY, 2.0))
        self.p.drawLine(QPointF(x, HEADER_HEIGHT), QPointF(x, self.height))

    # --- header
    def _header(self) -> None:
        p, axis, palette = self.p, self.axis, self.palette
        p.save()
        p.setClipRect(0, 0, self.width, HEADER_HEIGHT)
        p.fillRect(0, 0, self.width, HEADER_HEIGHT, palette.color(QPalette.ColorRole.Window))
        p.setClipRect(LABEL_WIDTH, 0, self.width - LABEL_WIDTH, HEADER_HEIGHT)
        p.setFont(self.small)
        metrics = QFontMetrics(self.small)
        text = palette.color(QPalette.ColorRole.WindowText)
        line = _blend(palette, QPalette.ColorRole.WindowText, 70)
        right = LABEL_WIDTH + self.width
        # Months.
        month = date(self.first.year, self.first.month, 1)
        while month <= self.last:
            following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
            left, end = axis.x_of(month), axis.x_of(following)
            shown_left = max(left, LABEL_WIDTH)
            room = min(end, right) - shown_left - 8
            name = MONTHS[month.month - 1]
            for label in (f"{name} {month.year}", f"{name[:3]} {month.year}", name[:3]):
                if metrics.horizontalAdvance(label) <= room:
                    p.setPen(text)
                    p.drawText(
                        QRectF(shown_left + 4, 0, room + 4, BAND_HEIGHT),
                        Qt.AlignmentFlag.AlignVCenter,
                        label,
                    )
                    break
            p.setPen(line)
            p.drawLine(QPointF(left, 0), QPointF(left, HEADER_HEIGHT))
            month = following
        # ISO weeks.
        week_width = axis.day_width * 7
        step = 1 if week_width >= 30 else 2 if week_width >= 15 else 4
        monday = self.first - timedelta(days=self.first.weekday())
        while monday <= self.last:
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
            day = self.first
            while day <= self.last:
                x = axis.x_of(day)
                label = (
                    f"{WEEKDAYS[day.weekday()]} {day.day}" if axis.day_width >= 56 else str(day.day)
                )
                p.setPen(text if day != self.view.source.today else TODAY)
                p.drawText(
                    QRectF(x, 2 * BAND_HEIGHT, axis.day_width, BAND_HEIGHT),
                    Qt.AlignmentFlag.AlignCenter,
                    label,
                )
                day += timedelta(days=1)
        elif week_width >= 16:  # too narrow for every day: the date of each Monday
            monday = self.first - timedelta(days=self.first.weekday())
            p.setPen(text)
            while monday <= self.last:
                if monday.isocalendar().week % step == 0 or step == 1:
                    p.drawText(
                        QRectF(
                            axis.x_of(monday) + 2, 2 * BAND_HEIGHT, week_width * step, BAND_HEIGHT
                        ),
                        Qt.AlignmentFlag.AlignVCenter,
                        str(monday.day),
                    )
                monday += timedelta(days=7)
        today = self.view.source.today
        if self.first <= today <= self.last:
            x = axis.x_of(today)
            p.fillRect(QRectF(x, HEADER_HEIGHT - 4, max(axis.day_width, 2), 4), TODAY)
        p.setPen(line)
        p.drawLine(QPointF(0, BAND_HEIGHT), QPointF(right, BAND_HEIGHT))
        p.drawLine(QPointF(0, 2 * BAND_HEIGHT), QPointF(right, 2 * BAND_HEIGHT))
        p.restore()
        p.setPen(line)
        p.drawLine(QPointF(0, HEADER_HEIGHT - 1), QPointF(self.width, HEADER_HEIGHT - 1))

    # --- names on the left
    def _labels(self, rows: list[tuple[int, float]]) -> None:
        p, view, palette = self.p, self.view, self.palette
        p.save()
        p.setClipRect(0, 0, LABEL_WIDTH, self.height)
        window = palette.color(QPalette.ColorRole.Window)
        p.fillRect(QRectF(0, HEADER_HEIGHT, LABEL_WIDTH, self.height), window)
        p.setPen(palette.color(QPalette.ColorRole.WindowText))
        p.drawText(
            QRectF(8, 0, LABEL_WIDTH - 16, HEADER_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            view.corner_text,
        )
        p.drawText(
            QRectF(LABEL_WIDTH - USE_WIDTH - 4, 2 * BAND_HEIGHT, USE_WIDTH, BAND_HEIGHT),
            Qt.AlignmentFlag.AlignCenter,
            "Use",
        )
        p.setClipRect(0, HEADER_HEIGHT, LABEL_WIDTH, self.height)
        metrics = QFontMetrics(view.font())
        data = view.source.data
        bold = QFont(view.font())
        bold.setBold(True)
        for index, top in rows:
            row = view.rows[index]
            if row.kind == "group":
                p.fillRect(
                    QRectF(0, top, LABEL_WIDTH, ROW_HEIGHT),
                    _blend(palette, QPalette.ColorRole.WindowText, 30),
                )
            elif index % 2:
                p.fillRect(
                    QRectF(0, top, LABEL_WIDTH, ROW_HEIGHT),
                    palette.color(QPalette.ColorRole.AlternateBase),
                )
            left = 6 + row.depth * 14
            if row.collapsible:
                self._arrow(left, top, row.collapsed)
            left += 14
            p.setFont(bold if row.kind == "group" else view.font())
            p.setPen(palette.color(QPalette.ColorRole.WindowText))
            label = f"{row.label} ({row.count})" if row.kind == "group" else row.label
            room = LABEL_WIDTH - left - (USE_WIDTH + 10 if row.kind == "resource" else 6)
            p.drawText(
                QRectF(left, top, room, ROW_HEIGHT),
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(room)),
            )
            if row.kind == "resource" and data is not None:
                self._use(row, top)
        p.restore()
        p.setPen(_blend(palette, QPalette.ColorRole.WindowText, 70))
        p.drawLine(QPointF(LABEL_WIDTH - 1, 0), QPointF(LABEL_WIDTH - 1, self.height))

    def _arrow(self, left: float, top: float, collapsed: bool) -> None:
        middle = top + ROW_HEIGHT / 2
        if collapsed:
            points = [
                QPointF(left, middle - 4),
                QPointF(left + 6, middle),
                QPointF(left, middle + 4),
            ]
        else:
            points = [
                QPointF(left - 1, middle - 3),
                QPointF(left + 7, middle - 3),
                QPointF(left + 3, middle + 3),
            ]
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.p.setPen(Qt.PenStyle.NoPen)
        self.p.setBrush(self.palette.color(QPalette.ColorRole.WindowText))
        self.p.drawPolygon(points)
        self.p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _use(self, row: TimelineRow, top: float) -> None:
        data = self.view.source.data
        assert data is not None
        resource = data.resources[row.index]
        booked, working = self.view.source.utilisation(
            resource.id, resource.nation_code, self.first, self.last
        )
        share = booked / working if working else 0.0
        box = QRectF(LABEL_WIDTH - USE_WIDTH - 4, top + 4, USE_WIDTH, ROW_HEIGHT - 8)
        self.p.fillRect(box, _blend(self.palette, QPalette.ColorRole.WindowText, 28))
        colour = QColor("#43A047") if share < 0.6 else QColor("#FB8C00") if share < 0.9 else TODAY
        self.p.fillRect(
            QRectF(box.left(), box.top(), box.width() * min(share, 1.0), box.height()), colour
        )
        self.p.setFont(self.small)
        self.p.setPen(self.palette.color(QPalette.ColorRole.WindowText))
        self.p.drawText(box, Qt.AlignmentFlag.AlignCenter, f"{share:.0%}")
