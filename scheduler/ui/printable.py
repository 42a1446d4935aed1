"""The list in view, read as texts for File ▸ Print… ("This list as shown").

A page that shows a list offers ``printable_listing() -> Listing``; these
helpers read a view's model in the order and with the columns the planner
sees (hidden columns left out, moved columns where they were moved). The
row model's own cells are read directly: going through ``model.data`` for
100,000 events would cost seconds on the GUI thread. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QTreeView, QWidget

from scheduler.reports.listing import Listing
from scheduler.ui.tables.row_model import RowTableModel

INDENT = "    "


def page_listing(page: QWidget | None) -> Listing | None:
    """The list ``page`` shows, when it shows one."""
    maker = getattr(page, "printable_listing", None)
    return maker() if callable(maker) else None


def shown_columns(header: QHeaderView) -> list[int]:
    """Logical columns in the order they appear on screen, hidden ones left out."""
    columns = (header.logicalIndex(visual) for visual in range(header.count()))
    return [column for column in columns if not header.isSectionHidden(column)]


def view_header(view: QAbstractItemView) -> QHeaderView:
    if isinstance(view, QTreeView):
        return view.header()
    assert isinstance(view, QTableView)
    return view.horizontalHeader()


def listing_of_view(
    view: QAbstractItemView, title: str, *, scope: str = "", noun: str = "row"
) -> Listing:
    """What ``view`` shows, top to bottom; a tree's levels indented in its first column."""
    columns = shown_columns(view_header(view))
    return listing_of_model(view.model(), columns, title, scope=scope, noun=noun, view=view)


def listing_of_model(
    model: QAbstractItemModel,
    columns: Sequence[int],
    title: str,
    *,
    scope: str = "",
    noun: str = "row",
    view: QAbstractItemView | None = None,
) -> Listing:
    """The rows of ``model`` (all of them, a tree's children under their
    parents); a tree row spanning all columns in ``view`` prints as a
    section heading."""
    headings = tuple(
        str(model.headerData(column, Qt.Orientation.Horizontal) or "") for column in columns
    )
    numeric: tuple[bool, ...] | None = None
    sections: set[int] = set()
    if isinstance(model, RowTableModel):
        cells = model.rows
        rows = [tuple(cells[i].cells[c] for c in columns) for i in model.visible]
        numeric = tuple(c in model.numeric_columns for c in columns)
    else:
        rows = []
        tree = view if isinstance(view, QTreeView) else None
        _walk(model, tree, QModelIndex(), columns, 0, rows, sections)
    return Listing(title, headings, tuple(rows), scope, numeric, noun, frozenset(sections))


def _walk(
    model: QAbstractItemModel,
    tree: QTreeView | None,
    parent: QModelIndex,
    columns: Sequence[int],
    depth: int,
    rows: list[tuple[str, ...]],
    sections: set[int],
) -> None:
    for row in range(model.rowCount(parent)):
        first = model.index(row, 0, parent)
        if tree is not None and tree.isFirstColumnSpanned(row, parent):
            sections.add(len(rows))
            rows.append((str(model.data(first) or ""),) + ("",) * (len(columns) - 1))
            child_depth = depth
        else:
            texts = []
            for position, column in enumerate(columns):
                value = model.data(model.index(row, column, parent))
                text = "" if value is None else str(value)
                if position == 0 and depth:
                    text = INDENT * depth + text
                texts.append(text)
            rows.append(tuple(texts))
            child_depth = depth + 1
        if model.rowCount(first):
            _walk(model, tree, first, columns, child_depth, rows, sections)
