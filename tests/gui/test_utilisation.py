"""The Utilisation page as a planner reads it: cells, colours, filters, a double-click."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import (
    Course,
    EventInstructor,
    Instructor,
    Nation,
    TrainingEvent,
    Unavailability,
    Venue,
)
from scheduler.services.changes import Changes
from scheduler.storage import open_plan
from scheduler.ui.main_window import MainWindow
from scheduler.ui.tables.events_page import EventsPage
from scheduler.ui.utilisation.model import FIRST_WEEK, OVER_ROLE, RATIO_ROLE, TOTAL
from scheduler.ui.utilisation.page import UtilisationPage

# Armistice Day, Thursday 11 November 2027, is a public holiday in Serbia.
FIRST, LAST = date(2027, 11, 1), date(2027, 11, 14)
MARKO, ANA = "Марко Јовановић", "Ana Đurić"


def _build(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        rs = session.scalars(select(Nation).where(Nation.code == "RS")).one()
        me = session.scalars(select(Nation).where(Nation.code == "ME")).one()
        marko = Instructor(name=MARKO, nation=rs)
        ana = Instructor(
            name=ANA,
            nation=me,
            unavailability=[
                Unavailability(start_date=date(2027, 11, 1), end_date=date(2027, 11, 3))
            ],
        )
        course = Course(code="CFA", title="Combat first aid", duration_days=3)
        camp = Venue(name="Пасуљанске ливаде", nation=rs)
        session.add_all(
            [
                TrainingEvent(
                    ref="RS-1",
                    course=course,
                    venue=camp,
                    start=datetime(2027, 11, 8, 8),
                    end=datetime(2027, 11, 10, 16),
                    instructors=[EventInstructor(instructor=marko)],
                ),
                TrainingEvent(
                    ref="ME-1",
                    course=course,
                    start=datetime(2027, 11, 4, 8),
                    end=datetime(2027, 11, 5, 16),
                    instructors=[EventInstructor(instructor=ana)],
                ),
            ]
        )


def _page(window: MainWindow, qtbot: QtBot, path: Path) -> UtilisationPage:
    _build(path)
    assert window.open_path(path)
    window.show_page("utilisation")
    page = window.current_page()
    assert isinstance(page, UtilisationPage)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_period(FIRST, LAST)
    return page


def _names(page: UtilisationPage) -> list[str]:
    return [page.model.index(r, 0).data() for r in range(page.model.rowCount())]


def test_cells_show_booked_of_working_days_shaded_by_load(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    assert _names(page) == [ANA, MARKO]
    headers = [
        page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())
    ]
    assert headers == ["Name", "Nation", "Total", "W44 · 1 Nov", "W45 · 8 Nov"]
    # Marko, week 45: Monday to Wednesday of the four working days (Thursday is a holiday).
    cell = page.cell(MARKO, 1)
    assert cell.data() == "3/4"
    assert cell.data(RATIO_ROLE) == 0.75
    assert not cell.data(OVER_ROLE)
    fill = cell.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(fill, QColor)
    assert "Booked 3 of 4 working days (75%)" in cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "RS-1 CFA" in cell.data(Qt.ItemDataRole.ToolTipRole)
    # An idle week has no fill; a full one the strongest.
    assert page.cell(MARKO, 0).data() == "0/5"
    assert page.cell(MARKO, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    full = page.cell(ANA, 0)
    assert full.data() == "2/2"  # on leave Monday to Wednesday, booked Thursday and Friday
    full_fill = full.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(full_fill, QColor)
    base = page.palette().color(page.palette().ColorRole.Base)
    assert abs(full_fill.lightness() - base.lightness()) > abs(fill.lightness() - base.lightness())
    row = page.model.row_of_name(MARKO)
    assert row is not None
    assert page.model.index(row, TOTAL).data() == "3/9 · 33%"


def test_a_double_booking_turns_the_cell_red(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    assert window.document is not None

    def add_clash(session: Session) -> Changes:
        marko = session.scalars(select(Instructor).where(Instructor.name == MARKO)).one()
        course = session.scalars(select(Course)).first()
        session.add(
            TrainingEvent(
                ref="RS-2",
                course=course,
                start=datetime(2027, 11, 10, 8),
                end=datetime(2027, 11, 10, 16),
                instructors=[EventInstructor(instructor=marko)],
            )
        )
        return Changes.of("event")

    with qtbot.waitSignal(page.loaded, timeout=30_000):
        window.document.write(add_clash)
    cell = page.cell(MARKO, 1)
    assert cell.data() == "3/4"  # Wednesday counted once
    assert cell.data(OVER_ROLE)
    fill = cell.data(Qt.ItemDataRole.BackgroundRole)
    assert isinstance(fill, QColor) and fill.red() > 2 * fill.blue()
    assert "Double-booked on 1 day" in cell.data(Qt.ItemDataRole.ToolTipRole)
    # Sorting by the total puts the over-booked first.
    page.names.sortByColumn(TOTAL, Qt.SortOrder.AscendingOrder)
    assert _names(page) == [MARKO, ANA]


def test_nation_filter_and_venues(qtbot: QtBot, window: MainWindow, empty_plan_path: Path) -> None:
    page = _page(window, qtbot, empty_plan_path)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_nation("RS")
    assert _names(page) == [MARKO]
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_nation("AL")
    assert _names(page) == []
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_nation(None)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        qtbot.mouseClick(page.venues_button, Qt.MouseButton.LeftButton)
    assert _names(page) == ["Пасуљанске ливаде"]
    assert page.cell("Пасуљанске ливаде", 1).data() == "3/4"
    assert page.model.index(0, 1).data() == "RS"


def test_quarter_and_year_buttons(qtbot: QtBot, window: MainWindow, empty_plan_path: Path) -> None:
    page = _page(window, qtbot, empty_plan_path)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.show_quarter()
    assert page.period_shown() == (date(2027, 10, 1), date(2027, 12, 31))
    assert page.model.columnCount() == FIRST_WEEK + 14
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        later = page.findChild(QPushButton, "utilisation_later")
        assert later is not None
        later.click()
    assert page.period_shown() == (date(2028, 1, 1), date(2028, 3, 31))
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.show_year()
    assert page.period_shown() == (date(2028, 1, 1), date(2028, 12, 31))


def test_double_click_on_a_week_opens_its_first_event(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    index = page.cell(MARKO, 1)
    rect = page.weeks.visualRect(index)
    qtbot.mouseClick(page.weeks.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(page.jump_to_event, timeout=5000) as jumped:
        qtbot.mouseDClick(page.weeks.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert jumped.args == ["RS-1"]
    assert isinstance(window.current_page(), EventsPage)


def test_heatmap_model_passes_the_model_tester(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path, qtmodeltester: object
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    qtmodeltester.check(page.model)  # type: ignore[attr-defined]


def test_a_nation_added_meanwhile_joins_the_filter(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    from scheduler.services import edits
    from scheduler.ui.document import UndoStep

    page = _page(window, qtbot, empty_plan_path)
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        page.set_nation("RS")
    assert window.document is not None
    nation = {"code": "HR", "name": "Hrvatska", "time_zone": "Europe/Zagreb", "languages": []}
    with qtbot.waitSignal(page.loaded, timeout=30_000):
        window.document.push(UndoStep("Add nation", edits.create_record, "nation", nation))
    assert page.nation.findData("HR") >= 0
    assert page.nation_code() == "RS"  # the choice is kept


def test_print_takes_the_heatmap_numbers_as_shown(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    from scheduler.ui.printable import page_listing

    page = _page(window, qtbot, empty_plan_path)
    listing = page_listing(page)
    assert listing is not None
    assert listing.title == "Instructor utilisation"
    assert listing.headings == ("Name", "Nation", "Total", "W44\n1 Nov", "W45\n8 Nov")
    assert listing.numeric == (False, False, True, True, True)
    marko = next(row for row in listing.rows if row[0] == MARKO)
    assert marko[4] == "3/4"
    assert "booked of available working days" in listing.scope


def test_in_hours_counts_each_courses_hours_a_day_and_exports_as_shown(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path, tmp_path: Path, monkeypatch
) -> None:
    from openpyxl import load_workbook
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QFileDialog

    page = _page(window, qtbot, empty_plan_path)
    marko = _names(page).index(MARKO)
    week = FIRST_WEEK + 1  # 8-14 November: CFA for 3 days of 7 hours; 11 Nov a holiday
    assert page.model.index(marko, week).data() == "3/4"
    box = page.hours_box
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert page.model.index(marko, week).data() == "21/32"
    assert page.model.index(marko, TOTAL).data() == "21/72 h · 29%"
    assert "hours booked / hours available" in page.legend.text()

    target = tmp_path / "utilisation Јовановић.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    export = page.findChild(QPushButton, "utilisation_export")
    qtbot.mouseClick(export, Qt.MouseButton.LeftButton)
    sheet = load_workbook(target)["Utilisation"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("Name", "Nation", "Booked (hours)", "Available (hours)", "Share",
                           "W44 1 Nov")  # fmt: skip
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name[MARKO][2:5] == (21, 72, 21 / 72)
    assert by_name[MARKO][5:7] == (0, 21)
    assert by_name["All"][2] == sum(by_name[name][2] for name in (MARKO, ANA))
    assert "booked hours of available hours" in rows[-1][0]
    assert sheet.print_title_rows == "$1:$1"
    assert "OFFICIAL" in sheet.oddHeader.center.text
