"""Export and import from the window, off the GUI thread, with a report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from scheduler.services.imports import import_file, write_template
from scheduler.services.plan_info import plan_counts
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui import exchange_actions
from scheduler.ui.dialogs.export_dialog import ExportDialog
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import when_modal


def _choose_partner(code: str) -> None:
    """In the export dialog about to open, pick the partner ``code`` and accept."""

    def choose(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        box = dialog.findChild(QComboBox, "partner")
        assert box is not None
        box.setCurrentIndex(box.findData(code))
        dialog.accept()

    when_modal(choose)


def test_export_a_partner_schedule(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window.open_path(demo_plan_path)
    target = tmp_path / "За партнерот MK.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    _choose_partner("MK")
    window.actions_by_name["export"].trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=120_000)
    qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=30_000)
    assert "RELEASABLE TO MKD" in window.statusBar().currentMessage()
    sheet = load_workbook(target, read_only=True)["Schedule"]
    refs = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert refs and all(
        str(ref).startswith(("MK-", "AL-", "XK-", "RS-", "BA-", "ME-")) for ref in refs
    )


def test_a_partner_export_says_what_it_left_out_and_is_not_someone_elses_change(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A partner's drafts are left out of its file: the status bar says so
    (an all-draft selection gave an empty workbook without a word), and the
    release the export records is this window's own change."""
    from scheduler.exchange.rows import EventFilter
    from scheduler.services.export_rows import count_events, resolve_partner

    window.open_path(demo_plan_path)
    document = window.document
    assert document is not None and document.watcher is not None
    drafts = document.read(
        lambda s: count_events(
            s,
            EventFilter(unit_ids=resolve_partner(s, "MK").unit_ids, statuses=frozenset({"draft"})),
        )
    )
    assert drafts > 1
    document.watcher.timer.setInterval(100)  # look for others' changes often
    target = tmp_path / "MK.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))

    _choose_partner("MK")
    with qtbot.assertNotEmitted(document.watcher.noticed, wait=1000):
        window.actions_by_name["export"].trigger()
        qtbot.waitUntil(lambda: "Exported" in window.statusBar().currentMessage(), timeout=60_000)
        message = window.statusBar().currentMessage()
    assert f"{drafts} drafts left out" in message
    assert "Updated with changes by" not in window.statusBar().currentMessage()


def _when_report(handle: Any) -> None:
    """Run ``handle(dialog)`` once the import report is open (progress dialogs come first)."""

    def poll() -> None:
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "import_report" and widget.isVisible():
                handle(widget)
                return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def _answer(qtbot: QtBot, seen: list[tuple[str, str]], *buttons: str) -> None:
    """At each import report that opens, note what it says and click the next of ``buttons``."""

    def handle(dialog: QWidget) -> None:
        heading = dialog.findChild(QLabel, "heading")
        text = dialog.findChild(QPlainTextEdit, "report")
        assert heading is not None and text is not None
        seen.append((heading.text(), text.toPlainText()))
        assert dialog.frameGeometry().width() <= 1366
        target = next(b for b in dialog.findChildren(QPushButton) if b.text() == buttons[0])
        if buttons[1:]:
            QTimer.singleShot(0, lambda: _answer(qtbot, seen, *buttons[1:]))
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton)

    _when_report(handle)


def test_import_checks_first_then_imports(
    window: MainWindow,
    demo_plan_path: Path,
    empty_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "from a colleague.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as demo:
        write_template(source, plan=demo)
    window.resize(1366, 768)
    window.open_path(empty_plan_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(source), ""))
    seen: list[tuple[str, str]] = []
    _answer(qtbot, seen, "Import", "Close")
    window.actions_by_name["import"].trigger()
    qtbot.waitUntil(lambda: len(seen) == 2, timeout=180_000)
    assert seen[0][0].startswith("The file is fine. Import it?")
    assert "Would import" in seen[0][1] and "Events: 320 new" in seen[0][1]
    assert seen[1][0].startswith("Imported:")
    assert window.document is not None
    counts = window.document.read(plan_counts)
    assert counts["events"] == 320

    # The same file again: nothing to import, and no Import button to press.
    seen.clear()
    _answer(qtbot, seen, "Close")
    window.actions_by_name["import"].trigger()
    qtbot.waitUntil(lambda: len(seen) == 1, timeout=180_000)
    assert seen[0][0].startswith("Nothing to import")
    assert "Events: 320 unchanged" in seen[0][1]


