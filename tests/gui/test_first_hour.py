"""A newcomer's first hour on a 1366x768 laptop, as issue 18 closes it.

Plan a course (with the free dates the program suggests), accept a clash
with a reason, and send a partner its schedule: every step through the
buttons and menus a planner uses, every dialog inside the screen, and no
error anywhere (pytest-qt fails the test on any exception in a slot).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from scheduler.model import TrainingEvent
from scheduler.ui.event_editor.dialog import EventEditor
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import click_nav, press, when_modal

SCREEN = (1366, 768)


def _row_of(window: MainWindow, title: str) -> int:
    return next(r for r in range(window.nav.count()) if window.nav.item(r).text() == title)


def _fits(dialog: QWidget) -> None:
    frame = dialog.frameGeometry()
    assert frame.width() <= SCREEN[0] and frame.height() <= SCREEN[1], dialog.windowTitle()


def _click(qtbot: QtBot, parent: QWidget, name: str) -> None:
    button = parent.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_plan_a_course_accept_a_clash_and_send_a_partner_its_schedule(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.resize(*SCREEN)
    assert window.open_path(demo_plan_path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)
    document, monitor = window.document, window.monitor
    assert document is not None and monitor is not None

    def events() -> int:
        return int(document.read(lambda s: s.scalar(select(func.count(TrainingEvent.id)))))

    # 1. Plan a course: Events ▸ New, a course and a unit, Find free dates,
    # take the first suggestion, Save.
    page = click_nav(qtbot, window, _row_of(window, "Events"))
    before = events()
    taken: list[str] = []

    def plan(dialog: QWidget) -> None:
        try:
            assert isinstance(dialog, EventEditor)
            _fits(dialog)
            dialog.course.setCurrentIndex(
                dialog.course.findText("CFA", Qt.MatchFlag.MatchStartsWith)
            )
            _click(qtbot, dialog, "button_add_audience")
            _click(qtbot, dialog, "button_find_dates")
            first = dialog.slots.item(0)
            assert first is not None and first.data(Qt.ItemDataRole.UserRole), first.text()
            taken.append(first.text())
            centre = dialog.slots.visualItemRect(first).center()
            # A double-click is a click and a second press (QTest sends the second alone).
            qtbot.mouseClick(dialog.slots.viewport(), Qt.MouseButton.LeftButton, pos=centre)
            qtbot.mouseDClick(dialog.slots.viewport(), Qt.MouseButton.LeftButton, pos=centre)
            assert dialog.instructors.rowCount() > 0  # the suggestion's people came too
            press(qtbot, dialog, "Save")
            assert not dialog.isVisible(), dialog.problems.text()
        finally:
            if dialog.isVisible():
                dialog.done(0)

    when_modal(plan)
    add = page.add_button
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert taken and events() == before + 1

    # 2. Accept a clash with a reason: Conflicts, the first conflict, Accept….
    page = click_nav(qtbot, window, _row_of(window, "Conflicts"))
    tree = page.findChild(QTreeWidget, "conflicts")
    assert tree is not None
    rule = tree.topLevelItem(0)
    assert rule is not None
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(rule).center()
    )
    qtbot.keyClick(tree, Qt.Key.Key_Right)
    conflict = rule.child(0)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(conflict).center()
    )
    open_before = sum(1 for c in monitor.conflicts() if not c.accepted)

    def give_reason(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        _fits(dialog)
        line = dialog.findChild(QLineEdit)
        assert line is not None
        qtbot.keyClicks(line, "Two small groups on one site: agreed with the partner")
        press(qtbot, dialog, "Ok")

    when_modal(give_reason)
    _click(qtbot, page, "button_accept")
    qtbot.waitUntil(
        lambda: sum(1 for c in monitor.conflicts() if not c.accepted) == open_before - 1,
        timeout=10_000,
    )
    assert "Conflict accepted." in window.statusBar().currentMessage()

    # 3. Send a partner its schedule: File ▸ Export schedule…, North Macedonia.
    target = tmp_path / "Распоред MK.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    def choose(dialog: QWidget) -> None:
        _fits(dialog)
        box = dialog.findChild(QComboBox, "partner")
        assert box is not None
        box.setCurrentIndex(box.findData("MK"))
        press(qtbot, dialog, "Ok")

    when_modal(choose)
    window.actions_by_name["export"].trigger()
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=60_000)
    sheet = load_workbook(target, read_only=True)["Schedule"]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert refs
