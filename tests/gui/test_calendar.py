"""The calendar as a planner uses it: drag to move and resize, series, badges, filters."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import TrainingEvent
from scheduler.ui.calendar.page import CalendarPage
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import another_planner_edits, when_modal


def _calendar(window: MainWindow, qtbot: QtBot, path: Path | str, day: date) -> CalendarPage:
    window.resize(1400, 1100)  # room for every bar of a busy week
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)
    window.show_page("calendar")
    page = window.current_page()
    assert isinstance(page, CalendarPage)
    page.set_mode("month")
    page.go_to_date(day)
    qtbot.waitExposed(page)
    qtbot.wait(20)  # the layout gives the grid its size
    return page


def _event(window: MainWindow, ref: str) -> tuple[str, int, datetime, datetime, bool, int | None]:
    assert window.document is not None

    def read(session: object) -> tuple[str, int, datetime, datetime, bool, int | None]:
        event = session.scalars(  # type: ignore[attr-defined]
            select(TrainingEvent).where(TrainingEvent.ref == ref)
        ).one()
        return event.uuid, event.id, event.start, event.end, event.is_override, event.series_id

    return window.document.read(read)


def _centre_of_day(page: CalendarPage, day: date) -> QPoint:
    index = page.grid.days.index(day)
    rect = page.grid.cell_rect(index)
    return QPoint(int(rect.center().x()), int(rect.bottom() - 8))


def _grab_and_week(page: CalendarPage, uuid: str) -> tuple[QPoint, int]:
    """Where to take the event's bar, and how far down a week is."""
    rect = page.grid.bar_rect_of(uuid)
    assert rect is not None
    grab = QPoint(int(rect.left() + 20), int(rect.center().y()))
    return grab, int(page.grid.cell_rect(7).top() - page.grid.cell_rect(0).top())


def _drag(qtbot: QtBot, page: CalendarPage, start: QPoint, end: QPoint) -> None:
    grid = page.grid
    qtbot.mousePress(grid, Qt.MouseButton.LeftButton, pos=start)
    middle = QPoint((start.x() + end.x()) // 2, (start.y() + end.y()) // 2)
    qtbot.mouseMove(grid, middle)
    qtbot.mouseMove(grid, end)
    qtbot.mouseRelease(grid, Qt.MouseButton.LeftButton, pos=end)


def test_month_shows_the_visible_events_only(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 10))
    assert page.title.text() == "March 2027"
    assert page.grid.days[0] == date(2027, 3, 1)  # Monday, the default week start
    refs = {r.ref for r in page.rows}
    assert {"MK-2027-025", "RS-2027-003", "MK-2027-033"} <= refs
    assert all(
        r.last_day >= date(2027, 3, 1) and r.first_day <= date(2027, 4, 4) for r in page.rows
    )
    page.step(1)
    assert page.title.text() == "April 2027"
    page.set_mode("week")
    assert len(page.grid.days) == 7 and page.grid.days[0].weekday() == 0
    page.set_mode("agenda")
    assert page.views.currentWidget() is page.agenda_scroll


def test_drag_moves_the_event_and_undo_restores_it(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    uuid, _id, start, end, _o, _s = _event(window, "MK-2027-025")  # Tue 2 – Thu 4 Mar, 3 days
    rect = page.grid.bar_rect_of(uuid)
    grab, week = _grab_and_week(page, uuid)
    _drag(qtbot, page, grab, QPoint(grab.x(), grab.y() + week))  # a week later
    _u, _i, moved_start, moved_end, _o, _s = _event(window, "MK-2027-025")
    # Tue 9 Mar is a public holiday in North Macedonia: the course starts on
    # the next working day and keeps its three working days.
    assert moved_start == datetime(2027, 3, 10, 8, 30)
    assert moved_end == datetime(2027, 3, 12, 16, 0)
    assert page.grid.bar_rect_of(uuid) != rect
    assert window.actions_by_name["undo"].text().startswith("&Undo Move MK-2027-025")
    window.actions_by_name["undo"].trigger()
    assert _event(window, "MK-2027-025")[2:4] == (start, end)
    assert page.grid.bar_rect_of(uuid) == rect
    window.actions_by_name["redo"].trigger()
    assert _event(window, "MK-2027-025")[2] == moved_start


def _shown(page: CalendarPage) -> list[tuple[object, ...]]:
    return [(r.ref, r.start, r.end, r.units, r.instructors, r.version_id) for r in page.rows]


def _read_again(qtbot: QtBot, page: CalendarPage) -> list[tuple[object, ...]]:
    """What the month shows when read from scratch: away and back by its buttons."""
    qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.previous_button, Qt.MouseButton.LeftButton)
    return _shown(page)


