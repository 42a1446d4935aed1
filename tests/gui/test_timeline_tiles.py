"""The timeline's kept images never show anything stale.

The view paints most of a frame from tiles (``scheduler/ui/timeline/tiles.py``,
``header.py``, ``labels.py``). These tests look at what the view paints, on a
small plan held in memory: tiles show exactly what direct painting shows, and
after an edit, new rows, a zoom, another palette, new conflicts or during a drag
the painted bars are where and how the planner expects them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from scheduler.planning.workdays import PlanCalendars
from scheduler.services.timeline_rows import (
    Shade,
    TimelineBar,
    TimelineCourse,
    TimelineResource,
    TimelineResources,
    arrange_rows,
)
from scheduler.ui.timeline.geometry import LABEL_WIDTH
from scheduler.ui.timeline.source import TimelineSource
from scheduler.ui.timeline.view import TimelineView

YEAR = date(2027, 1, 1)
NATIONS = ("MK", "AL", "ME")


class MemorySource(TimelineSource):
    """Bars held in memory: nothing to read, nothing to read ahead."""

    def ensure(self, first: date, last: date) -> None:
        return

    def prefetch(self, first: date, last: date) -> None:
        return

    def put(self, bars: dict[int, list[TimelineBar]]) -> None:
        """Replace every bar, as an edit does (the source's version changes)."""
        self.invalidate()
        self._store(0, 500, bars)


def _bar(ident: int, first: date, days: int, course: TimelineCourse) -> TimelineBar:
    start = datetime.combine(first, datetime.min.time()) + timedelta(hours=8)
    return TimelineBar(
        ident,
        f"e{ident}",
        f"MK-2027-{ident:03d}",
        course.id,
        course.code,
        None,
        course.category,
        "planned",
        start,
        start + timedelta(days=days - 1, hours=8),
        first,
        first + timedelta(days=days - 1),
        "instructor",
    )


def _plan() -> tuple[TimelineResources, dict[int, list[TimelineBar]]]:
    courses = {
        i: TimelineCourse(i, f"C{i}", f"Course {i}", f"Category {i}", None, 5) for i in range(1, 6)
    }
    resources = tuple(
        TimelineResource(i, f"u{i}", f"Instructor {i:02d}", NATIONS[i % 3], NATIONS[i % 3])
        for i in range(1, 61)
    )
    shades = {
        r.id: (Shade(YEAR + timedelta(days=20 + r.id), YEAR + timedelta(days=26 + r.id), "leave"),)
        for r in resources
    }
    data = TimelineResources(
        "instructor",
        resources,
        shades,
        courses,
        (YEAR, date(2027, 12, 31)),
        timedelta(days=10),
        PlanCalendars(holiday_calendars={n: n for n in NATIONS}),
    )
    bars: dict[int, list[TimelineBar]] = {}
    ident = 0
    for resource in resources:
        day = YEAR + timedelta(days=resource.id % 9)
        while day < date(2027, 12, 15):
            ident += 1
            length = (1, 3, 5, 10)[ident % 4]
            bars.setdefault(resource.id, []).append(
                _bar(ident, day, length, courses[1 + ident % 5])
            )
            day += timedelta(days=length + 2 + ident % 7)
    # Two bookings on the same days: that row stacks its bars in lanes.
    clash = bars[4][3]
    bars[4].insert(4, _bar(9999, clash.first, 2, courses[2]))
    return data, bars


@pytest.fixture
def view(qtbot: QtBot) -> Iterator[TimelineView]:
    data, bars = _plan()
    source = MemorySource(None, date(2027, 3, 10))  # type: ignore[arg-type]
    source.data = data
    source.calendars = data.calendars
    source.put(bars)
    timeline = TimelineView(source)
    qtbot.addWidget(timeline)
    timeline.resize(1200, 600)
    timeline.show()
    timeline.set_rows(arrange_rows(data, "nation"))
    timeline.set_period(*data.period)
    timeline.set_visible_days(91)
    timeline.scroll_to(date(2027, 2, 3))
    yield timeline


def _grab(view: TimelineView) -> QImage:
    return view.viewport().grab().toImage()


def _tile_everything_in_view(view: TimelineView) -> None:
    """Let the planner look for a moment: the look-ahead paints the tiles in view."""
    view.ahead.start()
    deadline = time.monotonic() + 20
    while view.ahead.busy and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.005)
    assert not view.ahead.busy


def _probe(view: TimelineView, bar: TimelineBar) -> QPoint:
    """A point inside ``bar`` that no label covers (just left of its right end)."""
    for index, top in view.visible_rows():
        for placed in view.layout_of(view.rows[index], top).bars:
            if placed.bar.event_id == bar.event_id:
                rect = placed.rect
                return QPoint(int(rect.right() - 2), int(rect.center().y()))
    raise AssertionError(f"{bar.ref} not in view")


def _row_of(view: TimelineView, resource_id: int) -> int:
    data = view.source.data
    assert data is not None
    return next(
        i
        for i, row in enumerate(view.rows)
        if row.kind == "resource" and data.resources[row.index].id == resource_id
    )


def _show_row(view: TimelineView, resource_id: int) -> int:
    index = _row_of(view, resource_id)
    view.verticalScrollBar().setValue(max(index - 3, 0) * 24)
    return index


def _fill(view: TimelineView, bar: TimelineBar) -> QColor:
    return view.source.colours.fill(bar.category, bar.status)


def _wide_bar(view: TimelineView, resource_id: int, length: int = 5, room: int = 3) -> TimelineBar:
    """A bar of the row of at least ``length`` days, in view with ``room`` days after it."""
    first, last = view.visible_window()
    return next(
        bar
        for bar in view.source.bars(resource_id, first + timedelta(days=3), last)
        if bar.first >= first + timedelta(days=3)
        and bar.last <= last - timedelta(days=room)
        and (bar.last - bar.first).days + 1 >= length
    )


@pytest.mark.parametrize("days", [7, 35, 91, 365])
def test_tiles_show_what_direct_painting_shows(view: TimelineView, days: float) -> None:
    _data, bars = _plan()
    clash = next(bar for bar in bars[4] if bar.event_id == 9999)
    view.set_visible_days(days)
    view.scroll_to(clash.first - timedelta(days=2 if days < 10 else 12))
    index = _show_row(view, 4)
    assert view.layout_of(view.rows[index], view.row_top(index)).lanes == 2  # bars stack
    made = view.body.tiles.made
    direct = _grab(view)  # a new place: painted directly, no tile made
    assert view.body.tiles.made == made
    _tile_everything_in_view(view)
    assert view.body.tiles.made > made
    made = view.body.tiles.made
    tiled = _grab(view)
    assert view.body.tiles.made == made  # painted from the tiles
    # The last pixel column may show the edge of a day that has just begun.
    width = direct.width() - 2
    assert direct.copy(0, 0, width, direct.height()) == tiled.copy(0, 0, width, tiled.height())


def test_a_bar_starting_left_of_the_view_keeps_its_label(view: TimelineView) -> None:
    index = _show_row(view, 7)
    bar = _wide_bar(view, 7)
    # Scroll so the bar starts two days left of the days in view.
    view.horizontalScrollBar().setValue(
        round(((bar.first - view.period[0]).days + 2) * view.day_width)
    )
    _tile_everything_in_view(view)
    image = _grab(view)
    top = round(view.row_top(index))
    text = QColor("#111111"), QColor("#ffffff")
    label_pixels = [
        image.pixelColor(x, y)
        for x in range(LABEL_WIDTH + 2, LABEL_WIDTH + 30)
        for y in range(top + 4, top + 20)
    ]
    # Some pixels of the label's text, not only the bar's fill.
    assert any(
        abs(p.lightness() - _fill(view, bar).lightness()) > 60
        and min(abs(p.lightness() - t.lightness()) for t in text) < 120
        for p in label_pixels
    )


def test_an_edited_bar_shows_at_its_new_place(view: TimelineView) -> None:
    index = _show_row(view, 10)
    bar = _wide_bar(view, 10, length=5, room=14)
    _tile_everything_in_view(view)
    old = _probe(view, bar)
    assert _grab(view).pixelColor(old) == _fill(view, bar)
    # Move it a week later, as an edit does: the source reads the bars again.
    moved = replace(bar, first=bar.first + timedelta(days=7), last=bar.last + timedelta(days=7))
    _data, bars = _plan()
    bars[10] = [moved] + [
        b
        for b in bars[10]
        if b.event_id != bar.event_id and (b.last < moved.first or b.first > moved.last)
    ]
    bars[10].sort(key=lambda b: b.first)
    source = view.source
    assert isinstance(source, MemorySource)
    source.put(bars)
    view.viewport().update()
    image = _grab(view)
    new = _probe(view, moved)
    assert image.pixelColor(new) == _fill(view, moved)
    assert image.pixelColor(old) != _fill(view, bar)
    hit = view.bar_at(view.point_of(index, moved.first + timedelta(days=2)).toPointF())
    assert hit is not None and hit[1].bar.event_id == bar.event_id
    assert view.bar_at(old.toPointF()) is None


