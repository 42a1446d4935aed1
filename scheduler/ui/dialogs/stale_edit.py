"""The question after a stale edit: reload their version, or overwrite with mine.

Shown when another planner changed (or deleted) a record after this planner
read it (``StaleEditError``). Reload is the default: it drops the edit and
refreshes the views, so nothing of the other planner's is lost by a
careless Enter. Overwrite applies the edit again on the fresh row.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from scheduler.errors import StaleEditError
from scheduler.ui.document import OVERWRITE, RELOAD


def stale_edit_box(parent: QWidget | None, error: StaleEditError) -> QMessageBox:
    box = QMessageBox(parent)
    box.setObjectName("stale_edit_prompt")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by another planner")
    box.setText(str(error))
    deleted = error.action == "deleted"
    box.setInformativeText(
        "Reload drops your change and shows the plan as it is now. "
        + (
            "The record was deleted, so it cannot be overwritten."
            if deleted
            else "Overwrite saves your change over theirs (their change stays in the history)."
        )
    )
    reload_button = box.addButton("Reload", QMessageBox.ButtonRole.AcceptRole)
    reload_button.setObjectName(RELOAD)
    if not deleted:
        overwrite = box.addButton("Overwrite", QMessageBox.ButtonRole.DestructiveRole)
        overwrite.setObjectName(OVERWRITE)
    box.setDefaultButton(reload_button)
    return box


def ask_stale_choice(parent: QWidget | None, error: StaleEditError) -> str:
    """RELOAD or OVERWRITE, as the planner chose (closing the box is RELOAD)."""
    box = stale_edit_box(parent, error)
    box.exec()
    clicked = box.clickedButton()
    return OVERWRITE if clicked is not None and clicked.objectName() == OVERWRITE else RELOAD
