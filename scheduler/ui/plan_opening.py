"""Opening a plan from the window, with the questions a planner must answer.

A plan another program holds gets a prompt: open it read-only, take it over
(only if that program is gone), or cancel. A plan that cannot be used gets
an error dialog, and the window carries on as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from scheduler.errors import PlanLockedError, UserError
from scheduler.ui.messages import show_error

if TYPE_CHECKING:
    from scheduler.storage import Plan

READ_ONLY, TAKE_OVER, CANCEL = "read-only", "take-over", "cancel"


def lock_prompt(parent: QWidget | None, error: PlanLockedError) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("lock_prompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Plan in use")
    box.setText(str(error))
    box.setInformativeText(
        "Open it read-only to look without changing anything, or take it over if that "
        "program is no longer running. Two programs editing one plan would each work "
        "from an out-of-date picture of it."
    )
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    read_only.setObjectName(READ_ONLY)
    take_over = box.addButton("Take over", QMessageBox.ButtonRole.DestructiveRole)
    take_over.setObjectName(TAKE_OVER)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setObjectName(CANCEL)
    box.setDefaultButton(read_only)
    return box


def ask_lock_choice(parent: QWidget | None, error: PlanLockedError) -> str:
    """READ_ONLY, TAKE_OVER or CANCEL, as the planner chose."""
    box = lock_prompt(parent, error)
    box.exec()
    clicked = box.clickedButton()
    return clicked.objectName() if clicked is not None else CANCEL


def ask_server_url(parent: QWidget | None) -> str | None:
    """The URL of a shared plan, typed by the planner (None when cancelled)."""
    url, ok = QInputDialog.getText(
        parent,
        "Open a shared plan",
        "Address of the plan's database server, e.g.\n"
        "postgresql+psycopg://anna@plans.example.org:5432/training",
        QLineEdit.EchoMode.Normal,
        "postgresql+psycopg://",
    )
    url = url.strip()
    if not ok or not url or url.endswith("://"):
        return None
    from scheduler.storage.location import is_server_url

    if not is_server_url(url):
        show_error(
            parent,
            "Cannot open the plan",
            "A shared plan's address starts with postgresql+psycopg:// (or postgresql://).",
        )
        return None
    return url


def open_interactively(parent: QWidget | None, path: Path | str) -> Plan | None:
    """The open plan, or None (after telling the planner why) when it cannot be opened.

    ``path`` may be a server URL: a shared plan has no lock to ask about.
    """
    from scheduler.storage import PlanAccess, open_plan

    try:
        return open_plan(path)
    except PlanLockedError as locked:
        choice = ask_lock_choice(parent, locked)
        try:
            if choice == READ_ONLY:
                return open_plan(path, access=PlanAccess.READ)
            if choice == TAKE_OVER:
                return open_plan(path, take_over_lock=True)
        except UserError as exc:
            show_error(parent, "Cannot open the plan", str(exc))
        return None
    except UserError as exc:
        show_error(parent, "Cannot open the plan", str(exc))
        return None
