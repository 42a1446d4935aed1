"""A table model over ids, whose rows are read when they come into view.

The events list of a five-year plan has 100,000 rows; held as table rows
they took 140 MB and seconds to read. This model holds the ids in the order
shown (8 bytes each) and the rows of the last ``KEEP_PAGES`` pages painted.
A row not read yet paints empty and is asked for (``rows_wanted``); its
page reads it on a worker and hands it back with ``put_rows``. Sorting is
the page's query too: ``sort`` only records the order asked for
(``order_changed``).
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import QModelIndex, Qt, Signal

from scheduler.services.tables import Row
from scheduler.ui.tables.row_model import UUID_ROLE, AnyIndex, HeadedTableModel

# Rows read at a time, and pages of them kept (some 6,000 rows, a few MB).
PAGE = 200
KEEP_PAGES = 30


class IdListModel(HeadedTableModel):
    """``ids`` in the order shown; ``row_at(n)`` is the row, once read."""

    rows_wanted = Signal()
    order_changed = Signal()

    def __init__(
        self,
        headers: Sequence[str],
        parent: object | None = None,
        numeric_columns: frozenset[int] = frozenset(),
        sort_column: int = 0,
    ) -> None:
        super().__init__(headers, parent, numeric_columns)
        self.ids: array[int] = array("q")
        self.sort_column = sort_column
        self.descending = False
        self._pages: OrderedDict[int, list[Row | None]] = OrderedDict()
        self._wanted: set[int] = set()  # asked for, not yet taken to be read
        self._asked: set[int] = set()  # asked for or being read

    # --- Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            UUID_ROLE,
        ):
            return None
        row = self.row_at(index.row(), want=True)
        if row is None:
            return None
        return row.uuid if role == UUID_ROLE else row.cells[index.column()]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self.sort_column, self.descending):
            return
        self.sort_column, self.descending = column, descending
        self.order_changed.emit()

    # --- content
    def set_list(self, ids: Iterable[int], pages: Mapping[int, list[Row | None]]) -> None:
        """A new list, with the rows of some of its pages already read."""
        self.beginResetModel()
        self.ids = array("q", ids)
        self._pages = OrderedDict(pages)
        self._asked.clear()
        self._wanted.clear()
        self.endResetModel()

    def row_at(self, row: int, *, want: bool = False) -> Row | None:
        """The row shown at ``row`` if read (``want``: ask for it if not)."""
        number, offset = divmod(row, PAGE)
        page = self._pages.get(number)
        if page is None:
            if want and number not in self._asked:
                self._asked.add(number)
                self._wanted.add(number)
                self.rows_wanted.emit()
            return None
        return page[offset] if offset < len(page) else None

    def take_wanted(self) -> list[int]:
        """Pages asked for since the last call (they count as being read)."""
        wanted = sorted(self._wanted)
        self._wanted.clear()
        return wanted

    def forget(self, numbers: Iterable[int]) -> None:
        """Pages that will not be read now: asked for again when next painted."""
        self._asked.difference_update(numbers)

    def ids_of_page(self, number: int) -> list[int]:
        return self.ids[number * PAGE : (number + 1) * PAGE].tolist()

    def put_rows(self, number: int, rows: list[Row | None]) -> None:
        """The rows of page ``number``, read; the oldest pages beyond ``KEEP_PAGES`` go."""
        self._asked.discard(number)
        self._pages[number] = rows
        self._pages.move_to_end(number)
        while len(self._pages) > KEEP_PAGES:
            self._pages.popitem(last=False)
        first = number * PAGE
        last = min(first + PAGE, len(self.ids)) - 1
        if last >= first:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.headers) - 1))

    def pages_between(self, first: int, last: int) -> list[int]:
        """The page numbers of rows ``first`` to ``last``."""
        return list(range(max(first, 0) // PAGE, max(last, 0) // PAGE + 1))

    def loaded_rows(self) -> Iterable[tuple[int, Row]]:
        """(position, row) of every row read and kept."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row is not None:
                    yield number * PAGE + offset, row
