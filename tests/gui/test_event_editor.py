"""The event editor: working-day ends, recurrence preview, live conflicts, saving."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from scheduler.model import EventSeries, TrainingEvent
from scheduler.planning.recurrence import Series, expand
from scheduler.services.series import calendar_for_values
from scheduler.ui.event_editor.dialog import EventEditor, edit_event
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.list_page import ListPage
from tests.gui.conftest import double_click_row, press, when_modal


def _open(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    assert window.open_path(path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)


def _editor(window: MainWindow, ref: str | None) -> EventEditor:
    document, monitor = window.document, window.monitor
    assert document is not None and monitor is not None
    from scheduler.services import records
    from scheduler.services.entity_specs import spec_for
    from scheduler.services.series import series_info

    if ref is None:
        values = {"start": datetime(2027, 6, 7, 8, 30), "end": datetime(2027, 6, 7, 16, 0),
                  "status": "draft", "audience": [], "instructors": []}  # fmt: skip
        return EventEditor(document, monitor, values, None)
    uuid = document.read(
        lambda s: s.scalar(select(TrainingEvent.uuid).where(TrainingEvent.ref == ref))
    )
    values = document.read(lambda s: records.read_values(s, spec_for("event"), uuid))
    info = document.read(lambda s: series_info(s, uuid))
    return EventEditor(document, monitor, values, uuid, info)


def test_the_recurrence_preview_matches_the_engine(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    editor = _editor(window, None)
    qtbot.addWidget(editor)
    editor.recurrence.setChecked(True)
    editor.recurrence.frequency.setCurrentIndex(editor.recurrence.frequency.findData("MONTHLY"))
    editor.recurrence.monthly.setCurrentIndex(editor.recurrence.monthly.findData("nth"))
    editor.recurrence.end_kind.setCurrentIndex(editor.recurrence.end_kind.findData("count"))
    editor.recurrence.count.setValue(6)
    editor.recurrence.exceptions.setText("2027-08-02")
    rule = editor.recurrence.rule_text()
    assert rule == "FREQ=MONTHLY;BYDAY=1MO;COUNT=6"
    assert editor.recurrence.summary.text() == "Monthly on the first Monday, 6 times"
    start = datetime(2027, 6, 7, 8, 30)
    engine = expand(
        Series(rule, start, timedelta(hours=7), (datetime(2027, 8, 2, 8, 30),)),
        start,
        start + timedelta(days=3650),
    )
    assert editor.recurrence.preview_texts() == [f"{o.start:%a %d %b %Y %H:%M}" for o in engine]
    assert len(engine) == 5  # six by the rule, one left out


def test_the_end_follows_the_course_working_days(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    editor = _editor(window, None)
    qtbot.addWidget(editor)
    course = next(c for c in editor.choices.courses if c.extra["days"] == 5)
    editor.course.setCurrentIndex(editor.course.findData(course.uuid))
    venue = next(v for v in editor.choices.venues if v.extra["nation"] == "MK")
    editor.venue.setCurrentIndex(editor.venue.findData(venue.uuid))
    editor.start_date.setDate(QDate(2027, 4, 29))  # Thursday before 1 May and Orthodox Easter
    values = editor.values()
    document = window.document
    assert document is not None
    expected = document.read(
        lambda s: calendar_for_values(s, values).end_date(date(2027, 4, 29), 5)
    )
    assert editor.end() == datetime.combine(expected, time(16, 0))
    assert expected > date(2027, 5, 5)  # holidays pushed it past the plain five days


def test_live_conflicts_and_saving_a_recurring_event_as_one_undo_step(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    editor = _editor(window, "MK-2027-031")  # Криволак, 15–16 Mar
    qtbot.addWidget(editor)
    assert editor.conflict_texts() == ["No conflicts."]
    editor._end_touched = True
    editor.start_date.setDate(QDate(2027, 3, 2))  # onto MK-2027-025 at the same range
    editor.end_date.setDate(QDate(2027, 3, 3))
    editor.update_conflicts()
    assert any("MK-2027-025" in t or "Криволак" in t for t in editor.conflict_texts())
    monitor = window.monitor
    assert monitor is not None
    assert not [c for c in monitor.conflicts() if "MK-2027-031" in c.events]  # engine put back

    document = window.document
    assert document is not None

    def counts() -> tuple[int, int]:
        return document.read(
            lambda s: (
                s.scalar(select(func.count()).select_from(TrainingEvent)),
                s.scalar(select(func.count()).select_from(EventSeries)),
            )
        )

    before = counts()
    new = _editor(window, None)
    qtbot.addWidget(new)
    new.course.setCurrentIndex(1)
    new.recurrence.setChecked(True)
    new.recurrence.frequency.setCurrentIndex(new.recurrence.frequency.findData("WEEKLY"))
    new.recurrence.end_kind.setCurrentIndex(new.recurrence.end_kind.findData("count"))
    new.recurrence.count.setValue(4)
    new.try_accept()
    assert new.problems.text() == ""
    assert counts() == (before[0] + 4, before[1] + 1)
    window.actions_by_name["undo"].trigger()
    assert counts() == before
    window.actions_by_name["redo"].trigger()
    assert counts() == (before[0] + 4, before[1] + 1)


def test_double_click_in_the_events_list_opens_the_event_editor(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    window.show_page("events")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.model.rowCount() > 0, timeout=30_000)  # type: ignore[union-attr]
    seen: list[str] = []

    def look(dialog: QWidget) -> None:
        seen.append(type(dialog).__name__)
        dialog.close()

    when_modal(look)
    assert isinstance(page, ListPage)
    double_click_row(qtbot, page.table, page.table.model().index(0, 0).data())
    assert seen == ["EventEditor"]
    assert edit_event is not None


def test_a_refused_save_names_the_fields_as_the_form_does(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:

    _open(window, qtbot, demo_plan_path)
    editor = _editor(window, "MK-2027-031")
    qtbot.addWidget(editor)
    editor.show()
    seats = sum(
        editor.audience.cellWidget(r, 1).value()  # type: ignore[union-attr]
        for r in range(editor.audience.rowCount())
    )
    typed = editor.attended.value()
    editor.attended.setValue(seats + 5)
    press(qtbot, editor, "Save")
    assert editor.problems.text().startswith(f"Attended: Cannot be more than the event's {seats}")
    editor.attended.setValue(typed)  # nothing left to ask about when the test closes it
