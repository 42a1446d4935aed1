"""Text stays text; page setup marks every page."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from scheduler.exchange.cells import as_stored, clean_text, hex_colour, is_risky, text_value
from scheduler.exchange.sheets import DATETIME, TEXT, WRAP, Column, PageInfo, TableSheet

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1", "#N/A", "=1+1\r\n"]


def test_clean_text_drops_what_xml_cannot_hold() -> None:
    assert clean_text("a\x00b\x07c\x1fd") == "abcd"
    assert clean_text("line\r\nnext\rthird") == "line\nnext\nthird"
    assert clean_text("Ëlira Çela, Đurić, Скопје") == "Ëlira Çela, Đurić, Скопје"
    assert len(clean_text("x" * 40_000)) == 32_767


@pytest.mark.parametrize("value", HOSTILE)
def test_risky_values_are_recognised(value: str) -> None:
    assert is_risky(clean_text(value))


def test_plain_text_is_left_alone() -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("x")
    assert text_value(ws, "Section commanders' course") == "Section commanders' course"
    assert text_value(ws, 5) == 5
    assert text_value(ws, None) is None


def test_hex_colour() -> None:
    assert hex_colour("#1f77b4") == "1F77B4"
    assert hex_colour("FF1F77B4") == "1F77B4"
    assert hex_colour("red") == "D9D9D9"
    assert hex_colour(None) == "D9D9D9"


def test_hostile_values_stay_text_in_a_table_sheet(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    page = PageInfo("OFFICIAL-SENSITIVE RELEASABLE TO MKD & ALB", "Plan Đурић", "Generated now")
    sheet = TableSheet(
        wb,
        "Schedule",
        [Column("Text", 20, TEXT), Column("Wrapped", 20, WRAP), Column("When", 16, DATETIME)],
        page,
        table_name="Schedule",
    )
    for value in HOSTILE:
        sheet.append([value, value, datetime(2027, 3, 1, 8, 30)])
    sheet.close()
    path = tmp_path / "hostile.xlsx"
    wb.save(path)

    ws = load_workbook(path)["Schedule"]
    for row, value in zip(ws.iter_rows(min_row=2), HOSTILE, strict=True):
        for cell in row[:2]:
            assert cell.data_type == "s"
            assert cell.value == as_stored(value)
        assert row[2].is_date and row[2].value == datetime(2027, 3, 1, 8, 30)
    assert "&&" in ws.oddHeader.center.text and "RELEASABLE TO MKD" in ws.oddHeader.center.text
    assert ws.oddFooter.right.text == "Page &P of &N"
    assert ws.freeze_panes == "A2"
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert not ws.sheet_properties.pageSetUpPr.fitToPage  # a fixed scale: see page_setup
    assert 64 <= ws.page_setup.scale <= 100
    assert "Schedule" in ws.tables
    # No formula anywhere in the file's XML.
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/sheet"):
                assert b"<f>" not in archive.read(name)
