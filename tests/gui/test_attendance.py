"""Recording attendance: the dialog, one undo step, and the pathway's numbers."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QTabWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import EventStatus, TrainingEvent
from scheduler.ui.dashboard import DashboardPage
from scheduler.ui.dialogs.attendance_dialog import AttendanceDialog
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from tests.gui.conftest import when_modal
from tests.readiness_plan import build


def cfa_numbers(page: DashboardPage) -> str:
    page.pathway.show_partner("MK")
    item = next(i for i in page.pathway.bar_items() if i.text(0).startswith("CFA"))
    return item.text(2)


def test_recorded_attendance_feeds_the_pathway_and_undoes(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    build(empty_plan_path)
    window.open_path(empty_plan_path)
    window.show_page("dashboard")
    dashboard = window.current_page()
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.facts is not None, timeout=60_000)
    assert cfa_numbers(dashboard) == "12 delivered · 20 scheduled · 40 required"

    window.show_event("MK-1")  # delivered: 14 attended, 12 passed
    events = window.current_page()
    assert isinstance(events, EventsPage)
    qtbot.waitUntil(lambda: bool(events.selected_uuids()), timeout=30_000)
    seen: list[str] = []

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, AttendanceDialog)
        seen.append(dialog.attended.text())
        assert dialog.delivered.isChecked()  # delivered already
        dialog.passed.setValue(15)  # more than attended: refused with a message
        dialog.try_accept()
        seen.append(dialog.problems.text())
        dialog.attended.setValue(15)
        dialog.outcome.setPlainText("Сите положија — all passed")
        dialog.try_accept()

    when_modal(fill)
    action = next(a for a in events.table.actions() if a.objectName() == "record_attendance")
    action.trigger()
    # The hidden dashboard reads again when it is shown, not at every edit.
    with qtbot.waitSignal(dashboard.facts_loaded, timeout=60_000):
        window.show_page("dashboard")
    assert seen == ["14", "More people passed than attended: check the numbers."]
    assert cfa_numbers(dashboard) == "15 delivered · 20 scheduled · 40 required"
    assert window.document is not None
    stack = window.document.undo_stack
    assert stack.undoText() == "Record attendance of MK-1"
    with qtbot.waitSignal(dashboard.facts_loaded, timeout=60_000):
        stack.undo()
    assert cfa_numbers(dashboard) == "12 delivered · 20 scheduled · 40 required"


def test_the_event_editor_has_an_outcome_tab(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    from sqlalchemy import select

    from scheduler.model import TrainingEvent
    from scheduler.services import records
    from scheduler.services.entity_specs import spec_for
    from scheduler.ui.event_editor.dialog import EventEditor

    build(empty_plan_path)
    window.open_path(empty_plan_path)
    document, monitor = window.document, window.monitor
    assert document is not None and monitor is not None
    spec = spec_for("event")
    uuid = document.read(
        lambda s: s.scalars(select(TrainingEvent.uuid).where(TrainingEvent.ref == "MK-3")).one()
    )
    values = document.read(lambda s: records.read_values(s, spec, uuid))
    editor = EventEditor(document, monitor, values, uuid)
    qtbot.addWidget(editor)
    tabs = editor.findChild(QTabWidget, "editor_tabs")
    assert isinstance(tabs, QTabWidget)
    assert "Outcome" in [tabs.tabText(i) for i in range(tabs.count())]
    assert editor.attended.text() == "not recorded"
    editor.attended.setValue(10)
    editor.passed.setValue(11)
    editor.try_accept()
    assert "more than attended" in editor.problems.text()
    assert editor.result() != QDialog.DialogCode.Accepted
    editor.passed.setValue(9)
    editor.outcome.setPlainText("Good")
    editor.try_accept()
    saved = document.read(lambda s: records.read_values(s, spec, uuid))
    assert (saved["attended"], saved["passed"], saved["outcome"]) == (10, 9, "Good")


def test_a_duplicate_starts_without_the_original_outcome(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    build(empty_plan_path)
    window.open_path(empty_plan_path)
    window.show_event("MK-1")  # delivered: 14 attended, 12 passed
    events = window.current_page()
    assert isinstance(events, EventsPage)
    qtbot.waitUntil(lambda: bool(events.selected_uuids()), timeout=30_000)
    record = next(a for a in events.table.actions() if a.objectName() == "record_attendance")

    def fill(dialog: QWidget) -> None:
        assert isinstance(dialog, AttendanceDialog)
        dialog.outcome.setPlainText("Two failed the practical test")
        dialog.try_accept()

    when_modal(fill)
    record.trigger()
    events.duplicate_selected()

    assert window.document is not None
    newest = window.document.read(
        lambda s: s.execute(
            select(
                TrainingEvent.ref,
                TrainingEvent.status,
                TrainingEvent.attended,
                TrainingEvent.passed,
                TrainingEvent.outcome,
            ).order_by(TrainingEvent.id.desc())
        ).first()
    )
    assert newest is not None
    assert newest.ref != "MK-1"
    assert (newest.status, newest.attended, newest.passed, newest.outcome) == (
        EventStatus.DRAFT,
        None,
        None,
        None,
    )


def test_only_a_scheduled_event_that_has_ended_is_offered_as_delivered(qtbot: QtBot) -> None:
    from datetime import datetime

    now = datetime(2027, 6, 1, 12, 0)

    def ticked(status: str, end: datetime) -> bool:
        dialog = AttendanceDialog({"status": status, "end": end, "audience": []}, now=now)
        qtbot.addWidget(dialog)
        return dialog.delivered.isChecked()

    past, future = datetime(2027, 5, 28, 16, 0), datetime(2027, 6, 3, 16, 0)
    assert ticked("planned", past) and ticked("confirmed", past) and ticked("delivered", future)
    assert not ticked("planned", future)
    assert not ticked("draft", past)  # a draft that never ran is not delivered by default
    assert not ticked("cancelled", past)
