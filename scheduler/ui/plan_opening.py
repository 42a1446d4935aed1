"""Opening a plan from the window, with the questions a planner must answer.

A plan another program holds gets a prompt: open it read-only, take it over
(only if that program is gone), or cancel. A plan that cannot be used gets
an error dialog, and the window carries on as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from scheduler.errors import PlanDamagedError, PlanLockedError, UserError
from scheduler.planning.wording import count_text
from scheduler.ui.messages import show_error

if TYPE_CHECKING:
    from scheduler.services.plan_files import Plan

READ_ONLY, TAKE_OVER, CANCEL = "read-only", "take-over", "cancel"


def lock_prompt(parent: QWidget | None, error: PlanLockedError) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("lock_prompt")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Plan in use")
    box.setText(str(error))
    box.setInformativeText(
        "Open it read-only to look without changing anything, or take it over if that "
        "program is no longer running (one that is still running keeps the plan until it "
        "is closed). Two programs editing one plan would each work from an out-of-date "
        "picture of it."
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


def ask_server_url(
    parent: QWidget | None,
    title: str = "Open a shared plan",
    *,
    start: str = "postgresql+psycopg://",
    why: str = "",
) -> str | None:
    """The URL of a shared plan, typed by the planner (None when cancelled)."""
    url, ok = QInputDialog.getText(
        parent,
        title,
        (f"{why}\n\n" if why else "") + "Address of the plan's database server, e.g.\n"
        "postgresql+psycopg://anna@plans.example.org:5432/training",
        QLineEdit.EchoMode.Normal,
        start,
    )
    url = url.strip()
    if not ok or not url or url.endswith("://"):
        return None
    from scheduler.services.plan_files import is_server_url

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

    ``path`` may be a server URL: a shared plan has no lock to ask about. A
    plan file is checked whole beside the window (its first write waits for
    the check; ``ui/plan_check.py`` reacts when it fails); a damaged plan is
    offered its backups.
    """
    from scheduler.services.plan_files import PlanAccess, open_plan

    try:
        return open_plan(path, check_in_background=True)
    except PlanLockedError as locked:
        choice = ask_lock_choice(parent, locked)
        try:
            if choice == READ_ONLY:
                return open_plan(path, access=PlanAccess.READ, check_in_background=True)
            if choice == TAKE_OVER:
                return open_plan(path, take_over_lock=True, check_in_background=True)
        except PlanDamagedError as damaged:
            return offer_restore(parent, damaged)
        except UserError as exc:
            show_error(parent, "Cannot open the plan", str(exc))
        return None
    except PlanDamagedError as damaged:
        return offer_restore(parent, damaged)
    except UserError as exc:
        show_error(parent, "Cannot open the plan", str(exc))
        return None


RESTORE = "restore"


def damaged_prompt(parent: QWidget | None, error: PlanDamagedError, backups: int) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("damaged_prompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Plan damaged")
    box.setText(str(error))
    if backups:
        box.setInformativeText(
            f"This computer keeps {count_text(backups, 'backup')} of the plan. Restore one? "
            "The damaged file is kept in the backup folder, in case its last changes can be mended."
        )
        restore = box.addButton("Restore a backup…", QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName(RESTORE)
        box.setDefaultButton(restore)
    else:
        box.setInformativeText("There are no backups of this plan on this computer.")
    box.addButton(QMessageBox.StandardButton.Close).setObjectName(CANCEL)
    return box


def offer_restore(parent: QWidget | None, error: PlanDamagedError) -> Plan | None:
    """Say the plan is damaged; restore a backup of the planner's choice and open it."""
    from scheduler.services.plan_files import list_backups, open_plan, restore_backup
    from scheduler.ui.dialogs.backups_dialog import choose_backup

    path = Path(str(error.path))
    box = damaged_prompt(parent, error, len(list_backups(path).backups))
    box.exec()
    clicked = box.clickedButton()
    if clicked is None or clicked.objectName() != RESTORE:
        return None
    chosen = choose_backup(parent, path)
    if chosen is None:
        return None
    try:
        restore_backup(path, chosen)
        return open_plan(path, check_in_background=True)
    except UserError as exc:
        show_error(parent, "Cannot restore the plan", str(exc))
        return None
