"""Import: round trip through the template, validation report, hostile files."""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from scheduler.errors import UserError
from scheduler.services.imports import import_file, write_template
from scheduler.services.plan_info import plan_counts
from scheduler.storage import PlanAccess, open_plan


def _counts(path: Path) -> dict[str, int]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return plan_counts(session)


def test_template_sheets_and_instructions(tmp_path: Path) -> None:
    target = tmp_path / "template.xlsx"
    write_template(target, marking="OFFICIAL")
    workbook = load_workbook(target)
    assert workbook.sheetnames == [
        "Instructions",
        "Qualifications",
        "Courses",
        "Units",
        "Instructors",
        "Venues",
        "Kit",
        "Unavailability",
        "Requirements",
        "Events",
        "Nations",
        "Venue closures",
        "Closure days",
        "Targets",
        "Series",
        "Accepted conflicts",
        "Releases",
        "Released events",
        "Trainees",
        "Enrolments",
        "Partner responses",
        "Modules",
        "Providers",
        "Milestones",
        "Collective tasks",
        "Costs",
    ]
    events = [c.value for c in workbook["Events"][1]]
    # The first columns stay where every earlier template had them.
    assert events[:11] == [
        "Ref",
        "Course",
        "Start",
        "End",
        "Venue",
        "Units",
        "Instructors",
        "Status",
        "Recurrence",
        "Notes",
        "Partner remarks",
    ]
    assert events[11:] == [
        "Attended",
        "Passed",
        "Outcome",
        "Series",
        "Occurrence",
        "Edited on its own",
        "UID",
        "Delivered by",
        "Funding line",
    ]
    assert workbook["Events"].freeze_panes == "A2"


def test_round_trip_into_an_empty_plan(
    demo_plan_path: Path, empty_plan_path: Path, tmp_path: Path
) -> None:
    filled = tmp_path / "filled.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        write_template(filled, plan=plan, marking="OFFICIAL")
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, filled)
    assert not report.errors, report.text()
    assert report.imported
    assert _counts(empty_plan_path) == _counts(demo_plan_path)
    # Importing again matches every row, never duplicates, and changes nothing.
    with open_plan(empty_plan_path) as plan:
        again = import_file(plan, filled)
    assert not again.added and not again.changed
    assert again.unchanged["Events"] == _counts(demo_plan_path)["events"]
    assert _counts(empty_plan_path) == _counts(demo_plan_path)


def _events_workbook(path: Path, rows: list[list[object]]) -> Path:
    """The program's template with Events rows typed in, an unknown column added,
    and one bad Units row."""
    write_template(path, marking="OFFICIAL")
    wb = load_workbook(path)
    ws = wb["Events"]
    ws.cell(row=1, column=ws.max_column + 1, value="Colour")
    headers = ["Ref", "Course", "Start", "End", "Venue", "Units", "Instructors", "Status"]
    columns = {c.value: c.column for c in ws[1]}
    for offset, row in enumerate(rows, start=2):
        for header, value in zip([*headers, "Colour"], row, strict=False):
            ws.cell(row=offset, column=columns[header], value=value)
    units = wb["Units"]
    for column, value in enumerate(["XX-1", "Šabić company", "Narnia", "NOPE"], start=1):
        units.cell(row=2, column=column, value=value)
    wb.save(path)
    return path


def test_each_problem_is_reported_with_its_place(empty_plan_path: Path, tmp_path: Path) -> None:
    path = _events_workbook(
        tmp_path / "bad.xlsx",
        [
            ["A-1", "NOPE", "2027-03-01 09:00", "2027-03-02 16:00", None, None, None, None, "red"],
            ["A-2", None, "2027-03-05", "2027-03-01", None, None, None, None, None],
            ["A-3", None, "2027-03-05", "2027-03-06", "Nowhere", "XX-1:many", "Nobody", "maybe"],
            ["A-1", None, "soon", "2027-03-06", None, None, None, None, None],
        ],
    )
    before = _counts(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, path)
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "unknown course" in places[("Events", 2, "Course")]
    assert places[("Events", 3, "End")] == "End is before Start"
    assert "is empty" in places[("Events", 3, "Course")]
    assert "unknown venue" in places[("Events", 4, "Venue")]
    assert "not a whole number" in places[("Events", 4, "Units")]
    assert "unknown instructor" in places[("Events", 4, "Instructors")]
    assert "is not one of: draft, planned" in places[("Events", 4, "Status")]
    assert "duplicate Ref" in places[("Events", 5, "Ref")]
    assert "is not a date" in places[("Events", 5, "Start")]
    assert "unknown nation" in places[("Units", 2, "Nation")]
    assert "unknown unit" in places[("Units", 2, "Parent")]
    assert any(p.column == "Colour" for p in report.warnings)
    assert not report.imported
    assert _counts(empty_plan_path) == before


def test_cli_exit_codes(
    empty_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.commands import exchange

    parser = argparse.ArgumentParser()
    exchange.register(parser.add_subparsers())
    bad = _events_workbook(tmp_path / "bad.xlsx", [["A-1", "NOPE", "2027-03-01", "2027-03-02"]])
    args = parser.parse_args(["import", str(empty_plan_path), str(bad)])
    assert args.handler(args) == 1
    assert "Events, row 2, column Course" in capsys.readouterr().err

    template = tmp_path / "t.xlsx"
    args = parser.parse_args(["template", str(template)])
    assert args.handler(args) == 0
    args = parser.parse_args(["import", str(empty_plan_path), str(template), "--dry-run"])
    assert args.handler(args) == 0


def test_csv_per_sheet(empty_plan_path: Path, tmp_path: Path) -> None:
    units = tmp_path / "units.csv"
    units.write_text(
        "Code;Name;Nation;Parent;Strength\n"
        "MK-NEW;Нова чета;MK;;100\n"
        "MK-NEW-1;Прв вод;North Macedonia;MK-NEW;30\n",
        encoding="utf-8-sig",
    )
    with open_plan(empty_plan_path) as plan:
        report = import_file(plan, [units])
    assert not report.errors and report.added == {"Units": 2}
    assert _counts(empty_plan_path)["units"] == 2


def test_hostile_files_are_refused_and_nothing_written(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    source = _events_workbook(tmp_path / "ok.xlsx", [])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
        new.writestr("xl/media/image1.bin", b"\0" * 60_000_000)
    linked = tmp_path / "linked.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(linked, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, old.read(item.filename))
        new.writestr("xl/externalLinks/externalLink1.xml", b"<externalLink/>")
    before = _counts(empty_plan_path)
    for path, words in ((bomb, "zip bomb"), (linked, "external links")):
        with open_plan(empty_plan_path) as plan, pytest.raises(UserError, match=words):
            import_file(plan, path)
    assert _counts(empty_plan_path) == before
