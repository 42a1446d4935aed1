"""The import template the program writes itself, empty or filled from a plan.

Filled from a plan (``services.template_rows``) it is also the way to hand
a colleague's cell a copy of the plan (internal notes included: it is an
internal file, marked as such), and importing it into a new plan gives the
same plan. Every column is typed as the importer reads it: dates as date
cells, times as date-and-time cells, choices with a drop-down list.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.exchange.cells import NOTE_FONT, TITLE_FONT, CellStyle, font, streaming_sheet
from scheduler.exchange.import_schema import (
    BOOL,
    CHOICE,
    CODES,
    DATE,
    DATES,
    DATETIME,
    GENERAL_INSTRUCTIONS,
    HELD,
    INSTRUCTIONS_SHEET,
    INT,
    LANGUAGE,
    LANGUAGES,
    LIST,
    NUMBER,
    SEATS,
    SHEETS,
    STAFF,
    UID,
    SheetSpec,
)
from scheduler.exchange.output import PendingFile
from scheduler.exchange.page_setup import PageFlow, apply_page_setup
from scheduler.exchange.sheets import DATE as COLUMN_DATE
from scheduler.exchange.sheets import DATETIME as COLUMN_DATETIME
from scheduler.exchange.sheets import NUMBER as COLUMN_NUMBER
from scheduler.exchange.sheets import TEXT as COLUMN_TEXT
from scheduler.exchange.sheets import (
    Column,
    PageInfo,
    TableSheet,
    row_height,
    wrapped_lines,
)
from scheduler.exchange.workbook_common import save_workbook, streamed_workbook
from scheduler.progress import Progress, ProgressCallback

_KINDS = {INT: COLUMN_NUMBER, NUMBER: COLUMN_NUMBER, DATE: COLUMN_DATE, DATETIME: COLUMN_DATETIME}
_KIND_WORDS = {
    INT: "whole number",
    NUMBER: "number",
    DATE: "date",
    DATETIME: "date and time",
    BOOL: "yes or no",
    CHOICE: "one of a list",
    LANGUAGE: "language",
    LANGUAGES: "languages, ‘;’ between",
    LIST: "texts, ‘;’ between",
    CODES: "codes, ‘;’ between",
    SEATS: "units and seats",
    STAFF: "people",
    HELD: "qualifications",
    DATES: "dates, ‘;’ between",
    UID: "UID",
}
_LAST_ROW = 200_000  # drop-down lists reach as far as an import may


def _columns(spec: SheetSpec) -> list[Column]:
    return [Column(f.header, f.width, _KINDS.get(f.kind, COLUMN_TEXT)) for f in spec.fields]


def write_import_template(
    target: Path,
    *,
    marking: str,
    rows: Mapping[str, Iterable[list[Any]]] | None = None,
    plan_name: str = "",
    progress: ProgressCallback | None = None,
    total: int = 0,
) -> dict[str, int]:
    """Write the template to ``target``; with ``rows`` (sheet -> values) filled.

    ``progress`` hears about every few hundred of the ``total`` rows and may
    stop the work (no file is left). Returns the rows written per sheet.
    """
    ticker = Progress(progress, total)
    title = f"Import template — {plan_name}" if plan_name else "Import template"
    page = PageInfo(marking, title, "Training Scheduler import template")
    counts: dict[str, int] = {}
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        _write_instructions(workbook, page)
        for spec in SHEETS:
            sheet = TableSheet(workbook, spec.name, _columns(spec), page, table_name=None)
            for index, spec_field in enumerate(spec.fields, start=1):
                choices = (
                    spec_field.choices
                    if spec_field.kind == CHOICE
                    else ("yes", "no")
                    if spec_field.kind == BOOL
                    else ()
                )
                if not choices:
                    continue
                shown = ",".join(c.replace("_", " ") for c in choices)
                letter = get_column_letter(index)
                validation = DataValidation(type="list", formula1=f'"{shown}"', allow_blank=True)
                validation.error = f"Choose one of: {shown.replace(',', ', ')}"
                validation.add(f"{letter}2:{letter}{_LAST_ROW}")
                sheet.ws.data_validations.append(validation)
            for values in (rows or {}).get(spec.name, ()):
                sheet.append(values)
                ticker.advance()
            counts[spec.name] = sheet.rows
            if sheet.rows:
                sheet.close()
            else:
                sheet.ws.auto_filter.ref = f"A1:{get_column_letter(len(spec.fields))}1"
        save_workbook(workbook, pending)
        pending.publish()
    ticker.finish()
    return counts


TITLE_HEIGHT = 20.0  # a row of the 14-point title
_TEXT_WIDTH = 100  # characters of a note line: columns B to D, so nothing spills off the page


def _write_instructions(workbook: Any, page: PageInfo) -> None:
    """The first sheet: general rules, then per sheet its columns and what each holds.

    Notes are cut into lines that fit columns B to D, and "Holds" wraps in
    its column, so the printed page is as wide as the columns, at a size
    that reads.
    """
    ws = streaming_sheet(workbook, INSTRUCTIONS_SHEET)
    widths = (("A", 18), ("B", 24), ("C", 9), ("D", 72))
    for letter, width in widths:
        ws.column_dimensions[letter].width = width
    apply_page_setup(
        ws,
        marking=page.marking,
        title=page.title,
        width=sum(width for _, width in widths),
        footer_note=page.footer_note,
        header_rows=None,
    )
    heading = CellStyle(ws, font=TITLE_FONT)
    bold = CellStyle(ws, font=font(bold=True))
    note = CellStyle(ws, font=NOTE_FONT)
    wrap = CellStyle(ws, alignment=Alignment(wrap_text=True, vertical="top"))
    rows = _RowWriter(ws)
    rows.append([heading.cell("How to fill in this template")], height=TITLE_HEIGHT)
    for line in GENERAL_INSTRUCTIONS:
        for index, part in enumerate(textwrap.wrap(line, _TEXT_WIDTH)):
            rows.append([note.cell("•" if index == 0 else ""), note.cell(part)])
    for spec in SHEETS:
        rows.append([])
        for index, part in enumerate(textwrap.wrap(spec.instructions, _TEXT_WIDTH)):
            rows.append([bold.cell(spec.name if index == 0 else ""), note.cell(part)])
        rows.append([bold.cell(""), bold.cell("Column"), bold.cell("Required"), bold.cell("Holds")])
        for field in spec.fields:
            kind = _KIND_WORDS.get(field.kind, "text")
            holds = f"{kind}; {field.help}" if field.help else kind
            rows.append(
                ["", field.header, "yes" if field.required else "", wrap.cell(holds)],
                lines=wrapped_lines(holds, 72),
            )


class _RowWriter:
    """Appends the instructions' rows (``PageFlow``), giving a row the height
    its wrapped text needs."""

    def __init__(self, ws: Any) -> None:
        self.pages = PageFlow(ws)

    def append(self, values: list[Any], lines: int = 1, *, height: float = 0) -> None:
        self.pages.append(values, height or row_height(lines))
