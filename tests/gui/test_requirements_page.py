"""The Requirements page as a planner uses it: numbers, then "Schedule this…"."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QSpinBox, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import (
    CapabilityTarget,
    Course,
    EventAudience,
    EventStatus,
    Instructor,
    Nation,
    TrainingEvent,
    TrainingRequirement,
    Unit,
    Venue,
)
from scheduler.storage import open_plan
from scheduler.ui.event_editor.dialog import EventEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.qt_dates import to_date
from scheduler.ui.tables.requirements_page import HEADERS, RequirementsPage
from tests.gui.conftest import when_modal

TARGET = "Лесен пешадиски баталјон: NATO EL2"


def _build(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        battalion = Unit(code="MK-LIB", name="Баталјон лесна пешадија", nation=mk)
        course = Course(
            code="CFA", title="Combat first aid", duration_days=2, max_trainees=12, language="mk"
        )
        other = Course(code="OPP", title="Orders process", duration_days=1, language="mk")
        session.add_all(
            [
                Venue(name="Криволак", nation=mk, capacity=30),
                Instructor(name="Ана Ѓорѓиевска", nation=mk),
            ]
        )

        def event(ref: str, day: int, status: EventStatus, seats: int) -> TrainingEvent:
            return TrainingEvent(
                ref=ref,
                course=course,
                start=datetime(2027, 1, day, 8, 30),
                end=datetime(2027, 1, day + 1, 15, 30),
                status=status,
                attended=3 if status is EventStatus.DELIVERED else None,
                audience=[EventAudience(unit=battalion, seats=seats)],
            )

        session.add_all(
            [
                event("MK-1", 11, EventStatus.PLANNED, 5),
                event("MK-2", 18, EventStatus.DELIVERED, 4),
                CapabilityTarget(
                    name=TARGET,
                    unit=battalion,
                    due_date=date(2027, 12, 31),
                    requirements=[
                        TrainingRequirement(unit=battalion, course=course, people=20),
                        TrainingRequirement(unit=battalion, course=other, people=6),
                    ],
                ),
            ]
        )


def _wait_for_numbers(page: RequirementsPage, qtbot: QtBot, rows: int) -> None:
    """The requirements show at once ("Checking…"); their numbers come after."""
    status = page.model.headers.index("Status")

    def shown() -> bool:
        model = page.model
        statuses = [model.index(r, status).data() for r in range(model.rowCount())]
        return len(statuses) == rows and "Checking…" not in statuses

    qtbot.waitUntil(shown, timeout=30_000)


def _page(window: MainWindow, qtbot: QtBot, path: Path) -> RequirementsPage:
    _build(path)
    assert window.open_path(path)
    window.show_page("requirements")
    page = window.current_page()
    assert isinstance(page, RequirementsPage)
    _wait_for_numbers(page, qtbot, rows=2)
    return page


def _cells(page: RequirementsPage, course: str) -> dict[str, str]:
    model = page.model
    for row in range(model.rowCount()):
        cells = {h: model.index(row, c).data() for c, h in enumerate(HEADERS)}
        if cells["Course"].startswith(course):
            return cells
    raise AssertionError(f"no row for {course}")


def test_requirement_numbers_as_shown(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    cells = _cells(page, "CFA")
    assert cells == {
        "Target": TARGET,
        "Unit": "MK-LIB — Баталјон лесна пешадија",
        "Course": "CFA — Combat first aid",
        "Required": "20",
        "Scheduled": "5",
        "Delivered": "3",
        "Named": "",  # the plan names no one
        "Due": "2027-12-31",
        "Status": "At risk",
    }
    row = next(
        r for r in range(page.model.rowCount()) if page.model.index(r, 2).data()[:3] == "CFA"
    )
    status = page.model.index(row, HEADERS.index("Status"))
    colour = status.data(Qt.ItemDataRole.ForegroundRole)
    assert colour is not None and colour.red() > colour.green()  # red: not on track
    assert "12 short by 31 Dec 2027" in status.data(Qt.ItemDataRole.ToolTipRole)
    # Only those not on track: both are at risk here; selecting the target keeps both too.
    page.only_open.setChecked(True)
    assert page.model.rowCount() == 2
    page.targets.table.selectRow(0)
    assert page.model.rowCount() == 2
    assert page.title.text() == f"Training requirements of {TARGET}"


def test_schedule_this_opens_the_editor_on_the_first_free_slot_and_counts_it(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    page.today = date(2027, 3, 1)  # a Monday with no holiday in North Macedonia
    row = page.model.row_of(
        next(u for u, r in page.model.details.items() if r.numbers.course_code == "CFA")
    )
    assert row is not None
    page.table.selectRow(row)
    seen: dict[str, object] = {}

    def inspect(dialog: QWidget) -> None:
        assert isinstance(dialog, EventEditor)
        unit = dialog.audience.cellWidget(0, 0)
        seats = dialog.audience.cellWidget(0, 1)
        person = dialog.instructors.cellWidget(0, 0)
        assert isinstance(unit, QComboBox) and isinstance(seats, QSpinBox)
        assert isinstance(person, QComboBox)
        seen.update(
            course=dialog.course.currentText(),
            unit=unit.currentText(),
            seats=seats.value(),
            venue=dialog.venue.currentText(),
            instructor=person.currentText(),
            first=to_date(dialog.start_date.date()),
            last=to_date(dialog.end_date.date()),
            start=dialog.start_time.time().toString("HH:mm"),
            status=dialog.status.currentData(),
        )
        dialog.try_accept()

    when_modal(inspect, timeout_ms=30_000)
    with qtbot.waitSignal(page.scheduling_done, timeout=30_000):
        qtbot.mouseClick(page.schedule_button, Qt.MouseButton.LeftButton)
    assert seen == {
        "course": "CFA — Combat first aid",
        "unit": "MK-LIB — Баталјон лесна пешадија",
        # The shortfall is 20 - 5 - 3 = 12, and the course takes 12 at most.
        "seats": 12,
        "venue": "Криволак (MK)",
        "instructor": "Ана Ѓорѓиевска",
        "first": date(2027, 3, 1),
        "last": date(2027, 3, 2),
        "start": "08:30",
        "status": "planned",
    }
    qtbot.waitUntil(lambda: _cells(page, "CFA")["Scheduled"] == "17", timeout=30_000)
    assert _cells(page, "CFA")["Status"] == "On track"
    assert window.document is not None
    starts = window.document.read(
        lambda s: s.scalars(
            select(TrainingEvent.start).where(TrainingEvent.start >= datetime(2027, 3, 1))
        ).all()
    )
    assert starts == [datetime.combine(date(2027, 3, 1), time(8, 30))]
    assert window.actions_by_name["undo"].isEnabled()


def test_without_a_free_slot_the_editor_opens_with_course_and_unit_only(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    page = _page(window, qtbot, empty_plan_path)
    # No day in the search window: nothing can fit.
    page.today = date(2027, 3, 1)
    row = page.model.row_of(
        next(u for u, r in page.model.details.items() if r.numbers.course_code == "OPP")
    )
    assert row is not None
    page.table.selectRow(row)
    monitor = window.monitor
    assert monitor is not None
    qtbot.waitUntil(lambda: monitor.ready, timeout=30_000)
    assert monitor.engine is not None
    monitor.engine.plan.venues.clear()  # no venue at all: the finder finds nothing
    seen: dict[str, object] = {}
    messages: list[str] = []
    page.status.connect(messages.append)

    def inspect(dialog: QWidget) -> None:
        assert isinstance(dialog, EventEditor)
        seats = dialog.audience.cellWidget(0, 1)
        assert isinstance(seats, QSpinBox)
        seen.update(
            course=dialog.course.currentText(),
            seats=seats.value(),
            venue=dialog.venue.currentText(),
            instructors=dialog.instructors.rowCount(),
        )
        dialog.reject()

    when_modal(inspect, timeout_ms=30_000)
    with qtbot.waitSignal(page.scheduling_done, timeout=30_000):
        page.schedule_selected()
    assert seen == {
        "course": "OPP — Orders process",
        "seats": 6,
        "venue": "(no venue)",
        "instructors": 0,
    }
    assert any(m.startswith("No free dates within a year for OPP") for m in messages)


def test_more_people_trained_than_seats_is_flagged(
    qtbot: QtBot, window: MainWindow, empty_plan_path: Path
) -> None:
    """Attendance recorded above the seats (a plan from before the editor refused it)."""
    _build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        delivered = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == "MK-2")).one()
        delivered.attended = 9  # 4 seats
    assert window.open_path(empty_plan_path)
    window.show_page("requirements")
    page = window.current_page()
    assert isinstance(page, RequirementsPage)
    _wait_for_numbers(page, qtbot, rows=2)
    cells = _cells(page, "CFA")
    assert cells["Delivered"] == "9 ⚠"
    row = next(
        r for r in range(page.model.rowCount()) if page.model.index(r, 2).data()[:3] == "CFA"
    )
    tip = page.model.index(row, HEADERS.index("Delivered")).data(Qt.ItemDataRole.ToolTipRole)
    assert "More people trained (9) than the delivered events held seats (4)" in tip
