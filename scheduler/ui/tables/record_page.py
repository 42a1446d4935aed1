"""A page listing one kind of record: search, filters, table, add/edit/delete.

Rows come from ``scheduler.services.tables`` as plain values; the page
reloads them when the document reports a change to its kind (or to a kind
its columns show, e.g. a nation's code in the units table).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
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
from scheduler.services.tables import Row, record_rows
from scheduler.ui.dialogs.field_widgets import Choices
from scheduler.ui.dialogs.record_editor import RecordEditor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.lazy_page import LazyPage
from scheduler.ui.messages import show_error
from scheduler.ui.tables.row_model import RowTableModel

if TYPE_CHECKING:
    from scheduler.reports.listing import Listing

ANY = "All"


def editor_choices(session: Session, spec: EntitySpec) -> dict[str, Choices]:
    """Picker contents for every reference field of a record and its children."""
    choices: dict[str, Choices] = {}
    fields = list(spec.fields) + [f for child in spec.children for f in child.fields]
    for field in fields:
        if field.kind in (FieldKind.REF, FieldKind.MANY) and field.ref:
            choices[field.name] = records.reference_choices(session, field.ref)
    return choices


# Rows from which a hidden list lets go of what it loaded (see LazyPage).
LONG_LIST = 5_000


class RecordPage(LazyPage):
    """Lists records of one EntitySpec. Emits ``status(str)`` for the status bar.

    Reads its rows when first shown, and again after a change to a kind it
    shows (``watched_kinds``): at once when visible, else when next shown.
    """

    status = Signal(str)
    rows_loaded = Signal()
    # Pages whose rows may number 100,000 load them off the GUI thread.
    load_in_background = False

    def __init__(
        self,
        document: PlanDocument,
        spec: EntitySpec,
        headers: tuple[str, ...] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.spec = spec
        self.setObjectName(f"page_{spec.key}")
        self.watched = self.watched_kinds()
        self._fitted = False
        self.model = RowTableModel(
            headers or tuple(f.label for f in spec.table_fields),
            self,
            numeric_columns=self.numeric_columns(),
        )

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(f"Search {spec.title.lower()}…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
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
        self.table.doubleClicked.connect(self._double_clicked)
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

    def row_loader(self) -> Callable[[Session], list[Row]]:
        """What reads the rows; built on the GUI thread, may run on another."""
        spec = self.spec
        return lambda session: record_rows(session, spec)

    def facet_choices(self, session: Session) -> dict[str, list[str]] | None:
        """Filter values from the plan's small tables, or None to collect them from rows."""
        return None

    def watched_kinds(self) -> tuple[str, ...]:
        refs = {f.ref for f in self.spec.fields if f.ref}
        return (self.spec.key, *sorted(r for r in refs if r))

    # --- loading
    def reload(self) -> None:
        selected = self.selected_uuids()
        loader = self.row_loader()
        generation = self.start_load()
        self.mark_fresh()  # a reload is under way; changes meanwhile start another

        def load(session: Session) -> tuple[list[Row], dict[str, list[str]] | None]:
            return loader(session), self.facet_choices(session)

        def done(result: tuple[list[Row], dict[str, list[str]] | None]) -> None:
            if not self.is_current(generation):
                return  # a newer reload was started meanwhile
            self._show_rows(result[0], result[1], selected)

        if self.load_in_background:
            self.count_label.setText("Loading…")
            self.document.read_async(load, done, failed=self._load_failed, owner=self)
        else:
            done(self.document.read(load))

    def drop_loaded(self) -> bool:
        """A long list (the events of a big plan) lets go of its rows while
        hidden; a short one keeps them, it costs nothing to hold."""
        if len(self.model.rows) < LONG_LIST:
            return False
        self.model.set_rows([])
        return True

    def _load_failed(self, error: BaseException) -> None:
        self.count_label.setText("")
        if isinstance(error, UserError):
            self.status.emit(str(error))
        else:
            raise error

    def _show_rows(
        self, rows: list[Row], choices: dict[str, list[str]] | None, selected: list[str]
    ) -> None:
        self.model.set_rows(rows)
        self._refresh_filter_values(choices)
        self.apply_filter()
        self.select_uuids(selected)
        # Fitted once, to the first rows there are: an empty new plan's
        # columns would keep their empty widths ("MK-2…") once filled.
        if not self._fitted and rows:
            self.fit_columns()
            self._fitted = True
        self.rows_loaded.emit()

    def fit_columns(self) -> None:
        """Columns as wide as their contents, but none wider than a third of the view."""
        self.table.resizeColumnsToContents()
        limit = max(self.table.viewport().width() // 3, 240)
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            if header.sectionSize(column) > limit:
                header.resizeSection(column, limit)

    def _refresh_filter_values(self, choices: dict[str, list[str]] | None) -> None:
        for name, combo in self.filters.items():
            current = combo.currentText()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY)
            combo.addItems(choices[name] if choices else self.model.facet_values(name))
            combo.setCurrentIndex(max(combo.findText(current), 0))
            combo.blockSignals(False)

    def current_facets(self) -> dict[str, str]:
        return {
            name: combo.currentText()
            for name, combo in self.filters.items()
            if combo.currentText() != ANY
        }

    def apply_filter(self) -> None:
        self.model.set_filter(self.search.text(), self.current_facets())
        self._update_count()

    def filter_words(self) -> list[str]:
        """The search and filters in force, in words for a printout's heading."""
        words = [f"search “{text}”"] if (text := self.search.text().strip()) else []
        words += [f"{name}: {value}" for name, value in self.current_facets().items()]
        return words

    def list_view(self) -> QAbstractItemView:
        """The view that shows this page's rows (a tree on the Units page)."""
        return self.table

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": these rows, columns and order."""
        from scheduler.ui.printable import listing_of_view

        words = self.filter_words()
        scope = f"filtered from {len(self.model.rows):,} — {', '.join(words)}" if words else ""
        return listing_of_view(
            self.list_view(), self.spec.title, scope=scope, noun=self.spec.singular
        )

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), len(self.model.rows)
        self.count_label.setText(f"{shown:,} of {total:,}" if shown != total else f"{total:,}")

    # --- selection
    def selected_uuids(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.uuid_at(r) for r in rows if r < self.model.rowCount()]

    def selected_versions(self) -> dict[str, int]:
        """uuid -> the version each selected row shows (what an edit of them expects)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        found: dict[str, int] = {}
        for row in rows:
            if row < self.model.rowCount():
                version = self.model.version_at(row)
                if version is not None:
                    found[self.model.uuid_at(row)] = version
        return found

    def select_uuids(self, uuids: list[str]) -> None:
        """Select these records' rows (all of them: a reload keeps a multiple selection)."""
        model = self.model
        wanted = set(uuids)
        selection = QItemSelection()
        current = None
        if wanted:
            last_column = model.columnCount() - 1
            for position, index in enumerate(model.visible):
                if model.rows[index].uuid in wanted:
                    current = model.index(position, 0)
                    selection.select(current, model.index(position, last_column))
        flags = QItemSelectionModel.SelectionFlag
        chosen = self.table.selectionModel()
        chosen.select(selection, flags.ClearAndSelect | flags.Rows)
        if current is not None:
            chosen.setCurrentIndex(current, flags.NoUpdate)

    def _double_clicked(self, index: QModelIndex) -> None:
        self.edit_uuid(self.model.uuid_at(index.row()))

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
