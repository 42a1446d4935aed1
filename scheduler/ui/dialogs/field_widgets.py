"""One editing widget per field kind, with a uniform get/set of plain values."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from scheduler.planning.weekdays import DAY_NAMES, SHORT_NAMES
from scheduler.services.entity_specs import FieldKind, FieldSpec
from scheduler.services.tables import value_text

Choices = list[tuple[str, str]]  # (value, label)


class WeekdayBoxes(QWidget):
    """Seven ticks, Monday first: a working week chosen by clicking, not typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.boxes: list[QCheckBox] = []
        for number, short in enumerate(SHORT_NAMES):
            box = QCheckBox(short, self)
            box.setObjectName(f"weekday_{number}")
            box.setToolTip(DAY_NAMES[number])
            row.addWidget(box)
            self.boxes.append(box)
        row.addStretch(1)

    def days(self) -> list[int]:
        return [n for n, box in enumerate(self.boxes) if box.isChecked()]

    def set_days(self, days: object) -> None:
        chosen = set(days) if isinstance(days, list | tuple | set | frozenset) else set()
        for number, box in enumerate(self.boxes):
            box.setChecked(number in chosen)


class FieldEditor:
    """Wraps the widget of one field; values are the services' plain values."""

    def __init__(self, spec: FieldSpec, choices: Choices, parent: QWidget | None = None) -> None:
        self.spec = spec
        self.widget = self._make(spec, choices, parent)
        self.widget.setObjectName(f"field_{spec.name}")
        if spec.help:
            self.widget.setToolTip(spec.help)

    @staticmethod
    def _make(spec: FieldSpec, choices: Choices, parent: QWidget | None) -> QWidget:
        kind = spec.kind
        if kind is FieldKind.MULTILINE:
            edit = QPlainTextEdit(parent)
            edit.setTabChangesFocus(True)
            edit.setMaximumHeight(80)
            return edit
        if kind is FieldKind.BOOL:
            return QCheckBox(parent)
        if kind is FieldKind.WEEKDAYS:
            return WeekdayBoxes(parent)
        if kind in (FieldKind.CHOICE, FieldKind.REF):
            combo = QComboBox(parent)
            if not spec.required:
                combo.addItem("—", None)
            items = spec.choices if kind is FieldKind.CHOICE else choices
            for value, label in items:
                combo.addItem(label, value)
            if kind is FieldKind.REF:
                combo.setEditable(True)  # type to find among hundreds
                combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            return combo
        if kind is FieldKind.MANY:
            listing = QListWidget(parent)
            for value, label in choices:
                item = QListWidgetItem(label, listing)
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
            listing.setMaximumHeight(110)
            return listing
        line = QLineEdit(parent)
        placeholders = {
            FieldKind.DATE: "YYYY-MM-DD",
            FieldKind.DATETIME: "YYYY-MM-DD HH:MM",
            FieldKind.LIST: "separate with ;",
        }
        line.setPlaceholderText(placeholders.get(kind, ""))
        return line

    def set_value(self, value: Any) -> None:
        widget, kind = self.widget, self.spec.kind
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, WeekdayBoxes):
            widget.set_days(value)
        elif isinstance(widget, QComboBox):
            position = widget.findData(value)
            widget.setCurrentIndex(max(position, 0))
        elif isinstance(widget, QListWidget):
            wanted = set(value or ())
            for row in range(widget.count()):
                item = widget.item(row)
                checked = item.data(Qt.ItemDataRole.UserRole) in wanted
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        elif isinstance(widget, QLineEdit):
            widget.setText(format_text(kind, value))

    def value(self) -> Any:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, WeekdayBoxes):
            return widget.days()
        if isinstance(widget, QComboBox):
            position = widget.findText(widget.currentText(), Qt.MatchFlag.MatchExactly)
            if position < 0:  # typed text that names nothing
                return widget.currentText() or None
            return widget.itemData(position)
        if isinstance(widget, QListWidget):
            return [
                widget.item(row).data(Qt.ItemDataRole.UserRole)
                for row in range(widget.count())
                if widget.item(row).checkState() == Qt.CheckState.Checked
            ]
        assert isinstance(widget, QLineEdit)
        return widget.text()


def format_text(kind: FieldKind, value: Any) -> str:
    """What a line edit shows for a value (the same text the tables show)."""
    return value_text(value)
