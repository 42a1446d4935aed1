"""How every sheet prints: A4 landscape, one page wide, marked on every page.

Partners print these files. The protective marking must be on every printed
page (header and footer), a long table must repeat its column headings on
each page, the pages must say "Page X of Y" so a missing one is noticed,
and no text may print smaller than 7 pt. Set before the first row is
written (write-only sheets write their page setup and views up front).

Each sheet prints at a fixed scale worked out from its column widths, not
"fit to one page wide": LibreOffice lays out a fitted sheet that follows
another at one scale and counts its pages at another, printing a blank,
unmarked page counted in "Page X of N". A fixed scale also makes the
smallest printed size a property of the layout that a test can check.
"""

from __future__ import annotations

import math
from typing import Any

from openpyxl.worksheet.dimensions import RowDimension
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.pagebreak import Break

from scheduler.errors import UserError
from scheduler.exchange.cells import clean_text

A4 = "9"
SIDE_MARGIN = 0.25  # inches; within what office printers reach
# Column-width units (Excel's, ~ one digit of the default font) that
# landscape A4 holds between the side margins at 100 %. Measured in
# LibreOffice, which prints Calibri as the wider DejaVu Sans where Carlito
# is missing (113 fit); Excel's Calibri holds more, so this is the worst case.
PAGE_WIDTH_UNITS = 112
SMALLEST_PRINTED_PT = 7.0
TOP_MARGIN = 0.75  # inches, top and bottom; the header and footer sit inside
# Points of rows a printed page holds at 100 %: landscape A4's height less
# the top and bottom margins.
PAGE_BODY_PT = 595.3 - 2 * 72 * TOP_MARGIN
# A page is filled to at most this share before a break is put in: LibreOffice
# counts a page that ends within a few points of full as two and prints the
# second one blank, without header or footer, yet counted in "Page X of N".
PAGE_FILL = 0.9
# Excel keeps at most 1,026 manual page breaks in a sheet; after these the
# printer's own breaks take over (a printout that long is never made whole).
MAX_BREAKS = 1000
# Excel refuses a header or footer longer than 255 characters in all.
_MAX_HEADER_FOOTER = 255


def _escape(text: str) -> str:
    """Header/footer text with ``&`` (a control code there) made literal."""
    return clean_text(text).replace("\n", " ").replace("&", "&&")


def _fit(text: str, room: int) -> str:
    escaped = _escape(text)
    if len(escaped) <= room:
        return escaped
    cut = escaped[: max(room - 1, 0)]
    if cut.endswith("&") and not cut.endswith("&&"):
        cut = cut[:-1]
    return cut + "…"


# Excel's 255 characters per header or footer hold a marking this long twice
# over with the page numbers; it prints on two lines (``marking_lines``).
MARKING_MAX = 140
# Longer than this, the marking is printed on two lines in the header's
# middle, and the title and generation time beside it are left out
# (measured: a 137-character marking on one line overlaps a 42-character
# title and the page numbers on a sheet printed at full size).
MARKING_BESIDE_TITLE = 80


def marking_lines(text: str) -> list[str]:
    """The marking as the header prints it: one line, or two split at the
    space nearest its middle."""
    if len(text) <= MARKING_BESIDE_TITLE or " " not in text:
        return [text]
    middle = len(text) // 2
    spaces = [i for i, c in enumerate(text) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - middle))
    return [text[:cut], text[cut + 1 :]]


class _LineBreakingItem(HeaderFooterItem):
    """A header or footer whose line breaks reach the file as line breaks.

    openpyxl writes a line break in a header as "_x000a_", which Excel and
    LibreOffice print as those seven characters; both read a plain line
    break in the XML as a new line.
    """

    def to_tree(self, tagname: str) -> Any:
        element = super().to_tree(tagname)
        element.text = element.text.replace("_x000a_", "\n")
        return element


def marking_text(marking: str) -> str:
    """The marking as printed in every header and footer: whole, its spaces
    made single (``marking_lines`` then puts a long one on two lines).

    A marking is never cut (a partner must read all of it); one too long for
    a header line is refused before anything is written.
    """
    text = " ".join(clean_text(marking).split())
    # (Escaped, each "&" doubles: Excel's 255 characters per header must still hold it.)
    if len(text) > MARKING_MAX or len(_escape(text)) > MARKING_MAX + 40:
        raise UserError(
            f"The protective marking is {len(text)} characters long; a printed page's "
            f"header holds {MARKING_MAX}. Shorten it: it is printed whole on every page, "
            "never cut."
        )
    return text


