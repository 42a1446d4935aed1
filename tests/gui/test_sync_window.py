"""File ▸ Take a copy offline… and File ▸ Synchronise…, clicked as a planner does."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.cli import main
from scheduler.model import TrainingEvent
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import press, when_modal
from tests.sync_plans import edit, snapshot


@pytest.fixture
def shared(demo_plan_path: Path, server_url: str) -> str:
    assert main(["copy", str(demo_plan_path), server_url]) == 0
    return server_url


def _fits(widget: QWidget) -> None:
    assert widget.width() <= 1366 and widget.height() <= 768, (widget.width(), widget.height())


def _take_offline(
    qtbot: QtBot, window: MainWindow, laptop: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(laptop), ""))
    window.actions_by_name["take_offline"].trigger()
    qtbot.waitUntil(
        lambda: window.document is not None and not window.document.plan.is_shared, timeout=60_000
    )


def _outcome(location: str | Path, ref: str) -> str | None:
    with open_plan(location, access=PlanAccess.READ) as plan, plan.session() as session:
        return session.scalars(select(TrainingEvent.outcome).where(TrainingEvent.ref == ref)).one()


def _first_ref(location: str, *, last: bool = False) -> str:
    order = TrainingEvent.ref.desc() if last else TrainingEvent.ref
    return str(
        edit(location, lambda s: s.scalars(select(TrainingEvent.ref).order_by(order)).first())
    )


def _set_outcome(location: str, ref: str, outcome: str) -> None:
    """Another planner's change on the shared plan."""

    def change(session: Session) -> None:
        found = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
        found.outcome = outcome

    edit(location, change)


def _edit_in_window(window: MainWindow, ref: str, outcome: str) -> None:
    """The deployed planner's change (made in the window's own plan, as an editor would)."""
    assert window.document is not None
    with window.document.plan.session() as session:
        event = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
        event.outcome = outcome


def _click(qtbot: QtBot, button: QPushButton) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_take_offline_then_settle_a_conflict_with_one_click(
    qtbot: QtBot,
    window: MainWindow,
    shared: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert window.open_path(shared)
    assert not window.actions_by_name["synchronise"].isEnabled()
    laptop = tmp_path / "Скопје offline.tsplan"
    _take_offline(qtbot, window, laptop, monkeypatch)
    assert window.document is not None and window.document.plan.path == laptop
    assert window.actions_by_name["synchronise"].isEnabled()

    ref, other = _first_ref(shared), _first_ref(shared, last=True)
    _edit_in_window(window, ref, "moved to the range by the team")
    _edit_in_window(window, other, "only on the laptop")
    _set_outcome(shared, ref, "kept at the cell")

    seen: dict[str, object] = {}

    def decide(dialog: QWidget) -> None:
        _fits(dialog)
        table = dialog.findChild(QTableWidget, "conflicts")
        assert table is not None and table.rowCount() == 1
        seen["what"] = table.item(0, 0).text()
        seen["mine"], seen["theirs"] = table.item(0, 1).text(), table.item(0, 2).text()
        go = dialog.findChild(QPushButton, "synchronise")
        assert go is not None and not go.isEnabled()  # nothing chosen yet
        seen["summary"] = dialog.findChild(QLabel, "summary").text()  # type: ignore[union-attr]
        _click(qtbot, dialog.findChild(QPushButton, "keep_all_theirs"))  # type: ignore[arg-type]
        _click(qtbot, go)

    when_modal(decide)
    window.actions_by_name["synchronise"].trigger()
    qtbot.waitUntil(
        lambda: "Brought into this file" in window.statusBar().currentMessage(), timeout=60_000
    )

    assert seen["what"] == f"event {ref} · outcome"
    assert "moved to the range by the team" in str(seen["mine"]) and "@" in str(seen["mine"])
    assert "kept at the cell" in str(seen["theirs"])
    # The event in conflict is not counted: what is left goes either way.
    assert "Besides the conflicts, would bring to the shared plan: 1 event changed." in str(
        seen["summary"]
    )
    assert _outcome(shared, ref) == "kept at the cell"
    assert _outcome(shared, other) == "only on the laptop"
    assert snapshot(laptop) == snapshot(shared)

    # Nothing left to bring: said in a sentence, nothing written.
    said: list[str] = []

    def nothing(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        said.append(dialog.text())
        dialog.accept()

    when_modal(nothing, timeout_ms=30_000)
    window.actions_by_name["synchronise"].trigger()
    qtbot.waitUntil(lambda: bool(said), timeout=30_000)
    assert "same plan" in said[0]


def test_a_typed_value_settles_a_conflict_and_a_cancel_writes_nothing(
    qtbot: QtBot,
    window: MainWindow,
    shared: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert window.open_path(shared)
    laptop = tmp_path / "laptop.tsplan"
    _take_offline(qtbot, window, laptop, monkeypatch)
    ref = _first_ref(shared)
    _edit_in_window(window, ref, "laptop")
    _set_outcome(shared, ref, "cell")
    before = snapshot(shared)

    cancelled: list[bool] = []

    def cancel(dialog: QWidget) -> None:
        press(qtbot, dialog, "Cancel")
        cancelled.append(True)

    when_modal(cancel, timeout_ms=30_000)
    window.actions_by_name["synchronise"].trigger()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=30_000)
    assert snapshot(shared) == before and _outcome(laptop, ref) == "laptop"

    def type_it(dialog: QWidget) -> None:
        table = dialog.findChild(QTableWidget, "conflicts")
        assert table is not None
        keep = table.cellWidget(0, 3)
        assert isinstance(keep, QComboBox)
        keep.setFocus()
        for _ in range(3):  # This file's, The shared plan's, Type a value
            qtbot.keyClick(keep, Qt.Key.Key_Down)
        assert keep.currentText() == "Type a value"
        value = table.cellWidget(0, 4)
        assert isinstance(value, QLineEdit) and value.isEnabled()
        qtbot.mouseClick(value, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(value, "agreed on the phone")
        qtbot.keyClick(value, Qt.Key.Key_Return)  # confirms the value; does not synchronise
        assert dialog.isVisible()
        go = dialog.findChild(QPushButton, "synchronise")
        assert go is not None
        _click(qtbot, go)

    when_modal(type_it)
    window.actions_by_name["synchronise"].trigger()
    qtbot.waitUntil(
        lambda: "Brought into this file" in window.statusBar().currentMessage(), timeout=60_000
    )
    assert _outcome(shared, ref) == _outcome(laptop, ref) == "agreed on the phone"


def test_take_offline_without_a_shared_plan_open_asks_for_its_address(
    qtbot: QtBot,
    window: MainWindow,
    shared: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def address(dialog: QWidget) -> None:
        assert isinstance(dialog, QInputDialog)
        line = dialog.findChild(QLineEdit)
        assert line is not None
        line.selectAll()
        qtbot.keyClicks(line, shared)
        press(qtbot, dialog, "Ok")

    when_modal(address)
    _take_offline(qtbot, window, tmp_path / "offline.tsplan", monkeypatch)
    assert window.actions_by_name["synchronise"].isEnabled()
