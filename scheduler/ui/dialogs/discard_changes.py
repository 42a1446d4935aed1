"""Escape or Cancel on an editor holding changes: ask before throwing them away.

A planner who presses Escape out of habit after typing a course's details
lost them without a word; an editor with nothing changed still closes at
once.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def may_discard(parent: QWidget) -> bool:
    """True when the planner chooses to throw the changes away."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "Discard changes?",
        "Your changes in this editor are not saved. Discard them?",
        QMessageBox.StandardButton.NoButton,
        parent,
    )
    box.setObjectName("discard_changes")
    discard = box.addButton("Discard changes", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard
