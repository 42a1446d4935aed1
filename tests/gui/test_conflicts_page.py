"""The conflicts view: grouped by rule, accept with a reason, undo, jump to the event."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QWidget
from pytestqt.qtbot import QtBot

from scheduler.ui.conflicts_page import ConflictsPage
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from tests.gui.conftest import when_modal


def _conflicts_page(window: MainWindow, qtbot: QtBot) -> ConflictsPage:
    window.show_page("conflicts")
    page = window.current_page()
    assert isinstance(page, ConflictsPage)
    assert window.monitor is not None
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=60_000)
    return page


def _groups(page: ConflictsPage) -> list[str]:
    return [page.tree.topLevelItem(i).text(0) for i in range(page.tree.topLevelItemCount())]


def test_demo_clashes_are_listed_by_rule_and_counted_in_the_status_bar(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _conflicts_page(window, qtbot)
    groups = _groups(page)
    assert any(g.startswith("Instructor double-booked") for g in groups)
    assert any(g.startswith("Venue double-booked") for g in groups)
    assert window.conflicts_label.text().startswith("Open conflicts: ")
    assert "0 errors" not in window.conflicts_label.text()


def test_accept_with_a_reason_then_undo(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _conflicts_page(window, qtbot)
    assert window.monitor is not None
    first_group = page.tree.topLevelItem(0)
    page.tree.setCurrentItem(first_group.child(0))
    conflict = page.selected()
    assert conflict is not None and not conflict.accepted
    errors_before = window.monitor.open_counts()["error"]

    def answer(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Agreed with the MoD: the second course is observation only.")
        dialog.accept()

    when_modal(answer)
    qtbot.mouseClick(page.accept_button, Qt.MouseButton.LeftButton)
    accepted = page.by_key[conflict.key]
    assert accepted.accepted
    assert window.monitor.open_counts()["error"] == errors_before - 1
    assert window.actions_by_name["undo"].text() == "&Undo Accept conflict"

    window.actions_by_name["undo"].trigger()
    assert not page.by_key[conflict.key].accepted
    assert window.monitor.open_counts()["error"] == errors_before


def test_go_to_event_shows_it_in_the_events_list(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _conflicts_page(window, qtbot)
    page.tree.setCurrentItem(page.tree.topLevelItem(0).child(0))
    conflict = page.selected()
    assert conflict is not None
    page.jump()
    events = window.current_page()
    assert isinstance(events, EventsPage)
    qtbot.waitUntil(lambda: bool(events.selected_uuids()), timeout=30_000)
    rows = events.table.selectionModel().selectedRows()
    assert [index.data() for index in rows] == [conflict.events[0]]
    assert events.table.visualRect(rows[0]).intersects(events.table.viewport().rect())


def test_fix_offers_edits_that_clear_the_clash_and_each_is_one_undo_step(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _conflicts_page(window, qtbot)
    assert window.monitor is not None
    group = next(
        page.tree.topLevelItem(i)
        for i in range(page.tree.topLevelItemCount())
        if page.tree.topLevelItem(i).text(0).startswith("Venue double-booked")
    )
    item = group.child(0)
    page.tree.scrollToItem(item)
    rect = page.tree.visualItemRect(item)
    qtbot.mouseClick(page.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    conflict = page.selected()
    assert conflict is not None and conflict.rule == "venue_double_booked"
    errors = window.monitor.open_counts()["error"]

    qtbot.mouseClick(page.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.fix_menu.isVisible(), timeout=20_000)
    labels = [a.text() for a in page.fix_menu.actions()]
    assert labels and all(label.startswith("Move ") for label in labels)
    page.fix_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: conflict.key not in page.by_key, timeout=20_000)
    assert window.monitor.open_counts()["error"] == errors - 1
    assert window.actions_by_name["undo"].text() == f"&Undo {labels[0]}"

    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: conflict.key in page.by_key, timeout=20_000)
    assert window.monitor.open_counts()["error"] == errors


def test_a_clash_with_no_fix_says_what_to_do_instead(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _conflicts_page(window, qtbot)
    group = next(
        page.tree.topLevelItem(i)
        for i in range(page.tree.topLevelItemCount())
        if page.tree.topLevelItem(i).text(0).startswith("No interpreter")
    )
    page.tree.setCurrentItem(group.child(0))
    said: list[str] = []
    page.status.connect(said.append)
    qtbot.mouseClick(page.fix_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: any(s.startswith("No one edit") for s in said), timeout=20_000)
    assert not page.fix_menu.isVisible()
