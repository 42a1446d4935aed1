"""The timeline widget: a scroll area that paints rows and days itself.

No widget per row or per bar: the view keeps a list of plain rows and asks
its ``TimelineSource`` for the bars of the rows in view, so 2,000 rows
scroll like 20. What it paints is mostly kept images (``tiles.py``,
``header.py``, ``labels.py``), painted ahead while the planner looks
(``ahead.py``); they are dropped when what they show may change, which the
view learns from the source's version, ``set_rows``, the palette, font,
zoom and device pixel ratio, and ``clashes_changed()`` (the owner calls it
when ``clash_of`` answers differently). The mouse turns into requests the
page carries out (move, reassign, resize, open), so the view never writes
to the plan.

Signals: ``move_requested(bar, from_index, to_index, first_day)`` (indexes
into the source's resources; equal when the bar stayed in its row),
``resize_requested(bar, last_day)``, ``open_requested(bar)``,
``toggled(key)`` for a group or a unit opened or closed, ``zoomed(days)``
and ``window_changed()`` when the visible dates change. GUI thread only.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPoint, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QFont,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QAbstractScrollArea, QToolTip, QWidget

from scheduler.planning.wording import WEEKDAY_DATE, date_format
from scheduler.services.timeline_rows import TimelineBar, TimelineRow
from scheduler.ui.timeline.ahead import LookAhead
from scheduler.ui.timeline.geometry import (
    HEADER_HEIGHT,
    LABEL_WIDTH,
    MAX_DAYS,
    MIN_DAYS,
    ROW_HEIGHT,
    DayAxis,
)
from scheduler.ui.timeline.header import Header
from scheduler.ui.timeline.labels import Labels
from scheduler.ui.timeline.painting import TimelinePainter
from scheduler.ui.timeline.rows import PlacedBar, RowLayout, layout_row
from scheduler.ui.timeline.source import TimelineSource
from scheduler.ui.timeline.tiles import Body, TileGrid

EDGE = 5  # pixels at a bar's right end that resize instead of move
DRAG_START = 4


@dataclass(slots=True)
class Drag:
    bar: TimelineBar
    row_index: int  # the resource row it started in (index into view.rows)
    mode: str  # "move" or "resize"
    press: QPointF
    rect: QRectF
    active: bool = False
    day_delta: int = 0
    target_row: int = -1


class TimelineView(QAbstractScrollArea):
    move_requested = Signal(object, int, int, object)
    resize_requested = Signal(object, object)
    open_requested = Signal(object)
    toggled = Signal(str)
    zoomed = Signal(float)
    window_changed = Signal()

    def __init__(self, source: TimelineSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline_view")
        self.source = source
        self.rows: list[TimelineRow] = []
        self.corner_text = ""
        self.clash_of: Callable[[int], str | None] = lambda _event_id: None
        self.period: tuple[date, date] = (source.today, source.today + timedelta(days=364))
        self.visible_days = 91.0
        self.day_width = 10.0
        self._drag: Drag | None = None
        self._last_window: tuple[date, date] | None = None
        self.rows_version = 0
        self.body = Body(source)
        self.header = Header()
        self.labels = Labels()
        self._clash_version = 0
        self._last_place: tuple[date, date, int] | None = None
        self.viewport().setMouseTracking(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.horizontalScrollBar().valueChanged.connect(self._scrolled)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.ahead = LookAhead(self)
        # Where a moved bar would land (first, last day), by the drop's own rule
        # (holidays skipped); set by the page. None: the days shift as dragged.
        self.landing: Callable[[TimelineBar, date], tuple[date, date]] | None = None
        # The bar the keyboard acts on: (row index into rows, event id).
        self.selected: tuple[int, int] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Resource timeline")
        self.setAccessibleDescription(
            "Left and Right choose a bar in a row; Alt+Left and Alt+Right move it a day, "
            "Alt+Up and Alt+Down give it to the row above or below; Enter opens it."
        )

    # --- geometry
    @property
    def data_width(self) -> int:
        return max(self.viewport().width() - LABEL_WIDTH, 50)

    def axis(self) -> DayAxis:
        return self.axis_at(self.horizontalScrollBar().value())

    def visible_window(self) -> tuple[date, date]:
        return self.axis().visible()

    def axis_at(self, scroll_x: int) -> DayAxis:
        """The axis when scrolled to ``scroll_x``."""
        first, last = self.period
        return DayAxis(first, (last - first).days + 1, self.day_width, scroll_x, self.data_width)

    def window_at(self, scroll_x: int) -> tuple[date, date]:
        """The days in view when scrolled to ``scroll_x``."""
        return self.axis_at(scroll_x).visible()

    def visible_rows(self) -> list[tuple[int, float]]:
        """(row index, top y) of every row at least partly in view."""
        offset = self.verticalScrollBar().value()
        first = offset // ROW_HEIGHT
        height = self.viewport().height() - HEADER_HEIGHT
        count = math.ceil((height + offset % ROW_HEIGHT) / ROW_HEIGHT) + 1
        return [
            (index, HEADER_HEIGHT + index * ROW_HEIGHT - offset)
            for index in range(first, min(first + count, len(self.rows)))
        ]

    def row_at(self, y: float) -> int:
        if y < HEADER_HEIGHT:
            return -1
        index = int((y - HEADER_HEIGHT + self.verticalScrollBar().value()) // ROW_HEIGHT)
        return index if 0 <= index < len(self.rows) else -1

    def row_top(self, index: int) -> float:
        return HEADER_HEIGHT + index * ROW_HEIGHT - self.verticalScrollBar().value()

    def layout_of(self, row: TimelineRow, top: float) -> RowLayout:
        data = self.source.data
        if row.kind != "resource" or data is None:
            return RowLayout()
        first, last = self.visible_window()
        self.source.ensure(first, last)  # cached chunks: a few look-ups
        bars = list(self.source.bars(data.resources[row.index].id, first, last))
        return layout_row(self.axis(), top, bars)

    def bar_at(self, point: QPointF) -> tuple[int, PlacedBar] | None:
        index = self.row_at(point.y())
        if index < 0 or point.x() < LABEL_WIDTH:
            return None
        for placed in reversed(self.layout_of(self.rows[index], self.row_top(index)).bars):
            if placed.rect.adjusted(-1, 0, 1, 0).contains(point):
                return index, placed
        return None

    # --- state from the page
    def set_rows(self, rows: list[TimelineRow]) -> None:
        self.rows = rows
        self.rows_version += 1
        self._update_ranges()
        self.viewport().update()

    def set_period(self, first: date, last: date) -> None:
        keep = self.visible_window()[0] if self.rows else None
        self.period = (first, last)
        self._update_ranges()
        if keep is not None:
            self.scroll_to(keep)

    def set_visible_days(self, days: float, anchor_x: float | None = None) -> None:
        """Zoom so ``days`` fit across, keeping the day under ``anchor_x`` (or the left edge)."""
        days = min(max(days, MIN_DAYS), MAX_DAYS)
        x = anchor_x if anchor_x is not None else LABEL_WIDTH
        axis = self.axis()
        anchor = (x - LABEL_WIDTH + axis.scroll_x) / axis.day_width
        self.visible_days = days
        self.day_width = self.data_width / days
        self._update_ranges()
        self.horizontalScrollBar().setValue(round(anchor * self.day_width - (x - LABEL_WIDTH)))
        self.zoomed.emit(days)
        self.viewport().update()

    def scroll_to(self, day: date) -> None:
        """Put ``day`` at the left edge of the days."""
        self.horizontalScrollBar().setValue(round((day - self.period[0]).days * self.day_width))

    def _update_ranges(self) -> None:
        horizontal = self.horizontalScrollBar()
        horizontal.setRange(0, max(self.axis().total_width - self.data_width, 0))
        horizontal.setPageStep(self.data_width)
        horizontal.setSingleStep(max(round(self.day_width), 1))
        vertical = self.verticalScrollBar()
        height = self.viewport().height() - HEADER_HEIGHT
        vertical.setRange(0, max(len(self.rows) * ROW_HEIGHT - height, 0))
        vertical.setPageStep(max(height, ROW_HEIGHT))
        vertical.setSingleStep(ROW_HEIGHT)

    def _scrolled(self) -> None:
        self.viewport().update()

    # --- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        first, last = self.visible_window()
        self.source.ensure(first, last)
        self.prepare_tiles()
        painter = QPainter(self.viewport())
        try:
            TimelinePainter(self, painter).paint()
            self._paint_selection(painter)
        finally:
            painter.end()
        if self._last_window != (first, last):
            self._last_window = (first, last)
            self.window_changed.emit()
        place = (first, last, self.verticalScrollBar().value() // ROW_HEIGHT)
        if self._last_place != place:
            self._last_place = place
            self.ahead.moved()

    def clashes_changed(self) -> None:
        """The answers of ``clash_of`` changed: outlines are painted again."""
        self._clash_version += 1
        self.viewport().update()

    def prepare_tiles(self) -> None:
        """State the scene the kept images must show: body, header and labels
        (each drops its images when what they show may have changed)."""
        first, last = self.period
        grid = self.body.grid
        if grid.key != (first, (last - first).days + 1, self.day_width):
            grid = TileGrid(first, (last - first).days + 1, self.day_width)
        ratio, palette, font = self.viewport().devicePixelRatioF(), self.palette(), self.font()
        small = QFont(font)
        small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        dropped = self.body.prepare(
            grid,
            self.rows,
            self.rows_version,
            ratio,
            palette,
            font,
            self._clash_version,
            self.clash_of,
        )
        self.header.prepare(grid, ratio, palette, small, self.source.today)
        self.labels.prepare(self.rows, self.rows_version, ratio, palette, font, small)
        if dropped:  # paint them again while the planner looks
            self.ahead.moved()

    def dragging_event(self) -> int | None:
        drag = self._drag
        return drag.bar.event_id if drag is not None and drag.active else None

    def paint_drag(self, painter: QPainter) -> None:
        drag = self._drag
        if drag is None or not drag.active:
            return
        rect = QRectF(drag.rect)
        shift = drag.day_delta * self.day_width
        if drag.mode == "move":
            rect.translate(shift, 0)
            landed = self.drag_preview()
            if landed is not None:  # the days the drop gives, holidays skipped
                axis, bar = self.axis(), drag.bar
                # The bar's own insets at either end, kept on the landed days.
                inset_left = drag.rect.left() - axis.x_of(bar.first)
                inset_right = axis.x_of(bar.last + timedelta(days=1)) - drag.rect.right()
                rect.setLeft(axis.x_of(landed[0]) + inset_left)
                rect.setRight(axis.x_of(landed[1] + timedelta(days=1)) - inset_right)
            if drag.target_row >= 0:
                rect.moveTop(self.row_top(drag.target_row) + 3)
                rect.setHeight(ROW_HEIGHT - 7)
        else:
            rect.setRight(max(rect.right() + shift, rect.left() + self.day_width - 1))
        fill = self.source.colours.fill(drag.bar.category, drag.bar.status)
        fill.setAlpha(190)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(self.palette().color(self.foregroundRole()), 1.5, Qt.PenStyle.DashLine))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, 3, 3)

    def drag_preview(self) -> tuple[date, date] | None:
        """The days a move in progress would give the event (what the dashed bar spans)."""
        drag = self._drag
        if drag is None or not drag.active or drag.mode != "move":
            return None
        first = drag.bar.first + timedelta(days=drag.day_delta)
        if self.landing is None:
            return first, drag.bar.last + timedelta(days=drag.day_delta)
        return self.landing(drag.bar, first)

    # --- keyboard
    def selected_bar(self) -> PlacedBar | None:
        if self.selected is None or self.selected[0] >= len(self.rows):
            return None
        index, event_id = self.selected
        bars = self.layout_of(self.rows[index], self.row_top(index)).bars
        return next((p for p in bars if p.bar.event_id == event_id), None)

    def select(self, index: int, placed: PlacedBar | None) -> None:
        self.selected = (index, placed.bar.event_id) if placed is not None else None
        if placed is not None:
            bar = placed.bar
            self.setAccessibleName(
                f"Resource timeline; selected {bar.ref} {bar.course_code} in "
                f"{self.rows[index].label}, {date_format(bar.first, '%a %d %b')} to "
                f"{date_format(bar.last, '%a %d %b %Y')}"
            )
        self.viewport().update()

    def _paint_selection(self, painter: QPainter) -> None:
        placed = self.selected_bar()
        if placed is None:
            return
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        painter.setPen(QPen(colour, 2 if self.hasFocus() else 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(placed.rect.adjusted(-2, -2, 2, 2), 3, 3)

    def _resource_rows(self) -> list[int]:
        return [i for i, row in enumerate(self.rows) if row.kind == "resource"]

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        placed = self.selected_bar()
        if alt and key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            if placed is not None and self.selected is not None:
                self._move_selected(placed, key)
            return
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._choose(placed, 1 if key == Qt.Key.Key_Right else -1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and placed is not None:
            self.open_requested.emit(placed.bar)
            return
        super().keyPressEvent(event)

    def _choose(self, placed: PlacedBar | None, step: int) -> None:
        """The next bar in view along the selected row (the first row with one, at first)."""
        if placed is None or self.selected is None:
            for index, top in self.visible_rows():
                bars = self.layout_of(self.rows[index], top).bars
                if bars:
                    self.select(index, bars[0] if step > 0 else bars[-1])
                    return
            return
        index = self.selected[0]
        bars = sorted(
            self.layout_of(self.rows[index], self.row_top(index)).bars,
            key=lambda p: (p.rect.left(), p.bar.event_id),
        )
        at = next(n for n, p in enumerate(bars) if p.bar.event_id == placed.bar.event_id)
        self.select(index, bars[(at + step) % len(bars)])

    def _move_selected(self, placed: PlacedBar, key: Qt.Key) -> None:
        assert self.selected is not None
        index = self.selected[0]
        source = self.rows[index].index
        if key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            days = 1 if key == Qt.Key.Key_Right else -1
            self.move_requested.emit(
                placed.bar, source, source, placed.bar.first + timedelta(days=days)
            )
            return
        rows = self._resource_rows()
        at = rows.index(index) + (1 if key == Qt.Key.Key_Down else -1)
        if 0 <= at < len(rows):
            target = rows[at]
            self.move_requested.emit(placed.bar, source, self.rows[target].index, placed.bar.first)
            self.selected = (target, placed.bar.event_id)

    # --- mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        index = self.row_at(point.y())
        if index >= 0 and point.x() < LABEL_WIDTH and self.rows[index].collapsible:
            self.toggled.emit(self.rows[index].key)
            return
        if index >= 0 and self.rows[index].kind == "group":
            self.toggled.emit(self.rows[index].key)
            return
        hit = self.bar_at(point)
        if hit is None:
            return
        row_index, placed = hit
        self.select(row_index, placed)
        near_end = placed.rect.right() - point.x() <= EDGE and placed.rect.width() > 3 * EDGE
        self._drag = Drag(
            placed.bar, row_index, "resize" if near_end else "move", point, placed.rect
        )

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position()
        drag = self._drag
        if drag is None:
            hit = self.bar_at(point)
            near_end = hit is not None and hit[1].rect.right() - point.x() <= EDGE
            self.viewport().setCursor(
                Qt.CursorShape.SizeHorCursor
                if near_end
                else Qt.CursorShape.OpenHandCursor
                if hit
                else Qt.CursorShape.ArrowCursor
            )
            return
        if not drag.active and (point - drag.press).manhattanLength() < DRAG_START:
            return
        drag.active = True
        drag.day_delta = round((point.x() - drag.press.x()) / self.day_width)
        if drag.mode == "move":
            target = self.row_at(point.y())
            ok = target >= 0 and self.rows[target].kind == "resource"
            drag.target_row = target if ok else drag.row_index
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        drag, self._drag = self._drag, None
        if drag is None or not drag.active:
            self.viewport().update()
            return
        self.viewport().update()
        if drag.mode == "resize":
            if drag.day_delta:
                self.resize_requested.emit(drag.bar, drag.bar.last + timedelta(days=drag.day_delta))
            return
        source_index = self.rows[drag.row_index].index
        target_index = self.rows[drag.target_row].index if drag.target_row >= 0 else source_index
        if drag.day_delta or target_index != source_index:
            self.move_requested.emit(
                drag.bar,
                source_index,
                target_index,
                drag.bar.first + timedelta(days=drag.day_delta),
            )

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        hit = self.bar_at(event.position())
        if hit is not None:
            self._drag = None
            self.open_requested.emit(hit[1].bar)

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = delta.y() / 120
            if steps:
                self.set_visible_days(self.visible_days * (0.85**steps), event.position().x())
            event.accept()
            return
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier or delta.x():
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - (delta.x() or delta.y()))
            event.accept()
            return
        super().wheelEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            hit = self.bar_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(hit[1].bar), self.viewport())
            return True
        return super().viewportEvent(event)

    def describe(self, bar: TimelineBar) -> str:
        data = self.source.data
        course = data.courses.get(bar.course_id) if data is not None else None
        title = f" — {course.title}" if course is not None else ""
        lines = [
            f"{bar.ref}: {bar.course_code}{title}",
            f"{date_format(bar.first, WEEKDAY_DATE)} – {date_format(bar.last, WEEKDAY_DATE)} "
            f"({bar.status})",
        ]
        if bar.module:
            lines.append(f"Module: {bar.module}")
        if bar.role and bar.role != "instructor":
            lines.append(f"as {bar.role}")
        clash = self.clash_of(bar.event_id)
        if clash is not None:
            lines.append(f"Has {clash}s: see Conflicts")
        lines.append("Drag to move or to another row; drag the right end to resize.")
        return "\n".join(lines)

    def resizeEvent(self, event: QResizeEvent) -> None:
        left = self.visible_window()[0] if self.rows else None
        super().resizeEvent(event)
        self.day_width = self.data_width / self.visible_days
        self._update_ranges()
        if left is not None:
            self.scroll_to(left)

    def point_of(self, row_index: int, day: date) -> QPoint:
        """Viewport point in the middle of ``day`` on a row (for tests and automation)."""
        x = self.axis().x_of(day) + self.day_width / 2
        return QPoint(round(x), round(self.row_top(row_index) + ROW_HEIGHT / 2))
