"""Workbooks judged as a partner judges them: printed to PDF by LibreOffice.

Every page carries the marking in its header and footer and "Page x of N"
counting only real pages; no page is empty; no text prints under 7 pt;
every page of a month's calendar shows the month and the days; nothing is
cut where a cell ends.
"""

from __future__ import annotations

import itertools
import re
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.exchange.page_setup import marking_lines
from scheduler.model import EventStatus, TrainingEvent
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import open_plan
from tests.printed import PrintedPage, printed_pages

LONG_MARKING = (
    "OFFICIAL-SENSITIVE RELEASABLE TO MKD FOR TRAINING COORDINATION ONLY — NOT FOR "
    "ONWARD RELEASE WITHOUT THE CONSENT OF THE COORDINATION CELL"
)
SMALLEST_PT = 7.0
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip


def _sheet_of(page: PrintedPage, sheets: list[str]) -> str:
    """The sheet a page prints, as its header names it (top right)."""
    top = page.lines()[:3]
    found = [name for name in sheets if any(line.endswith(name) for line in top)]
    assert found, f"page {page.number}: no sheet name in its header {top}"
    return max(found, key=len)


def _check_pages(pages: list[PrintedPage], marking: str, sheets: list[str]) -> dict[int, str]:
    """Checks every page; returns page number -> the sheet it prints."""
    total = len(pages)
    assert total > 2
    printed_as = marking_lines(marking)
    assert len(printed_as) == (2 if len(marking) > 80 else 1)
    found = {}
    for page in pages:
        where = f"page {page.number} of {total}"
        lines = page.lines()
        assert lines, f"{where} is blank"
        for part in printed_as:  # in the header and in the footer
            assert sum(line.count(part) for line in lines) >= 2, f"{where}: {part!r} not twice"
        assert any(line.endswith(f"Page {page.number} of {total}") for line in lines[-3:]), where
        body = [line for line in lines if not any(part in line for part in printed_as)]
        assert len(body) > 2, f"{where} holds nothing but its header and footer"
        assert page.smallest >= SMALLEST_PT - 0.05, f"{where} prints {page.smallest} pt text"
        sheet = found[page.number] = _sheet_of(page, sheets)
        if sheet.startswith("Calendar "):
            # "Calendar Mar 2027": the month, its day numbers and weekdays on every page.
            month = MONTHS[[m[:3] for m in MONTHS].index(sheet.split()[1])]
            assert f"{month} {sheet.split()[2]}" in page.text, where
            assert re.search(r"\b1\s+2\s+3\s+4\s+5\b", page.text), where
            assert re.search(r"\b(Mo|Tu|We|Th|Fr|Sa|Su)\s+(Mo|Tu|We|Th|Fr|Sa|Su)\b", page.text)
    return found


def _check_nothing_cut(target: Path, pages: list[PrintedPage], sheets: dict[int, str]) -> None:
    """Every word of every text cell is printed whole on its sheet's pages
    (LibreOffice leaves out the lines a too-short row cuts off, and a word
    broken across lines by a too-narrow column is not whole)."""
    book = load_workbook(target, read_only=True)
    for ws in book.worksheets:
        if ws.sheet_state != "visible":
            continue  # not printed
        printed = set(" ".join(p.text for p in pages if sheets[p.number] == ws.title).split())
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    missing = [w for w in value.split() if w not in printed]
                    assert not missing, f"{ws.title}: {missing} of {value!r} not printed"


@pytest.mark.slow
def test_partner_workbooks_print_marked_complete_and_readable(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "first.xlsx", partner="MK"))
        with plan.session() as session:
            events = session.scalars(
                select(TrainingEvent)
                .where(TrainingEvent.ref.like("MK-%"), TrainingEvent.status == "planned")
                .order_by(TrainingEvent.start)
            ).all()
            events[0].start += timedelta(days=1)
            events[0].end += timedelta(days=1)
            events[-1].status = EventStatus.CANCELLED
        target = tmp_path / "MK partner Ђорђевић.xlsx"
        result = export_plan(plan, ExportRequest(target, partner="MK", marking=LONG_MARKING))
    assert len(result.changes) == 2
    pages = printed_pages(target, tmp_path / "pdf")
    names = _visible_sheets(target)  # the reply loop's key sheet is very hidden
    assert "Nominations" in names
    sheets = _check_pages(pages, LONG_MARKING, names)
    assert set(sheets.values()) == set(names)  # every sheet printed, none lost
    changes = "\n".join(p.text for p in pages if sheets[p.number].startswith("Changes"))
    assert "Moved" in changes and "Cancelled" in changes
    _check_nothing_cut(target, pages, sheets)


def _visible_sheets(path: Path) -> list[str]:
    workbook = load_workbook(path, read_only=True)
    return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]


@pytest.mark.slow
def test_master_workbook_prints_marked_complete_and_readable(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "master.xlsx"
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(target, marking="OFFICIAL"))
    pages = printed_pages(target, tmp_path / "pdf")
    names = load_workbook(target, read_only=True).sheetnames
    sheets = list(_check_pages(pages, "OFFICIAL", names).values())
    assert set(sheets) == set(names)
    # A month too long for one page goes on with its headings (checked above).
    assert any(a == b and a.startswith("Calendar") for a, b in itertools.pairwise(sheets))
    _check_nothing_cut(target, pages, dict(enumerate(sheets, start=1)))


@pytest.mark.slow
def test_utilisation_heatmap_prints_marked_complete_and_readable(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    from datetime import date, datetime

    from scheduler.exchange.heatmap_workbook import write_heatmap
    from scheduler.services.utilisation import heatmap_of, load_utilisation

    with open_plan(demo_plan_path) as plan, plan.session() as session:
        table = load_utilisation(session, "instructor", date(2027, 1, 1), date(2027, 12, 31))
    heatmap = heatmap_of(table, range(len(table.rows)), in_hours=True, scope="2027")
    target = tmp_path / "utilisation Ђорђевић.xlsx"
    write_heatmap(
        target, heatmap, marking="OFFICIAL", plan_name="Demo", now=datetime(2027, 1, 4, 9)
    )
    pages = printed_pages(target, tmp_path / "pdf")
    sheets = _check_pages(pages, "OFFICIAL", ["Utilisation"])
    assert set(sheets.values()) == {"Utilisation"}
    # The name column repeats on every page across, so each row is named.
    first = table.rows[0].resource.name
    assert sum(first in page.text for page in pages) >= 2
    _check_nothing_cut(target, pages, sheets)
