"""Starting the window: one function that sets up the parts in order.

``run`` creates the QApplication (high-DPI scaling and the system's light or
dark palette are Qt 6 defaults; no colours are hard-coded), installs the
error hook, hands the plan to an already running instance if there is one
(double-clicking a plan while the program runs), else listens for later
launches and opens the plan asked for, the demo, the last plan, or the
welcome screen.

``WindowSet`` owns the main windows of this process: each later launch
opens its plan in a window of its own, and the program ends when the last
window closes.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QPoint, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from scheduler import APP_ID, APP_NAME, __version__
from scheduler.resources_path import resource
from scheduler.ui.main_window import MainWindow
from scheduler.ui.messages import install_excepthook
from scheduler.ui.ui_state import UiState
from scheduler.ui.window_lookup import bring_to_front, other_window_with

log = logging.getLogger(__name__)

# The reverse-DNS id of the desktop entry, AppStream metainfo and icons
# (packaging/linux/); Wayland and the task bar match windows to it.
DESKTOP_ID = "org.trainingscheduler.TrainingScheduler"
CASCADE = QPoint(32, 32)


def make_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_ID)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(resource("icons", "training-scheduler.svg"))))
    use_english_names()
    return app


def use_english_names() -> None:
    """Day and month names in date fields and calendar pop-ups in English,
    as in the rest of the window (``wording.date_format``), whatever the
    machine's language; the machine's territory still chooses the rest."""
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.system().territory()))


def open_initial(window: MainWindow, plan: Path | str | None, *, demo: bool) -> None:
    if demo:
        window.open_demo()
    elif plan is not None:
        window.open_path(plan)
    else:
        last = window.state.last_plan()
        if last is not None and last.exists() and not window.open_path(last):
            window.state.forget_last_plan()


class WindowSet(QObject):
    """The main windows of this process (GUI thread only).

    Each window is deleted when closed; closing one leaves the others open.
    ``state_factory`` gives each window its remembered state (tests pass one
    backed by a temporary file).
    """

    def __init__(self, state_factory: Callable[[], UiState] | None = None) -> None:
        super().__init__()
        self.state_factory = state_factory or UiState
        self.windows: list[MainWindow] = []

    def new_window(self) -> MainWindow:
        window = MainWindow(self.state_factory())
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        if self.windows:  # cascade, so the new window does not hide the last one exactly
            window.move(self.windows[-1].pos() + CASCADE)
        self.windows.append(window)
        window.destroyed.connect(lambda _obj=None, w=window: self._forget(w))
        return window

    def _forget(self, window: MainWindow) -> None:
        if window in self.windows:
            self.windows.remove(window)

    def open_requested(self, plans: list[str]) -> None:
        """A later launch asked for ``plans`` (none: a new window on the welcome screen)."""
        if not plans:
            bring_to_front(self.new_window())
            return
        for plan in plans:
            existing = other_window_with(None, plan)
            if existing is not None:
                bring_to_front(existing)
                continue
            window = self.new_window()
            bring_to_front(window)
            QTimer.singleShot(0, lambda w=window, p=plan: w.open_path(p))


def launch_target(plan: Path | str | None) -> list[str]:
    """What to ask a running instance for: absolute paths (its folder is not ours)."""
    if plan is None:
        return []
    if isinstance(plan, Path):
        return [str(plan.resolve())]
    return [plan]


def run(plan: Path | str | None, *, demo: bool = False) -> int:
    app = make_application()
    install_excepthook()
    from scheduler.ui.single_instance import InstanceServer, hand_over, plans_text

    # The demo is this process's own business: it is not handed over.
    if not demo and hand_over(launch_target(plan)):
        log.info("asked the running instance for %s", plans_text(launch_target(plan)))
        return 0
    windows = WindowSet()
    server = InstanceServer(parent=windows)
    server.open_requested.connect(windows.open_requested)
    window = windows.new_window()
    window.show()
    log.info("window shown")
    # Listen once the window has painted: the planner sees it sooner, and a
    # launch in those few milliseconds just starts a program of its own.
    QTimer.singleShot(0, server.listen)
    # Open the plan once the empty window has painted: the planner sees the
    # program at once, and the database libraries load while they look.
    QTimer.singleShot(0, lambda: open_initial(window, plan, demo=demo))
    try:
        return app.exec()
    finally:
        server.close()
