"""One resource row of the timeline: its bars in lanes, and how the row is painted.

The same ``RowPainter`` paints a row straight into the view and into the
cached tiles (``tiles.py``): only the axis differs, so a tile shows
exactly what direct painting would. Positions are rounded with ``px``
(half up) rather than ``round`` (half to even), so a row painted at
another whole-pixel offset lands on the same pixels.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen

from scheduler.services.timeline_rows import TimelineBar, TimelineResource
from scheduler.ui.calendar.colours import text_on
from scheduler.ui.timeline.geometry import LABEL_WIDTH, ROW_HEIGHT, DayAxis

if TYPE_CHECKING:
    from scheduler.ui.timeline.source import TimelineSource

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
LABEL_MIN_WIDTH = 18  # narrower bars carry no label
PLAIN_MAX_WIDTH = 8  # narrower bars without a clash are a plain fill, no outline
_LABEL_FLAGS = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft


@dataclass(slots=True)
class PlacedBar:
    bar: TimelineBar
    rect: QRectF
    lane: int = 0


@dataclass(slots=True)
class RowLayout:
    bars: list[PlacedBar] = field(default_factory=list)
    lanes: int = 1


def assign_lanes(bars: Sequence[TimelineBar]) -> tuple[list[int], int]:
    """Lane of each bar (by start) and the lane count: overlapping bookings stack."""
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
    return lanes, max(len(ends), 1)


def bar_rect(axis: DayAxis, top: float, bar: TimelineBar, lane: int, count: int) -> QRectF:
    """Where a bar sits in a row of ``count`` lanes."""
    height = (ROW_HEIGHT - 6) / count
    left = axis.x_of(bar.first)
    right = axis.x_of(bar.last + timedelta(days=1))
    return QRectF(left, top + 3 + lane * height, max(right - left - 1, 2.0), height - 1)


def layout_row(axis: DayAxis, top: float, bars: list[TimelineBar]) -> RowLayout:
    """Bars of one row in lanes: overlapping bookings sit one above the other."""
    lanes, count = assign_lanes(bars)
    placed = [
        PlacedBar(bar, bar_rect(axis, top, bar, lane, count), lane)
        for bar, lane in zip(bars, lanes, strict=True)
    ]
    return RowLayout(placed, count)


def px(x: float) -> int:
    """Nearest pixel, halves up: the same at any whole-pixel offset (``round`` is not)."""
    return math.floor(x + 0.5)


def blend(palette: QPalette, role: QPalette.ColorRole, alpha: int) -> QColor:
    """A palette colour drawn with ``alpha`` over what is below."""
    colour = QColor(palette.color(role))
    colour.setAlpha(alpha)
    return colour


@dataclass(frozen=True, slots=True)
class _Ink:
    fill: QColor
    outline: QPen
    text: QColor


class RowPainter:
    """Paints days off, absences and bars of resource rows onto any painter.

    Keeps the pens, colours and label widths it made, so it should live as
    long as what they depend on: the source's colours, the font and the
    clash answers (``tiles.RowTiles`` makes a new one when any changes).
    """

    def __init__(
        self,
        source: TimelineSource,
        font: QFont,
        clash_of: Callable[[int], str | None],
    ) -> None:
        self.source = source
        self.clash_of = clash_of
        self.small = QFont(font)
        self.small.setPointSizeF(max(font.pointSizeF() * 0.85, 7.0))
        self._metrics = QFontMetrics(self.small)
        self._widths: dict[str, int] = {}
        self._inks: dict[tuple[str, str, bool, bool], _Ink] = {}
        self._clash_pens = {name: QPen(colour, 2.0) for name, colour in CLASH.items()}
        self._hatches: dict[str, QBrush] = {}

    def ink(self, bar: TimelineBar, dragged: bool) -> _Ink:
        key = (bar.category, bar.status, dragged, bar.external)
        found = self._inks.get(key)
        if found is None:
            fill = self.source.colours.fill(bar.category, bar.status)
            if bar.external:
                fill = QColor(fill).lighter(165)  # another provider's: faint, theirs
            if dragged:
                fill.setAlpha(70)
            found = _Ink(fill, QPen(fill.darker(150), 1.0), text_on(fill))
            self._inks[key] = found
        return found

    def label_width(self, label: str) -> int:
        found = self._widths.get(label)
        if found is None:
            found = self._widths[label] = self._metrics.horizontalAdvance(label)
        return found

    def paint(
        self,
        p: QPainter,
        resource: TimelineResource,
        axis: DayAxis,
        top: float,
        days: tuple[date, date],
        layout: RowLayout,
        label_left: float | None = None,
        dragged: int | None = None,
    ) -> None:
        """One row at ``top``: days off and absences within ``days``, then the bars.

        ``label_left`` keeps labels right of that x (the left edge of the
        days in the view), so a bar that starts off-screen keeps its name.
        """
        first, last = days
        data = self.source.data
        assert data is not None
        width = max(px(axis.day_width), 1)
        row_top = px(top)
        for day in self.source.days_off(resource, first, last):
            p.fillRect(QRect(px(axis.x_of(day)), row_top, width, ROW_HEIGHT), HOLIDAY)
        # Hatching is anchored to the days, so a row painted in pieces (tiles) joins up.
        p.setBrushOrigin(QPointF(LABEL_WIDTH - axis.scroll_x, top))
        for shade in data.shades.get(resource.id, ()):
            if shade.last < first or shade.first > last:
                continue
            left = px(axis.x_of(max(shade.first, first)))
            right = px(axis.x_of(min(shade.last, last) + timedelta(days=1)))
            rect = QRect(left, row_top + 1, max(right - left, 1), ROW_HEIGHT - 2)
            p.fillRect(rect, SHADE.get(shade.kind, SHADE["leave"]))
            p.fillRect(rect, self._hatch(shade.kind))
        if not layout.bars:
            return
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self.small)
        for placed in layout.bars:
            self._bar(p, placed, layout.lanes, label_left, dragged)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _hatch(self, kind: str) -> QBrush:
        found = self._hatches.get(kind)
        if found is None:
            colour = SHADE.get(kind, SHADE["leave"])
            found = self._hatches[kind] = QBrush(colour.darker(140), Qt.BrushStyle.BDiagPattern)
        return found

    def _bar(
        self,
        p: QPainter,
        placed: PlacedBar,
        lanes: int,
        label_left: float | None,
        dragged: int | None,
    ) -> None:
        bar, rect = placed.bar, placed.rect
        ink = self.ink(bar, bar.event_id == dragged)
        clash = self.clash_of(bar.event_id)
        width = rect.width()
        if clash is None and width < PLAIN_MAX_WIDTH:
            p.fillRect(rect.toAlignedRect(), ink.fill)  # a day or two at year zoom: no outline
            return
        p.setBrush(ink.fill)
        if clash is not None:
            p.setPen(self._clash_pens[clash])
            p.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3)
        else:
            p.setPen(ink.outline)
            p.drawRoundedRect(rect, 3, 3)
        if width < LABEL_MIN_WIDTH or lanes > 2:
            return
        left = rect.left() + 4
        # Keep the label in view when the bar starts left of the window.
        if label_left is not None and left < label_left:
            left = label_left
        room = int(rect.right() - 3 - left)
        # The code matters more than the ref: drop the ref before cutting the code.
        label = f"{bar.course_code} · {bar.module or bar.ref}"
        if self.label_width(label) > room:
            label = bar.course_code
            if self.label_width(label) > room:
                return
        p.setPen(ink.text)
        p.drawText(
            QRectF(QPointF(left, rect.top()), QPointF(rect.right() - 3, rect.bottom())),
            _LABEL_FLAGS,
            label,
        )

    def clamps_label(self, placed: PlacedBar, lanes: int, label_left: float) -> bool:
        """Whether painting with ``label_left`` moves this bar's label (see ``paint``)."""
        rect = placed.rect
        return (
            rect.left() + 4 < label_left
            and rect.right() > label_left - 4
            and rect.width() >= LABEL_MIN_WIDTH
            and lanes <= 2
        )
