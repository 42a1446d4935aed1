"""File ▸ Import a partner's reply: the preview, unticking a change, Apply, Undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import PartnerResponse, Trainee
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.dialogs.reply_dialog import ReplyDialog
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import when_modal
from tests.replies import export_partner, fill_reply, people_on_two_events


def _state(path: Path) -> tuple[list[str], list[tuple[int | None, str | None]]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        names = sorted(
            t.name for t in s.scalars(select(Trainee).where(Trainee.nation.has(code="MK")))
        )
        answers = [(r.confirmed_seats, r.remarks) for r in s.scalars(select(PartnerResponse))]
        return names, answers


def test_a_reply_is_previewed_and_only_the_ticked_changes_applied(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refs = people_on_two_events(demo_plan_path)
    filled = fill_reply(
        export_partner(demo_plan_path, tmp_path / "MK.xlsx"), tmp_path / "MK back.xlsx", refs
    )
    window.resize(1366, 768)
    window.open_path(demo_plan_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(filled), ""))
    seen: list[list[str]] = []

    def untick_the_remark_and_apply(dialog: QWidget) -> None:
        assert isinstance(dialog, ReplyDialog)
        try:
            table = dialog.findChild(QTableWidget, "changes")
            assert table is not None
            kinds = [table.item(r, 1).text() for r in range(table.rowCount())]  # type: ignore[union-attr]
            seen.append(kinds)
            row = kinds.index("Remarks")
            cell = table.visualItemRect(table.item(row, 0))  # type: ignore[arg-type]
            tick_box = QPoint(cell.left() + 10, cell.center().y())  # left of the Ref
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=tick_box)
            size = dialog.frameGeometry()
            seen.append([str(size.width() <= 1366 and size.height() <= 768)])
            qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        finally:
            if dialog.isVisible():
                dialog.done(0)

    when_modal(untick_the_remark_and_apply, timeout_ms=60_000)
    window.actions_by_name["reply"].trigger()
    qtbot.waitUntil(lambda: "Ана Петровска" in _state(demo_plan_path)[0], timeout=60_000)
    assert seen[0] == ["Confirmed seats", "Remarks", "New nominee", "Status"]
    assert seen[1] == ["True"]
    assert _state(demo_plan_path)[1] == [(17, None)]  # the remark was left out
    assert window.actions_by_name["undo"].text() == "&Undo Import reply from MK"
    window.actions_by_name["undo"].trigger()
    assert _state(demo_plan_path) == (["Ѓорѓи Трајковски"], [])
