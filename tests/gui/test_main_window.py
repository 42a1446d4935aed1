"""The main window as a planner uses it: open plans, edit records, undo, errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import Course, EventStatus, Qualification, TrainingEvent
from scheduler.services import records
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.dialogs.record_editor import RecordEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.list_page import ListPage
from tests.gui.conftest import double_click_row, note_message, press, when_modal


def _page(window: MainWindow, key: str) -> ListPage:
    window.show_page(key)
    page = window.current_page()
    assert isinstance(page, ListPage)
    QtBot(window).waitUntil(lambda: not page.loading, timeout=30_000)
    return page


def _table_column(page: ListPage, column: int = 0) -> list[str]:
    model = page.model
    return [model.index(r, column).data() for r in range(model.rowCount())]


def _courses(path: Path) -> list[tuple[str, str]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return [(c.code, c.title) for c in session.scalars(select(Course).order_by(Course.code))]


def _fill(editor: RecordEditor, **values: str) -> None:
    for name, value in values.items():
        widget = editor.editors[name].widget
        if isinstance(widget, QLineEdit):
            widget.setText(value)
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findText(value))


def test_starts_on_the_welcome_screen(window: MainWindow) -> None:
    assert window.central.currentWidget() is window.welcome
    assert window.windowTitle() == "Training Scheduler"
    assert not window.actions_by_name["close"].isEnabled()


def test_opening_a_plan_shows_its_name_and_pages(window: MainWindow, demo_plan_path: Path) -> None:
    assert window.open_path(demo_plan_path)
    assert window.windowTitle().startswith("Demo plan — ")
    assert window.plan_label.text() == "demo.tsplan"
    assert [window.nav.item(i).text() for i in range(window.nav.count())][:12] == [
        "Dashboard", "Calendar", "Timeline", "Utilisation", "Events", "Courses",
        "Instructors", "Units", "Venues", "Kit", "Requirements", "Conflicts",
    ]  # fmt: skip
    events = _page(window, "events")
    assert events.model.rowCount() >= 300
    assert window.state.recent_plans()[0] == demo_plan_path.resolve()


def test_create_edit_delete_a_course_with_undo_and_redo(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(empty_plan_path)
    page = _page(window, "courses")
    assert page.model.rowCount() == 0

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        _fill(dialog, code="SCC", title="Section commanders' course — Криволак",
              category="Leadership", duration_days="10", language="mk")  # fmt: skip
        dialog.try_accept()

    when_modal(create)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert _table_column(page) == ["SCC"]
    assert _courses(empty_plan_path) == [("SCC", "Section commanders' course — Криволак")]
    assert window.actions_by_name["undo"].text() == "&Undo Add course"

    def rename(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        _fill(dialog, title="Section commanders' course")
        press(qtbot, dialog, "Save")

    when_modal(rename)
    double_click_row(qtbot, page.table, "SCC")
    assert _courses(empty_plan_path) == [("SCC", "Section commanders' course")]
    assert _table_column(page, 1) == ["Section commanders' course"]

    window.actions_by_name["undo"].trigger()
    assert _courses(empty_plan_path) == [("SCC", "Section commanders' course — Криволак")]
    window.actions_by_name["redo"].trigger()
    assert _courses(empty_plan_path) == [("SCC", "Section commanders' course")]

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.table.selectRow(0)
    page.delete_selected()
    assert _courses(empty_plan_path) == []
    assert page.model.rowCount() == 0
    window.actions_by_name["undo"].trigger()
    assert _courses(empty_plan_path) == [("SCC", "Section commanders' course")]
    assert _table_column(page) == ["SCC"]
    window.actions_by_name["undo"].trigger()  # the edit
    window.actions_by_name["undo"].trigger()  # the creation
    assert _courses(empty_plan_path) == []
    assert page.model.rowCount() == 0


def test_a_new_plans_list_columns_fit_what_is_typed_into_them(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    """Columns were fitted to an empty list once, and kept those widths."""

    window.open_path(empty_plan_path)
    page = _page(window, "courses")
    title = "Section commanders' course — Криволак"

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        _fill(dialog, code="SCC-ADVANCED", title=title, category="Leadership")
        _fill(dialog, duration_days="10", language="mk")
        press(qtbot, dialog, "Save")

    when_modal(create)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert _table_column(page, 1) == [title]
    metrics = page.table.fontMetrics()
    header = page.table.horizontalHeader()
    assert header.sectionSize(0) >= metrics.horizontalAdvance("SCC-ADVANCED")
    assert header.sectionSize(1) >= metrics.horizontalAdvance(title)


def _answer_discard(answer: str, asked: list[str]) -> None:
    """Click ``answer`` in the "Discard changes?" box once it opens over the editor."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or box.objectName() != "discard_changes":
            QTimer.singleShot(10, poll)
            return
        asked.append(box.text())
        next(b for b in box.buttons() if b.text() == answer).click()

    QTimer.singleShot(0, poll)


