"""File ▸ Print… on a page with a list prints that list as shown: rows, order, columns."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import TrainingEvent
from scheduler.ui.conflicts_page import ConflictsPage
from scheduler.ui.dialogs.report_dialog import LISTING, ReportDialog
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from tests.gui.report_dialogs import open_report_dialog, save_pdf


def _print_to_pdf(
    window: MainWindow, target: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> tuple[ReportDialog, list[str]]:
    dialog = open_report_dialog(window, qtbot)
    save_pdf(dialog, target, qtbot, monkeypatch)
    pages = [page.extract_text() for page in PdfReader(target).pages]
    return dialog, pages


def _header_point(page: EventsPage, column: int) -> QPoint:
    header = page.table.horizontalHeader()
    return QPoint(header.sectionViewportPosition(column) + 5, header.height() // 2)


def _events_page(window: MainWindow, qtbot: QtBot, plan: Path) -> EventsPage:
    window.open_path(plan)
    window.show_page("events")
    page = window.current_page()
    assert isinstance(page, EventsPage)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=30_000)
    return page


def test_the_filtered_events_list_prints_its_rows_in_the_order_shown(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _events_page(window, qtbot, demo_plan_path)
    total = page.model.rowCount()
    every_ref = page.document.read(lambda s: set(s.scalars(select(TrainingEvent.ref))))
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        page.search.setText("Криволак")
    ref_column = page.model.headers.index("Ref")
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.mouseClick(  # ascending first, then descending
            page.table.horizontalHeader().viewport(),
            Qt.MouseButton.LeftButton,
            pos=_header_point(page, ref_column),
        )
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.mouseClick(
            page.table.horizontalHeader().viewport(),
            Qt.MouseButton.LeftButton,
            pos=_header_point(page, ref_column),
        )
    shown = [page.model.index(row, ref_column).data() for row in range(page.model.rowCount())]
    assert 3 <= len(shown) < total
    assert shown == sorted(shown, reverse=True)
    hidden = sorted(every_ref - set(shown))[0]

    dialog, pages = _print_to_pdf(window, tmp_path / "Догађаји.pdf", qtbot, monkeypatch)
    assert dialog.kind() == LISTING
    assert dialog.kind_box.currentText() == f"This list as shown: Events ({len(shown)} events)"
    assert not dialog.first.isVisible()  # a list has no period of its own
    text = " ".join(" ".join(pages).split())
    assert text.startswith("OFFICIAL")
    scope = f"{len(shown)} events · filtered from {total:,} — search “Криволак”"
    assert "".join(scope.split()) in "".join(text.split())  # pypdf breaks runs its own way
    printed = re.findall(r"\b[A-Z]{2}-\d{4}-\d{3}\b", text)
    assert printed == shown  # every row, once, in the order on screen
    assert hidden not in text
    assert "Воен полигон Криволак" in text
    for number, raw in enumerate(pages, start=1):
        page_text = " ".join(raw.split())
        assert page_text.count("OFFICIAL") >= 2
        assert f"Page {number} of {len(pages)}" in page_text
        assert "Ref" in page_text and "Instructors" in page_text  # headings on every page


def test_moved_and_hidden_columns_print_as_on_screen(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = _events_page(window, qtbot, demo_plan_path)
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        page.search.setText("Криволак")
    header = page.table.horizontalHeader()
    headers = page.model.headers
    header.moveSection(header.visualIndex(headers.index("Venue")), 0)
    header.setSectionHidden(headers.index("Instructors"), True)
    _dialog, pages = _print_to_pdf(window, tmp_path / "events.pdf", qtbot, monkeypatch)
    first = pages[0]
    assert first.index("Venue") < first.index("Ref") < first.index("Course")
    assert "Instructors" not in first


def test_conflicts_print_under_their_rule_headings(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_plan_path)
    window.show_page("conflicts")
    page = window.current_page()
    assert isinstance(page, ConflictsPage)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=60_000)
    page.rebuild()
    groups = [page.tree.topLevelItem(i) for i in range(page.tree.topLevelItemCount())]
    conflicts = sum(group.childCount() for group in groups)
    _dialog, pages = _print_to_pdf(window, tmp_path / "conflicts.pdf", qtbot, monkeypatch)
    text = " ".join(" ".join(pages).split())
    assert f"{conflicts} conflicts · Open: " in text
    for group in groups:
        assert " ".join(group.text(0).split()) in text
    assert "Instructor double-booked" in text


def test_a_very_long_list_is_saved_as_pdf_not_previewed(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    from scheduler.reports.listing import Listing
    from scheduler.services.report_rows import report_choices
    from scheduler.ui.dialogs.report_dialog import PREVIEW_ROWS

    window.open_path(demo_plan_path)
    document = window.document
    assert document is not None
    rows = tuple((f"R{i}", "x") for i in range(PREVIEW_ROWS + 1))
    listing = Listing("Events", ("Ref", "Title"), rows, noun="event")
    dialog = ReportDialog(
        window, document, document.read(report_choices), "OFFICIAL", kind=LISTING, listing=listing
    )
    qtbot.addWidget(dialog)
    assert dialog.kind() == LISTING
    assert not dialog.preview_button.isEnabled() and not dialog.print_button.isEnabled()
    assert dialog.save_button.isEnabled()
    assert "too many to preview or print" in dialog.note.text()
    dialog.kind_box.setCurrentIndex(dialog.kind_box.findData("calendar"))
    assert dialog.preview_button.isEnabled() and dialog.print_button.isEnabled()


def test_the_suggested_pdf_name_has_no_character_windows_refuses(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.reports.listing import Listing
    from scheduler.services.report_rows import report_choices

    window.open_path(demo_plan_path)
    document = window.document
    assert document is not None
    listing = Listing("Training requirements of Bn 1/2027: ready?", ("Unit",), (("MK-1BN",),))
    dialog = ReportDialog(
        window, document, document.read(report_choices), "OFFICIAL", kind=LISTING, listing=listing
    )
    qtbot.addWidget(dialog)
    offered: list[str] = []

    def ask(_parent: object, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", ask)
    dialog.save_pdf()
    (suggested,) = offered
    assert Path(suggested).parent == demo_plan_path.parent
    assert Path(suggested).name == "demo Training requirements of Bn 1-2027- ready-.pdf"
