"""How every sheet prints: A4 landscape, one page wide, marked on every page.

Partners print these files. The protective marking must be on every printed
page (header and footer), a long table must repeat its column headings on
each page, and the pages must say "Page X of Y" so a missing one is noticed.
Set before the first row is written (write-only sheets write their page
setup and views up front).
"""

from __future__ import annotations

from typing import Any

from scheduler.errors import UserError
from scheduler.exchange.cells import clean_text

A4 = "9"
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


# A header line on landscape A4 holds about 150 characters at the header's
# size between the sheet name and the page numbers (137 measured in
# LibreOffice's PDF on a sheet printed at full size). A line break cannot
# be used: openpyxl writes it as "_x000a_", which LibreOffice prints as is.
MARKING_MAX = 140
# Longer than this, the marking needs the header's whole width (measured: a
# 137-character marking overlaps a 42-character title on a sheet printed at
# full size).
MARKING_BESIDE_TITLE = 80


def marking_text(marking: str) -> str:
    """The marking as printed in every header and footer: whole, on one line.

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


def apply_page_setup(
    worksheet: Any,
    *,
    marking: str,
    title: str,
    footer_note: str = "",
    header_rows: str | None = "1:1",
    freeze: str | None = None,
    fit_width: bool = True,
    fit_height: int = 0,
) -> None:
    """Page setup, print titles, frozen panes, and the marked header and footer.

    The marking is centred and bold in both header and footer; the title
    (plan or partner) is on the left of the header, the sheet name on the
    right; the footer carries ``footer_note`` (the generation time) and the
    page numbers.
    """
    worksheet.page_setup.orientation = "landscape"
    worksheet.page_setup.paperSize = A4
    if fit_width:
        worksheet.sheet_properties.pageSetUpPr.fitToPage = True
        worksheet.page_setup.fitToWidth = 1
        worksheet.page_setup.fitToHeight = fit_height
    worksheet.print_options.horizontalCentered = True
    worksheet.page_margins.left = worksheet.page_margins.right = 0.4
    worksheet.page_margins.top = worksheet.page_margins.bottom = 0.75
    worksheet.page_margins.header = worksheet.page_margins.footer = 0.3
    if header_rows:
        worksheet.print_title_rows = header_rows
    if freeze:
        worksheet.freeze_panes = freeze

    text = marking_text(marking)
    centre = f"&B{_escape(text)}&B"
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
