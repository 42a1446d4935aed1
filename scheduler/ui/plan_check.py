"""What the window does when the full check of a plan it has open fails.

The plan opens with its check still running (``storage/whole_check.py``);
this polls it, cheaply, until it is done. A damaged plan is closed, before
anything was written to it, and the planner is offered its backups.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from scheduler.errors import PlanDamagedError
from scheduler.ui.messages import show_error
from scheduler.ui.plan_opening import offer_restore

if TYPE_CHECKING:
    from scheduler.services.plan_files import Plan
    from scheduler.ui.main_window import MainWindow

_POLL_MS = 100


def watch_whole_check(window: MainWindow, plan: Plan) -> None:
    """Follow ``plan``'s full check; close the plan and say why if it fails."""
    check = plan.whole_check
    if check is None:
        return
    timer = QTimer(window)
    timer.setInterval(_POLL_MS)

    def poll() -> None:
        document = window.document
        if document is None or document.plan is not plan:
            timer.stop()
            timer.deleteLater()
            return
        if not check.done:
            return
        timer.stop()
        timer.deleteLater()
        if check.error is None:
            return
        window.close_plan()
        if isinstance(check.error, PlanDamagedError):
            restored = offer_restore(window, check.error)
            if restored is not None:
                window.set_plan(restored)
        else:
            show_error(window, "Cannot open the plan", str(check.error))

    timer.timeout.connect(poll)
    timer.start()
