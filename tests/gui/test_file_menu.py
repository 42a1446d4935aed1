"""File menu and settings: new, recent, save a copy, back up, restore, preferences."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import Course
from scheduler.preferences import load_preferences
from scheduler.services.changes import Changes
from scheduler.storage import PlanAccess, list_backups, open_plan
from scheduler.ui.dialogs import backups_dialog
from scheduler.ui.dialogs.settings_dialog import SettingsDialog
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import when_modal


def _course_codes(path: Path) -> list[str]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return sorted(session.scalars(select(Course.code)))


def test_new_plan_from_the_file_menu(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "План 2027"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "Training plans")
    )
    window.actions_by_name["new"].trigger()
    assert window.document is not None
    assert window.document.plan.path == target.with_name("План 2027.tsplan")
    assert window.windowTitle().startswith("План 2027 — ")
    menu = window.findChild(QWidget, "menu_recent")
    assert menu is not None
    menu.aboutToShow.emit()  # type: ignore[attr-defined]
    assert "План 2027.tsplan" in menu.actions()[0].text()  # type: ignore[attr-defined]


def test_save_a_copy_and_back_up_now(
    window: MainWindow, empty_plan_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(empty_plan_path)
    copy = tmp_path / "copy for the deployed laptop.tsplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(copy), ""))
    window.actions_by_name["save_copy"].trigger()
    assert copy.is_file()
    with open_plan(copy, access=PlanAccess.READ) as plan:
        assert plan.name == "Test plan"
    before = len(list_backups(empty_plan_path))
    window.actions_by_name["backup_now"].trigger()
    # Opening backed the plan up already: the same state is not kept twice.
    assert len(list_backups(empty_plan_path)) == before
    assert window.statusBar().currentMessage().startswith("Nothing new to back up")
    assert window.document is not None
    window.document.write(_add_a_course_by_mistake)
    window.actions_by_name["backup_now"].trigger()
    assert len(list_backups(empty_plan_path)) == before + 1
    assert list_backups(empty_plan_path)[0].reason == "manual"
    assert window.statusBar().currentMessage().startswith("Backed up to")
    assert "2 backups of this plan are kept" in window.statusBar().currentMessage()


def test_restore_from_a_backup(
    window: MainWindow, empty_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(empty_plan_path)
    assert window.document is not None
    window.document.plan.backup("manual")
    saved = list_backups(empty_plan_path)[0]
    window.document.write(_add_a_course_by_mistake)
    monkeypatch.setattr(backups_dialog, "choose_backup", lambda parent, path: saved)
    window.actions_by_name["restore"].trigger()
    assert window.document is not None and window.document.plan.path == empty_plan_path
    assert _course_codes(empty_plan_path) == []
    # The state before the restore is kept: a restore can itself be undone.
    kept = [_course_codes(b.path) for b in list_backups(empty_plan_path)]
    assert ["OOPS"] in kept


def _add_a_course_by_mistake(session: Session) -> Changes:
    session.add(Course(code="OOPS", title="Added by mistake"))
    return Changes.of("course")


def test_settings_are_saved_and_checked(window: MainWindow) -> None:
    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, SettingsDialog)
        marking = dialog.findChild(QLineEdit, "marking")
        assert marking is not None and marking.text() == "OFFICIAL"
        marking.setText("")
        dialog.try_accept()
        assert "marking is needed" in dialog.problem.text()
        marking.setText("OFFICIAL-SENSITIVE RELEASABLE TO MKD")
        dialog.try_accept()

    when_modal(edit)
    window.actions_by_name["settings"].trigger()
    assert load_preferences().marking == "OFFICIAL-SENSITIVE RELEASABLE TO MKD"


def test_a_damaged_plan_is_closed_before_any_write_and_restored_from_a_backup(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    """Bytes flipped in a plan the program closed cleanly (time kept): the window
    shows it while its check runs, then closes it unchanged and offers the backups."""
    import os

    from PySide6.QtWidgets import QDialog, QMessageBox

    from scheduler.storage.backups import backup_plan

    backup_plan(demo_plan_path, "manual")
    with open_plan(demo_plan_path, backup_on_open=False):
        pass
    stamp = demo_plan_path.stat()
    with demo_plan_path.open("r+b") as handle:
        handle.seek(stamp.st_size // 2 // 4096 * 4096 + 2000)
        handle.write(b"\xff" * 16)
    os.utime(demo_plan_path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    damaged = demo_plan_path.read_bytes()
    answered: list[str] = []

    def choose_backup(dialog: QWidget) -> None:
        assert isinstance(dialog, QDialog) and dialog.objectName() == "backups_dialog"
        answered.append("backup")
        dialog.accept()

    def restore(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "damaged_prompt"
        assert "is damaged" in box.text()
        answered.append("prompt")
        button = box.findChild(QPushButton, "restore")
        assert button is not None
        when_modal(choose_backup)
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    when_modal(restore, timeout_ms=30_000)
    window.open_path(demo_plan_path)
    qtbot.waitUntil(lambda: answered == ["prompt", "backup"], timeout=30_000)
    qtbot.waitUntil(lambda: window.document is not None, timeout=30_000)
    assert window.document is not None and window.document.plan.path == demo_plan_path
    assert demo_plan_path.read_bytes() != damaged
    kept = list(list_backups(demo_plan_path)[0].path.parent.glob("damaged-*.keep"))
    assert len(kept) == 1 and kept[0].read_bytes() == damaged
