"""The roll call of an event: add a person, mark everyone passed, one undo step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Nation, Trainee, TrainingEvent
from scheduler.planning.data import last_day_of
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.dialogs.roll_call_dialog import RollCallDialog
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from tests.gui.conftest import press, when_modal
from tests.trainees import enrol_a_platoon_commander

Roll = tuple[list[tuple[str, str, str | None]], tuple[int | None, int | None]]


def _roll(path: Path, ref: str) -> Roll:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        event = s.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
        people = sorted(
            (e.trainee.name, e.status.value, str(e.result_date) if e.result_date else None)
            for e in event.enrolments
        )
        return people, (event.attended, event.passed)


def test_a_roll_call_adds_a_person_and_records_the_results(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        _, events = enrol_a_platoon_commander(session)
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        session.add(
            Trainee(name="Ана Петровска", name_latin="Ana Petrovska", nation=mk, languages=[])
        )
        ref, last = events[1].ref, last_day_of(events[1].start, events[1].end)
    before = _roll(demo_plan_path, ref)
    window.open_path(demo_plan_path)
    window.show_event(ref)
    page = window.current_page()
    assert isinstance(page, EventsPage)
    qtbot.waitUntil(lambda: bool(page.selected_uuids()), timeout=30_000)
    seen: list[str] = []

    def call_the_roll(dialog: QWidget) -> None:
        assert isinstance(dialog, RollCallDialog)
        try:
            candidates = dialog.findChild(QComboBox, "candidates")
            assert candidates is not None
            candidates.setCurrentIndex(candidates.findText("Ана Петровска (Ana Petrovska)"))
            add = dialog.findChild(QPushButton, "add_trainee")
            everyone = dialog.findChild(QPushButton, "all_passed")
            assert add is not None and everyone is not None
            qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
            qtbot.mouseClick(everyone, Qt.MouseButton.LeftButton)
            seen.append(dialog.count.text())
            # The demo event had its counts typed: counting the roll call on it
            # is the planner's choice, unticked at first.
            seen.append(str(dialog.count.isChecked()))
            box = dialog.count
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
            press(qtbot, dialog, "Save")
        finally:
            if dialog.isVisible():
                dialog.done(0)

    when_modal(call_the_roll)
    action = next(a for a in page.table.actions() if a.objectName() == "roll_call")
    action.trigger()
    assert seen == ["Count them on the event: attended 2, passed 2", "False"]
    people = sorted((name, "passed", str(last)) for name in ("Ана Петровска", "Ѓорѓи Трајковски"))
    assert before[1] != (2, 2)
    assert _roll(demo_plan_path, ref) == (people, (2, 2))
    assert window.document is not None
    assert window.document.undo_stack.undoText() == f"Roll call of {ref}"
    window.actions_by_name["undo"].trigger()
    assert _roll(demo_plan_path, ref) == before
