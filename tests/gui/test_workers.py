"""Long work with a progress dialog: its Cancel button stops the work."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from scheduler.progress import Cancelled, ProgressCallback
from scheduler.ui.workers import run_with_progress


def test_cancel_in_the_progress_dialog_stops_the_work(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    parent.show()
    outcome: list[object] = []

    def work(progress: ProgressCallback) -> int:
        started = time.monotonic()
        step = 0
        while time.monotonic() - started < 60:  # a minute of work, unless stopped
            step += 1
            if not progress(step % 100, 100):
                raise Cancelled()
            time.sleep(0.005)
        return step

    dialog = run_with_progress(parent, "Counting…", work, outcome.append, outcome.append)
    assert isinstance(dialog, QProgressDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)  # shown after its 300 ms
    cancel = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Cancel")
    started = time.monotonic()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    assert isinstance(outcome[0], Cancelled)
    assert time.monotonic() - started < 5
