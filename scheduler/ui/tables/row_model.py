"""A table model over plain rows, with its own fast search, filters and sort.

QSortFilterProxyModel calls back into Python for every row and column; on
100,000 events that is seconds. This model filters a list of indices with a
precomputed casefolded haystack per row and sorts by precomputed keys, so a
search over 100k rows costs tens of milliseconds.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from scheduler.services.tables import Row

UUID_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex


class HeadedTableModel(QAbstractTableModel):
    """A table of named columns, some of them numbers (right-aligned, sorted
    as numbers): what the row model and the id list model share."""

    def __init__(
        self,
        headers: Sequence[str],
        parent: object | None = None,
        numeric_columns: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.headers = tuple(headers)
        self.numeric_columns = numeric_columns

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class RowTableModel(HeadedTableModel):
    """Rows in, cells out; ``uuid_at(row)`` names the record behind a row."""

    def __init__(
        self,
        headers: Sequence[str],
        parent: object | None = None,
        numeric_columns: frozenset[int] = frozenset(),
    ) -> None:
        super().__init__(headers, parent, numeric_columns)
        self.rows: list[Row] = []
        self.visible: list[int] = []
        self._search: list[str] = []
        self._facets: dict[str, str] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # --- Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.visible)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row = self.rows[self.visible[index.row()]]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row.cells[index.column()]
        if role == UUID_ROLE:
            return row.uuid
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    # --- content
    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self._refilter()
        self.endResetModel()

    def set_filter(self, search: str, facets: dict[str, str]) -> None:
        """Show rows containing every word of ``search`` and matching every facet."""
        self.beginResetModel()
        self._search = search.casefold().split()
        self._facets = {k: v for k, v in facets.items() if v}
        self._refilter()
        self.endResetModel()

    def uuid_at(self, row: int) -> str:
        return self.rows[self.visible[row]].uuid

    def version_at(self, row: int) -> int | None:
        """The version of the record shown at ``row`` (an edit expects it)."""
        return self.rows[self.visible[row]].version_id

    def row_of(self, uuid: str) -> int | None:
        for position, index in enumerate(self.visible):
            if self.rows[index].uuid == uuid:
                return position
        return None

    def facet_values(self, name: str) -> list[str]:
        values: set[str] = set()
        for row in self.rows:
            values.update(v for v in row.facets.get(name, "").split("|") if v)
        return sorted(values, key=str.casefold)

    def _refilter(self) -> None:
        words, facets = self._search, self._facets
        rows = self.rows
        if not words and not facets:
            self.visible = list(range(len(rows)))
        else:
            self.visible = [
                i
                for i, row in enumerate(rows)
                if all(w in row.haystack for w in words)
                and all(v in row.facets.get(k, "").split("|") for k, v in facets.items())
            ]
        self._apply_sort()

    def _apply_sort(self) -> None:
        if self._sort is None:
            return
        column, order = self._sort
        rows = self.rows
        keys: dict[int, object]
        if column in self.numeric_columns:
            keys = {i: _number(rows[i].cells[column]) for i in self.visible}
        else:
            keys = {i: rows[i].cells[column].casefold() for i in self.visible}
        # Empty cells last in either direction, as a planner expects.
        descending = order == Qt.SortOrder.DescendingOrder
        filled = [i for i in self.visible if rows[i].cells[column] != ""]
        empty = [i for i in self.visible if rows[i].cells[column] == ""]
        filled.sort(key=keys.__getitem__, reverse=descending)  # type: ignore[arg-type]
        self.visible = filled + empty


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("inf")
