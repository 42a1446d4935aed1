"""Help ▸ User guide and Help ▸ Keyboard shortcuts.

The guide ships in ``resources/guide`` (planners are often offline) and is
shown as formatted text. The shortcuts are read from the window's own
actions, so the list cannot drift from what the keys do; keys handled inside
a view (the calendar's Page Up, a list's F2) are listed beside them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from scheduler.resources_path import resource

# Keys that work inside one view rather than through a menu.
IN_VIEWS = (
    ("Calendar", "Previous / next month, week or day", "Page Up / Page Down"),
    ("Calendar, Timeline", "Choose the previous / next event", "Left / Right"),
    ("Calendar, Timeline", "Move the chosen event a day earlier / later", "Alt+Left / Alt+Right"),
    ("Calendar", "Move the chosen event a week earlier / later", "Alt+Up / Alt+Down"),
    ("Timeline", "Give the chosen event to the row above / below", "Alt+Up / Alt+Down"),
    ("Calendar, Timeline", "Open the chosen event", "Enter"),
    ("Calendar", "The chosen event's menu", "Menu key"),
    ("Agenda", "Choose the previous / next event; open it", "Up / Down; Enter"),
    ("Lists", "Edit the selected record", "F2"),
    ("Lists", "Delete the selected records", "Delete"),
    ("Lists", "Open the selected record", "Enter or double-click"),
    ("Editors", "Close, asking first if something was typed", "Escape"),
)


def _dialog(parent: QWidget | None, title: str, name: str, body: QWidget) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName(name)
    dialog.setWindowTitle(title)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    body.setParent(dialog)
    layout.addWidget(body, 1)
    layout.addWidget(buttons)
    dialog.resize(760, 600)  # inside a 1366x768 laptop screen
    return dialog


def guide_dialog(parent: QWidget | None) -> QDialog:
    browser = QTextBrowser()
    browser.setObjectName("guide")
    browser.setOpenExternalLinks(False)
    browser.setMarkdown(resource("guide", "user-guide.md").read_text(encoding="utf-8"))
    return _dialog(parent, "User guide", "user_guide", browser)


_NAMED_KEYS = frozenset(
    {"Backspace", "Del", "Delete", "Ins", "Home", "End", "PgUp", "PgDown", "Tab", "Esc"}
)


def _typed(key: str) -> bool:
    """A key every keyboard has (Ctrl+N, F1), not a multimedia key ("New", "Shift+Save")."""
    last = key.rsplit("+", 1)[-1] or "+"
    return len(last) == 1 or last in _NAMED_KEYS or bool(re.fullmatch(r"F\d{1,2}", last))


def shortcut_rows(actions: Iterable[tuple[str, QAction]]) -> list[tuple[str, str, str]]:
    """(menu, what, keys) for every menu action with a shortcut, then the views' keys."""
    rows = []
    for where, action in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
        keys = [k for k in keys if _typed(k)]
        if keys and action.text():
            what = action.text().replace("&", "").rstrip("…")
            rows.append((where, what, " or ".join(keys)))
    return rows + list(IN_VIEWS)


def shortcuts_dialog(parent: QWidget | None, actions: Iterable[tuple[str, QAction]]) -> QDialog:
    rows = shortcut_rows(actions)
    table = QTableWidget(len(rows), 3)
    table.setObjectName("shortcuts")
    table.setHorizontalHeaderLabels(["Where", "What", "Keys"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            table.setItem(row, column, QTableWidgetItem(text))
    header = table.horizontalHeader()
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.resizeColumnToContents(0)
    table.resizeColumnToContents(2)
    return _dialog(parent, "Keyboard shortcuts", "keyboard_shortcuts", table)
