"""Starting the window: one function that sets up the parts in order.

``run`` creates the QApplication (high-DPI scaling and the system's light or
dark palette are Qt 6 defaults; no colours are hard-coded), installs the
error hook, then opens the plan asked for, the demo, the last plan, or the
welcome screen.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from scheduler import APP_ID, APP_NAME, __version__
from scheduler.resources_path import resource
from scheduler.ui.main_window import MainWindow
from scheduler.ui.messages import install_excepthook

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource("icons", "training-scheduler.svg"))))
    return app


def open_initial(window: MainWindow, plan: Path | str | None, *, demo: bool) -> None:
    if demo:
        window.open_demo()
    elif plan is not None:
        window.open_path(plan)
    else:
        last = window.state.last_plan()
        if last is not None and last.exists() and not window.open_path(last):
            window.state.forget_last_plan()


def run(plan: Path | str | None, *, demo: bool = False) -> int:
    app = make_application()
    install_excepthook()
    window = MainWindow()
    window.show()
    log.info("window shown")
    # Open the plan once the empty window has painted: the planner sees the
    # program at once, and the database libraries load while they look.
    QTimer.singleShot(0, lambda: open_initial(window, plan, demo=demo))
    return app.exec()
