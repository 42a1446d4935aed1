"""The working week belongs to the plan: what one planner sets, every planner
and every command counts alike, whatever their own settings say."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.cli import main
from scheduler.model import Course, Nation, TrainingEvent, Venue
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.dialogs.record_editor import RecordEditor
from scheduler.ui.event_editor.dialog import EventEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.list_page import ListPage
from scheduler.ui.tables.record_page import RecordPage
from tests.gui.conftest import click_nav, press, when_modal

SUNDAY = date(2027, 11, 7)


def _seed(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        albania = session.scalar(select(Nation).where(Nation.code == "AL"))
        session.add(Course(code="SCC", title="Kursi i komandantëve të togës", duration_days=5,
                           category="Leadership", language="sq"))  # fmt: skip
        session.add(Venue(name="Qendra Zall-Herr", nation=albania))


def _legacy_settings(folder: Path) -> None:
    """An INI from before the working week moved into the plan: Monday to Saturday."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "preferences.ini").write_text(
        "[preferences]\nmarking = OFFICIAL\nworking_weekdays = 0,1,2,3,4,5\n", encoding="utf-8"
    )


def _page(window: MainWindow, qtbot: QtBot, title: str) -> QWidget:
    row = next(i for i in range(window.nav.count()) if window.nav.item(i).text() == title)
    return click_nav(qtbot, window, row)


def _tick(qtbot: QtBot, box: QCheckBox) -> None:
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))


def test_a_working_week_set_in_the_window_is_what_every_planner_counts(
    window: MainWindow,
    qtbot: QtBot,
    empty_plan_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _seed(empty_plan_path)
    window.open_path(empty_plan_path)
    nations = _page(window, qtbot, "Nations")
    assert isinstance(nations, RecordPage)
    codes = [nations.model.index(r, 0).data() for r in range(nations.model.rowCount())]
    week_column = [f.name for f in nations.spec.table_fields].index("working_weekdays")
    albania = codes.index("AL")
    assert nations.model.index(albania, week_column).data() == "Mon–Fri"

    def sunday_to_thursday(dialog: QWidget) -> None:
        assert isinstance(dialog, RecordEditor)
        boxes = dialog.editors["working_weekdays"].widget
        _tick(qtbot, boxes.findChild(QCheckBox, "weekday_6"))  # Sunday on
        _tick(qtbot, boxes.findChild(QCheckBox, "weekday_4"))  # Friday off
        press(qtbot, dialog, "Save")

    nations.table.selectRow(albania)
    when_modal(sunday_to_thursday)
    qtbot.mouseClick(nations.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: nations.model.index(albania, week_column).data() == "Sun–Thu")

    # A five-day course from Sunday ends on Thursday in the event editor.
    events = _page(window, qtbot, "Events")
    assert isinstance(events, ListPage)
    shown: list[date] = []

    def lay_out(dialog: QWidget) -> None:
        assert isinstance(dialog, EventEditor)
        dialog.course.setCurrentIndex(dialog.course.findText("SCC", Qt.MatchFlag.MatchStartsWith))
        dialog.venue.setCurrentIndex(dialog.venue.findText("Qendra", Qt.MatchFlag.MatchStartsWith))
        dialog.start_date.setDate(QDate(SUNDAY.year, SUNDAY.month, SUNDAY.day))
        shown.append(dialog.end_date.date().toPython())
        press(qtbot, dialog, "Save")

    when_modal(lay_out)
    qtbot.mouseClick(events.add_button, Qt.MouseButton.LeftButton)
    assert shown == [date(2027, 11, 11)]
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        event = session.scalar(select(TrainingEvent))
        assert event is not None
        assert (event.start.date(), event.end.date()) == (SUNDAY, date(2027, 11, 11))
        ref = event.ref
    window.close_plan()

    # Another planner, whose own old settings say Monday to Saturday, exports
    # from the command line: the schedule counts the plan's five working days.
    other = tmp_path / "other planner"
    _legacy_settings(other)
    monkeypatch.setenv("TRAINING_SCHEDULER_HOME", str(other))
    out = tmp_path / "master.xlsx"
    assert main(["export", str(empty_plan_path), "-o", str(out), "--quiet"]) == 0
    sheet = load_workbook(out)["Schedule"]
    header = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == "Ref")
    row = next(r for r in sheet.iter_rows(values_only=True) if r and r[0] == ref)
    assert row[header.index("Work days")] == 5


def test_a_venue_keeps_the_holidays_of_a_region_of_its_own_nation_only(
    window: MainWindow, qtbot: QtBot, empty_plan_path: Path
) -> None:
    window.open_path(empty_plan_path)
    venues = _page(window, qtbot, "Venues")
    assert isinstance(venues, RecordPage)
    seen: list[str] = []

    def fill(dialog: QWidget, nation: str, region: str) -> None:
        assert isinstance(dialog, RecordEditor)
        name = dialog.editors["name"].widget
        assert isinstance(name, QLineEdit)
        name.setText("Kasarna Rajlovac")
        nations = dialog.editors["nation"].widget
        regions = dialog.editors["holiday_region"].widget
        assert isinstance(nations, QComboBox) and isinstance(regions, QComboBox)
        nations.setCurrentIndex(nations.findText(nation))
        regions.setCurrentIndex(regions.findText(region, Qt.MatchFlag.MatchStartsWith))

    def in_albania(dialog: QWidget) -> None:
        fill(dialog, "AL", "Republika Srpska")
        press(qtbot, dialog, "Save")
        label = dialog.findChild(QLabel, "message_holiday_region")
        assert label is not None
        seen.append(label.text())
        fill(dialog, "BA", "Republika Srpska")
        press(qtbot, dialog, "Save")

    when_modal(in_albania)
    qtbot.mouseClick(venues.add_button, Qt.MouseButton.LeftButton)
    assert seen == ["That region is not in Albania."]
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        venue = session.scalar(select(Venue))
        assert venue is not None and venue.holiday_region == "SRP"
    region_column = [f.name for f in venues.spec.table_fields].index("holiday_region")
    qtbot.waitUntil(lambda: venues.model.rowCount() == 1)
    assert venues.model.index(0, region_column).data() == "Republika Srpska (BA)"
