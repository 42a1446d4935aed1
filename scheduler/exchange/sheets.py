"""A streamed table sheet: heading row, typed columns, filter, print setup.

Every tabular sheet of every workbook is one of these, so all of them get
the same safe text cells, true date cells, frozen heading, filter buttons
and marked, numbered pages.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

from scheduler.exchange.cells import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    HEADER_FILL,
    HEADER_FONT,
    CellStyle,
    streaming_sheet,
    text_value,
)
from scheduler.exchange.page_setup import apply_page_setup

TEXT, WRAP, DATE, DATETIME, NUMBER = "text", "wrap", "date", "datetime", "number"
LINE_HEIGHT = 14.5  # points per line of 11-point Calibri


def wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapped column ``width`` characters wide."""
    per_line = max(int(width * 1.05) - 1, 1)
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: float
    kind: str = TEXT


@dataclass(frozen=True, slots=True)
class PageInfo:
    """What every printed page carries: the marking, a title, when it was made."""

    marking: str
    title: str
    footer_note: str


class TableSheet:
    """One write-only sheet holding a table; rows are appended as plain values.

    Values are given per column; text is made safe, dates get a date format.
    ``close`` adds an Excel table (or a plain filter when ``table_name`` is
    None) over what was written. Use from one thread.
    """

    def __init__(
        self,
        workbook: Any,
        title: str,
        columns: Sequence[Column],
        page: PageInfo,
        *,
        table_name: str | None = None,
        freeze: str = "A2",
    ) -> None:
        self.ws = streaming_sheet(workbook, title)
        self.columns = list(columns)
        self.table_name = table_name
        self.rows = 0
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        apply_page_setup(
            self.ws,
            marking=page.marking,
            title=page.title,
            footer_note=page.footer_note,
            header_rows="1:1",
            freeze=freeze,
        )
        self._date = CellStyle(self.ws, number_format=DATE_FORMAT)
        self._datetime = CellStyle(self.ws, number_format=DATETIME_FORMAT)
        self._wrap = CellStyle(self.ws, alignment=Alignment(wrap_text=True, vertical="top"))
        heading = CellStyle(
            self.ws,
            font=HEADER_FONT,
            fill=HEADER_FILL,
            alignment=Alignment(vertical="center", wrap_text=True),
        )
        heading_lines = max(wrapped_lines(c.title, c.width) for c in self.columns)
        if heading_lines > 1:
            self.ws.row_dimensions[1].height = heading_lines * LINE_HEIGHT
        self.ws.append([heading.cell(column.title) for column in self.columns])
        self._kinds = [column.kind for column in self.columns]

    def style(self, **kwargs: Any) -> CellStyle:
        return CellStyle(self.ws, **kwargs)

    def append(self, values: Sequence[Any]) -> None:
        """One row; a value may also be a ready cell from ``style(...).cell``."""
        lines = 1
        row: list[Any] = []
        for column, value in zip(self.columns, values, strict=True):
            kind = column.kind
            if value is None or isinstance(value, Cell):
                row.append(value)
            elif kind == DATETIME:
                row.append(self._datetime.cell(value))
            elif kind == DATE:
                row.append(self._date.cell(value))
            elif (
                kind == WRAP
                and isinstance(value, str)
                and ("\n" in value or len(value) > column.width)
            ):
                # Only text that needs more than one line pays for a style.
                row.append(self._wrap.cell(value))
                lines = max(lines, wrapped_lines(value, column.width))
            else:
                row.append(text_value(self.ws, value))
        self._append(row, lines)

    def _append(self, row: list[Any], lines: int) -> None:
        """Append, giving wrapped rows a height: neither Excel nor LibreOffice
        reliably grows a row on opening, and a cut-off remark misleads."""
        index = self.rows + 2
        if lines > 1:
            self.ws.row_dimensions[index].height = min(lines, 12) * LINE_HEIGHT
        self.ws.append(row)
        if lines > 1:
            # Written already: drop it, or 100,000 rows keep 100,000 objects.
            del self.ws.row_dimensions[index]
        self.rows += 1

    def close(self) -> None:
        last_col = get_column_letter(len(self.columns))
        if self.rows == 0:
            self.ws.append([text_value(self.ws, "Nothing to show for this selection.")])
            return
        ref = f"A1:{last_col}{self.rows + 1}"
        if self.table_name is None:
            self.ws.auto_filter.ref = ref
            return
        table = Table(displayName=self.table_name, ref=ref)
        table.tableColumns = [
            TableColumn(id=i, name=column.title) for i, column in enumerate(self.columns, start=1)
        ]
        table.autoFilter = AutoFilter(ref=ref)
        table.tableStyleInfo = TableStyleInfo(
            name="TableStyleLight1", showRowStripes=True, showColumnStripes=False
        )
        with warnings.catch_warnings():
            # openpyxl warns on every write-only table; the columns are set above.
            warnings.simplefilter("ignore", UserWarning)
            self.ws.add_table(table)
