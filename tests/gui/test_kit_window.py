"""Kit as a planner sets it up: held on the Kit page, needed by a course,
over-booked clashes on the Conflicts page, gone when more is held."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Course, Nation, TrainingEvent, Venue
from scheduler.storage import open_plan
from scheduler.ui.conflicts_page import ConflictsPage
from scheduler.ui.dialogs.record_editor import RecordEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.record_page import RecordPage
from tests.gui.conftest import click_nav, press, when_modal

RANGE = "Стрелиште Криволак"


def _seed(path: Path) -> None:
    """A marksmanship course run twice at once, at two venues."""
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalar(select(Nation).where(Nation.code == "MK"))
        course = Course(code="MCC", title="Marksmanship coach", duration_days=1, language="mk")
        session.add(course)
        for ref, venue in (("MK-2027-001", "Криволак"), ("MK-2027-002", "Пепелиште")):
            session.add(
                TrainingEvent(
                    ref=ref,
                    course=course,
                    venue=Venue(name=venue, nation=mk),
                    start=datetime(2027, 6, 7, 8, 30),
                    end=datetime(2027, 6, 7, 16, 0),
                )
            )


def _page(window: MainWindow, qtbot: QtBot, title: str) -> QWidget:
    row = next(i for i in range(window.nav.count()) if window.nav.item(i).text() == title)
    return click_nav(qtbot, window, row)


def _kit_clashes(window: MainWindow, qtbot: QtBot) -> list[str]:
    page = _page(window, qtbot, "Conflicts")
    assert isinstance(page, ConflictsPage)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)
    found = []
    for i in range(page.tree.topLevelItemCount()):
        group = page.tree.topLevelItem(i)
        if group.text(0).startswith("Kit booked beyond what is held"):
            found += [group.child(n).text(0) for n in range(group.childCount())]
    return found


def test_a_range_for_two_courses_at_once_is_a_clash_until_a_second_is_held(
    window: MainWindow, qtbot: QtBot, empty_plan_path: Path
) -> None:
    _seed(empty_plan_path)
    window.open_path(empty_plan_path)

    kit = _page(window, qtbot, "Kit")
    assert isinstance(kit, RecordPage)

    def new_range(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        name, kind, quantity = (dialog.editors[f].widget for f in ("name", "kind", "quantity"))
        assert isinstance(name, QLineEdit) and isinstance(quantity, QLineEdit)
        assert isinstance(kind, QComboBox)
        qtbot.keyClicks(name, "Range Krivolak")
        kind.setCurrentIndex(kind.findText("Range"))
        qtbot.keyClicks(quantity, "1")
        press(qtbot, dialog, "Save")

    when_modal(new_range)
    qtbot.mouseClick(kit.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kit.model.rowCount() == 1)
    assert kit.model.index(0, 0).data() == "Range Krivolak"

    courses = _page(window, qtbot, "Courses")
    assert isinstance(courses, RecordPage)
    qtbot.waitUntil(lambda: courses.model.rowCount() == 1)

    def needs_the_range(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        add = dialog.findChild(QPushButton, "add_kit")
        table = dialog.findChild(QTableWidget, "child_kit")
        assert add is not None and table is not None
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        combo = table.cellWidget(0, 0)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findText("Range Krivolak"))
        assert table.item(0, 1).text() == "1"  # one of it, unless the planner says more
        press(qtbot, dialog, "Save")

    courses.table.selectRow(0)
    when_modal(needs_the_range)
    qtbot.mouseClick(courses.edit_button, Qt.MouseButton.LeftButton)

    clash = (
        "Range Krivolak: MK-2027-001 (1) and MK-2027-002 (1) need 2 at once on 7 Jun 2027, "
        "more than the 1 held by the cell"
    )
    qtbot.waitUntil(lambda: _kit_clashes(window, qtbot) == [clash], timeout=10_000)

    def two_lanes(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        quantity = dialog.editors["quantity"].widget
        assert isinstance(quantity, QLineEdit)
        quantity.selectAll()
        qtbot.keyClicks(quantity, "2")
        press(qtbot, dialog, "Save")

    kit = _page(window, qtbot, "Kit")
    assert isinstance(kit, RecordPage)
    kit.table.selectRow(0)
    when_modal(two_lanes)
    qtbot.mouseClick(kit.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kit.model.index(0, 2).data() == "2")
    qtbot.waitUntil(lambda: _kit_clashes(window, qtbot) == [], timeout=10_000)
