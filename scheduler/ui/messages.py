"""Telling the planner what went wrong, in words, never with a traceback.

A UserError is shown as it is. Anything else is a bug: logged with its
traceback to the log file and shown as "something went wrong, your plan is
safe" with the log's path.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from scheduler.app_log import setup_logging
from scheduler.errors import UserError

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setObjectName("error_dialog")
    box.exec()


def show_bug(parent: QWidget | None, error: BaseException) -> None:
    log_path = setup_logging()
    box = QMessageBox(
        QMessageBox.Icon.Critical,
        "Something went wrong",
        "Something went wrong inside Training Scheduler. Your plan is safe: every change "
        "made before this was saved.\n\n"
        + (
            f"The details are in the log file:\n{log_path}"
            if log_path is not None
            else "No log could be written (the program's folder cannot be written)."
        ),
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setObjectName("bug_dialog")
    box.setDetailedText(f"{type(error).__name__}: {error}")
    box.exec()


def install_excepthook() -> None:
    """Route uncaught exceptions in slots to a dialog instead of a crash."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, UserError):
            show_error(QApplication.activeWindow(), "Training Scheduler", str(error))
            return
        log.error("unexpected error", exc_info=(kind, error, tb))
        if QApplication.instance() is not None:
            show_bug(QApplication.activeWindow(), error)

    sys.excepthook = hook
