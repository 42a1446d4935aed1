"""Providers, milestones, collective tasks and costs come in from a
spreadsheet as typed (Excel date and number cells), replace a target's or an
event's own list, come back unchanged from the plan's template, and a row
that cannot be is refused with sheet, row and column."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    CapabilityTarget,
    CollectiveTask,
    Course,
    EvaluationMilestone,
    EventAudience,
    EventCost,
    Nation,
    Provider,
    TrainingEvent,
    Unit,
)
from scheduler.model.enums import CourseKind
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template

TARGET = "Лесен пешадиски баталјон — NATO"


def _seed(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalar(select(Nation).where(Nation.code == "MK"))
        unit = Unit(code="MK-1BN", name="1-ви баталјон", nation=mk)
        scc = Course(code="SCC", title="Section commanders", duration_days=10)
        ftx = Course(code="FTX", title="Field exercise", duration_days=5, kind=CourseKind.EXERCISE)
        session.add_all([unit, scc, ftx])
        session.add(CapabilityTarget(name=TARGET, unit=unit, due_date=date(2028, 6, 30)))
        session.add(
            TrainingEvent(
                ref="MK-2027-001", course=scc, start=datetime(2027, 6, 7, 8, 30),
                end=datetime(2027, 6, 18, 16, 0), audience=[EventAudience(unit=unit, seats=8)],
            )
        )  # fmt: skip


def _read(path: Path) -> dict[str, object]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        event = session.scalar(select(TrainingEvent).where(TrainingEvent.ref == "MK-2027-001"))
        exercise = session.scalar(select(TrainingEvent).where(TrainingEvent.ref == "MK-2027-050"))
        assert event is not None
        return {
            "providers": sorted(
                (p.name, str(p.kind), p.nation.code if p.nation else None)
                for p in session.scalars(select(Provider))
            ),
            "delivered by": event.provider.name if event.provider else None,
            "funding": event.funding_line,
            "exercise seats": [a.seats for a in exercise.audience] if exercise else None,
            "milestones": [
                (str(m.kind), m.day, str(m.result), m.notes)
                for m in session.scalars(
                    select(EvaluationMilestone).order_by(EvaluationMilestone.day)
                )
            ],
            "tasks": sorted(
                (t.name, str(t.rating), t.rated_on, t.rating_source,
                 sorted(c.code for c in t.courses))
                for t in session.scalars(select(CollectiveTask))
            ),
            "costs": sorted(
                (str(c.kind), c.planned, c.actual, c.note)
                for c in session.scalars(select(EventCost))
            ),
        }  # fmt: skip


SHEETS = {
    "Providers": [
        {"Name": "Home Office Border Force", "Kind": "UK government"},
        {"Name": "British Army Training Team", "Kind": "nation", "Nation": "GB", "Notes": "Đakovo"},
    ],
    "Events": [
        {"Ref": "MK-2027-001", "Course": "SCC", "Start": datetime(2027, 6, 7, 8, 30),
         "End": datetime(2027, 6, 18, 16, 0), "Delivered by": "Home Office Border Force",
         "Funding line": "ISF — WB"},
        {"Ref": "MK-2027-050", "Course": "FTX", "Start": datetime(2027, 9, 6, 7, 0),
         "End": datetime(2027, 9, 10, 17, 0), "Units": "MK-1BN:0"},
    ],
    "Milestones": [
        {"Unit": "MK-1BN", "Target": TARGET, "Evaluation": "NEL1", "Date": datetime(2028, 3, 1)},
        {"Unit": "MK-1BN", "Target": TARGET, "Evaluation": "SEL1", "Date": datetime(2027, 11, 15),
         "Result": "ready with comments", "Notes": "Два задатка"},
    ],
    "Collective tasks": [
        {"Unit": "MK-1BN", "Target": TARGET, "Task": "Defend a position",
         "Rating": "needs practice", "Rated on": datetime(2027, 11, 15),
         "Rated by": "SEL1", "Trained by": "SCC; FTX"},
    ],
    "Costs": [
        {"Event": "MK-2027-001", "Kind": "travel", "Planned": 1250.5, "Actual": 1302.75},
        {"Event": "MK-2027-001", "Kind": "interpreters", "Planned": 900, "Note": "Ëlira"},
    ],
}  # fmt: skip


def test_coordination_sheets_come_in_as_typed_and_round_trip(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    _seed(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "in.xlsx", SHEETS))
    assert not report.errors, report.text()
    expected = {
        "providers": [
            ("British Army Training Team", "nation", "GB"),
            ("Home Office Border Force", "uk_government", None),
        ],
        "delivered by": "Home Office Border Force",
        "funding": "ISF — WB",
        "exercise seats": [0],
        "milestones": [
            ("sel1", date(2027, 11, 15), "ready_with_comments", "Два задатка"),
            ("nel1", date(2028, 3, 1), "pending", None),
        ],
        "tasks": [
            ("Defend a position", "needs_practice", date(2027, 11, 15), "SEL1", ["FTX", "SCC"])
        ],
        "costs": [("interpreters", 900.0, None, "Ëlira"), ("travel", 1250.5, 1302.75, None)],
    }
    assert _read(empty_plan_path) == expected

    again = tmp_path / "again.xlsx"
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        write_template(again, plan=plan, marking="OFFICIAL")
    with open_plan(empty_plan_path) as plan:
        unchanged = import_file(plan, again)
    assert not unchanged.errors and not unchanged.changed, unchanged.text()
    assert _read(empty_plan_path) == expected

    # A target's rows replace its milestones; an event's rows its costs.
    fewer = {
        "Milestones": [SHEETS["Milestones"][0]],
        "Costs": [{"Event": "MK-2027-001", "Kind": "venue", "Planned": 300}],
    }
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "fewer.xlsx", fewer))
    assert not report.errors, report.text()
    after = _read(empty_plan_path)
    assert after["milestones"] == [("nel1", date(2028, 3, 1), "pending", None)]
    assert after["costs"] == [("venue", 300.0, None, None)]
    assert after["tasks"] == expected["tasks"]


def test_rows_that_cannot_be_are_refused_with_sheet_row_and_column(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    _seed(empty_plan_path)
    bad = {
        "Events": [
            {"Ref": "MK-2027-001", "Delivered by": "Nobody"},
            {"Ref": "MK-2027-002", "Course": "SCC", "Start": datetime(2027, 7, 5, 8, 30),
             "End": datetime(2027, 7, 9, 16, 0), "Units": "MK-1BN:0"},
        ],
        "Milestones": [
            {"Unit": "MK-1BN", "Target": "No such target", "Evaluation": "SEL1",
             "Date": datetime(2027, 11, 15)},
            {"Unit": "MK-1BN", "Target": TARGET, "Evaluation": "SEL3",
             "Date": datetime(2027, 11, 15)},
        ],
        "Collective tasks": [
            {"Unit": "MK-1BN", "Target": TARGET, "Task": "Defend", "Trained by": "NOPE"},
        ],
        "Costs": [
            {"Event": "MK-2027-999", "Kind": "travel", "Planned": 10},
            {"Event": "MK-2027-001", "Kind": "travel", "Planned": -10},
        ],
    }  # fmt: skip
    before = _read(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled_template(tmp_path / "bad.xlsx", bad))
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "unknown provider “Nobody”" in places[("Events", 2, "Delivered by")]
    assert "only an exercise" in places[("Events", 3, "Units")]
    assert "no capability target “No such target”" in places[("Milestones", 2, "Target")]
    assert "is not one of: sel1" in places[("Milestones", 3, "Evaluation")]
    assert "unknown course “NOPE”" in places[("Collective tasks", 2, "Trained by")]
    assert "no event with the Ref “MK-2027-999”" in places[("Costs", 2, "Event")]
    assert "at least 0" in places[("Costs", 3, "Planned")]
    assert _read(empty_plan_path) == before  # nothing was written
