"""File ▸ Print…: the report dialog saves PDFs off the GUI thread and previews them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QTimer
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog, QPushButton
from pytestqt.qtbot import QtBot

from scheduler.ui.dialogs.report_dialog import ReportDialog
from scheduler.ui.main_window import MainWindow
from tests.gui.report_dialogs import open_report_dialog, save_pdf


def _choose(dialog: ReportDialog, name: str, value: str) -> None:
    box = dialog.findChild(QComboBox, name)
    assert box is not None
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


def test_save_a_readiness_report_as_pdf(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_plan_path)
    assert window.actions_by_name["print"].isEnabled()
    dialog = open_report_dialog(window, qtbot)
    assert dialog.marking.text() == ""
    assert dialog.marking.placeholderText() == "OFFICIAL"
    _choose(dialog, "kind", "readiness")
    _choose(dialog, "partner", "MK")
    dialog.marking.setText("OFFICIAL-SENSITIVE")
    target = tmp_path / "Спремност MK.pdf"
    save_pdf(dialog, target, qtbot, monkeypatch)
    pages = [page.extract_text().replace("\t", " ") for page in PdfReader(target).pages]
    assert window.statusBar().currentMessage() == f"Wrote {len(pages)} pages to {target.name}"
    assert len(pages) == 2  # requirements, then the milestones and tasks of one target
    text = "\n".join(pages)
    assert "Readiness: North Macedonia (MK)" in text
    assert "MK-LIB" in text
    assert not re.search(r"\b(AL|BA|ME|RS|XK)-[A-Z]", text)  # no other partner's units
    for page in pages:
        assert page.count("OFFICIAL-SENSITIVE") >= 2
    assert not list(tmp_path.glob("*.partial"))


def test_readiness_with_the_default_marking_carries_the_partner_caveat(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_plan_path)
    dialog = open_report_dialog(window, qtbot)
    _choose(dialog, "kind", "readiness")
    _choose(dialog, "partner", "MK")
    target = tmp_path / "readiness MK.pdf"
    save_pdf(dialog, target, qtbot, monkeypatch)
    for page in PdfReader(target).pages:
        assert page.extract_text().replace("\t", " ").count("OFFICIAL RELEASABLE TO MKD") >= 2


def test_calendar_in_view_is_preselected_and_saved(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_plan_path)
    window.show_page("calendar")
    page = window.current_page()
    anchor = page.anchor  # type: ignore[union-attr]
    dialog = open_report_dialog(window, qtbot)
    assert dialog.kind() == "calendar"
    request = dialog.request()
    assert request.date_from == anchor.replace(day=1)
    assert request.date_to is not None and request.date_to.month == anchor.month
    target = tmp_path / "month.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_pdf()
    qtbot.waitUntil(lambda: dialog.last_pdf == target, timeout=120_000)
    pages = PdfReader(target).pages
    assert len(pages) == 1
    assert f"{anchor:%B} {anchor.year}" in pages[0].extract_text().replace("\t", " ")


def test_timeline_in_view_is_preselected(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    window.show_page("timeline")
    dialog = open_report_dialog(window, qtbot)
    assert dialog.kind() == "timeline"
    assert dialog.resource_box.isVisible() and not dialog.partner_box.isVisible()


def test_preview_paints_the_pages(window: MainWindow, demo_plan_path: Path, qtbot: QtBot) -> None:
    window.open_path(demo_plan_path)
    dialog = open_report_dialog(window, qtbot)
    _choose(dialog, "kind", "instructor")
    dialog.instructor_box.setCurrentText("Татјана Велјановска")
    seen: list[int] = []

    def poll() -> None:
        preview = QApplication.activeModalWidget()
        if isinstance(preview, QPrintPreviewDialog):
            widget = preview.findChild(QPrintPreviewWidget)
            assert widget is not None
            seen.append(widget.pageCount())
            preview.reject()
            return
        QTimer.singleShot(50, poll)

    QTimer.singleShot(0, poll)
    button = dialog.findChild(QPushButton, "preview")
    assert button is not None
    button.click()
    qtbot.waitUntil(lambda: bool(seen), timeout=120_000)
    assert seen[0] == 2  # the demo instructor's year fills two portrait pages
