"""Modules come in from a spreadsheet as typed: an event's rows replace its
modules, one written out comes back unchanged, and a module that cannot be
is refused with sheet, row and column."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    Course,
    EventInstructor,
    EventModule,
    Instructor,
    Nation,
    TrainingEvent,
    Venue,
)
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template

ANA, MARKO = "Ana Đurić", "Марко Петровски"


def _seed(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalar(select(Nation).where(Nation.code == "MK"))
        ana, marko = Instructor(name=ANA, nation=mk), Instructor(name=MARKO, nation=mk)
        session.add(Venue(name="Krivolak", nation=mk))
        scc = Course(code="SCC", title="Section commanders", duration_days=10)
        session.add(
            TrainingEvent(
                ref="MK-2027-001", course=scc, venue=Venue(name="Касарна Илинден", nation=mk),
                start=datetime(2027, 6, 7, 8, 30), end=datetime(2027, 6, 18, 16, 0),
                instructors=[EventInstructor(instructor=ana), EventInstructor(instructor=marko)],
            )
        )  # fmt: skip


def _modules(path: Path) -> list[tuple[object, ...]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return [
            (m.title, m.start, m.end, m.venue.name if m.venue else None,
             sorted(s.instructor.name for s in m.staff))
            for m in session.scalars(select(EventModule).order_by(EventModule.start))
        ]  # fmt: skip


def test_modules_come_in_as_typed_replace_the_events_own_and_round_trip(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    _seed(empty_plan_path)
    rows = [
        {"Event": "MK-2027-001", "Module": "Classroom week", "Start": datetime(2027, 6, 7, 8, 30),
         "End": datetime(2027, 6, 11, 16, 0), "Instructors": MARKO},
        {"Event": "MK-2027-001", "Module": "Полигон", "Start": datetime(2027, 6, 14, 8, 30),
         "End": datetime(2027, 6, 18, 16, 0), "Venue": "Krivolak", "Instructors": ANA},
    ]  # fmt: skip
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "modules.xlsx", {"Modules": rows}))
    assert not report.errors, report.text()
    expected = [
        ("Classroom week", datetime(2027, 6, 7, 8, 30), datetime(2027, 6, 11, 16, 0), None,
         [MARKO]),
        ("Полигон", datetime(2027, 6, 14, 8, 30), datetime(2027, 6, 18, 16, 0), "Krivolak",
         [ANA]),
    ]  # fmt: skip
    assert _modules(empty_plan_path) == expected

    again = tmp_path / "again.xlsx"
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        write_template(again, plan=plan, marking="OFFICIAL")
    with open_plan(empty_plan_path) as plan:
        unchanged = import_file(plan, again)
    assert not unchanged.errors and not unchanged.changed, unchanged.text()
    assert _modules(empty_plan_path) == expected

    # One row for the event now: its modules are that one.
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "one.xlsx", {"Modules": rows[1:]}))
    assert not report.errors, report.text()
    assert _modules(empty_plan_path) == expected[1:]


def test_a_module_that_cannot_be_is_refused_where_it_was_typed(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    _seed(empty_plan_path)
    rows = [
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 7, 8, 30),
         "End": datetime(2027, 6, 11, 16, 0)},
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 10, 8, 30),
         "End": datetime(2027, 6, 12, 16, 0)},  # overlaps the first
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 21, 8, 30),
         "End": datetime(2027, 6, 22, 16, 0), "Venue": "Nowhere"},  # after the event
        {"Event": "MK-2099-001", "Start": datetime(2027, 6, 7, 8, 30),
         "End": datetime(2027, 6, 8, 16, 0)},
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 16, 8, 30),
         "End": datetime(2027, 6, 16, 8, 0), "Instructors": "Nobody"},
    ]  # fmt: skip
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "bad.xlsx", {"Modules": rows}))
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "outside its event" in places[("Modules", 4, "Start")]
    assert "unknown venue “Nowhere”" in places[("Modules", 4, "Venue")]
    assert "no event with the Ref “MK-2099-001”" in places[("Modules", 5, "Event")]
    assert places[("Modules", 6, "End")] == "must be after Start"
    assert "unknown instructor “Nobody”" in places[("Modules", 6, "Instructors")]
    assert not report.imported
    assert _modules(empty_plan_path) == []


def test_modules_of_one_event_that_overlap_are_refused(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    _seed(empty_plan_path)
    rows = [
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 7, 8, 30),
         "End": datetime(2027, 6, 11, 16, 0)},
        {"Event": "MK-2027-001", "Start": datetime(2027, 6, 10, 8, 30),
         "End": datetime(2027, 6, 12, 16, 0)},
    ]  # fmt: skip
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "overlap.xlsx", {"Modules": rows}))
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "overlaps the module before it" in places[("Modules", 3, "Start")]
    assert _modules(empty_plan_path) == []
