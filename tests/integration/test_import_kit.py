"""Kit and what courses need of it come in from a spreadsheet as typed, go
back out the same, or are refused with sheet, row and column."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from scheduler.model import Course, Kit
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template


def _read(path: Path) -> tuple[dict[str, tuple[object, ...]], dict[str, list[tuple[object, ...]]]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        kit = {
            k.name: (
                str(k.kind),
                k.quantity,
                k.venue.name if k.venue else None,
                k.nation.code if k.nation else None,
            )
            for k in session.scalars(select(Kit))
        }
        needs = {
            c.code: sorted((n.kit.name, n.quantity, n.per_trainees) for n in c.kit)
            for c in session.scalars(select(Course))
        }
    return kit, needs


def test_kit_and_course_needs_come_in_as_typed_and_go_back_out(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    path = filled_template(
        tmp_path / "kit.xlsx",
        {
            "Venues": [{"Name": "Krivolak", "Nation": "MK"}],
            "Kit": [
                {"Name": "Rifles M70", "Kind": "equipment", "Quantity": 24,
                 "Kept at venue": "Krivolak"},
                {"Name": "Стрелиште 3", "Kind": "range", "Owned by partner": "MK"},
                {"Name": "Patrol vehicles", "Kind": "vehicle", "Quantity": 3},
            ],
            "Courses": [
                {"Code": "MKS", "Title": "Marksmanship", "Kit": "Rifles M70:12/6; Стрелиште 3"},
                {"Code": "BSV", "Title": "Border surveillance", "Kit": "Patrol vehicles:2"},
            ],
        },
    )  # fmt: skip
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, path)
    assert not report.errors, report.text()
    kit, needs = _read(empty_plan_path)
    assert kit == {
        "Rifles M70": ("equipment", 24, "Krivolak", None),
        "Стрелиште 3": ("range", 1, None, "MK"),
        "Patrol vehicles": ("vehicle", 3, None, None),
    }
    assert needs == {
        "MKS": [("Rifles M70", 12, 6), ("Стрелиште 3", 1, None)],
        "BSV": [("Patrol vehicles", 2, None)],
    }

    again = tmp_path / "again.xlsx"
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        write_template(again, plan=plan, marking="OFFICIAL")
    with open_plan(empty_plan_path) as plan:
        round_trip = import_file(plan, again)
    assert not round_trip.errors and not round_trip.changed, round_trip.text()
    assert _read(empty_plan_path) == (kit, needs)


def test_kit_that_means_nothing_is_refused_where_it_was_typed(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    path = filled_template(
        tmp_path / "bad.xlsx",
        {
            "Venues": [{"Name": "Krivolak", "Nation": "MK"}],
            "Kit": [
                {"Name": "Rifles M70", "Quantity": 0},
                {"Name": "Range", "Kept at venue": "Krivolak", "Owned by partner": "MK"},
            ],
            "Courses": [
                {"Code": "MKS", "Title": "Marksmanship", "Kit": "Rifles M70:twelve"},
                {"Code": "BSV", "Title": "Border surveillance", "Kit": "Drones:2"},
            ],
        },
    )
    before = _read(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, path)
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "at least 1" in places[("Kit", 2, "Quantity")]
    assert "one owner" in places[("Kit", 3, "Owned by partner")]
    assert "“Rifles M70:twelve” is not Name" in places[("Courses", 2, "Kit")]
    assert "unknown kit “Drones”" in places[("Courses", 3, "Kit")]
    assert not report.imported
    assert _read(empty_plan_path) == before
