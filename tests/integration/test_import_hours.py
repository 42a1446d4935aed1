"""An instructor's most training hours come in as typed, or are refused where typed."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from scheduler.model import Instructor
from scheduler.services.imports import import_file
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template


def test_max_training_hours_come_in_as_typed_or_are_refused(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    good = filled_template(
        tmp_path / "good.xlsx",
        {"Instructors": [{"Name": "Zana Krasniqi", "Max training hours": 17.5}]},
    )
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, good)
    assert not report.errors, report.text()
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        assert session.scalar(select(Instructor.max_training_hours)) == 17.5

    bad = filled_template(
        tmp_path / "bad.xlsx",
        {"Instructors": [{"Name": "Zana Krasniqi", "Max training hours": 0}]},
    )
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, bad)
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "between 0.5 and" in places[("Instructors", 2, "Max training hours")]
