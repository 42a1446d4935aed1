"""Finding the main window that already has a plan open, and showing it.

Opening a plan that another window of this program holds must bring that
window forward, not ask "the plan is in use" about ourselves; a plan handed
over by a second launch does the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from scheduler.ui.main_window import MainWindow


def same_plan(window: MainWindow, plan: Path | str) -> bool:
    """True when ``window`` has ``plan`` (a file path or a server URL) open."""
    if window.document is None:
        return False
    from scheduler.services.plan_files import is_plan_at

    return is_plan_at(window.document.plan, plan)


def bring_to_front(window: MainWindow) -> None:
    window.show()
    window.setWindowState(
        (window.windowState() & ~Qt.WindowState.WindowMinimized) | Qt.WindowState.WindowActive
    )
    window.raise_()
    window.activateWindow()


def other_window_with(window: MainWindow | None, plan: Path | str) -> MainWindow | None:
    """A main window of this process other than ``window`` that has ``plan`` open, if any."""
    from scheduler.ui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget is not window and same_plan(widget, plan):
            return widget
    return None
