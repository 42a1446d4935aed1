"""The agenda: the range's days one under another, each with its events as lines.

Painted like the grid (no widget per event); only the lines inside the
exposed rectangle are drawn, so a long range scrolls smoothly. Emits the
same ``edit_requested``/``menu_requested`` signals as the grid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QToolTip, QWidget

from scheduler.planning.wording import count_text, date_format
from scheduler.services.calendar_rows import CalendarRow, DayMarks
from scheduler.ui.calendar.colours import SEVERITY_FILLS, ColourScheme
from scheduler.ui.calendar.grid_view import ConflictLookup, event_tooltip


@dataclass(frozen=True, slots=True)
class _Line:
    day: date
    row: CalendarRow | None  # None: the day's heading


class AgendaView(QWidget):
    """Lines of ``rows`` grouped by day for ``first``..``last``; lives in a scroll area."""

    edit_requested = Signal(object)
    menu_requested = Signal(object, QPoint)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_agenda")
        self.rows: list[CalendarRow] = []
        self.marks = DayMarks()
        self.colours = ColourScheme([])
        self.conflicts: ConflictLookup = lambda _event_id: []
        self.first = self.last = date.today()
        self.today = date.today()
        self._lines: list[_Line] = []
        self.selected: str | None = None  # the event the keyboard acts on (its uuid)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Agenda")
        self.setAccessibleDescription(
            "Up and Down choose an event; Enter opens it; the Menu key shows its menu."
        )

    def line_height(self) -> int:
        return QFontMetrics(self.font()).height() + 8

    def set_content(
        self, first: date, last: date, rows: list[CalendarRow], marks: DayMarks
    ) -> None:
        self.first, self.last, self.rows, self.marks = first, last, rows, marks
        lines: list[_Line] = []
        day = first
        while day <= last:
            todays = [r for r in rows if r.first_day <= day <= r.last_day]
            if todays or self.marks.reasons(day) or day == self.today:
                lines.append(_Line(day, None))
                lines.extend(_Line(day, r) for r in todays)
            day += timedelta(days=1)
        self._lines = lines
        self.setMinimumHeight(max(len(lines), 1) * self.line_height() + 4)
        self._describe()
        self.update()

    # --- keyboard --------------------------------------------------------------
    def _event_lines(self) -> list[int]:
        return [n for n, line in enumerate(self._lines) if line.row is not None]

    def _selected_line(self) -> int | None:
        for n, line in enumerate(self._lines):
            if line.row is not None and line.row.uuid == self.selected:
                return n
        return None

    def _describe(self) -> None:
        text = (
            f"Agenda, {date_format(self.first, '%d %b')} to {date_format(self.last, '%d %b %Y')}, "
            f"{count_text(len(self.rows), 'event')}"
        )
        at = self._selected_line()
        if at is not None:
            line = self._lines[at]
            assert line.row is not None
            text += (
                f"; selected {line.row.ref} {line.row.title} on {date_format(line.day, '%a %d %b')}"
            )
        self.setAccessibleName(text)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        lines = self._event_lines()
        at = self._selected_line()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and lines:
            position = lines.index(at) if at is not None else -1
            step = 1 if key == Qt.Key.Key_Down else -1
            position = (position + step) % len(lines) if at is not None else (0 if step > 0 else -1)
            line = self._lines[lines[position]]
            assert line.row is not None
            self.selected = line.row.uuid
            self._describe()
            self.update()
            return
        row = self._lines[at].row if at is not None else None
        if row is not None and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.edit_requested.emit(row)
            return
        if row is not None and at is not None and key == Qt.Key.Key_Menu:
            point = QPoint(40, int((at + 0.5) * self.line_height()))
            self.menu_requested.emit(row, self.mapToGlobal(point))
            return
        super().keyPressEvent(event)

    def _line_at(self, point: QPointF) -> _Line | None:
        index = int(point.y() // self.line_height())
        return self._lines[index] if 0 <= index < len(self._lines) else None

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.Base))
        height = self.line_height()
        metrics = QFontMetrics(self.font())
        bold = QFont(self.font())
        bold.setBold(True)
        if not self._lines:
            painter.setPen(faint)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No events in this period.")
        first = max(event.rect().top() // height, 0)
        last = min(event.rect().bottom() // height + 1, len(self._lines))
        chosen = self._selected_line()
        time_w = metrics.horizontalAdvance("88:88–88:88") + 16
        ref_w = metrics.horizontalAdvance("MK-2027-0000") + 12
        for index in range(first, last):
            line = self._lines[index]
            rect = QRectF(0, index * height, self.width(), height)
            if line.row is None:
                painter.fillRect(rect, palette.color(QPalette.ColorRole.AlternateBase))
                painter.setFont(bold)
                painter.setPen(text)
                label = f"{date_format(line.day, '%A %d %B %Y')}  ·  W{line.day.isocalendar().week}"
                if line.day == self.today:
                    label += "  ·  today"
                painter.drawText(rect.adjusted(8, 0, 0, 0), Qt.AlignmentFlag.AlignVCenter, label)
                painter.setFont(self.font())
                reasons = self.marks.reasons(line.day)
                if reasons:
                    painter.setPen(faint)
                    painter.drawText(
                        rect.adjusted(0, 0, -8, 0),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        metrics.elidedText(
                            "; ".join(reasons), Qt.TextElideMode.ElideRight, int(rect.width() / 2)
                        ),
                    )
                continue
            row = line.row
            fill = self.colours.fill(row.category, row.status)
            painter.fillRect(QRectF(8, rect.top() + 4, 6, height - 8), fill)
            dim = row.status == "cancelled" or bool(row.provider)  # cancelled, or not ours
            painter.setPen(faint if dim else text)
            font = QFont(self.font())
            font.setStrikeOut(row.status == "cancelled")
            painter.setFont(font)
            x = 22.0
            when = (
                f"{row.start:%H:%M}–{row.end:%H:%M}"
                if row.first_day == row.last_day
                else f"day {(line.day - row.first_day).days + 1} of "
                f"{(row.last_day - row.first_day).days + 1}"
            )
            for part, width in ((when, time_w), (row.ref, ref_w)):
                painter.drawText(
                    QRectF(x, rect.top(), width, height), Qt.AlignmentFlag.AlignVCenter, part
                )
                x += width
            conflicts = self.conflicts(row.id)
            badge = 0.0
            if conflicts:
                badge = height - 6.0
                circle = QRectF(self.width() - badge - 8, rect.top() + 3, badge, badge)
                painter.setPen(QPen(QColor("#ffffff"), 1))
                painter.setBrush(QColor(SEVERITY_FILLS.get(conflicts[0][0], "#d32f2f")))
                painter.drawEllipse(circle)
                painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "!")
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(text)
            details = " · ".join(
                part
                for part in (
                    f"{row.course_code} {row.title}",
                    row.venue,
                    ", ".join(row.units),
                    ", ".join(row.instructors),
                    row.status.capitalize(),
                )
                if part
            )
            area = QRectF(x, rect.top(), self.width() - x - badge - 16, height)
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(details, Qt.TextElideMode.ElideRight, int(area.width())),
            )
            painter.setFont(self.font())
            if index == chosen:
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
                painter.drawRect(rect.adjusted(2, 1, -2, -1))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        line = self._line_at(event.position())
        if line is not None and line.row is not None:
            self.selected = line.row.uuid
            self._describe()
            self.update()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        line = self._line_at(event.position())
        if line is not None and line.row is not None:
            self.edit_requested.emit(line.row)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        line = self._line_at(QPointF(event.pos()))
        if line is not None and line.row is not None:
            self.menu_requested.emit(line.row, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            line = self._line_at(QPointF(event.pos()))
            if line is not None and line.row is not None:
                QToolTip.showText(
                    event.globalPos(),
                    event_tooltip(line.row, self.conflicts(line.row.id)),
                    self,
                )
            elif line is not None and self.marks.reasons(line.day):
                QToolTip.showText(event.globalPos(), "<br>".join(self.marks.reasons(line.day)))
            else:
                QToolTip.hideText()
            return True
        return super().event(event)


RowAction = Callable[[CalendarRow], None]