def test_after_a_drop_and_its_undo_the_month_shows_what_a_fresh_read_shows(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    """The month patches in only the changed events after an edit (a drop on a
    large plan must not read the month again); it must match a full read."""
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    uuid, *_rest = _event(window, "MK-2027-025")
    grab, week = _grab_and_week(page, uuid)
    before = _shown(page)
    _drag(qtbot, page, grab, QPoint(grab.x(), grab.y() + 3 * week))  # late March
    patched = _shown(page)
    assert patched != before
    assert patched == _read_again(qtbot, page)
    window.actions_by_name["undo"].trigger()
    undone = _shown(page)
    assert undone == _read_again(qtbot, page)
    # Back where it was (undo writes a new version, so versions differ).
    assert [shown[:5] for shown in undone] == [shown[:5] for shown in before]


def test_a_drag_over_another_planners_change_is_refused(
    window: MainWindow, qtbot: QtBot, demo_location: Path | str
) -> None:
    """The bar was read before another planner changed the event: the drop is
    refused with their name (reload, the default), their change kept."""
    page = _calendar(window, qtbot, demo_location, date(2027, 3, 1))
    uuid, _id, start, _end, _o, _s = _event(window, "MK-2027-025")
    assert window.document is not None
    another_planner_edits(window.document, uuid)
    refusals: list[str] = []

    def reload(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        refusals.append(box.text())
        box.defaultButton().click()

    when_modal(reload)
    grab, week = _grab_and_week(page, uuid)
    _drag(qtbot, page, grab, QPoint(grab.x(), grab.y() + week))
    qtbot.waitUntil(lambda: bool(refusals), timeout=10_000)
    assert "bora@cell" in refusals[0]
    assert _event(window, "MK-2027-025")[2] == start
    remarks = window.document.read(
        lambda s: s.scalar(select(TrainingEvent.partner_remarks).where(TrainingEvent.uuid == uuid))
    )
    assert remarks == "Confirmed by the partner"
    assert not window.document.undo_stack.canUndo()


def test_dragging_the_end_edge_changes_the_end(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    uuid, _id, start, end, _o, _s = _event(window, "MK-2027-025")
    rect = page.grid.bar_rect_of(uuid)
    assert rect is not None
    edge = QPoint(int(rect.right() - 2), int(rect.center().y()))
    _drag(qtbot, page, edge, QPoint(edge.x() + int(page.grid.cell_rect(1).width()), edge.y()))
    _u, _i, new_start, new_end, _o, _s = _event(window, "MK-2027-025")
    assert new_start == start
    assert new_end == datetime(2027, 3, 5, 16, 0)
    window.actions_by_name["undo"].trigger()
    assert _event(window, "MK-2027-025")[3] == end


def _answer_scope(text: str) -> None:
    def click(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        button = next(b for b in dialog.buttons() if b.text() == text)
        button.click()

    when_modal(click)


def test_a_series_occurrence_moved_alone_becomes_an_override(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    uuid, _id, start, _end, override, series = _event(window, "MK-2027-028")  # Wed 10 Mar
    assert series is not None and not override
    following = _event(window, "MK-2027-032")  # the next Wednesday
    rect = page.grid.bar_rect_of(uuid)
    assert rect is not None
    _answer_scope("This one")
    grab = QPoint(int(rect.center().x()), int(rect.center().y()))
    _drag(qtbot, page, grab, _centre_of_day(page, date(2027, 3, 11)))
    _u, _i, new_start, _e, override, new_series = _event(window, "MK-2027-028")
    assert new_start == datetime(2027, 3, 11, 9, 0)
    assert override and new_series == series
    assert _event(window, "MK-2027-032") == following  # the others stay
    window.actions_by_name["undo"].trigger()
    _u, _i, back, _e, override, _s = _event(window, "MK-2027-028")
    assert back == start and not override


def test_a_conflict_badge_appears_with_a_clash_and_goes_on_undo(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    _uuid, moving_id, *_rest = _event(window, "MK-2027-031")  # Криволак, 15–16 Mar
    _other, other_id, *_more = _event(window, "MK-2027-025")  # Криволак, 2–4 Mar
    assert not page.grid.conflicts(moving_id)
    row = next(r for r in page.rows if r.ref == "MK-2027-031")
    with qtbot.waitSignal(page.monitor.updated, timeout=5000):
        page.move_row(row, date(2027, 3, 2))
    reasons = [message for _severity, message in page.grid.conflicts(moving_id)]
    assert reasons and any("Криволак" in m for m in reasons)
    assert page.grid.conflicts(other_id)
    assert "Conflicts:" in page.grid_tooltip_for("MK-2027-031")
    with qtbot.waitSignal(page.monitor.updated, timeout=5000):
        window.actions_by_name["undo"].trigger()
    assert not page.grid.conflicts(moving_id)


def test_filters_narrow_the_view_and_are_kept_per_plan(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    everything = len(page.visible)
    combo = page.filter_combos["nation"]
    combo.setCurrentIndex(combo.findData("RS"))
    assert 0 < len(page.visible) < everything
    assert all("RS" in (r.nation, *r.unit_nations) for r in page.visible)
    page.search.setText("đurić")  # case-folded, Latin with diacritics
    assert {r.ref for r in page.visible} == {"RS-2027-003", "RS-2027-004"}
    assert all("đurić" in r.haystack for r in page.visible)
    window.close_plan()
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    assert page.filters.nation == "RS" and page.search.text() == "đurić"
    page.clear_filters()
    assert len(page.visible) == everything


def test_more_opens_the_day_and_holidays_have_names(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    assert any("Eid al-Fitr" in r for r in page.marks.reasons(date(2027, 3, 9)))
    page.window().resize(1000, 600)
    qtbot.waitUntil(lambda: bool(page.grid._layout.hidden), timeout=2000)
    day = next(iter(page.grid._layout.hidden))
    page.grid.day_requested.emit(day)
    assert page.mode == "day" and page.anchor == day
    assert page.grid.days == [day]


def test_the_keyboard_chooses_moves_and_opens_an_event(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    grid = page.grid
    uuid, _id, start, end, _o, _s = _event(window, "MK-2027-025")  # Tue 2 – Thu 4 Mar
    rect = grid.bar_rect_of(uuid)
    assert rect is not None
    qtbot.mouseClick(grid, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert grid.selected == uuid and "selected MK-2027-025" in grid.accessibleName()
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Left)  # another event and back again
    assert grid.selected == uuid
    qtbot.keyClick(grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # a day later
    assert _event(window, "MK-2027-025")[2:4] == (
        start.replace(day=3),
        end.replace(day=5),
    )
    assert window.actions_by_name["undo"].text().startswith("&Undo Move MK-2027-025")
    qtbot.keyClick(grid, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # and back
    assert _event(window, "MK-2027-025")[2:4] == (start, end)
    opened: list[str] = []

    def read(dialog: QWidget) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    when_modal(read)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert opened == ["Event MK-2027-025"]


def test_the_drag_preview_shows_the_days_the_drop_gives(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    """9 Mar is a holiday in North Macedonia: a three-day course dragged from
    Tue 2 Mar to Tue 9 Mar lands on 10-12 Mar, and the preview says so."""
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    uuid, *_rest = _event(window, "MK-2027-025")
    grab, week = _grab_and_week(page, uuid)
    end = QPoint(grab.x(), grab.y() + week)
    qtbot.mousePress(page.grid, Qt.MouseButton.LeftButton, pos=grab)
    qtbot.mouseMove(page.grid, QPoint(grab.x(), grab.y() + week // 2))
    qtbot.mouseMove(page.grid, end)
    assert page.grid.drag_preview() == (date(2027, 3, 10), date(2027, 3, 12))
    qtbot.mouseRelease(page.grid, Qt.MouseButton.LeftButton, pos=end)
    assert _event(window, "MK-2027-025")[2].date() == date(2027, 3, 10)


def test_the_agenda_chooses_and_opens_events_from_the_keyboard(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _calendar(window, qtbot, demo_plan_path, date(2027, 3, 1))
    qtbot.mouseClick(page.mode_buttons["agenda"], Qt.MouseButton.LeftButton)
    agenda = page.agenda
    qtbot.keyClick(agenda, Qt.Key.Key_Down)
    qtbot.keyClick(agenda, Qt.Key.Key_Down)
    qtbot.keyClick(agenda, Qt.Key.Key_Up)
    chosen = next(r for r in agenda.rows if r.uuid == agenda.selected)
    assert f"selected {chosen.ref}" in agenda.accessibleName()
    opened: list[str] = []

    def read(dialog: QWidget) -> None:
        opened.append(dialog.windowTitle())
        dialog.reject()

    when_modal(read)
    qtbot.keyClick(agenda, Qt.Key.Key_Return)
    assert opened == [f"Event {chosen.ref}"]
