"""A protective marking is printed whole in every header and footer, or refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from scheduler.errors import UserError
from scheduler.exchange.page_setup import (
    MARKING_MAX,
    apply_page_setup,
    marking_lines,
    marking_text,
)

LONG = (
    "OFFICIAL-SENSITIVE RELEASABLE TO MKD FOR TRAINING COORDINATION ONLY — NOT FOR "
    "ONWARD RELEASE WITHOUT THE CONSENT OF THE COORDINATION CELL"
)


def test_a_long_marking_is_printed_whole(tmp_path: Path) -> None:
    assert 100 < len(LONG) <= MARKING_MAX  # the old rule cut it at 100 with "…"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    apply_page_setup(
        sheet, marking=LONG, title="Training schedule for North Macedonia (MK)", width=100
    )
    first, second = marking_lines(LONG)  # two lines, split at a space near the middle
    assert f"{first} {second}" == LONG and abs(len(first) - len(second)) < 20
    for part in (sheet.oddHeader, sheet.oddFooter, sheet.firstHeader, sheet.evenFooter):
        assert part.center.text == f"&B{first}\n{second}&B"
        assert part.left.text in ("", None)  # the whole width: nothing printed over it
    assert sheet.oddHeader.right.text == "&A" and "&P" in (sheet.oddFooter.right.text or "")
    book.save(tmp_path / "marked.xlsx")  # Excel's 255 characters a header hold it
    # The line break reaches the file as a line break, not as "_x000a_".
    with zipfile.ZipFile(tmp_path / "marked.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert f"{first}\n{second}" in xml and "_x000a_" not in xml
    # A short marking leaves room for the title beside it.
    short = Workbook().active
    assert short is not None
    apply_page_setup(
        short, marking="OFFICIAL RELEASABLE TO MKD", title="Schedule for MK", width=100
    )
    assert short.oddHeader.left.text == "Schedule for MK"


def test_a_marking_no_header_can_hold_is_refused_in_a_sentence() -> None:
    with pytest.raises(UserError, match="Shorten it: it is printed whole on every page"):
        marking_text(LONG + " " + LONG)
    assert marking_text("  OFFICIAL\n RELEASABLE TO MKD ") == "OFFICIAL RELEASABLE TO MKD"
