"""File ▸ Synchronise…: what a sync would bring each way, and a choice per conflict.

Each thing both sides changed differently is a row with both values and
who made them; the planner keeps this file's, the shared plan's, or (for a
text or a number) types the value that should stand. Nothing is written
until Synchronise.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import count_text
from scheduler.services.offline import ConflictRow, Resolution, Side

HEADERS = ("What", "This file", "Shared plan", "Keep", "Value to keep")
KEEP_MINE, KEEP_THEIRS, TYPE_VALUE = "This file's", "The shared plan's", "Type a value"
VALUE_COLUMN = 4


def _whole_numbers(row: ConflictRow) -> bool:
    found = row.conflict
    sample = found.mine if found.mine is not None else found.theirs
    return isinstance(sample, int) and not isinstance(sample, bool)


class SyncDialog(QDialog):
    """``resolutions()`` after ``exec()``: how the planner settled each conflict."""

    def __init__(
        self, summary: list[str], rows: list[ConflictRow], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sync_dialog")
        self.setWindowTitle("Synchronise with the shared plan")
        self.rows = rows
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.go = buttons.addButton("S&ynchronise", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setObjectName("synchronise")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        heading = QLabel("\n".join(summary), self)
        heading.setObjectName("summary")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.table = QTableWidget(len(rows), len(HEADERS), self)
        self.table.setObjectName("conflicts")
        if rows:
            ask = QLabel(
                f"{count_text(len(rows), 'thing')} changed differently on both sides. Choose "
                "what to keep for each, then Synchronise.",
                self,
            )
            ask.setObjectName("ask")
            ask.setWordWrap(True)
            layout.addWidget(ask)
            self._fill()
            layout.addWidget(self.table, 1)
            choices = QHBoxLayout()
            for name, text, keep in (
                ("keep_all_mine", "Keep all of this &file's", KEEP_MINE),
                ("keep_all_theirs", "Keep all of the &shared plan's", KEEP_THEIRS),
            ):
                button = QPushButton(text, self)
                button.setObjectName(name)
                button.clicked.connect(lambda _checked=False, keep=keep: self._keep_all(keep))
                choices.addWidget(button)
            choices.addStretch(1)
            layout.addLayout(choices)
        else:
            self.table.hide()
        layout.addWidget(buttons)
        self.resize(1000 if rows else 560, 520 if rows else 200)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter confirms a typed value; it synchronises only from a focused button."""
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not isinstance(self.focusWidget(), QPushButton):
            event.accept()
            return
        super().keyPressEvent(event)

    def _fill(self) -> None:
        table = self.table
        table.setHorizontalHeaderLabels(list(HEADERS))
        table.verticalHeader().setVisible(False)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setWordWrap(True)
        for index, row in enumerate(self.rows):
            cells = (
                row.what,
                f"{row.mine}\n{row.mine_by}" if row.mine_by else row.mine,
                f"{row.theirs}\n{row.theirs_by}" if row.theirs_by else row.theirs,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(text)
                table.setItem(index, column, item)
            keep = QComboBox(table)
            keep.setObjectName(f"keep_{index}")
            keep.addItems([KEEP_MINE, KEEP_THEIRS] + ([TYPE_VALUE] if row.can_type else []))
            keep.setCurrentIndex(-1)
            keep.setPlaceholderText("Choose…")
            keep.currentTextChanged.connect(lambda _text, index=index: self._chosen(index))
            table.setCellWidget(index, 3, keep)
            # A line of its own, not an item being edited: what is typed is there
            # when Synchronise reads it, whether or not Enter was pressed.
            if row.can_type:
                value = QLineEdit(table)
                value.setObjectName(f"value_{index}")
                value.setPlaceholderText("Type the value to keep")
                value.setEnabled(False)
                if _whole_numbers(row):
                    value.setValidator(QIntValidator(value))
                value.textChanged.connect(lambda _text: self._update_go())
                table.setCellWidget(index, VALUE_COLUMN, value)
        header = table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VALUE_COLUMN, QHeaderView.ResizeMode.Stretch)
        table.resizeRowsToContents()
        self._update_go()

    def _combo(self, index: int) -> QComboBox:
        widget = self.table.cellWidget(index, 3)
        assert isinstance(widget, QComboBox)
        return widget

    def _value(self, index: int) -> QLineEdit:
        widget = self.table.cellWidget(index, VALUE_COLUMN)
        assert isinstance(widget, QLineEdit)
        return widget

    def _chosen(self, index: int) -> None:
        typed = self._combo(index).currentText() == TYPE_VALUE
        value = self.table.cellWidget(index, VALUE_COLUMN)
        if isinstance(value, QLineEdit):  # only where a value may be typed
            value.setEnabled(typed)
            if typed:
                value.setFocus()
        self._update_go()

    def _keep_all(self, keep: str) -> None:
        for index in range(len(self.rows)):
            self._combo(index).setCurrentText(keep)

    def _typed(self, index: int) -> Any:
        text = self._value(index).text().strip()
        if _whole_numbers(self.rows[index]):
            return int(text) if text.lstrip("-").isdigit() else None
        return text or None

    def _settled(self, index: int) -> bool:
        choice = self._combo(index).currentText()
        if choice == TYPE_VALUE:
            text = self._value(index).text().strip()
            return not _whole_numbers(self.rows[index]) or text.lstrip("-").isdigit()
        return choice in (KEEP_MINE, KEEP_THEIRS)

    def _update_go(self) -> None:
        self.go.setEnabled(all(self._settled(index) for index in range(len(self.rows))))

    def resolutions(self) -> dict[str, Resolution]:
        chosen: dict[str, Resolution] = {}
        for index, row in enumerate(self.rows):
            found = row.conflict
            seen = (found.mine, found.theirs)
            choice = self._combo(index).currentText()
            if choice == KEEP_MINE:
                chosen[found.ident] = Resolution(Side.MINE, seen=seen)
            elif choice == KEEP_THEIRS:
                chosen[found.ident] = Resolution(Side.THEIRS, seen=seen)
            elif choice == TYPE_VALUE:
                chosen[found.ident] = Resolution(None, self._typed(index), seen=seen)
        return chosen
