"""GUI fixtures: a main window with its remembered state in a temporary file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from scheduler.ui.document import PlanDocument
from scheduler.ui.main_window import MainWindow
from scheduler.ui.ui_state import UiState


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    state = UiState(QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat))
    main = MainWindow(state)
    qtbot.addWidget(main)
    main.resize(1300, 800)
    main.show()
    yield main
    main.close_plan()


def when_modal(handle: Callable[[QWidget], None], timeout_ms: int = 5000) -> None:
    """Run ``handle(dialog)`` as soon as a modal dialog is open (before exec returns)."""
    waited = 0

    def poll() -> None:
        nonlocal waited
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog | QMessageBox) and dialog.isVisible():
            try:
                handle(dialog)
            except BaseException:
                # A failed check must fail the test, not leave the dialog
                # open and the test waiting in exec() for ever.
                if dialog.isVisible():
                    dialog.done(0)
                raise
            return
        waited += 20
        if waited < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def click_nav(qtbot: QtBot, window: MainWindow, row: int) -> QWidget:
    """Show the page of the navigation's ``row`` by clicking it, as a planner does."""
    from PySide6.QtCore import Qt

    item = window.nav.item(row)
    window.nav.scrollToItem(item)
    centre = window.nav.visualItemRect(item).center()
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    page = window.current_page()
    assert page is not None, item.text()
    return page


def double_click_row(qtbot: QtBot, view: QAbstractItemView, first_cell: str) -> None:
    """Double-click the row whose first cell reads ``first_cell``, as a planner opens a record."""
    from PySide6.QtCore import Qt

    model = view.model()
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == first_cell)
    index = model.index(row, 0)
    view.scrollTo(index)
    centre = view.visualRect(index).center()
    # The press selects the row; Qt counts a double-click only on the row last pressed.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def note_message(said: list[str]) -> None:
    """Note the text of the next message box that opens, and close it with OK."""

    def read(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        said.append(box.text())
        box.accept()

    when_modal(read)


def press(qtbot: QtBot, dialog: QWidget, which: str) -> None:
    """Click a dialog's standard button ("Save", "Ok", "Cancel") with the mouse."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    box = dialog.findChild(QDialogButtonBox)
    assert box is not None, dialog.windowTitle()
    button = box.button(getattr(QDialogButtonBox.StandardButton, which))
    assert button is not None and button.isEnabled(), which
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture(params=["file", "server"])
def demo_location(request: pytest.FixtureRequest, demo_plan_path: Path) -> Path | str:
    """The demo plan as a file, or copied to a new database on the test server."""
    from scheduler.cli import main

    if request.param == "file":
        return demo_plan_path
    url = str(request.getfixturevalue("server_url"))
    assert main(["copy", str(demo_plan_path), url]) == 0
    return url


def another_planner_edits(document: PlanDocument, uuid: str) -> None:
    """Another planner changes the event meanwhile, in their own session."""
    from sqlalchemy import select

    from scheduler.model import TrainingEvent

    with document.plan.session() as session:
        session.info["user"] = "bora@cell"
        event = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid == uuid)).one()
        event.partner_remarks = "Confirmed by the partner"
