"""A nation's working week and a venue's holiday region come in from a
spreadsheet as typed, or are refused with sheet, row and column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.model import Nation, Venue
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template


def _read(path: Path) -> tuple[dict[str, list[int]], dict[str, str | None]]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        weeks = {n.code: n.working_weekdays for n in session.scalars(select(Nation))}
        regions = {v.name: v.holiday_region for v in session.scalars(select(Venue))}
    return weeks, regions


def test_working_weeks_and_holiday_regions_come_in_as_typed(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    path = filled_template(
        tmp_path / "calendars.xlsx",
        {
            "Nations": [
                {
                    "Code": "AL",
                    "Name": "Albania",
                    "Time zone": "Europe/Tirane",
                    "Working week": "Sun-Thu",
                },
                {"Code": "XB", "Name": "Testland", "Time zone": "Europe/Tirane"},
            ],
            "Venues": [
                {"Name": "Kasarna Butmir", "Nation": "BA", "Holidays of": "BIH"},
                {"Name": "Касарна Бањалука", "Nation": "BA", "Holidays of": "SRP"},
                {"Name": "Brčko", "Nation": "BA"},
            ],
        },
    )
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, path)
    assert not report.errors, report.text()
    weeks, regions = _read(empty_plan_path)
    assert weeks["AL"] == [0, 1, 2, 3, 6]
    assert weeks["XB"] == [0, 1, 2, 3, 4]  # a new nation without a week: Monday to Friday
    assert weeks["MK"] == [0, 1, 2, 3, 4]
    assert regions == {"Kasarna Butmir": "BIH", "Касарна Бањалука": "SRP", "Brčko": None}

    # The plan's records written out as a template come back unchanged.
    again = tmp_path / "again.xlsx"
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        write_template(again, plan=plan, marking="OFFICIAL")
    assert [r[5] for r in load_workbook(again)["Nations"].iter_rows(min_row=2, values_only=True)
            if r[0] == "AL"] == ["Sun–Thu"]  # fmt: skip
    with open_plan(empty_plan_path) as plan:
        round_trip = import_file(plan, again)
    assert not round_trip.errors and not round_trip.changed, round_trip.text()
    assert _read(empty_plan_path) == (weeks, regions)


def test_a_week_or_region_that_means_nothing_is_refused_where_it_was_typed(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    path = filled_template(
        tmp_path / "bad.xlsx",
        {
            "Nations": [
                {
                    "Code": "AL",
                    "Name": "Albania",
                    "Time zone": "Europe/Tirane",
                    "Working week": "Mon-Fry",
                },
            ],
            "Venues": [{"Name": "Kasarna Butmir", "Nation": "BA", "Holidays of": "Srpska"}],
        },
    )
    before = _read(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, path)
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "“Fry” is not a day of the week" in places[("Nations", 2, "Working week")]
    assert "is not a holiday region" in places[("Venues", 2, "Holidays of")]
    assert "SRP (Republika Srpska)" in places[("Venues", 2, "Holidays of")]
    assert not report.imported
    assert _read(empty_plan_path) == before
