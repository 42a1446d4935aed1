"""What every list of records shares: search, filters, table, add/edit/delete.

``RecordPage`` holds its rows (a kind with hundreds of records);
``EventsPage`` holds ids and reads the rows in view (100,000 events). Both
read again when the document reports a change to their kind (or to a kind
their columns show, e.g. a nation's code in the units table).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QItemSelection,
    QItemSelectionModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.services import edits, records
from scheduler.services.entity_specs import EntitySpec, FieldKind
from scheduler.services.records import ValidationError, Values
from scheduler.ui.dialogs.field_widgets import Choices
from scheduler.ui.dialogs.record_editor import RecordEditor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.lazy_page import LazyPage
from scheduler.ui.messages import show_error

ANY = "All"


def editor_choices(session: Session, spec: EntitySpec) -> dict[str, Choices]:
    """Picker contents for every reference field of a record and its children."""
    choices: dict[str, Choices] = {}
    fields = list(spec.fields) + [f for child in spec.children for f in child.fields]
    for field in fields:
        if field.kind in (FieldKind.REF, FieldKind.MANY) and field.ref:
            choices[field.name] = records.reference_choices(session, field.ref)
    return choices


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted rows as (first, last) runs of consecutive ones."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


class ListPage(LazyPage):
    """Lists records of one EntitySpec. Emits ``status(str)`` for the status bar.

    Reads its rows when first shown, and again after a change to a kind it
    shows (``watched_kinds``): at once when visible, else when next shown.
    Subclasses give the model (``make_model``) and how it is read, filtered
    and selected.
    """

    status = Signal(str)
    rows_loaded = Signal()
    # A list searched by a query waits for a pause in the typing (ms).
    search_delay_ms = 0

    def __init__(
        self,
        document: PlanDocument,
        spec: EntitySpec,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.spec = spec
        self.setObjectName(f"page_{spec.key}")
        self.watched = self.watched_kinds()
        self._fitted = False
        self.model = self.make_model()
        self.loading = False  # a read of the rows is under way

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(f"Search {spec.title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self._search_pause = QTimer(self)
        self._search_pause.setSingleShot(True)
        self._search_pause.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(self._search_changed)
        self.filters: dict[str, QComboBox] = {}
        bar = FlowLayout()
        self.search.setMinimumWidth(160)
        bar.addWidget(self.search)
        for name in self.filter_names():
            combo = QComboBox(self)
            combo.setObjectName(f"filter_{name}")
            combo.setToolTip(f"Show only one {name}")
            combo.addItem(ANY)
            combo.setMaximumWidth(240)
            combo.currentIndexChanged.connect(self.apply_filter)
            bar.addWidget(kept_together(self, QLabel(name.capitalize() + ":", self), combo))
            self.filters[name] = combo
        self.add_filter_widgets(bar)
        self.count_label = QLabel(self)
        bar.addWidget(self.count_label)

        self.table = QTableView(self)
        self.table.setObjectName("table")
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(
            self.default_sort_column(), Qt.SortOrder.AscendingOrder
        )
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        # Size columns from a sample of rows: exact sizing reads all 100k.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.doubleClicked.connect(lambda index: self.edit_uuid(self.uuid_at(index.row())))
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        buttons = QHBoxLayout()
        self.add_button = self._button("New", "add", self.add_record)
        self.edit_button = self._button("Edit…", "edit", self.edit_selected)
        self.delete_button = self._button("Delete", "delete", self.delete_selected)
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        self.add_buttons(buttons)
        buttons.addStretch()

        edit_action = QAction("Edit…", self)
        edit_action.setShortcut(QKeySequence(Qt.Key.Key_F2))
        edit_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        edit_action.triggered.connect(self.edit_selected)
        delete_action = QAction("Delete", self)
        delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        delete_action.triggered.connect(self.delete_selected)
        self.table.addAction(edit_action)
        self.table.addAction(delete_action)
        for action in self.context_actions():
            self.table.addAction(action)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        document.changed.connect(self.on_changed)
        self.set_read_only(document.read_only)

    # --- hooks for subclasses
    def filter_names(self) -> tuple[str, ...]:
        return self.spec.filter_fields

    def default_sort_column(self) -> int:
        return 0

    def add_filter_widgets(self, bar: FlowLayout) -> None:
        pass

    def add_buttons(self, bar: QHBoxLayout) -> None:
        pass

    def context_actions(self) -> list[QAction]:
        return []

    def numeric_columns(self) -> frozenset[int]:
        numeric = (FieldKind.INT, FieldKind.FLOAT)
        return frozenset(i for i, f in enumerate(self.spec.table_fields) if f.kind in numeric)

    def facet_choices(self, session: Session) -> dict[str, list[str]] | None:
        """Filter values from the plan's small tables, or None to collect them from rows."""
        return None

    def watched_kinds(self) -> tuple[str, ...]:
        refs = {f.ref for f in self.spec.fields if f.ref}
        return (self.spec.key, *sorted(r for r in refs if r))

    def make_model(self) -> QAbstractItemModel:
        raise NotImplementedError

    def uuid_at(self, row: int) -> str:
        """The record shown at ``row``."""
        raise NotImplementedError

    def apply_filter(self) -> None:
        """Show what the search and filters now ask for."""
        raise NotImplementedError

    def selected_uuids(self) -> list[str]:
        raise NotImplementedError

    def selected_versions(self) -> dict[str, int]:
        """uuid -> the version each selected row shows (what an edit of them expects)."""
        raise NotImplementedError

    def _search_changed(self) -> None:
        if self.search_delay_ms:
            self._search_pause.start(self.search_delay_ms)
        else:
            self.apply_filter()

    def select_rows(self, rows: list[int]) -> None:
        """Select these rows (whole), the last one current; none: clear the selection."""
        model = self.model
        selection = QItemSelection()
        last_column = model.columnCount() - 1
        for first, last in _runs(sorted(rows)):  # Ctrl+A on 100,000 rows: one range
            selection.select(model.index(first, 0), model.index(last, last_column))
        flags = QItemSelectionModel.SelectionFlag
        chosen = self.table.selectionModel()
        chosen.select(selection, flags.ClearAndSelect | flags.Rows)
        if rows:
            chosen.setCurrentIndex(model.index(rows[-1], 0), flags.NoUpdate)

    def facet_values(self, name: str) -> list[str]:
        """A filter's values when ``facet_choices`` gives none."""
        return []

    def _load_failed(self, error: BaseException) -> None:
        self.loading = False
        self.count_label.setText("")
        if isinstance(error, UserError):
            self.status.emit(str(error))
        else:
            raise error

    def fit_columns(self) -> None:
        """Columns as wide as their contents, but none wider than a third of the view."""
        self.table.resizeColumnsToContents()
        limit = max(self.table.viewport().width() // 3, 240)
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            if header.sectionSize(column) > limit:
                header.resizeSection(column, limit)

    def _read_shown(self, any_rows: bool) -> None:
        """A read's rows are in: columns fitted once, to the first rows there
        are (an empty new plan's columns would keep their empty widths,
        "MK-2…", once filled), and the rows said to be on screen."""
        if not self._fitted and any_rows:
            self.fit_columns()
            self._fitted = True
        self.rows_on_screen()
        self.rows_loaded.emit()

    def _refresh_filter_values(self, choices: dict[str, list[str]] | None) -> None:
        for name, combo in self.filters.items():
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY)
            combo.addItems(choices[name] if choices else self.facet_values(name))
            combo.setCurrentIndex(max(combo.findText(current), 0))
            combo.blockSignals(False)

    def current_facets(self) -> dict[str, str]:
        return {
            name: combo.currentText()
            for name, combo in self.filters.items()
            if combo.currentText() != ANY
        }

    def filter_words(self) -> list[str]:
        """The search and filters in force, in words for a printout's heading."""
        words = [f"search “{text}”"] if (text := self.search.text().strip()) else []
        words += [f"{name}: {value}" for name, value in self.current_facets().items()]
        return words

    def list_view(self) -> QAbstractItemView:
        """The view that shows this page's rows (a tree on the Units page)."""
        return self.table

    # --- editing
    def set_read_only(self, read_only: bool) -> None:
        for button in (self.add_button, self.delete_button):
            button.setEnabled(not read_only)

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(f"button_{name}")
        button.clicked.connect(slot)
        return button

    def validator(self, uuid: str | None) -> Callable[[Values], dict[str, str]]:
        def check(values: Values) -> dict[str, str]:
            try:
                self.document.read(lambda s: records.validate(s, self.spec, values, uuid))
            except ValidationError as exc:
                return exc.problems
            return {}

        return check

    def open_editor(self, values: Values | None, uuid: str | None) -> RecordEditor:
        choices = self.document.read(lambda s: editor_choices(s, self.spec))
        return RecordEditor(
            self.spec,
            values,
            choices,
            self.validator(uuid),
            self,
            read_only=self.document.read_only,
        )

    def add_record(self, initial: Values | None = None) -> None:
        editor = self.open_editor(initial, None)
        if editor.exec() and self.document.push(
            UndoStep(
                f"Add {self.spec.singular}", edits.create_record, self.spec.key, editor.values()
            )
        ):
            self.status.emit(f"Added {self.spec.singular}.")

    def edit_selected(self) -> None:
        uuids = self.selected_uuids()
        if uuids:
            self.edit_uuid(uuids[0])

    def edit_uuid(self, uuid: str) -> None:
        try:
            values = self.document.read(lambda s: records.read_values(s, self.spec, uuid))
        except UserError as exc:
            QMessageBox.warning(self, self.spec.title, str(exc))
            self.reload()
            return
        editor = self.open_editor(values, uuid)
        if editor.exec():
            self.document.push(
                UndoStep(
                    f"Edit {self.spec.singular}",
                    edits.update_record,
                    self.spec.key,
                    uuid,
                    editor.values(),
                    expected_version=values.get("version_id"),
                )
            )

    def delete_selected(self) -> None:
        uuids = self.selected_uuids()
        if not uuids or self.document.read_only:
            return
        spec = self.spec
        refusal = self.document.read(lambda s: records.delete_refusal(s, spec, uuids))
        if refusal:  # said before "Delete?", not after "Yes"
            show_error(self, f"Delete {spec.singular}", refusal)
            return
        what = (
            f"this {self.spec.singular}"
            if len(uuids) == 1
            else f"these {len(uuids)} {self.spec.title.lower()}"
        )
        answer = QMessageBox.question(
            self,
            f"Delete {self.spec.singular}",
            f"Delete {what}? You can undo this with Edit ▸ Undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        text = f"Delete {self.spec.singular}" if len(uuids) == 1 else f"Delete {len(uuids)} records"
        self.document.push(
            UndoStep(
                text,
                edits.delete_records,
                self.spec.key,
                uuids,
                expected=self.selected_versions(),
            )
        )
