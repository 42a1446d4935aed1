"""A streamed table sheet: heading row, typed columns, filter, print setup.

Every tabular sheet of every workbook is one of these, so all of them get
the same safe text cells, true date cells, frozen heading, filter buttons
and marked, numbered pages.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.cell import WriteOnlyCell
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
    StyledCell,
    clean_text,
    is_risky,
    streaming_sheet,
    text_value,
)
from scheduler.exchange.page_setup import PageFlow, apply_page_setup

TEXT, WRAP, DATE, DATETIME, NUMBER = "text", "wrap", "date", "datetime", "number"
LINE_HEIGHT = 14.5  # points per line of 11-point Calibri
ROW_HEIGHT = 15.0  # a one-line row, as Excel and LibreOffice make it
MAX_ROW_LINES = 26  # 377 pt: within a page under its heading even at 100 % (page_setup)


def row_height(lines: int) -> float:
    return ROW_HEIGHT if lines <= 1 else lines * LINE_HEIGHT


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a wrapped column ``width`` units wide.

    Wrapped at spaces as a spreadsheet does, with the characters a line of
    11-point DejaVu Sans holds (LibreOffice's Calibri; Calibri holds more),
    erring tall: a row given this many lines shows all of its text.
    """
    per_line = max(int(width * 1.05) - 1, 1)
    total = 0
    for part in text.split("\n"):
        if len(part) <= per_line:
            total += 1
            continue
        lines, used = 1, -1
        for word in part.split(" "):
            size = len(word)
            if used + 1 + size <= per_line:
                used += 1 + size
                continue
            if used >= 0:
                lines += 1
            # A word longer than a line is broken across lines.
            lines += (size - 1) // per_line
            used = (size - 1) % per_line + 1
        total += lines
    return total


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
        for index, column in enumerate(self.columns, start=1):
            self.ws.column_dimensions[get_column_letter(index)].width = column.width
        apply_page_setup(
            self.ws,
            marking=page.marking,
            title=page.title,
            width=sum(column.width for column in self.columns),
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
        # Bold headings are about a tenth wider than plain text.
        heading_lines = max(wrapped_lines(c.title, c.width * 0.9) for c in self.columns)
        heading_height = row_height(heading_lines)
        self._pages = PageFlow(self.ws, title_height=heading_height)
        self._pages.append(
            [heading.cell(column.title) for column in self.columns], heading_height, title=True
        )
        self._kinds = [column.kind for column in self.columns]
        self._widths = [column.width for column in self.columns]
        # Reusable cells, one per column for each way a value is written: a
        # row is written out as it is appended, so the next row refills them.
        self._text_cells = [WriteOnlyCell(self.ws) for _ in self.columns]
        for cell in self._text_cells:
            cell.data_type = "s"
        self._wrap_cells = [StyledCell(self._wrap, None, "s") for _ in self.columns]
        self._date_cells = [
            StyledCell(self._date if kind == DATE else self._datetime, None, "d")
            for kind in self._kinds
        ]

    def style(self, **kwargs: Any) -> CellStyle:
        return CellStyle(self.ws, **kwargs)

    def append(self, values: Sequence[Any], *, min_lines: int = 1) -> None:
        """One row; a value may also be a ready cell from ``style(...).cell``
        (one that wraps onto ``min_lines`` lines says so: its height is not
        worked out from its text)."""
        if len(values) != len(self.columns):
            raise ValueError(f"{len(values)} values for {len(self.columns)} columns")
        lines = min_lines
        row: list[Any] = []
        kinds, widths = self._kinds, self._widths
        for index, value in enumerate(values):
            if value is None or isinstance(value, Cell):
                row.append(value)
                continue
            kind = kinds[index]
            if kind in (DATETIME, DATE):
                if isinstance(value, date):  # a datetime is a date too
                    cell = self._date_cells[index]
                    cell._value = value
                    row.append(cell)
                else:
                    row.append((self._datetime if kind == DATETIME else self._date).cell(value))
            elif isinstance(value, str):
                # Only text that needs more than one line pays for a style.
                wraps = kind == WRAP and ("\n" in value or len(value) > widths[index])
                if wraps:
                    lines = max(lines, wrapped_lines(value, widths[index]))
                text = clean_text(value)
                if is_risky(text):
                    row.append(self._wrap.cell(text) if wraps else text_value(self.ws, text))
                else:
                    cell = (self._wrap_cells if wraps else self._text_cells)[index]
                    cell._value = text
                    row.append(cell)
            else:
                row.append(text_value(self.ws, value))
        self._append(row, lines)

    @property
    def rows(self) -> int:
        """Rows appended under the heading."""
        return self._pages.rows - 1

    def _append(self, row: list[Any], lines: int) -> None:
        # At most what a printed page holds under its heading (a row cannot
        # be split across pages); a longer text is cut only beyond that.
        self._pages.append(row, row_height(min(lines, MAX_ROW_LINES)))

    def close(self) -> None:
        last_col = get_column_letter(len(self.columns))
        if self.rows == 0:
            self._append([text_value(self.ws, "Nothing to show for this selection.")], 1)
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
