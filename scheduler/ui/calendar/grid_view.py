"""The month, week and day grids: one painting widget, no widget per event.

Days are cells in rows of ``columns`` (7 for month and week, 1 for a day);
events are bars in lanes (``layout.py``). The widget paints from plain rows
and keeps the rectangles it drew for hit tests, so a month of a
100,000-event plan costs what the month holds.

Signals (GUI thread): ``moved(row, first_day)`` after a bar was dragged to
another day, ``resized(row, last_day)`` after its end edge was dragged,
``edit_requested(row)`` on double-click, ``create_requested(day)`` on a
double-click in an empty part of a day, ``menu_requested(row, QPoint)`` on
right-click, ``day_requested(day)`` when "+N more" is clicked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
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
from PySide6.QtWidgets import QApplication, QSizePolicy, QToolTip, QWidget

from scheduler.planning.wording import WEEKDAYS, count_text, date_format
from scheduler.services.calendar_rows import CalendarRow, DayMarks
from scheduler.ui.calendar.colours import (
    CLOSURE_TINT,
    HOLIDAY_TINT,
    SEVERITY_FILLS,
    ColourScheme,
    text_on,
)
from scheduler.ui.calendar.layout import GridLayout, Segment, layout_fitting

WHEN = "%a %d %b %Y %H:%M"
ConflictLookup = Callable[[int], list[tuple[str, str]]]  # event id -> (severity, message)


@dataclass(frozen=True, slots=True)
class _Drag:
    row: CalendarRow
    press: QPointF
    press_day: date
    resize: bool
    active: bool = False
    day: date | None = None


def event_tooltip(row: CalendarRow, conflicts: list[tuple[str, str]]) -> str:
    """What a bar says on hover: the event and its open conflicts."""
    lines = [
        f"<b>{_html(row.ref)}</b> {_html(row.course_code)} — {_html(row.title)}",
        f"{date_format(row.start, WHEN)} – {date_format(row.end, WHEN)}",
        f"Status: {row.status.capitalize()}",
    ]
    if row.provider:
        lines.append(f"Delivered by {_html(row.provider)} (not the cell)")
    if row.venue:
        lines.append(f"Venue: {_html(row.venue)} ({row.nation})")
    if row.units:
        lines.append("Audience: " + _html(", ".join(row.units)))
    if row.instructors:
        lines.append("Instructors: " + _html(", ".join(row.instructors)))
    if row.modules:
        lines.append("<b>Modules:</b>")
        lines.extend(f"• {_html(line)}" for line in row.modules)
    if row.series_id is not None:
        lines.append("Part of a series" + (" (changed on its own)" if row.is_override else ""))
    if conflicts:
        lines.append("<b>Conflicts:</b>")
        lines.extend(f"• {_html(message)}" for _severity, message in conflicts)
    return "<br>".join(lines)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class DayGridView(QWidget):
    """Paints ``days`` in rows of ``columns`` with the events of ``rows``."""

    moved = Signal(object, object)
    resized = Signal(object, object)
    edit_requested = Signal(object)
    create_requested = Signal(object)
    menu_requested = Signal(object, QPoint)
    day_requested = Signal(object)

    HEADER = 22
    GUTTER = 30
    DAY_LINE = 19

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_grid")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(420, 300)
        self.days: list[date] = []
        self.columns = 7
        self.month: int | None = None  # days outside it are drawn faint
        self.detail_lines = 1  # text lines per bar: 1 in a month, 3 in a week or day
        self.rows: list[CalendarRow] = []
        self.marks = DayMarks()
        self.working_weekdays: frozenset[int] = frozenset(range(5))
        self.colours = ColourScheme([])
        self.conflicts: ConflictLookup = lambda _event_id: []
        self.today = date.today()
        self.read_only = False
        self._layout = GridLayout([], {})
        self._bar_rects: list[tuple[QRectF, Segment]] = []
        self._more_rects: list[tuple[QRectF, date]] = []
        self._drag: _Drag | None = None
        # Where a dragged event would land (first, last day), by the drop's own
        # rule (holidays skipped); set by the page. None: the days shift as dragged.
        self.landing: Callable[[CalendarRow, date], tuple[date, date]] | None = None
        # The event the keyboard acts on (its uuid): arrows choose it, Alt+arrows move it.
        self.selected: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Calendar")

    # --- content -----------------------------------------------------------
    def set_days(
        self,
        days: list[date],
        columns: int,
        month: int | None,
        detail: int,
        *,
        relayout: bool = True,
    ) -> None:
        """``relayout=False`` when ``set_rows`` follows at once (one layout, not two)."""
        self.days, self.columns, self.month, self.detail_lines = days, columns, month, detail
        if relayout:
            self._relayout()

    def set_rows(self, rows: list[CalendarRow], marks: DayMarks) -> None:
        self.rows, self.marks = rows, marks
        self._relayout()
        self._describe()

    # --- keyboard --------------------------------------------------------------
    def selected_row(self) -> CalendarRow | None:
        return next((r for r in self.rows if r.uuid == self.selected), None)

    def select(self, uuid: str | None) -> None:
        self.selected = uuid
        self._describe()
        self.update()

    def _describe(self) -> None:
        """What a screen reader says of the grid: the days shown and the chosen event."""
        if not self.days:
            return
        shown = (
            f"Calendar, {date_format(self.days[0], '%d %b')} to "
            f"{date_format(self.days[-1], '%d %b %Y')}, {count_text(len(self.rows), 'event')}"
        )
        row = self.selected_row()
        if row is not None:
            shown += (
                f"; selected {row.ref} {row.title}, {date_format(row.first_day, '%a %d %b')} "
                f"to {date_format(row.last_day, '%a %d %b')}"
            )
        self.setAccessibleName(shown)
        self.setAccessibleDescription(
            "Left and Right choose an event; Alt+Left and Alt+Right move it a day, "
            "Alt+Up and Alt+Down a week; Enter opens it; the Menu key shows its menu."
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, alt = Qt.Key(event.key()), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        row = self.selected_row()
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in steps and alt:
            if row is not None and not self.read_only:
                self.moved.emit(row, row.first_day + timedelta(days=steps[key]))
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right) and self.rows:
            order = [r.uuid for r in self.rows]  # by start, as the grid reads
            step = 1 if key == Qt.Key.Key_Right else -1
            at = order.index(row.uuid) if row is not None else (-1 if step == 1 else 0)
            self.select(order[(at + step) % len(order)])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row is not None:
            self.edit_requested.emit(row)
            return
        if key == Qt.Key.Key_Menu and row is not None:
            rect = self.bar_rect_of(row.uuid)
            where = rect.center().toPoint() if rect is not None else self.rect().center()
            self.menu_requested.emit(row, self.mapToGlobal(where))
            return
        super().keyPressEvent(event)

    @property
    def weeks(self) -> int:
        return max(1, (len(self.days) + self.columns - 1) // self.columns)

    def lane_height(self) -> int:
        line = QFontMetrics(self.font()).height()
        return self.detail_lines * line + 4

    def _cell_size(self) -> tuple[float, float]:
        width = (self.width() - self.GUTTER - 1) / self.columns
        height = (self.height() - self.HEADER - 1) / self.weeks
        return width, height

    def lanes_that_fit(self) -> int:
        _width, height = self._cell_size()
        return max(int((height - self.DAY_LINE - 2) // (self.lane_height() + 2)), 1)

    def _relayout(self) -> None:
        full = layout_fitting(self.rows, self.days, self.columns, self.lanes_that_fit())
        self._layout = full
        self._bar_rects = [(self._segment_rect(s), s) for s in full.segments]
        self.update()

    def resizeEvent(self, event: object) -> None:
        self._relayout()

    # --- geometry ------------------------------------------------------------
    def cell_rect(self, index: int) -> QRectF:
        width, height = self._cell_size()
        week, col = divmod(index, self.columns)
        return QRectF(self.GUTTER + col * width, self.HEADER + week * height, width, height)

    def _segment_rect(self, segment: Segment) -> QRectF:
        width, height = self._cell_size()
        lane_h = self.lane_height()
        top = self.HEADER + segment.week * height + self.DAY_LINE + segment.lane * (lane_h + 2)
        left = self.GUTTER + segment.first_col * width + (1 if segment.continues_left else 3)
        right = self.GUTTER + (segment.last_col + 1) * width - (1 if segment.continues_right else 3)
        return QRectF(left, top, right - left, lane_h)

    def day_at(self, point: QPointF) -> date | None:
        width, height = self._cell_size()
        if point.x() < self.GUTTER or point.y() < self.HEADER or not self.days:
            return None
        col = min(int((point.x() - self.GUTTER) // width), self.columns - 1)
        week = int((point.y() - self.HEADER) // height)
        index = week * self.columns + col
        return self.days[index] if 0 <= index < len(self.days) else None

    def segment_at(self, point: QPointF) -> Segment | None:
        for rect, segment in reversed(self._bar_rects):
            if rect.contains(point):
                return segment
        return None

    def bar_rect_of(self, uuid: str) -> QRectF | None:
        """The first drawn piece of an event's bar (tests and benchmarks aim at it)."""
        return next((r for r, s in self._bar_rects if s.row.uuid == uuid), None)

    # --- painting ------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        faint = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        grid = palette.color(QPalette.ColorRole.Mid)
        dim = palette.color(QPalette.ColorRole.AlternateBase)
        painter.fillRect(self.rect(), base)
        self._paint_header(painter, text)
        self._more_rects = []
        for index, day in enumerate(self.days):
            rect = self.cell_rect(index)
            if day.weekday() not in self.working_weekdays:
                painter.fillRect(rect, dim)
            if day in self.marks.holidays:
                painter.fillRect(rect, HOLIDAY_TINT)
            if day in self.marks.closures:
                painter.fillRect(rect, QBrush(CLOSURE_TINT, Qt.BrushStyle.BDiagPattern))
            painter.setPen(QPen(grid, 1))
            painter.drawRect(rect)
            self._paint_day_number(painter, rect, day, text, faint)
            hidden = self._layout.hidden.get(day)
            if hidden:
                more = QRectF(
                    rect.left() + 4,
                    rect.bottom() - self.lane_height() - 2,
                    rect.width() - 8,
                    self.lane_height(),
                )
                painter.setPen(palette.color(QPalette.ColorRole.Link))
                painter.drawText(
                    more,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    f"+{hidden} more",
                )
                self._more_rects.append((more, day))
        self._paint_week_numbers(painter, faint)
        for rect, segment in self._bar_rects:
            self._paint_bar(painter, rect, segment)
            if segment.row.uuid == self.selected:
                width = 2 if self.hasFocus() else 1
                painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), width))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(rect.adjusted(-1, -1, 1, 1), 3, 3)
        self._paint_drag(painter)
        painter.end()

    def _paint_header(self, painter: QPainter, text: QColor) -> None:
        painter.setPen(text)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        width, _height = self._cell_size()
        for col in range(self.columns):
            day = self.days[col] if col < len(self.days) else None
            if day is None:
                continue
            label = WEEKDAYS[day.weekday()]
            if self.columns == 1 or self.weeks == 1:
                label = f"{label} {date_format(day, '%d %b')}"
            rect = QRectF(self.GUTTER + col * width, 0, width, self.HEADER)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, label)
        painter.setFont(self.font())

    def _paint_day_number(
        self, painter: QPainter, rect: QRectF, day: date, text: QColor, faint: QColor
    ) -> None:
        label = str(day.day) if day.day != 1 or self.columns == 1 else f"1 {date_format(day, '%b')}"
        area = QRectF(rect.left() + 4, rect.top() + 1, rect.width() - 8, self.DAY_LINE - 2)
        if day == self.today:
            metrics = QFontMetrics(self.font())
            box = QRectF(
                area.left() - 2, area.top(), metrics.horizontalAdvance(label) + 8, area.height()
            )
            highlight = self.palette().color(QPalette.ColorRole.Highlight)
            painter.setBrush(highlight)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.drawRoundedRect(box, 4, 4)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(self.palette().color(QPalette.ColorRole.HighlightedText))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, label)
            return
        outside = self.month is not None and day.month != self.month
        painter.setPen(faint if outside else text)
        painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, label)
        reasons = self.marks.reasons(day)
        if reasons:
            painter.setPen(faint)
            first = reasons[0].split(": ", 1)[-1]
            more = f" +{len(reasons) - 1}" if len(reasons) > 1 else ""
            metrics = QFontMetrics(self.font())
            note = QRectF(
                area.left() + metrics.horizontalAdvance(label) + 6,
                area.top(),
                area.width() - metrics.horizontalAdvance(label) - 6,
                area.height(),
            )
            painter.drawText(
                note,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(first + more, Qt.TextElideMode.ElideRight, int(note.width())),
            )

    def _paint_week_numbers(self, painter: QPainter, faint: QColor) -> None:
        painter.setPen(faint)
        for week in range(self.weeks):
            index = week * self.columns
            if index >= len(self.days):
                break
            # The ISO week of the row's Thursday (or its only day).
            day = self.days[index]
            probe = day + timedelta(days=(3 - day.weekday()) % 7) if self.columns == 7 else day
            rect = self.cell_rect(index)
            area = QRectF(0, rect.top() + 1, self.GUTTER - 2, self.DAY_LINE)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, f"W{probe.isocalendar().week}")

    def _paint_bar(self, painter: QPainter, rect: QRectF, segment: Segment) -> None:
        row = segment.row
        fill = self.colours.fill(row.category, row.status)
        if row.provider:
            fill = QColor(fill).lighter(165)  # another provider's: faint, theirs
        cancelled = row.status == "cancelled"
        if self._drag is not None and self._drag.active and self._drag.row.uuid == row.uuid:
            fill.setAlpha(90)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)
        if row.status == "draft":
            painter.setPen(QPen(text_on(fill), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), 3, 3)
        conflicts = self.conflicts(row.id)
        badge = 0.0
        if conflicts:
            badge = rect.height() if self.detail_lines == 1 else 16.0
            severity = conflicts[0][0]
            circle = QRectF(rect.right() - badge + 1, rect.top() + 1, badge - 2, badge - 2)
            painter.setPen(QPen(QColor("#ffffff"), 1))
            painter.setBrush(QColor(SEVERITY_FILLS.get(severity, "#d32f2f")))
            painter.drawEllipse(circle)
            font = QFont(self.font())
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, "!")
            painter.setFont(self.font())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        font = QFont(self.font())
        font.setStrikeOut(cancelled)
        painter.setFont(font)
        painter.setPen(text_on(fill))
        metrics = QFontMetrics(font)
        inner = rect.adjusted(4, 1, -4 - badge, -1)
        prefix = "◂ " if segment.continues_left else ""
        suffix = " ▸" if segment.continues_right else ""
        lines = [f"{prefix}{row.course_code} {row.title}{suffix}"]
        if self.detail_lines > 1:
            lines.append(f"{row.ref} · {row.start:%H:%M}–{row.end:%H:%M} · {row.venue}")
            lines.append(
                " · ".join(
                    part for part in (", ".join(row.units), ", ".join(row.instructors)) if part
                )
            )
        line_h = metrics.height()
        for n, line in enumerate(lines[: self.detail_lines]):
            area = QRectF(inner.left(), inner.top() + n * line_h, inner.width(), line_h)
            painter.drawText(
                area,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(area.width())),
            )
        painter.setFont(self.font())

    def drag_preview(self) -> tuple[date, date] | None:
        """The days a drag in progress would give the event (what the dashed cells show)."""
        drag = self._drag
        if drag is None or not drag.active or drag.day is None:
            return None
        row = drag.row
        if drag.resize:
            return row.first_day, max(drag.day, row.first_day)
        shift = drag.day - drag.press_day
        first, last = row.first_day + shift, row.last_day + shift
        if self.landing is not None:
            first, last = self.landing(row, first)
        return first, last

    def _paint_drag(self, painter: QPainter) -> None:
        preview = self.drag_preview()
        if preview is None:
            return
        first, last = preview
        highlight = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(highlight, 2, Qt.PenStyle.DashLine))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        for index, day in enumerate(self.days):
            if first <= day <= last:
                painter.drawRect(self.cell_rect(index).adjusted(2, 2, -2, -2))

    # --- mouse ---------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if event.button() != Qt.MouseButton.LeftButton:
            return
        for rect, more_day in self._more_rects:
            if rect.contains(point):
                self.day_requested.emit(more_day)
                return
        segment = self.segment_at(point)
        day = self.day_at(point)
        if segment is not None:
            self.select(segment.row.uuid)
        if segment is None or day is None or self.read_only:
            return
        rect = next(r for r, s in self._bar_rects if s is segment)
        resize = not segment.continues_right and point.x() >= rect.right() - 6
        self._drag = _Drag(segment.row, point, day, resize)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        drag = self._drag
        if drag is None:
            segment = self.segment_at(point)
            near_end = False
            if segment is not None and not segment.continues_right:
                rect = next(r for r, s in self._bar_rects if s is segment)
                near_end = point.x() >= rect.right() - 6
            self.setCursor(
                Qt.CursorShape.SizeHorCursor
                if near_end and not self.read_only
                else Qt.CursorShape.ArrowCursor
            )
            return
        distance = (point - drag.press).manhattanLength()
        if not drag.active and distance < QApplication.startDragDistance():
            return
        day = self.day_at(point) or drag.day
        self._drag = _Drag(drag.row, drag.press, drag.press_day, drag.resize, True, day)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or not drag.active:
            return
        self.update()
        day = self.day_at(event.position()) or drag.day
        if day is None:
            return
        if drag.resize:
            if day != drag.row.last_day:
                self.resized.emit(drag.row, max(day, drag.row.first_day))
        elif day != drag.press_day:
            self.moved.emit(drag.row, drag.row.first_day + (day - drag.press_day))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self._drag = None
        segment = self.segment_at(event.position())
        if segment is not None:
            self.edit_requested.emit(segment.row)
            return
        day = self.day_at(event.position())
        if day is not None and not self.read_only:
            self.create_requested.emit(day)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        segment = self.segment_at(QPointF(event.pos()))
        if segment is not None:
            self.menu_requested.emit(segment.row, event.globalPos())

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            point = QPointF(event.pos())
            segment = self.segment_at(point)
            if segment is not None:
                tip = event_tooltip(segment.row, self.conflicts(segment.row.id))
            else:
                day = self.day_at(point)
                reasons = self.marks.reasons(day) if day is not None else []
                tip = "<br>".join(_html(r) for r in reasons)
            if tip:
                QToolTip.showText(event.globalPos(), tip, self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)
