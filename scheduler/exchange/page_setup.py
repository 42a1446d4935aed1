"""How every sheet prints: A4 landscape, one page wide, marked on every page.

Partners print these files. The protective marking must be on every printed
page (header and footer), a long table must repeat its column headings on
each page, and the pages must say "Page X of Y" so a missing one is noticed.
Set before the first row is written (write-only sheets write their page
setup and views up front).
"""

from __future__ import annotations

from typing import Any

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

    mark = _fit(marking, 100)
    centre = f"&B{mark}&B"
    header_room = _MAX_HEADER_FOOTER - len(centre) - len("&C&L&R&A") - 4
    for page_part in (worksheet.oddHeader, worksheet.evenHeader, worksheet.firstHeader):
        page_part.center.text = centre
        page_part.left.text = _fit(title, header_room)
        page_part.right.text = "&A"
    pages = "Page &P of &N"
    footer_room = _MAX_HEADER_FOOTER - len(centre) - len(pages) - 10
    for page_part in (worksheet.oddFooter, worksheet.evenFooter, worksheet.firstFooter):
        page_part.center.text = centre
        page_part.left.text = _fit(footer_note, footer_room)
        page_part.right.text = pages
