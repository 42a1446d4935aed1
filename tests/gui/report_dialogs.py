"""Driving File ▸ Print… in GUI tests: open the report dialog, save a PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from scheduler.ui.dialogs.report_dialog import ReportDialog
from scheduler.ui.main_window import MainWindow


def open_report_dialog(window: MainWindow, qtbot: QtBot) -> ReportDialog:
    """File ▸ Print… as the planner chooses it, set to what the window shows."""
    window.actions_by_name["print"].trigger()
    dialog = window.findChild(ReportDialog)
    assert isinstance(dialog, ReportDialog)
    qtbot.waitExposed(dialog)
    return dialog


def save_pdf(
    dialog: ReportDialog, target: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Save as PDF… with ``target`` chosen in the file dialog, and wait for the file."""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    button = dialog.findChild(QPushButton, "save_pdf")
    assert button is not None
    button.click()
    qtbot.waitUntil(lambda: dialog.last_pdf == target, timeout=120_000)
