"""The one question a drag of a recurring event asks: this one, the following, or all?

The calendar and the timeline both ask it, with the same words, before a
move (or a change of instructor or venue) of an occurrence of a series.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from scheduler.services.series import Scope

SCOPE_DIALOG = "series_scope"


def ask_series_scope(parent: QWidget, ref: str, verb: str) -> Scope | None:
    """Which occurrences ``verb`` ("move", "reassign") applies to; None when cancelled."""
    from scheduler.services.series import Scope

    box = QMessageBox(parent)
    box.setObjectName(SCOPE_DIALOG)
    box.setWindowTitle(f"{verb.capitalize()} a recurring event")
    box.setText(f"{ref} is one occurrence of a series. {verb.capitalize()} which?")
    buttons = {}
    for text, scope in (
        ("This one", Scope.THIS),
        ("This and following", Scope.FOLLOWING),
        ("All", Scope.ALL),
    ):
        button = box.addButton(text, QMessageBox.ButtonRole.AcceptRole)
        button.setObjectName(f"scope_{scope.value}")
        buttons[button] = scope
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    clicked = box.clickedButton()
    return buttons.get(clicked) if clicked is not None else None  # type: ignore[call-overload]