def test_invalid_input_shows_messages_and_writes_nothing(
    window: MainWindow, empty_plan_path: Path
) -> None:
    window.open_path(empty_plan_path)
    page = _page(window, "courses")
    seen: dict[str, str] = {}

    def attempt(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        _fill(dialog, code="", title="Combat first aid", category="Medical",
              duration_days="five", min_trainees="20", max_trainees="10")  # fmt: skip
        dialog.try_accept()
        for name in ("code", "duration_days", "max_trainees", "language"):
            label = dialog.findChild(QLabel, f"message_{name}")
            assert label is not None
            seen[name] = label.text() if label.isVisibleTo(dialog) else ""
        assert dialog.isVisible()  # still open: nothing saved
        # Escape with changes typed asks first: keep editing, then discard.
        for answer in ("Keep editing", "Discard changes"):
            _answer_discard(answer, asked)
            QTest.keyClick(dialog, Qt.Key.Key_Escape)
            assert dialog.isVisible() == (answer == "Keep editing")

    asked: list[str] = []
    when_modal(attempt)
    page.add_record()
    assert asked == ["Your changes in this editor are not saved. Discard them?"] * 2
    assert seen == {
        "code": "Code is needed.",
        "duration_days": "Enter a whole number.",
        "max_trainees": "Must not be below the minimum.",
        "language": "Language is needed.",
    }
    assert _courses(empty_plan_path) == []
    assert window.document is not None and window.document.undo_stack.count() == 0


def test_instructor_qualifications_are_edited_in_place(
    window: MainWindow, empty_plan_path: Path
) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        session.add(Qualification(code="CFA-I", name="Combat first aid instructor"))
    window.open_path(empty_plan_path)
    page = _page(window, "instructors")

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        _fill(dialog, name="Ëlira Çela", languages="sq; en")
        table = dialog.children_tables["qualifications"]
        table.add_row({})
        combo = table.table.cellWidget(0, 0)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findText("CFA-I"))
        table.table.item(0, 2).setText("2027-06-30")
        dialog.try_accept()

    when_modal(create)
    page.add_record()
    assert _table_column(page) == ["Ëlira Çela"]
    values = page.document.read(lambda s: records.read_values(s, page.spec, page.model.uuid_at(0)))
    assert [str(q["expires_on"]) for q in values["qualifications"]] == ["2027-06-30"]