def test_bars_follow_their_rows_when_the_rows_change(view: TimelineView) -> None:
    data = view.source.data
    assert data is not None
    view.verticalScrollBar().setValue(0)
    _tile_everything_in_view(view)
    # Instructor 08, third in the second group, is below the view until the
    # first group closes.
    assert view.rows[0].kind == "group"
    assert _row_of(view, 8) > view.visible_rows()[-1][0]
    view.set_rows(arrange_rows(data, "nation", {view.rows[0].key}))
    assert _row_of(view, 8) == 4
    bar = _wide_bar(view, 8)
    probe = _probe(view, bar)
    assert _grab(view).pixelColor(probe) == _fill(view, bar)
    hit = view.bar_at(probe.toPointF())
    assert hit is not None and hit[1].bar.event_id == bar.event_id


def test_after_a_zoom_bars_are_painted_where_the_mouse_finds_them(view: TimelineView) -> None:
    index = _show_row(view, 12)
    _tile_everything_in_view(view)
    view.set_visible_days(35)
    _tile_everything_in_view(view)
    bar = _wide_bar(view, 12)
    point = view.point_of(index, bar.first + timedelta(days=1))
    hit = view.bar_at(point.toPointF())
    assert hit is not None and hit[1].bar.event_id == bar.event_id
    assert _grab(view).pixelColor(_probe(view, bar)) == _fill(view, bar)


def test_another_palette_is_painted_at_once(view: TimelineView) -> None:
    index = _show_row(view, 15)
    _tile_everything_in_view(view)
    data = view.source.data
    assert data is not None
    # A working day of the row with no bar, no leave and no holiday.
    first, last = view.visible_window()
    busy = {
        first + timedelta(days=n)
        for b in view.source.bars(15, first, last)
        for n in range(-1, (b.last - first).days + 2)
        if b.first <= first + timedelta(days=n)
    }
    free = next(
        d
        for d in (first + timedelta(days=n) for n in range(5, 60))
        if d.weekday() < 5
        and d not in busy
        and not view.source.days_off(data.resources[data.by_id()[15]], d, d)
        and not any(s.first <= d <= s.last for s in data.shades[15])
    )
    point = view.point_of(index, free)
    row = view.rows[index]
    role = QPalette.ColorRole.AlternateBase if index % 2 else QPalette.ColorRole.Base
    assert _grab(view).pixelColor(point) == view.palette().color(role)
    assert row.kind == "resource"
    dark = QPalette(view.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.AlternateBase, QColor("#2a2a2a"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#eeeeee"))
    view.setPalette(dark)
    assert _grab(view).pixelColor(point) == dark.color(role)


def test_new_conflicts_outline_the_bar(view: TimelineView) -> None:
    clashes: dict[int, str] = {}
    view.clash_of = clashes.get
    _show_row(view, 25)
    bar = _wide_bar(view, 25)
    _tile_everything_in_view(view)
    probe = _probe(view, bar)
    rect = next(
        p.rect
        for i, t in view.visible_rows()
        for p in view.layout_of(view.rows[i], t).bars
        if p.bar.event_id == bar.event_id
    )
    edge = QPoint(probe.x() - 10, int(rect.top() + 1))
    assert _grab(view).pixelColor(edge).red() < 200 or _fill(view, bar).red() >= 200
    clashes[bar.event_id] = "error"  # the conflict check found one
    view.clashes_changed()
    red = _grab(view).pixelColor(edge)
    assert red.red() > 180 and red.green() < 120 and red.blue() < 120


def test_a_dragged_bar_is_dimmed_while_it_moves(view: TimelineView, qtbot: QtBot) -> None:
    index = _show_row(view, 30)
    bar = _wide_bar(view, 30)
    _tile_everything_in_view(view)
    probe = _probe(view, bar)
    assert _grab(view).pixelColor(probe) == _fill(view, bar)
    start = view.point_of(index, bar.first + timedelta(days=1))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(view.viewport(), start + QPoint(8, 0))
    qtbot.mouseMove(view.viewport(), start + QPoint(0, 3 * 24))
    QApplication.processEvents()
    assert _grab(view).pixelColor(probe) != _fill(view, bar)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert _grab(view).pixelColor(probe) == _fill(view, bar)