def print_scale(width: float, smallest_font: float = 11) -> int:
    """The scale (percent) that prints ``width`` column units one page wide,
    or, for a sheet too wide for that at a readable size, the smallest
    scale at which its ``smallest_font`` still prints at 7 pt (it then
    prints more than one page wide, its first column repeated)."""
    fits = min(100, int(100 * PAGE_WIDTH_UNITS / width))
    readable = math.ceil(100 * SMALLEST_PRINTED_PT / smallest_font)
    return max(fits, readable)


def apply_page_setup(
    worksheet: Any,
    *,
    marking: str,
    title: str,
    width: float,
    smallest_font: float = 11,
    footer_note: str = "",
    header_rows: str | None = "1:1",
    freeze: str | None = None,
) -> None:
    """Page setup, print titles, frozen panes, and the marked header and footer.

    ``width`` is the printed columns' total width (column units) and
    ``smallest_font`` the smallest size a cell uses: together they fix the
    scale (``print_scale``). The marking is centred and bold in both header
    and footer; the title (plan or partner) is on the left of the header,
    the sheet name on the right; the footer carries ``footer_note`` (the
    generation time) and the page numbers.
    """
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = A4
    scale = worksheet.page_setup.scale = print_scale(width, smallest_font)
    if width * scale > PAGE_WIDTH_UNITS * 100:
        # Wider than a page (the import template's sheets): each page
        # across repeats the first column, so every row is named.
        worksheet.print_title_cols = "A:A"
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins.left = worksheet.page_margins.right = SIDE_MARGIN
    worksheet.page_margins.top = worksheet.page_margins.bottom = TOP_MARGIN
    worksheet.page_margins.header = worksheet.page_margins.footer = 0.3
    if header_rows:
        worksheet.print_title_rows = header_rows
    if freeze:
        worksheet.freeze_panes = freeze

    text = marking_text(marking)
    centre = "&B" + "\n".join(_escape(line) for line in marking_lines(text)) + "&B"
    # A long marking takes the width the title and the generation time had
    # (LibreOffice prints header sections over each other): the sheet name
    # and the page numbers stay, the title is on the sheet and the cover.
    wide = len(text) > MARKING_BESIDE_TITLE
    header_room = _MAX_HEADER_FOOTER - len(centre) - len("&C&L&R&A") - 4
    for page_part in (worksheet.oddHeader, worksheet.evenHeader, worksheet.firstHeader):
        page_part.center.text = centre
        page_part.left.text = "" if wide else _fit(title, header_room)
        page_part.right.text = "&A"
    pages = "Page &P of &N"
    footer_room = _MAX_HEADER_FOOTER - len(centre) - len(pages) - 10
    for page_part in (worksheet.oddFooter, worksheet.evenFooter, worksheet.firstFooter):
        page_part.center.text = centre
        page_part.left.text = "" if wide else _fit(footer_note, footer_room)
        page_part.right.text = pages
    if wide:
        parts = worksheet.HeaderFooter
        for name in ("oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter",
                     "firstFooter"):  # fmt: skip
            item = getattr(parts, name)
            setattr(
                parts,
                name,
                _LineBreakingItem(left=item.left, center=item.center, right=item.right),
            )


class PageFlow:
    """Appends the rows of a write-only sheet, each with its height, and puts
    a page break before the row that would fill a printed page.

    Every row is given its height: neither Excel nor LibreOffice reliably
    grows a row on opening (a cut-off remark misleads), and the breaks are
    placed by the same heights the file carries. ``title_height`` is that of
    the print-title rows repeated on each page.
    """

    def __init__(self, worksheet: Any, *, title_height: float = 0) -> None:
        scale = worksheet.page_setup.scale or 100
        self.worksheet = worksheet
        self.room = PAGE_BODY_PT * 100 / int(scale) * PAGE_FILL - title_height
        self.used = 0.0
        self.rows = 0
        self.breaks = 0
        # One dimension object per height, lent to each row of that height:
        # only its height is written, the row number comes from the row.
        self._dimensions: dict[float, RowDimension] = {}

    def append(self, values: list[Any], height: float, *, title: bool = False) -> None:
        """Append a row ``height`` points tall (before scaling); a print-title
        row (``title``) is already counted on every page."""
        if not title:
            if self.used and self.used + height > self.room and self.breaks < MAX_BREAKS:
                self.worksheet.row_breaks.append(Break(id=self.rows))
                self.breaks += 1
                self.used = 0.0
            self.used += height
        self.rows += 1
        dimension = self._dimensions.get(height)
        if dimension is None:
            dimension = self._dimensions[height] = RowDimension(self.worksheet, height=height)
        self.worksheet.row_dimensions[self.rows] = dimension
        self.worksheet.append(values)
        # Written already: drop it, or 100,000 rows keep 100,000 objects.
        del self.worksheet.row_dimensions[self.rows]
