"""An editor for any record, built from its EntitySpec.

Fields on a form, each with its message line underneath; collections
(qualifications with expiry, leave, venue closures, audience, instructors)
as small tables edited in place. Pressing Save asks the services to
validate; problems appear next to their fields and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.services.entity_specs import (
    ChildSpec,
    EntitySpec,
    FieldKind,
    FieldSpec,
    child_place,
)
from scheduler.services.records import Values
from scheduler.ui.dialogs.discard_changes import may_discard
from scheduler.ui.dialogs.field_widgets import Choices, FieldEditor, format_text

# (values) -> {field: message}; empty when the values may be saved.
Validator = Callable[[Values], dict[str, str]]
ERROR_STYLE = (
    "color: palette(bright-text); background: #b3261e; border-radius: 3px; padding: 1px 4px;"
)


class DateCell(QStyledItemDelegate):
    """A date column of a child table edited with a calendar, not typed free.

    The cell keeps its ISO text (what validation reads); a blank cell stays
    blank until a date is picked.
    """

    def createEditor(
        self,
        parent: QWidget,
        _option: QStyleOptionViewItem,
        _index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        editor = _CellDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("yyyy-MM-dd")
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        text = str(index.data() or "")
        day = QDate.fromString(text, "yyyy-MM-dd")
        if isinstance(editor, _CellDateEdit):
            editor.start(day if day.isValid() else None)

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        # Tab walks through the cells opening each one's editor: a blank cell
        # passed over must not come out holding today's date.
        if isinstance(editor, _CellDateEdit) and editor.picked:
            model.setData(index, editor.date().toString("yyyy-MM-dd"))


class _CellDateEdit(QDateEdit):
    """A date editor that knows whether the planner chose its date.

    A blank cell opens on today (where a calendar should open) but counts as
    chosen only once the date is changed, a day is clicked in the calendar,
    or Enter confirms it.
    """

    def start(self, day: QDate | None) -> None:
        self.picked = day is not None
        self.setDate(day if day is not None else QDate.currentDate())
        self.dateChanged.connect(self._pick)
        self.calendarWidget().clicked.connect(self._pick)

    def _pick(self, *_args: object) -> None:
        self.picked = True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.picked = True
        super().keyPressEvent(event)


class ChildTable(QWidget):
    """Rows of a child collection; each cell a line edit or a drop-down."""

    def __init__(self, spec: ChildSpec, choices: dict[str, Choices], parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.choices = choices
        self.uuids: list[str | None] = []
        self.table = QTableWidget(0, len(spec.fields), self)
        self.table.setObjectName(f"child_{spec.name}")
        self.table.setHorizontalHeaderLabels([f.label for f in spec.fields])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(110)
        self.date_cells = DateCell(self.table)
        for column, field in enumerate(spec.fields):
            if field.kind is FieldKind.DATE:
                self.table.setItemDelegateForColumn(column, self.date_cells)
        add = QPushButton("Add", self)
        add.setObjectName(f"add_{spec.name}")
        remove = QPushButton("Remove", self)
        remove.setObjectName(f"remove_{spec.name}")
        add.clicked.connect(lambda: self.add_row({}))
        remove.clicked.connect(self.remove_selected)
        self.message = QLabel(self)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QVBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

    def add_row(self, values: Values) -> None:
        position = self.table.rowCount()
        self.table.insertRow(position)
        self.uuids.append(values.get("uuid"))
        for column, field in enumerate(self.spec.fields):
            value = values.get(field.name) if values else field.default
            if field.kind in (FieldKind.REF, FieldKind.CHOICE):
                combo = QComboBox(self.table)
                items = (
                    field.choices if field.kind is FieldKind.CHOICE else self.choices[field.name]
                )
                if not field.required:
                    combo.addItem("—", None)
                for item_value, label in items:
                    combo.addItem(label, item_value)
                combo.setCurrentIndex(max(combo.findData(value), 0))
                self.table.setCellWidget(position, column, combo)
            else:
                self.table.setItem(
                    position, column, QTableWidgetItem(format_text(field.kind, value))
                )

    def remove_selected(self) -> None:
        for position in sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(position)
            del self.uuids[position]

    def set_rows(self, rows: list[Values]) -> None:
        self.table.setRowCount(0)
        self.uuids = []
        for values in rows:
            self.add_row(values)

    def rows(self) -> list[Values]:
        result = []
        for position in range(self.table.rowCount()):
            values: Values = {"uuid": self.uuids[position]} if self.uuids[position] else {}
            for column, field in enumerate(self.spec.fields):
                widget = self.table.cellWidget(position, column)
                if isinstance(widget, QComboBox):
                    values[field.name] = widget.currentData()
                else:
                    item = self.table.item(position, column)
                    values[field.name] = item.text() if item is not None else ""
            result.append(values)
        return result

    def show_problems(self, problems: dict[str, str]) -> None:
        lines = []
        for key, message in problems.items():
            place = child_place(self.spec, key)
            if place is not None:
                lines.append(f"{place[0].upper()}{place[1:]}: {message}")
        self.message.setText("\n".join(lines))
        self.message.setVisible(bool(lines))


class RecordEditor(QDialog):
    """Edit one record; ``values()`` holds what the planner entered after Save."""

    def __init__(
        self,
        spec: EntitySpec,
        values: Values | None,
        choices: dict[str, Choices],
        validator: Validator,
        parent: QWidget | None = None,
        read_only: bool = False,
    ) -> None:
        super().__init__(parent)
        self.spec = spec
        self.validator = validator
        self.original = values or {}
        # A new record may come with defaults filled in but has no name yet.
        label = self._label().strip() if values is not None else ""
        self.setWindowTitle(f"Edit {spec.singular} — {label}" if label else f"New {spec.singular}")
        self.setObjectName(f"editor_{spec.key}")
        self.editors: dict[str, FieldEditor] = {}
        self.messages: dict[str, QLabel] = {}
        self.children_tables: dict[str, ChildTable] = {}

        body = QWidget(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for field in spec.fields:
            editor = FieldEditor(field, choices.get(field.name, []), body)
            editor.set_value(self.original.get(field.name, _default(field)))
            message = QLabel(body)
            message.setObjectName(f"message_{field.name}")
            message.setStyleSheet(ERROR_STYLE)
            message.setWordWrap(True)
            message.hide()
            holder = QVBoxLayout()
            holder.setSpacing(2)
            holder.addWidget(editor.widget)
            holder.addWidget(message)
            label = f"{field.label}{' *' if field.required else ''}"
            form.addRow(label, holder)
            self.editors[field.name] = editor
            self.messages[field.name] = message
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        for child in spec.children:
            box = QGroupBox(child.label, body)
            table = ChildTable(child, choices, box)
            table.set_rows(self.original.get(child.name, []))
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(table)
            layout.addWidget(box)
            self.children_tables[child.name] = table
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not read_only)
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        outer = QVBoxLayout(self)
        outer.addWidget(scroll, 1)
        outer.addWidget(self.summary)
        outer.addWidget(buttons)
        self.resize(620, 680 if spec.children else 520)
        self._as_opened = self.values()

    def reject(self) -> None:
        """Escape and Cancel: ask first when something was changed."""
        if self.values() != self._as_opened and not may_discard(self):
            return
        super().reject()

    def _label(self) -> str:
        return " ".join(str(self.original.get(n) or "") for n in self.spec.label_fields)

    def values(self) -> Values:
        values: Values = {name: editor.value() for name, editor in self.editors.items()}
        for name, table in self.children_tables.items():
            values[name] = table.rows()
        if self.original.get("uuid"):
            values["uuid"] = self.original["uuid"]
        if self.original.get("version_id") is not None:
            # The version these values were read at: a stale edit is refused.
            values["version_id"] = self.original["version_id"]
        return values

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.messages.items():
            message = problems.get(name)
            label.setText(message or "")
            label.setVisible(message is not None)
        for table in self.children_tables.values():
            table.show_problems(problems)
        known = set(self.messages) | {
            k for k in problems if any(k.startswith(f"{c}[") for c in self.children_tables)
        }
        other = [m for k, m in problems.items() if k not in known]
        self.summary.setText(
            "Please correct the marked fields." + (" " + " ".join(other) if other else "")
        )
        self.summary.setVisible(bool(problems))
        first = next((n for n in self.editors if n in problems), None)
        if first is not None:
            self.editors[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def try_accept(self) -> None:
        problems = self.validator(self.values())
        self.show_problems(problems)
        if not problems:
            self.accept()


def _default(field: FieldSpec) -> Any:
    if field.default is not None:
        return field.default
    if field.kind is FieldKind.CHOICE and field.choices:
        return field.choices[0][0]
    if field.kind is FieldKind.BOOL:
        return True
    return None
