"""Units as their hierarchy: battalion → company → platoon; directorate → centre."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTreeView

from scheduler.services.entity_specs import spec_for
from scheduler.services.tables import Row
from scheduler.ui.document import PlanDocument
from scheduler.ui.tables.record_page import RecordPage
from scheduler.ui.tables.row_model import UUID_ROLE


class UnitsPage(RecordPage):
    """The generic page with its table swapped for a tree of the same rows.

    The flat model still holds the rows and does search and filters; the
    tree shows the matching units with the chain of parents above them.
    """

    def __init__(self, document: PlanDocument) -> None:
        super().__init__(document, spec_for("unit"))
        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("tree")
        self.tree.setModel(self.tree_model)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSortingEnabled(True)
        self.tree.doubleClicked.connect(self._tree_double_clicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in self.table.actions():
            self.tree.addAction(action)
        layout = self.layout()
        assert layout is not None
        layout.replaceWidget(self.table, self.tree)
        self.table.hide()
        self.model.modelReset.connect(self._rebuild_tree)
        self.model.layoutChanged.connect(self._rebuild_tree)

    def list_view(self) -> QAbstractItemView:
        return self.tree

    def _rebuild_tree(self) -> None:
        rows = self.model.rows
        by_uuid = {row.uuid: row for row in rows}
        shown = {rows[i].uuid for i in self.model.visible}
        keep = set(shown)
        for uuid in shown:  # parents of matches stay, so the match keeps its place
            parent = by_uuid[uuid].parent_uuid
            while parent and parent not in keep and parent in by_uuid:
                keep.add(parent)
                parent = by_uuid[parent].parent_uuid
        self.tree_model.clear()
        self.tree_model.setHorizontalHeaderLabels(list(self.model.headers))
        items: dict[str, QStandardItem] = {}

        def item_for(row: Row) -> QStandardItem:
            if row.uuid in items:
                return items[row.uuid]
            cells = [QStandardItem(text) for text in row.cells]
            for cell in cells:
                cell.setData(row.uuid, UUID_ROLE)
                cell.setEnabled(row.uuid in shown)
            parent_row = by_uuid.get(row.parent_uuid or "")
            if parent_row is not None and parent_row.uuid in keep:
                item_for(parent_row).appendRow(cells)
            else:
                self.tree_model.appendRow(cells)
            items[row.uuid] = cells[0]
            return cells[0]

        for row in sorted((by_uuid[u] for u in keep), key=lambda r: r.cells[0].casefold()):
            item_for(row)
        self.tree.expandAll()
        for column in range(len(self.model.headers)):
            self.tree.resizeColumnToContents(column)

    def selected_uuids(self) -> list[str]:
        uuids = []
        for index in self.tree.selectionModel().selectedRows():
            uuid = index.data(UUID_ROLE)
            if uuid and uuid not in uuids:
                uuids.append(uuid)
        return uuids

    def select_uuids(self, uuids: list[str]) -> None:
        self.tree.clearSelection()

    def _tree_double_clicked(self, index: QModelIndex) -> None:
        uuid = index.data(UUID_ROLE)
        if uuid:
            self.edit_uuid(uuid)
