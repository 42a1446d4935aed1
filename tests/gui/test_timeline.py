"""The resource timeline as a planner uses it: drag to reassign, leave shading, free rows."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import EventInstructor, TrainingEvent
from scheduler.services.plan_snapshot import load_plan_data
from scheduler.services.timeline_rows import TimelineBar, qualification_gaps
from scheduler.ui.main_window import MainWindow
from scheduler.ui.timeline.geometry import ROW_HEIGHT
from scheduler.ui.timeline.page import TimelinePage
from tests.gui.conftest import another_planner_edits, when_modal
from tests.slot_oracle import slot_finder_free


def _page(window: MainWindow, path: Path | str) -> TimelinePage:
    assert window.open_path(path)
    window.show_page("timeline")
    page = window.current_page()
    assert isinstance(page, TimelinePage)
    return page


def _staff(page: TimelinePage, uuid: str) -> set[str]:
    def read(session: object) -> set[str]:
        event = session.scalars(  # type: ignore[attr-defined]
            select(TrainingEvent).where(TrainingEvent.uuid == uuid)
        ).one()
        return {a.instructor.uuid for a in event.instructors}

    return page.document.read(read)


def _drag(qtbot: QtBot, widget: QWidget, start: QPoint, end: QPoint) -> None:
    qtbot.mousePress(widget, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(widget, start + QPoint(8, 0))
    qtbot.mouseMove(widget, end)
    qtbot.mouseRelease(widget, Qt.MouseButton.LeftButton, pos=end)


def _visible_bar(page: TimelinePage, *, in_series: bool = False) -> tuple[int, TimelineBar, QPoint]:
    """A bar in view (of a single event, or with ``in_series`` an occurrence of a series)."""
    view = page.view
    for index, top in view.visible_rows():
        row = view.rows[index]
        if row.kind != "resource" or top < 60 or top > view.viewport().height() - 2 * ROW_HEIGHT:
            continue
        for placed in view.layout_of(row, top).bars:
            rect = placed.rect
            if (
                rect.width() > 30
                and rect.left() > 300
                and rect.right() < view.viewport().width() - 10  # all of it in view
                and placed.bar.role == "instructor"
                and (placed.bar.series_id is not None) == in_series
            ):
                return index, placed.bar, rect.center().toPoint() - QPoint(5, 0)
    raise AssertionError("no bar in view")


def _target_row(page: TimelinePage, bar: TimelineBar, skip: set[str], qualified: bool) -> int:
    data = page.source.data
    assert data is not None
    for index, _top in page.view.visible_rows()[3:-3]:
        row = page.view.rows[index]
        if row.kind != "resource":
            continue
        person = data.resources[row.index]
        if person.uuid in skip or person.role != "instructor":
            continue
        if (not qualification_gaps(data, person.id, bar.course_id, bar.last)) == qualified:
            return index
    raise AssertionError("no suitable row in view")


def test_drag_to_another_row_reassigns_and_undo_restores(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    page = _page(window, demo_plan_path)
    page.set_visible_days(91)
    page.scroll_to(date(2027, 3, 1))
    index, bar, start = _visible_bar(page)
    before = _staff(page, bar.uuid)
    data = page.source.data
    assert data is not None
    source_uuid = data.resources[page.view.rows[index].index].uuid
    assert source_uuid in before

    # A target who lacks a qualification asks first; No leaves the plan alone.
    unqualified = _target_row(page, bar, before, qualified=False)
    answered: list[str] = []

    def refuse(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        answered.append(dialog.text())
        dialog.button(QMessageBox.StandardButton.No).click()

    when_modal(refuse)
    end = QPoint(start.x(), round(page.view.row_top(unqualified) + ROW_HEIGHT / 2))
    _drag(qtbot, page.view.viewport(), start, end)
    assert answered and "lacks" in answered[0]
    assert _staff(page, bar.uuid) == before
    assert page.document.undo_stack.count() == 0

    target = _target_row(page, bar, before, qualified=True)
    target_uuid = data.resources[page.view.rows[target].index].uuid
    end = QPoint(start.x(), round(page.view.row_top(target) + ROW_HEIGHT / 2))
    _drag(qtbot, page.view.viewport(), start, end)
    after = _staff(page, bar.uuid)
    assert after == (before - {source_uuid}) | {target_uuid}
    assert page.document.undo_stack.count() == 1
    # The bar now shows on the target's row, at once.
    shown = page.view.layout_of(page.view.rows[target], page.view.row_top(target)).bars
    assert bar.event_id in {p.bar.event_id for p in shown}

    page.document.undo_stack.undo()
    assert _staff(page, bar.uuid) == before
    roles = page.document.read(
        lambda s: {
            str(a.role)
            for a in s.scalars(
                select(EventInstructor).join(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)
            )
        }
    )
    assert "instructor" in roles
    page.document.undo_stack.redo()
    assert _staff(page, bar.uuid) == after


def test_drag_along_the_row_moves_the_event(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    page = _page(window, demo_plan_path)
    page.set_visible_days(28)
    page.scroll_to(date(2027, 3, 1))
    _index, bar, start = _visible_bar(page)
    shift = round(7 * page.view.day_width)  # one week later: same weekday
    _drag(qtbot, page.view.viewport(), start, start + QPoint(shift, 0))
    moved = page.document.read(
        lambda s: s.scalars(select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)).one().start
    )
    assert moved.date() >= bar.first + timedelta(days=7)
    page.document.undo_stack.undo()
    restored = page.document.read(
        lambda s: s.scalars(select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)).one().start
    )
    assert restored == bar.start


def test_leave_shading_appears_on_the_right_days(window: MainWindow, demo_plan_path: Path) -> None:
    page = _page(window, demo_plan_path)
    data = page.source.data
    assert data is not None
    view = page.view
    # An instructor's leave on working days, the days around it working days too.
    calendar_of = page.source.calendar
    row_index, span = next(
        (index, shade)
        for index, row in enumerate(view.rows)
        if row.kind == "resource"
        for shade in data.shades.get(data.resources[row.index].id, ())
        if shade.kind == "leave"
    )
    person = data.resources[view.rows[row_index].index]
    page.set_visible_days(35)
    page.scroll_to(span.first - timedelta(days=5))
    view.verticalScrollBar().setValue(max(row_index - 3, 0) * ROW_HEIGHT)
    image = view.viewport().grab().toImage()
    top = view.row_top(row_index)
    calendar = calendar_of(person)
    away = data.shades[person.id]
    base = QColor(view.palette().color(view.palette().ColorRole.Base))
    alternate = QColor(view.palette().color(view.palette().ColorRole.AlternateBase))
    checked = 0
    day = span.first - timedelta(days=4)
    while day <= span.last + timedelta(days=4):
        x = round(view.axis().x_of(day) + view.day_width / 2)
        if calendar.is_working_day(day) and 0 < x < view.viewport().width():
            # Just inside the row's top edge: shading is there, bars start lower.
            pixel = image.pixelColor(x, round(top) + 2)
            plain = pixel in (base, alternate)
            expected_away = any(s.first <= day <= s.last for s in away)
            assert plain != expected_away, (day, pixel.name())
            checked += 1
        day += timedelta(days=1)
    assert checked >= 6


def test_free_filter_lists_exactly_whom_the_slot_finder_deems_free(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    page = _page(window, demo_plan_path)
    data = page.source.data
    assert data is not None
    course = next(
        c for c in data.courses.values() if c.duration_days == 5 and c.required_qualifications
    )
    monday = date(2027, 6, 7)  # ISO week 23
    page.free_course.setCurrentIndex(page.free_course.findData(course.id))
    page.free_from.setDate(monday)
    page.free_to.setDate(monday + timedelta(days=4))
    page.free_nation.setCurrentIndex(page.free_nation.findData("MK"))
    page.free_check.setChecked(True)
    qtbot.waitUntil(lambda: page.free_ids is not None, timeout=20_000)
    snapshot = page.document.read(load_plan_data)
    expected = slot_finder_free(snapshot, course.id, monday, "MK")
    assert set(page.visible_resource_ids()) == expected
    assert 0 < len(expected) < len(data.resources)
    page.free_check.setChecked(False)
    assert len(page.visible_resource_ids()) == len(data.resources)


def test_a_moved_event_is_painted_at_its_new_place_and_back_after_undo(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    """The view paints from kept tiles: an edit and its undo must show at once."""
    page = _page(window, demo_plan_path)
    page.set_visible_days(28)
    page.scroll_to(date(2027, 3, 1))
    view = page.view
    view.ahead.start()  # as when the planner stops scrolling: tiles are painted
    qtbot.waitUntil(lambda: not view.ahead.busy, timeout=20_000)
    index, bar, start = _visible_bar(page)
    made = view.body.tiles.made
    view.viewport().grab()
    assert view.body.tiles.made == made  # the view is painted from tiles

    def painted_at(first: date) -> bool:
        """Whether the row shows ``bar``'s colour at its right end had it started on ``first``."""
        placed = next(
            p
            for p in view.layout_of(view.rows[index], view.row_top(index)).bars
            if p.bar.event_id == bar.event_id
        )
        assert placed.bar.first == first
        rect = placed.rect
        # Inside the bar, clear of a conflict's outline and of the label.
        point = QPoint(int(rect.right() - 6), int(rect.top() + 3))
        fill = view.source.colours.fill(bar.category, bar.status)
        return view.viewport().grab().toImage().pixelColor(point) == fill

    assert painted_at(bar.first)
    shift = round(7 * view.day_width)
    _drag(qtbot, view.viewport(), start, start + QPoint(shift, 0))
    assert page.document.undo_stack.count() == 1
    moved = page.document.read(
        lambda s: s.scalars(select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)).one().start
    )
    assert moved.date() >= bar.first + timedelta(days=7)  # a holiday may push it on
    assert painted_at(moved.date())
    page.document.undo_stack.undo()
    assert painted_at(bar.first)