def test_import_report_lists_problems(window: MainWindow, qtbot: QtBot) -> None:
    from scheduler.exchange.import_rows import Problem
    from scheduler.exchange.importer import ImportReport

    report = ImportReport(
        files=["x.xlsx"], problems=[Problem("Events", 4, "Start", "Enter a date.")], dry_run=True
    )
    seen: list[str] = []

    def read(dialog: QWidget) -> None:
        text = dialog.findChild(QPlainTextEdit, "report")
        assert text is not None
        seen.append(text.toPlainText())
        dialog.reject()

    when_modal(read)
    assert not exchange_actions.show_import_report(window, report, dry_run=True)
    assert "Events" in seen[0] and "row 4" in seen[0] and "Enter a date." in seen[0]


def test_write_this_plan_as_a_template(
    window: MainWindow,
    demo_plan_path: Path,
    empty_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "План как шаблон"  # no suffix typed: .xlsx is added
    window.open_path(demo_plan_path)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.actions_by_name["template_plan"].trigger()
    written = target.with_name(target.name + ".xlsx")
    qtbot.waitUntil(lambda: "Wrote" in window.statusBar().currentMessage(), timeout=120_000)
    assert written.exists()
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, written)
    assert report.imported and report.added["Events"] == 320


def test_the_export_dialog_shows_the_whole_marking_before_writing(
    window: MainWindow,
    demo_plan_path: Path,
    tmp_path: Path,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Typing a marking for a partner keeps its caveat, the dialog says what
    every page will carry, and a marking no header holds cannot be sent."""
    window.open_path(demo_plan_path)
    target = tmp_path / "MK sensitive.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    seen: dict[str, Any] = {}

    def type_markings(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        box = dialog.findChild(QComboBox, "partner")
        preview = dialog.findChild(QLabel, "marking_preview")
        assert box is not None and preview is not None
        box.setCurrentIndex(box.findData("MK"))
        field = dialog.marking
        qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(field, "OFFICIAL-SENSITIVE " + "FOR TRAINING COORDINATION ONLY " * 5)
        ok = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Choose file…")
        seen["too long"] = (preview.text(), ok.isEnabled())
        field.selectAll()
        qtbot.keyClicks(field, "OFFICIAL-SENSITIVE")
        seen["typed"] = (preview.text(), ok.isEnabled())
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    when_modal(type_markings)
    window.actions_by_name["export"].trigger()
    qtbot.waitUntil(lambda: target.exists(), timeout=120_000)
    text, enabled = seen["too long"]
    assert "Shorten it" in text and not enabled
    assert seen["typed"] == ("Marked “OFFICIAL-SENSITIVE RELEASABLE TO MKD”", True)
    sheet = load_workbook(target)["Schedule"]
    assert sheet.oddHeader.center.text == "&BOFFICIAL-SENSITIVE RELEASABLE TO MKD&B"


def test_the_export_dialog_raises_the_default_marking_where_names_go(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    """Macedonia's people are named in the plan (and the demo's Albanians): their
    workbooks default to OFFICIAL-SENSITIVE; Kosovo's has no names and stays at
    the settings' OFFICIAL."""
    from tests.trainees import enrol_a_platoon_commander

    with open_plan(demo_plan_path) as plan, plan.session() as session:
        enrol_a_platoon_commander(session)
    window.open_path(demo_plan_path)
    seen: list[str] = []

    def look(dialog: QWidget) -> None:
        assert isinstance(dialog, ExportDialog)
        box = dialog.findChild(QComboBox, "partner")
        preview = dialog.findChild(QLabel, "marking_preview")
        assert box is not None and preview is not None
        for code in ("MK", "AL", "XK"):
            box.setCurrentIndex(box.findData(code))
            seen.append(preview.text())
        # The master workbook names no one unless asked; asked, it is marked for it.
        box.setCurrentIndex(box.findData(""))
        names = dialog.with_names
        seen.append(preview.text())
        qtbot.mouseClick(names, Qt.MouseButton.LeftButton, pos=QPoint(8, names.height() // 2))
        seen.append(preview.text())
        dialog.reject()

    when_modal(look)
    window.actions_by_name["export"].trigger()
    assert seen[:2] == [
        "Marked “OFFICIAL-SENSITIVE RELEASABLE TO MKD”",
        "Marked “OFFICIAL-SENSITIVE RELEASABLE TO ALB”",
    ]
    assert seen[2].startswith("Marked “OFFICIAL") and "SENSITIVE" not in seen[2]
    assert seen[3:] == ["Marked “OFFICIAL”", "Marked “OFFICIAL-SENSITIVE”"]
