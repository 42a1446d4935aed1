"""Cells that are exactly what they say: text stays text, dates are dates.

A name or a remark typed by a planner, or read from a partner's spreadsheet,
may start with ``=``, ``+``, ``-`` or ``@`` (or a tab or line break before
one). Excel and LibreOffice would run such a value as a formula, or a DDE
command, if it were stored as one. Every text value therefore goes through
``text_value``: it is stored with the string data type, and a risky one also
carries Excel's "quote prefix" flag so that editing the cell keeps it text.
The person reading it sees the same characters.

XML 1.0 cannot hold most control characters, and a literal carriage return
inside element text is read back as a line feed by every XML parser, so line
breaks are stored as line feeds (which is also what Excel itself writes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from types import MethodType
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray

# Characters XML 1.0 forbids (C0 controls other than tab/LF/CR, lone
# surrogates, U+FFFE/U+FFFF) are dropped; they carry no meaning for a reader.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_RISKY_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_ERROR_CODES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A"})
MAX_CELL_TEXT = 32_767  # Excel's limit per cell

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
TIMESTAMP_FORMAT = "yyyy-mm-dd hh:mm:ss"


def clean_text(value: object) -> str:
    """``value`` as text a workbook can hold: legal XML, LF line breaks, not too long."""
    text = value if isinstance(value, str) else str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _XML_ILLEGAL.sub("", text)
    if len(text) > MAX_CELL_TEXT:
        text = text[: MAX_CELL_TEXT - 1] + "…"
    return text


def is_risky(text: str) -> bool:
    """Whether a spreadsheet would treat ``text`` as something other than text."""
    return text.startswith(_RISKY_START) or text in _ERROR_CODES


def as_stored(value: str) -> str:
    """What ``text_value`` stores for ``value`` (tests compare against this)."""
    return clean_text(value)


class CellStyle:
    """A ready-made combination of font, fill, alignment and number format.

    openpyxl resolves each style attribute through the workbook's style
    tables when it is assigned, and looks a cell's whole style up again (by
    hashing it) when it writes the cell. A ``CellStyle`` does the first once
    per style and the second once per style and workbook, on the first cell
    written with it, so style ids keep the order in which styles are first
    written; its cells (``StyledCell``) share its style array.
    """

    def __init__(
        self,
        worksheet: Any,
        *,
        font: Font | None = None,
        fill: PatternFill | None = None,
        alignment: Alignment | None = None,
        border: Border | None = None,
        number_format: str | None = None,
        quote_prefix: bool = False,
        protection: Protection | None = None,
    ) -> None:
        probe = WriteOnlyCell(worksheet)
        alignment = alignment or TOP  # never the default style: StyledCell.has_style
        if font is not None:
            probe.font = font
        if fill is not None:
            probe.fill = fill
        if alignment is not None:
            probe.alignment = alignment
        if border is not None:
            probe.border = border
        if number_format is not None:
            probe.number_format = number_format
        if quote_prefix:
            probe.quotePrefix = True
        if protection is not None:
            probe.protection = protection
        self._array = StyleArray(probe._style)
        self.worksheet = worksheet
        self.style_id: int | None = None
        self._quoted: CellStyle | None = None
        self._constants: dict[Any, Any] = {}
        self._spec = (font, fill, alignment, border, number_format, protection)

    def resolve_id(self) -> int:
        """The style's index in the workbook's cell styles, added on first use."""
        if self.style_id is None:
            self.style_id = int(self.worksheet.parent._cell_styles.add(self._array))
        return self.style_id

    def quoted(self) -> CellStyle:
        """The same style with the quote prefix flag set (for risky text)."""
        if self._quoted is None:
            font, fill, alignment, border, number_format, protection = self._spec
            self._quoted = CellStyle(
                self.worksheet,
                font=font,
                fill=fill,
                alignment=alignment,
                border=border,
                number_format=number_format,
                quote_prefix=True,
                protection=protection,
            )
        return self._quoted

    def cell(self, value: Any) -> Any:
        """A styled write-only cell; text goes through ``text_value`` rules."""
        if isinstance(value, str):
            text = clean_text(value)
            return StyledCell(self.quoted() if is_risky(text) else self, text, "s")
        if value is None:
            return StyledCell(self, None, "n")
        if isinstance(value, datetime | date):
            return StyledCell(self, value, "d")
        if type(value) is int or type(value) is float:
            return StyledCell(self, value, "n")
        # Anything else is bound by openpyxl, which may restyle the cell
        # (a time gets a number format): give it its own style array.
        cell = WriteOnlyCell(self.worksheet)
        cell.value = value
        cell._style = StyleArray(self._array)
        return cell

    def constant(self, value: Any) -> Any:
        """``cell(value)``, made once per value and appended wherever it repeats.

        A write-only row is written out the moment it is appended, and each
        cell of it is written before the next one is placed, so one cell
        object can stand in many places (a shaded day, a status label).
        """
        found = self._constants.get(value)
        if found is None:
            found = self._constants[value] = self.cell(value)
        return found


class StyledCell(Cell):
    """A write-only cell of a ``CellStyle``: value and type set, style shared.

    openpyxl asks every styled cell for its style id as it writes it; this
    one answers from its ``CellStyle`` instead of hashing its style again.
    Never restyle one: the style array belongs to the ``CellStyle``.
    """

    __slots__ = ("_owner",)
    has_style = True  # a CellStyle always carries an alignment

    def __init__(self, owner: CellStyle, value: Any, data_type: str) -> None:
        # Not Cell.__init__: it would copy the style and bind the value again.
        # (Typed as Any: mypy cannot see the slots of openpyxl's classes.)
        cell: Any = self
        cell.parent = owner.worksheet
        cell._style = owner._array
        cell._owner = owner
        cell.row = 1
        cell.column = 1
        cell._value = value
        cell.data_type = data_type
        cell._hyperlink = None
        cell._comment = None

    @property
    def style_id(self) -> int:
        found = self._owner.style_id
        return found if found is not None else self._owner.resolve_id()


TOP = Alignment(vertical="top")


def align_default_to_top(workbook: Any) -> None:
    """Make unstyled cells sit at the top of their row, as wrapped cells do.

    A row grown for a wrapped remark would otherwise show its single-line
    cells at the bottom. Setting it once on the workbook's "Normal" style
    (which unstyled cells inherit, in Excel and LibreOffice) costs nothing
    per cell, unlike a style on each of a million cells.
    """
    workbook._named_styles[0].alignment = TOP


def _values_to_row(worksheet: Any, values: Any, row_idx: int) -> Iterator[Any]:
    """openpyxl's write-only row builder, taking ready cells without an exception.

    openpyxl first tries each value as a plain value and only accepts a
    ready cell after formatting an error message about it, which doubles
    the cost of every styled cell on a large export. Plain values share one
    unstyled cell, as in openpyxl; each cell is written before the next is
    placed, so a ready cell may also appear more than once.
    """
    plain = None
    for col_idx, value in enumerate(values, 1):
        if value is None:
            continue
        if isinstance(value, Cell):
            cell = value
        else:
            if plain is None:
                plain = WriteOnlyCell(worksheet)
            cell = plain
            cell.value = value
            if cell.has_style:  # a date given as a plain value gets a number format
                plain = None
        cell.column = col_idx
        cell.row = row_idx
        yield cell


def streaming_sheet(workbook: Any, title: str) -> Any:
    """A write-only sheet with the faster row builder."""
    worksheet = workbook.create_sheet(title)
    worksheet._values_to_row = MethodType(_values_to_row, worksheet)
    return worksheet


def text_value(worksheet: Any, value: object) -> Any:
    """A value for ``worksheet.append``: plain text when harmless, else a text cell.

    ``None`` stays empty. Numbers, dates and booleans pass through untouched.
    """
    if value is None:
        return None
    if isinstance(value, bool | int | float | datetime | date):
        return value
    text = clean_text(value)
    if not is_risky(text):
        return text
    cell = WriteOnlyCell(worksheet)
    cell._value = text
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def hex_colour(value: str | None, default: str = "D9D9D9") -> str:
    """A course colour (``#RRGGBB`` or ``RRGGBB``) as openpyxl wants it, else ``default``."""
    if value:
        digits = value.strip().lstrip("#")
        if len(digits) == 8:
            digits = digits[2:]
        if len(digits) == 6 and all(c in "0123456789abcdefABCDEF" for c in digits):
            return digits.upper()
    return default


def solid(colour: str) -> PatternFill:
    return PatternFill(fill_type="solid", start_color=colour, end_color=colour)


def readable_on(colour: str) -> str:
    """Black or white text, whichever reads better on a fill of ``colour``."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return "000000" if (r * 299 + g * 587 + b * 114) / 1000 >= 140 else "FFFFFF"


def font(*, size: float = 11, **kwargs: Any) -> Font:
    """A font in the workbook's own face: without a name LibreOffice picks a serif one."""
    return Font(name="Calibri", size=size, **kwargs)


THIN = Side(style="thin", color="BFBFBF")
GRID = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FONT = font(bold=True, color="FFFFFF")
HEADER_FILL = solid("1F3864")
TITLE_FONT = font(bold=True, size=14)
NOTE_FONT = font(italic=True, color="595959")