def test_a_drag_of_an_occurrence_asks_the_series_scope_like_the_calendar(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    from scheduler.ui.series_scope import SCOPE_DIALOG

    page = _page(window, demo_plan_path)
    page.set_visible_days(28)
    page.scroll_to(date(2027, 3, 1))
    _index, bar, start = _visible_bar(page, in_series=True)
    asked: list[str] = []

    def all_of_them(box: QWidget) -> None:
        assert box.objectName() == SCOPE_DIALOG
        asked.append(box.text())  # type: ignore[attr-defined]
        button = box.findChild(QWidget, "scope_all")
        assert button is not None
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def starts(session: object) -> list[object]:
        event = session.scalars(  # type: ignore[attr-defined]
            select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)
        ).one()
        return sorted(e.start for e in event.series.events)

    before = page.document.read(starts)
    when_modal(all_of_them)
    shift = round(7 * page.view.day_width)
    _drag(qtbot, page.view.viewport(), start, start + QPoint(shift, 0))
    assert asked and bar.ref in asked[0]
    after = page.document.read(starts)
    assert len(after) == len(before) and after != before
    assert all(b < a for b, a in zip(before, after, strict=True))
    page.document.undo_stack.undo()
    assert page.document.read(starts) == before


def test_a_drag_over_another_planners_change_is_refused(
    qtbot: QtBot, window: MainWindow, demo_location: Path | str
) -> None:
    """The bar on screen is older than the event: the drag is put to the planner
    (reload, the default), never written over the other planner's change."""
    page = _page(window, demo_location)
    page.set_visible_days(28)
    page.scroll_to(date(2027, 3, 1))
    _index, bar, start = _visible_bar(page)
    another_planner_edits(page.document, bar.uuid)
    refusals: list[str] = []

    def reload(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        refusals.append(box.text())
        box.defaultButton().click()

    when_modal(reload)
    shift = round(7 * page.view.day_width)
    _drag(qtbot, page.view.viewport(), start, start + QPoint(shift, 0))
    qtbot.waitUntil(lambda: bool(refusals), timeout=10_000)
    assert "bora@cell" in refusals[0]
    moved = page.document.read(
        lambda s: s.scalars(select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)).one()
    )
    assert moved.start == bar.start and moved.partner_remarks == "Confirmed by the partner"