def test_search_and_filters_narrow_the_events(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _page(window, "events")
    total = page.model.rowCount()
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.keyClicks(page.search, "FIRST aid")
    titles = set(_table_column(page, 2))
    assert titles == {"Combat first aid"} or all("first aid" in t.casefold() for t in titles)
    assert 0 < page.model.rowCount() < total
    assert page.count_label.text() == f"{page.model.rowCount():,} of {total:,}"
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        page.search.clear()
    status = page.filters["status"]
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        status.setCurrentIndex(status.findText("Cancelled"))
    assert set(_table_column(page, 11)) == {"Cancelled"}
    window.focus_search()


def test_a_reload_keeps_every_selected_row_selected(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _page(window, "events")
    chosen = [page.uuid_at(row) for row in (2, 5, 9)]
    for row in (2, 5, 9):
        point = page.table.visualRect(page.model.index(row, 0)).center()
        qtbot.mouseClick(
            page.table.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.ControlModifier,
            point,
        )
    assert sorted(page.selected_uuids()) == sorted(chosen)
    with qtbot.waitSignal(page.rows_loaded, timeout=30_000):
        page.reload()  # what an edit elsewhere in the plan does
    assert sorted(page.selected_uuids()) == sorted(chosen)


def test_a_damaged_file_gives_a_dialog_and_the_window_stays_usable(
    window: MainWindow, tmp_path: Path
) -> None:
    bad = tmp_path / "damaged.tsplan"
    bad.write_bytes(os.urandom(4096))
    shown: list[str] = []

    def read_and_close(dialog: QWidget) -> None:
        assert isinstance(dialog, QMessageBox)
        shown.append(dialog.text())
        dialog.accept()

    when_modal(read_and_close)
    assert not window.open_path(bad)
    assert shown and "is not a Training Scheduler plan" in shown[0]
    assert window.central.currentWidget() is window.welcome
    assert window.document is None


def test_a_plan_held_by_another_process_prompts_and_opens_read_only(
    window: MainWindow, empty_plan_path: Path, tmp_path: Path
) -> None:
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, pathlib
                from scheduler.storage import open_plan
                with open_plan(pathlib.Path({str(empty_plan_path)!r})):
                    pathlib.Path({str(ready)!r}).write_text("x")
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert holder.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        prompt: list[str] = []

        def choose_read_only(dialog: QWidget) -> None:
            assert dialog.objectName() == "lock_prompt"
            assert isinstance(dialog, QMessageBox)
            prompt.append(dialog.text())
            button = dialog.findChild(QPushButton, "read-only")
            assert button is not None
            button.click()

        when_modal(choose_read_only)
        assert window.open_path(empty_plan_path)
        assert f"process {holder.pid}" in prompt[0]
        assert window.document is not None and window.document.read_only
        assert "(read-only)" in window.windowTitle()
        page = _page(window, "courses")
        assert not page.add_button.isEnabled()
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_row_model_passes_the_model_tester(
    window: MainWindow, demo_plan_path: Path, qtmodeltester: object
) -> None:
    window.open_path(demo_plan_path)
    page = _page(window, "courses")
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_main_views_render(window: MainWindow, demo_plan_path: Path, tmp_path: Path) -> None:
    window.open_path(demo_plan_path)
    for key in ("dashboard", "events", "units", "instructors", "requirements"):
        window.show_page(key)
        picture = window.grab()
        assert picture.save(str(tmp_path / f"{key}.png"))
        assert picture.width() >= 1000


def test_open_demo_writes_it_without_freezing_then_opens_it(
    window: MainWindow, qtbot: QtBot, program_home: Path
) -> None:
    window.open_demo()
    qtbot.waitUntil(lambda: window.document is not None, timeout=120_000)
    assert window.document is not None
    assert window.document.plan.path == program_home / "demo.tsplan"
    assert window.windowTitle().startswith("Demo plan")


def test_status_change_on_the_events_list_is_one_undo_step(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _page(window, "events")
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        page.filters["status"].setCurrentIndex(page.filters["status"].findText("Planned"))
    page.table.selectRow(0)
    ref = page.model.index(0, 0).data()
    page.set_status(EventStatus.CONFIRMED)

    def status_of(ref: str) -> EventStatus:
        with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as s:
            return s.scalars(select(TrainingEvent.status).where(TrainingEvent.ref == ref)).one()

    assert status_of(ref) is EventStatus.CONFIRMED
    qtbot.waitUntil(lambda: ref not in _table_column(page), timeout=30_000)  # filtered out
    window.actions_by_name["undo"].trigger()
    assert status_of(ref) is EventStatus.PLANNED
    qtbot.waitUntil(lambda: ref in _table_column(page), timeout=30_000)


def test_icons_follow_a_dark_palette(window: MainWindow, qtbot: QtBot) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    def ink(action_name: str) -> int:
        image = window.actions_by_name[action_name].icon().pixmap(48, 48).toImage()
        pixels = [
            image.pixelColor(x, y)
            for x in range(image.width())
            for y in range(image.height())
            if image.pixelColor(x, y).alpha() > 200
        ]
        assert pixels, "the icon drew nothing"
        return max(p.lightness() for p in pixels)

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.palette()
    assert ink("open") < 128  # dark ink on the default light palette
    dark = QPalette(original)
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        dark.setColor(group, QPalette.ColorRole.Window, QColor("#202124"))
        dark.setColor(group, QPalette.ColorRole.WindowText, QColor("#e8eaed"))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: ink("open") > 200, timeout=5000)
    finally:
        app.setPalette(original)


def test_an_event_not_yet_started_cannot_be_set_delivered(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    """A slip of the status menu would count seats as trained."""
    from datetime import date

    from scheduler.services import edits
    from scheduler.services.tables import EVENT_COLUMNS
    from scheduler.ui.tables.events_page import EventsPage

    # Whatever today is, one planned event two years ahead.
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        event = session.scalars(
            select(TrainingEvent)
            .where(TrainingEvent.status == EventStatus.PLANNED, TrainingEvent.series_id.is_(None))
            .limit(1)
        ).one()
        ref = event.ref
        edits.move_event(session, event.uuid, date(date.today().year + 2, 3, 1))
    window.open_path(demo_plan_path)
    page = _page(window, "events")
    assert isinstance(page, EventsPage)
    status = EVENT_COLUMNS.index("Status")
    qtbot.keyClicks(page.search, ref)
    qtbot.waitUntil(lambda: page.table.model().rowCount() == 1)
    first = page.table.visualRect(page.table.model().index(0, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    said: list[str] = []
    note_message(said)
    menu = page.status_button.menu()
    assert menu is not None
    delivered = next(a for a in menu.actions() if a.text() == "Delivered")
    delivered.trigger()
    assert said == [f"{ref} has not started yet: mark it delivered once it has taken place."]
    assert page.table.model().index(0, status).data() == "Planned"
    assert not window.actions_by_name["undo"].isEnabled()


def test_delete_says_a_record_is_in_use_before_asking_to_confirm(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.open_path(demo_plan_path)
    page = _page(window, "nations")
    qtbot.keyClicks(page.search, "RS")
    row = next(
        r
        for r in range(page.table.model().rowCount())
        if page.table.model().index(r, 0).data() == "RS"
    )
    point = page.table.visualRect(page.table.model().index(row, 0)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=point)
    said: list[str] = []
    note_message(said)
    qtbot.mouseClick(page.delete_button, Qt.MouseButton.LeftButton)
    assert len(said) == 1 and said[0].startswith("“RS” is still used by")
    assert "Change or delete those first." in said[0]


def test_help_opens_the_shipped_guide_and_lists_the_keys(window: MainWindow) -> None:
    from PySide6.QtWidgets import QTableWidget, QTextBrowser

    seen: dict[str, str] = {}

    def read_guide(dialog: QWidget) -> None:
        browser = dialog.findChild(QTextBrowser, "guide")
        assert browser is not None
        seen["guide"] = browser.toPlainText()
        assert dialog.width() <= 1366 and dialog.height() <= 720
        dialog.reject()

    when_modal(read_guide)
    window.actions_by_name["guide"].trigger()
    for task in ("Plan a course", "Resolve a clash", "Send a partner its schedule",
                 "Import a spreadsheet", "Share a plan"):  # fmt: skip
        assert task in seen["guide"]

    def read_keys(dialog: QWidget) -> None:
        table = dialog.findChild(QTableWidget, "shortcuts")
        assert table is not None
        seen["keys"] = "\n".join(
            " | ".join(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())
        )
        dialog.reject()

    when_modal(read_keys)
    window.actions_by_name["shortcuts"].trigger()
    assert "Edit | Undo | Ctrl+Z" in seen["keys"]
    assert "View | Calendar | Ctrl+2" in seen["keys"]
    assert "Help | User guide | F1" in seen["keys"]
    assert "Calendar | Previous / next month, week or day | Page Up / Page Down" in seen["keys"]
    assert "Save" not in seen["keys"].replace("Save a copy", "")  # no multimedia key names


def test_a_qualifications_award_date_is_picked_and_its_expiry_follows(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QDateEdit

    with open_plan(empty_plan_path) as plan, plan.session() as session:
        session.add(Qualification(code="CFA-I", name="First aid instructor", validity_months=24))
    window.open_path(empty_plan_path)
    page = _page(window, "instructors")
    picked: list[str] = []

    def create(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        try:
            fill_in(dialog)
        finally:  # a failed check leaves no dialog open for ever
            if dialog.isVisible():
                dialog.done(0)

    def fill_in(dialog: RecordEditor) -> None:
        _fill(dialog, name="Ëlira Çela", languages="sq; en")
        child = dialog.children_tables["qualifications"]
        add = child.findChild(QPushButton, "add_qualifications")
        assert add is not None
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        combo = child.table.cellWidget(0, 0)
        assert isinstance(combo, QComboBox)
        combo.setCurrentIndex(combo.findText("CFA-I"))
        cell = child.table.visualRect(child.table.model().index(0, 1)).center()
        qtbot.mouseClick(child.table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
        qtbot.keyClick(child.table, Qt.Key.Key_F2)  # edit the cell, as from the keyboard
        editor = child.table.findChild(QDateEdit)
        assert editor is not None and editor.isVisible()  # a calendar, not free text
        editor.setDate(QDate(2026, 1, 31))
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
        picked.append(child.table.item(0, 1).text())
        press(qtbot, dialog, "Save")

    when_modal(create)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert picked == ["2026-01-31"]
    values = page.document.read(lambda s: records.read_values(s, page.spec, page.model.uuid_at(0)))
    [held] = values["qualifications"]
    assert (str(held["awarded_on"]), str(held["expires_on"])) == ("2026-01-31", "2028-01-31")
