"""The Trainees page: a planner adds a named person with the units they served in."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Enrolment, EventStatus, Nation, Trainee, TrainingEvent, Unit
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.dialogs.record_editor import ChildTable, RecordEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.pages import PAGES
from scheduler.ui.tables.record_page import RecordPage
from tests.gui.conftest import click_nav, press, when_modal
from tests.trainees import enrol_a_platoon_commander


def _plan_with_units(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        battalion = Unit(code="MK-1BN", name="1-ви баталјон", nation=mk)
        session.add_all(
            [battalion, Unit(code="MK-1BN-A", name="Чета А", nation=mk, parent=battalion)]
        )


def _postings(path: Path) -> list[tuple[str, str, str | None, str | None]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return [
            (
                person.name,
                p.unit.code,
                str(p.date_from) if p.date_from else None,
                str(p.date_to) if p.date_to else None,
            )
            for person in session.scalars(select(Trainee))
            for p in sorted(person.postings, key=lambda p: p.date_from or p.date_to)
        ]


def _type_in_script(widget: QWidget, text: str) -> None:
    """Cyrillic as a keyboard layout delivers it: committed by the input method
    (QTest's key clicks know only Latin keys)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def _type_date(qtbot: QtBot, child: ChildTable, row: int, column: int, day: QDate) -> None:
    table = child.table
    cell = table.visualRect(table.model().index(row, column)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.keyClick(table, Qt.Key.Key_F2)
    # A closed cell editor lingers until deleted later: take the one open now.
    [editor] = [e for e in table.findChildren(QDateEdit) if e.isVisible()]
    editor.setDate(day)
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def _add_posting(qtbot: QtBot, child: ChildTable, unit: str, first: QDate) -> int:
    add = child.findChild(QPushButton, "add_postings")
    assert add is not None
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    row = child.table.rowCount() - 1
    combo = child.table.cellWidget(row, 0)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findText(unit, Qt.MatchFlag.MatchStartsWith))
    _type_date(qtbot, child, row, 1, first)
    return row


def test_a_trainee_who_moved_unit_is_added_with_the_history(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    _plan_with_units(empty_plan_path)
    window.resize(1366, 768)
    window.open_path(empty_plan_path)
    page = click_nav(qtbot, window, [p.key for p in PAGES].index("trainees"))
    assert isinstance(page, RecordPage)
    said: list[str] = []

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        try:
            name = dialog.editors["name"].widget
            assert isinstance(name, QLineEdit)
            _type_in_script(name, "Ѓорѓи Трајковски")
            latin = dialog.editors["name_latin"].widget
            assert isinstance(latin, QLineEdit)
            qtbot.keyClicks(latin, "Gjorgji Trajkovski")
            nation = dialog.editors["nation"].widget
            assert isinstance(nation, QComboBox)
            nation.setCurrentIndex(nation.findText("MK", Qt.MatchFlag.MatchStartsWith))
            child = dialog.children_tables["postings"]
            _add_posting(qtbot, child, "MK-1BN-A", QDate(2024, 9, 1))
            _add_posting(qtbot, child, "MK-1BN", QDate(2027, 3, 1))
            # Tab walked through the blank "To" cells: they are still blank.
            said.append(repr([row["date_to"] for row in child.rows()]))
            press(qtbot, dialog, "Save")  # the company has no last day: they overlap
            assert dialog.isVisible()
            message = child.findChild(QLabel)
            said.append(message.text() if message is not None else "")
            _type_date(qtbot, child, 0, 2, QDate(2027, 3, 1))  # the move day ends it
            size = dialog.frameGeometry()
            said.append("fits" if size.width() <= 1366 and size.height() <= 768 else str(size))
            press(qtbot, dialog, "Save")
        finally:
            if dialog.isVisible():
                dialog.done(0)

    when_modal(create)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert said[0] == "['', '']"
    assert "overlap" in said[1] and "one unit at a time" in said[1]
    assert _postings(empty_plan_path) == [
        ("Ѓорѓи Трајковски", "MK-1BN-A", "2024-09-01", "2027-03-01"),
        ("Ѓорѓи Трајковски", "MK-1BN", "2027-03-01", None),
    ]
    assert [page.model.index(0, c).data() for c in range(2)] == [
        "Ѓорѓи Трајковски",
        "Gjorgji Trajkovski",
    ]
    assert window.width() <= 1366 and said[2] == "fits"
    window.actions_by_name["undo"].trigger()
    assert _postings(empty_plan_path) == []
    assert page.model.rowCount() == 0


def test_deleting_a_double_booked_trainee_clears_the_clash(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        trainee, events = enrol_a_platoon_commander(session)
        same_time = TrainingEvent(
            course=events[1].course,
            start=events[1].start,
            end=events[1].end,
            status=EventStatus.PLANNED,
        )
        trainee.enrolments.append(Enrolment(event=same_time))
    window.open_path(demo_plan_path)
    monitor = window.monitor
    assert monitor is not None
    qtbot.waitUntil(lambda: monitor.ready, timeout=30_000)

    def clashes() -> list[str]:
        return [c.resources[0] for c in monitor.conflicts() if c.rule == "trainee_double_booked"]

    assert clashes() == ["Ѓорѓи Трајковски"]
    page = click_nav(qtbot, window, [p.key for p in PAGES].index("trainees"))
    assert isinstance(page, RecordPage)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.keyClicks(page.search, "Trajkovski")  # the demo names others too
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=10_000)
    page.table.selectRow(0)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: monitor.ready and clashes() == [], timeout=30_000)
    window.actions_by_name["undo"].trigger()
    qtbot.waitUntil(lambda: monitor.ready and clashes() == ["Ѓорѓи Трајковски"], timeout=30_000)