def test_the_keyboard_chooses_moves_reassigns_and_opens_a_bar(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    page = _page(window, demo_plan_path)
    page.set_visible_days(28)
    page.scroll_to(date(2027, 3, 1))
    view = page.view
    index, bar, start = _visible_bar(page)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert view.selected == (index, bar.event_id)
    assert f"selected {bar.ref}" in view.accessibleName()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Left)  # along the row and back
    assert view.selected == (index, bar.event_id)

    def start_of() -> object:
        return page.document.read(
            lambda s: (
                s.scalars(select(TrainingEvent).where(TrainingEvent.uuid == bar.uuid)).one().start
            )
        )

    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # a day later
    assert start_of() != bar.start
    page.document.undo_stack.undo()
    assert start_of() == bar.start

    before = _staff(page, bar.uuid)
    data = page.source.data
    assert data is not None
    below = next(i for i in range(index + 1, len(view.rows)) if view.rows[i].kind == "resource")
    source_uuid = data.resources[view.rows[index].index].uuid
    target_uuid = data.resources[view.rows[below].index].uuid

    def yes(dialog: QWidget) -> None:  # "lacks a qualification: assign anyway?"
        if isinstance(dialog, QMessageBox) and dialog.button(QMessageBox.StandardButton.Yes):
            dialog.button(QMessageBox.StandardButton.Yes).click()

    when_modal(yes, timeout_ms=1000)
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)  # the row below
    assert _staff(page, bar.uuid) == (before - {source_uuid}) | {target_uuid}
    page.document.undo_stack.undo()
    assert _staff(page, bar.uuid) == before

    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
    assert view.selected == (index, bar.event_id)
    qtbot.keyClick(view, Qt.Key.Key_Return)  # as a double-click: the event in the list
    shown = window.current_page()
    assert shown is not None and shown.objectName() == "page_event"


def test_the_drag_preview_spans_the_days_the_drop_gives(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    """Dropped over a holiday, a course keeps its working days and ends later
    than the bar was dragged to; the dashed preview shows where it lands."""
    page = _page(window, demo_plan_path)
    page.set_visible_days(56)
    page.scroll_to(date(2027, 3, 1))
    view = page.view
    previews, landed, shifted = [], [], []
    for days in range(3, 40, 3):
        _index, bar, start = _visible_bar(page)
        end = start + QPoint(round(days * view.day_width), 0)
        qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(8, 0))
        qtbot.mouseMove(view.viewport(), end)
        previews.append(view.drag_preview())
        qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=end)
        event = page.document.read(
            lambda s, u=bar.uuid: s.scalars(
                select(TrainingEvent).where(TrainingEvent.uuid == u)
            ).one()
        )
        landed.append((event.start.date(), (event.end - timedelta(microseconds=1)).date()))
        shifted.append((bar.first + timedelta(days=days), bar.last + timedelta(days=days)))
        page.document.undo_stack.undo()
    assert previews == landed
    assert landed != shifted  # some drops met a weekend or a holiday
