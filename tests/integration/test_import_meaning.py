"""What a person types in the template means exactly that in the plan, or is refused.

The workbooks are the program's own template filled in as Excel stores what
is typed (a typed date is a date cell, not text), and where LibreOffice is
installed, the same file saved again by LibreOffice Calc.
"""

from __future__ import annotations

import argparse
import csv
import struct
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scheduler.errors import UserError
from scheduler.model import (
    ChangeLog,
    Course,
    EventInstructor,
    Instructor,
    InstructorQualification,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
)
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.backups import list_backups
from tests.full_plan import write_full_plan
from tests.plan_tables import differences, plan_tables
from tests.workbooks import filled_template, resaved_by_libreoffice

COURSE = {
    "Code": "FA-1",
    "Title": "Прва помош",
    "Duration days": 2,
    "Language": "mk",
}
UNIT = {"Code": "MK-1BN", "Name": "1-ви баталјон", "Nation": "MK", "Language": "mk"}
VENUE = {"Name": "Криволак", "Nation": "MK"}
PEOPLE = [
    {"Name": "Ana Đurić", "Role": "instructor", "Languages": "en; sr"},
    {"Name": "Ëlira Çela", "Role": "interpreter", "Languages": "sq; mk; en"},
    {"Name": "Goran Petrovski", "Organisation": "ARM", "Languages": "mk"},
]


def _reference(**extra: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    sheets: dict[str, list[dict[str, Any]]] = {
        "Courses": [COURSE],
        "Units": [UNIT],
        "Venues": [VENUE],
        "Instructors": list(PEOPLE),
    }
    sheets.update(extra)
    return sheets


def _event(**cells: Any) -> dict[str, Any]:
    return {"Course": "FA-1", "Venue": "Криволак", "Units": "MK-1BN:12", **cells}


def _import(path: Path, files: Path | list[Path], **options: Any) -> Any:
    with open_plan(path) as plan:
        return import_file(plan, files if isinstance(files, list) else [files], **options)


def _read(path: Path, work: Callable[[Any], Any]) -> Any:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return work(session)


def _events(path: Path) -> dict[str, tuple[datetime, datetime]]:
    return _read(
        path,
        lambda s: {
            ref: (start, end)
            for ref, start, end in s.execute(
                select(TrainingEvent.ref, TrainingEvent.start, TrainingEvent.end)
            )
        },
    )


def _typed(tmp_path: Path, sheets: dict[str, list[dict[str, Any]]], how: str) -> Path:
    path = filled_template(tmp_path / "typed by a planner.xlsx", sheets)
    if how == "libreoffice":
        return resaved_by_libreoffice(path, tmp_path / "saved by LibreOffice")
    return path


MADE_BY = pytest.mark.parametrize("made_by", ["excel", "libreoffice"])


@MADE_BY
def test_typed_dates_get_the_documented_times(
    empty_plan_path: Path, tmp_path: Path, made_by: str
) -> None:
    sheets = _reference(
        Events=[
            _event(Ref="MK-2027-101", Start=date(2027, 6, 7), End=date(2027, 6, 8)),
            _event(Ref="MK-2027-102", Start=date(2027, 6, 10), End=date(2027, 6, 10)),
            _event(
                Ref="MK-2027-103",
                Start=datetime(2027, 6, 14, 8, 30),
                End=datetime(2027, 6, 14, 12, 0),
            ),
            _event(Ref="MK-2027-104", Start="15/06/2027", End="16.06.2027"),
        ]
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, made_by))
    assert report.imported, report.text()
    events = _events(empty_plan_path)
    # Two days, the second one included; a one-day course on one date.
    assert events["MK-2027-101"] == (datetime(2027, 6, 7, 9), datetime(2027, 6, 8, 17))
    assert events["MK-2027-102"] == (datetime(2027, 6, 10, 9), datetime(2027, 6, 10, 17))
    assert events["MK-2027-103"] == (datetime(2027, 6, 14, 8, 30), datetime(2027, 6, 14, 12))
    assert events["MK-2027-104"] == (datetime(2027, 6, 15, 9), datetime(2027, 6, 16, 17))
    # The partner's calendar shows the last day too.
    calendar = tmp_path / "MK.ics"
    with open_plan(empty_plan_path) as plan:
        export_plan(plan, ExportRequest(target=calendar, partner="MK"))
    text = calendar.read_text(encoding="utf-8")
    assert "DTEND;TZID=Europe/Skopje:20270608T170000" in text


def test_a_date_typed_over_a_date_and_time_is_midnight_and_said(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    """In a filled template the cell shows 00:00 after a date is typed over it;
    the importer takes what it holds and says what that means."""
    sheets = _reference(
        Events=[_event(Ref="MK-2027-111", Start=datetime(2027, 6, 7, 9), End=datetime(2027, 6, 9))]
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert report.imported
    warning = next(p for p in report.warnings if p.column == "End")
    assert warning.row == 2 and "midnight" in warning.message and "08/06/2027" in warning.message


@MADE_BY
def test_every_date_column_takes_the_same_forms(
    empty_plan_path: Path, tmp_path: Path, made_by: str
) -> None:
    sheets = _reference(
        Qualifications=[
            {"Code": "CFA", "Name": "First aid instructor"},
            {"Code": "DFD", "Name": "Document fraud"},
        ],
        Instructors=[
            {**PEOPLE[0], "Qualifications": "CFA:30/06/2028; DFD:30.06.2029:01/07/2025"},
            PEOPLE[1],
            PEOPLE[2],
        ],
        Unavailability=[{"Who": "Ana Đurić", "From": "01/08/2027", "To": date(2027, 8, 13)}],
        Requirements=[
            {
                "Unit": "MK-1BN",
                "Target": "Battalion ready",
                "Course": "FA-1",
                "People": 30,
                "Due date": "31.12.2027",
            }
        ],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, made_by))
    assert report.imported, report.text()
    held = _read(
        empty_plan_path,
        lambda s: sorted(
            s.execute(
                select(InstructorQualification.expires_on, InstructorQualification.awarded_on)
            ).all()
        ),
    )
    assert held == [(date(2028, 6, 30), None), (date(2029, 6, 30), date(2025, 7, 1))]
    leave = _read(
        empty_plan_path,
        lambda s: s.execute(select(Unavailability.start_date, Unavailability.end_date)).one(),
    )
    assert tuple(leave) == (date(2027, 8, 1), date(2027, 8, 13))
    due = _read(empty_plan_path, lambda s: s.scalar(select(TrainingRequirement.due_date)))
    assert due == date(2027, 12, 31)


def test_the_instructions_list_the_forms(tmp_path: Path) -> None:
    path = tmp_path / "template.xlsx"
    write_template(path, marking="OFFICIAL")
    words = " ".join(
        str(v)
        for row in load_workbook(path)["Instructions"].iter_rows(values_only=True)
        for v in row
        if v
    )
    for form in ("2027-06-30", "30.06.2027", "30/06/2027", "day first", "09:00", "17:00"):
        assert form in words
    assert "македонски" in words and "shqip" in words
    assert "Name (interpreter)" in words.replace("“", "").replace("”", "")
    assert "Name:interpreter" in words.replace("“", "").replace("”", "")
    assert "empties that field" in words


def test_language_names_are_stored_as_codes(empty_plan_path: Path, tmp_path: Path) -> None:
    sheets = _reference(
        Units=[UNIT, {**UNIT, "Code": "MK-2BN", "Language": "македонски"}],
        Courses=[
            {**COURSE, "Language": "Macedonian"},
            {**COURSE, "Code": "ME-1", "Language": "Montenegrin"},
        ],
        Instructors=[
            {**PEOPLE[0], "Languages": "English; српски"},
            {**PEOPLE[1], "Languages": "shqip; Macedonian; en"},
            PEOPLE[2],
        ],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert report.imported, report.text()
    languages = _read(
        empty_plan_path,
        lambda s: {
            "courses": dict(s.execute(select(Course.code, Course.language)).all()),
            "units": dict(s.execute(select(Unit.code, Unit.language)).all()),
            "people": dict(s.execute(select(Instructor.name, Instructor.languages)).all()),
        },
    )
    assert languages["courses"] == {"FA-1": "mk", "ME-1": "cnr"}
    assert languages["units"] == {"MK-1BN": "mk", "MK-2BN": "mk"}
    assert languages["people"]["Ana Đurić"] == ["en", "sr"]
    assert languages["people"]["Ëlira Çela"] == ["sq", "mk", "en"]


def test_an_unknown_language_is_refused_with_the_accepted_ones(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    sheets = _reference(Courses=[{**COURSE, "Language": "Klingon"}])
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert not report.imported
    (problem,) = [p for p in report.errors if p.column == "Language"]
    assert (problem.sheet, problem.row) == ("Courses", 2)
    assert "Klingon" in problem.message and "en" in problem.message
    assert "македонски" in problem.message and "too long" not in problem.message
    assert _read(empty_plan_path, lambda s: s.scalar(select(func.count(Course.id)))) == 0


def test_interpreters_are_assigned_as_interpreters(empty_plan_path: Path, tmp_path: Path) -> None:
    sheets = _reference(
        Events=[
            _event(
                Ref="MK-2027-201",
                Start=date(2027, 6, 7),
                End=date(2027, 6, 8),
                Instructors="Ana Đurić; Ëlira Çela",
            ),
            _event(
                Ref="MK-2027-202",
                Start=date(2027, 6, 9),
                End=date(2027, 6, 10),
                Instructors="Ana Đurić (instructor); Goran Petrovski (interpreter)",
            ),
            _event(
                Ref="MK-2027-203",
                Start=date(2027, 6, 14),
                End=date(2027, 6, 15),
                Instructors="Ana Đurić:support; Ëlira Çela:instructor",
            ),
        ]
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert report.imported, report.text()
    roles = _read(
        empty_plan_path,
        lambda s: {
            (ref, name): str(role)
            for ref, name, role in s.execute(
                select(TrainingEvent.ref, Instructor.name, EventInstructor.role)
                .join(TrainingEvent, TrainingEvent.id == EventInstructor.event_id)
                .join(Instructor, Instructor.id == EventInstructor.instructor_id)
            )
        },
    )
    assert roles == {
        ("MK-2027-201", "Ana Đurić"): "instructor",
        ("MK-2027-201", "Ëlira Çela"): "interpreter",
        ("MK-2027-202", "Ana Đurić"): "instructor",
        ("MK-2027-202", "Goran Petrovski"): "interpreter",
        ("MK-2027-203", "Ana Đurić"): "support",
        ("MK-2027-203", "Ëlira Çela"): "instructor",
    }


def _template_with(tmp_path: Path, change: Callable[[Any], None]) -> Path:
    path = filled_template(
        tmp_path / "changed.xlsx",
        _reference(
            Events=[_event(Ref="MK-2027-301", Start=date(2027, 6, 7), End=date(2027, 6, 8))]
        ),
    )
    workbook = load_workbook(path)
    change(workbook)
    workbook.save(path)
    return path


def test_a_renamed_sheet_is_refused_not_skipped(
    empty_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def rename(workbook: Any) -> None:
        workbook["Events"].title = "Events 2027"

    path = _template_with(tmp_path, rename)
    report = _import(empty_plan_path, path)
    assert not report.imported
    messages = " ".join(str(p) for p in report.errors)
    assert "Events 2027" in messages and "“Events”" in messages
    assert "left out" in messages
    assert _read(empty_plan_path, lambda s: s.scalar(select(func.count(Course.id)))) == 0

    from scheduler.commands import exchange

    parser = argparse.ArgumentParser()
    exchange.register(parser.add_subparsers())
    args = parser.parse_args(["import", str(empty_plan_path), str(path)])
    assert args.handler(args) == 1
    assert "Events 2027" in capsys.readouterr().err


def test_a_deleted_sheet_is_refused_and_an_empty_stray_one_is_fine(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    def delete(workbook: Any) -> None:
        del workbook["Unavailability"]
        workbook.create_sheet("Sheet1")

    report = _import(empty_plan_path, _template_with(tmp_path, delete))
    assert not report.imported
    (problem,) = report.errors
    assert "“Unavailability”" in problem.message and "Sheet1" not in problem.message


def test_duplicate_rows_and_units_without_seats_are_refused(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    row = _event(Start=date(2027, 6, 7), End=date(2027, 6, 8))
    sheets = _reference(
        Events=[
            row,
            dict(row),
            _event(Start=date(2027, 7, 5), End=date(2027, 7, 6), Units="MK-1BN"),
        ]
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert not report.imported
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "the same event as row 2" in places[("Events", 3, None)]
    assert "no seats" in places[("Events", 4, "Units")]
    assert _events(empty_plan_path) == {}


def test_the_same_hand_typed_events_twice_add_nothing(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    sheets = _reference(Events=[_event(Start=date(2027, 6, 7), End=date(2027, 6, 8))])
    path = _typed(tmp_path, sheets, "excel")
    assert _import(empty_plan_path, path).imported
    again = _import(empty_plan_path, path)
    assert not again.errors and not again.added and not again.changed
    assert len(_events(empty_plan_path)) == 1


def _person(path: Path, name: str) -> tuple[Any, ...]:
    def work(s: Any) -> tuple[Any, ...]:
        person = s.scalar(select(Instructor).where(Instructor.name == name))
        codes = sorted(q.qualification.code for q in person.qualifications)
        return (person.organisation, person.languages, codes, person.version_id)

    return _read(path, work)


def test_blank_keeps_and_the_marker_clears_in_every_column(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    qualifications = [{"Code": "CFA", "Name": "First aid instructor"}]
    full = {
        "Name": "Goran Petrovski",
        "Organisation": "ARM",
        "Languages": "mk; en",
        "Qualifications": "CFA:2028-06-30",
    }
    first = _typed(
        tmp_path,
        _reference(
            Qualifications=qualifications,
            Instructors=[full],
            Events=[
                _event(
                    Ref="MK-2027-401",
                    Start=date(2027, 6, 7),
                    End=date(2027, 6, 8),
                    Notes="Bring the range key",
                )
            ],
        ),
        "excel",
    )
    assert _import(empty_plan_path, first).imported
    before = _person(empty_plan_path, "Goran Petrovski")
    assert before[:3] == ("ARM", ["mk", "en"], ["CFA"])

    blank = filled_template(
        tmp_path / "blank.xlsx",
        {
            "Instructors": [{"Name": "Goran Petrovski"}],
            "Events": [
                {
                    "Ref": "MK-2027-401",
                    "Course": "FA-1",
                    "Start": date(2027, 6, 7),
                    "End": date(2027, 6, 8),
                }
            ],
        },
    )
    report = _import(empty_plan_path, blank)
    assert _person(empty_plan_path, "Goran Petrovski") == before
    notes = _read(empty_plan_path, lambda s: s.scalar(select(TrainingEvent.notes)))
    assert notes == "Bring the range key"
    assert not report.errors and not report.changed, report.text()

    cleared = filled_template(
        tmp_path / "cleared.xlsx",
        {
            "Instructors": [
                {
                    "Name": "Goran Petrovski",
                    "Organisation": "-",
                    "Languages": "-",
                    "Qualifications": "-",
                }
            ],
            "Events": [
                {
                    "Ref": "MK-2027-401",
                    "Course": "FA-1",
                    "Start": date(2027, 6, 7),
                    "End": date(2027, 6, 8),
                    "Notes": " - ",
                    "Venue": "-",
                }
            ],
        },
    )
    report = _import(empty_plan_path, cleared)
    assert report.imported, report.text()
    assert _person(empty_plan_path, "Goran Petrovski")[:3] == (None, [], [])
    event = _read(
        empty_plan_path,
        lambda s: s.execute(select(TrainingEvent.notes, TrainingEvent.venue_id)).one(),
    )
    assert tuple(event) == (None, None)

    required = filled_template(
        tmp_path / "required.xlsx",
        {
            "Events": [
                {
                    "Ref": "MK-2027-401",
                    "Course": "-",
                    "Start": date(2027, 6, 7),
                    "End": date(2027, 6, 8),
                }
            ]
        },
    )
    report = _import(empty_plan_path, required)
    assert not report.imported
    assert any(p.column == "Course" and "needed" in p.message for p in report.errors)


def _bookkeeping(path: Path) -> tuple[int, int, int]:
    return _read(
        path,
        lambda s: (
            int(s.scalar(select(func.count(ChangeLog.id))) or 0),
            int(s.scalar(select(func.sum(TrainingEvent.version_id))) or 0),
            int(s.scalar(select(func.sum(Instructor.version_id))) or 0),
        ),
    )


def _sequences(path: Path, target: Path) -> list[str]:
    with open_plan(path, access=PlanAccess.READ) as plan:
        export_plan(plan, ExportRequest(target=target))
    return [
        line
        for line in target.read_text(encoding="utf-8").splitlines()
        if line.startswith(("UID", "SEQUENCE", "LAST-MODIFIED"))
    ]


def test_an_unchanged_import_writes_nothing(demo_plan_path: Path, tmp_path: Path) -> None:
    template = tmp_path / "plan.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        write_template(template, plan=plan, marking="OFFICIAL")
    before = _bookkeeping(demo_plan_path)
    calendar_before = _sequences(demo_plan_path, tmp_path / "before.ics")
    report = _import(demo_plan_path, template)
    assert _bookkeeping(demo_plan_path) == before
    assert _sequences(demo_plan_path, tmp_path / "after.ics") == calendar_before
    assert not report.errors and not report.added and not report.changed
    assert "Nothing to change" in report.text()
    assert not [b for b in list_backups(demo_plan_path) if b.reason == "before-import"]


def test_a_changed_row_makes_one_new_version(demo_plan_path: Path, tmp_path: Path) -> None:
    template = tmp_path / "plan.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        write_template(template, plan=plan, marking="OFFICIAL")
    workbook = load_workbook(template)
    sheet = workbook["Events"]
    headers = {c.value: c.column for c in sheet[1]}
    ref = sheet.cell(row=2, column=headers["Ref"]).value
    sheet.cell(row=2, column=headers["Notes"], value="Moved to the gym")
    workbook.save(template)
    before = _bookkeeping(demo_plan_path)
    report = _import(demo_plan_path, template)
    assert report.changed == {"Events": 1}, report.text()
    after = _bookkeeping(demo_plan_path)
    assert after[1] == before[1] + 1 and after[2] == before[2]
    logged = _read(
        demo_plan_path,
        lambda s: s.execute(
            select(ChangeLog.entity, ChangeLog.field, ChangeLog.new_value).where(
                ChangeLog.action == "updated"
            )
        ).all(),
    )
    assert [tuple(r) for r in logged] == [("TrainingEvent", "notes", "Moved to the gym")]
    assert ref


LONG = "Дуга белешка. " * 3000  # 42,000 characters


def test_long_text_is_refused_with_its_place(empty_plan_path: Path, tmp_path: Path) -> None:
    events = tmp_path / "Events.csv"
    with events.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Ref", "Course", "Start", "End", "Notes"])
        writer.writerow(["MK-2027-501", "FA-1", "2027-06-07", "2027-06-08", LONG])
    courses = tmp_path / "Courses.csv"
    courses.write_text("Code;Title\nFA-1;First aid\n", encoding="utf-8-sig")
    report = _import(empty_plan_path, [courses, events])
    assert not report.imported
    (problem,) = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Events", 2, "Notes")
    assert "42,000 characters" in problem.message
    assert _events(empty_plan_path) == {}

    # openpyxl (like Excel) cuts a cell at 32,767 characters when it writes one;
    # other programs do not, so the long text is put into the file's XML.
    typed = _typed(
        tmp_path,
        _reference(Events=[_event(Start=date(2027, 6, 7), End=date(2027, 6, 8), Notes="LONG")]),
        "excel",
    )
    workbook = tmp_path / "long.xlsx"
    with zipfile.ZipFile(typed) as old, zipfile.ZipFile(workbook, "w") as new:
        for item in old.infolist():
            part = old.read(item.filename)
            new.writestr(item, part.replace(b">LONG<", b">" + LONG.encode() + b"<"))
    report = _import(empty_plan_path, workbook)
    assert [(p.row, p.column) for p in report.errors] == [(2, "Notes")]


def test_the_template_refuses_a_text_it_cannot_hold(full_plan: Path, tmp_path: Path) -> None:
    with open_plan(full_plan) as plan, plan.session() as session:
        event = session.scalar(select(TrainingEvent).where(TrainingEvent.ref == "MK-2027-001"))
        event.notes = LONG
    target = tmp_path / "template.xlsx"
    with (
        open_plan(full_plan, access=PlanAccess.READ) as plan,
        pytest.raises(UserError, match=r"MK-2027-001.*Notes.*42,000"),
    ):
        write_template(target, plan=plan, marking="OFFICIAL")
    assert not target.exists()


@pytest.fixture
def full_plan(tmp_path: Path) -> Path:
    return write_full_plan(tmp_path / "every field.tsplan")


def _round_trip(source: Path, empty: Path, folder: Path, how: str) -> None:
    template = folder / "the plan.xlsx"
    with open_plan(source, access=PlanAccess.READ) as plan:
        write_template(template, plan=plan, marking="OFFICIAL")
    if how == "libreoffice":
        template = resaved_by_libreoffice(template, folder / "saved again")
    report = _import(empty, template)
    assert report.imported and not report.errors, report.text()
    assert differences(plan_tables(source), plan_tables(empty)) == []
    again = _import(empty, template)
    assert not again.added and not again.changed, again.text()


def test_the_demo_plan_survives_its_template(
    demo_plan_path: Path, empty_plan_path: Path, tmp_path: Path
) -> None:
    _round_trip(demo_plan_path, empty_plan_path, tmp_path, "excel")


@MADE_BY
def test_a_plan_with_every_field_filled_survives_its_template(
    full_plan: Path, empty_plan_path: Path, tmp_path: Path, made_by: str
) -> None:
    _round_trip(full_plan, empty_plan_path, tmp_path, made_by)


# -- hostile and broken files ---------------------------------------------------------


def _padded(source: Path, target: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for item in old.infolist():
            new.writestr(item.filename, parts.pop(item.filename, old.read(item.filename)))
        for name, data in parts.items():
            new.writestr(name, data)
    return target


def test_many_sheets_just_under_the_ratio_check_are_refused(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    source = tmp_path / "template.xlsx"
    write_template(source, marking="OFFICIAL")
    filler = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
        + b"<row/>" * ((8 * 1024 * 1024 - 200) // 6)
        + filler
        + b"</sheetData></worksheet>"
    )
    assert len(sheet) < 8 * 1024 * 1024
    parts = {f"xl/worksheets/extra{i}.xml": sheet for i in range(40)}
    hostile = _padded(source, tmp_path / "hostile.xlsx", parts)
    assert hostile.stat().st_size < 3 * 1024 * 1024
    with pytest.raises(UserError, match=r"unpack to .* MB"):
        _import(empty_plan_path, hostile)


def test_a_huge_shared_strings_part_is_refused(
    empty_plan_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scheduler.exchange import untrusted

    monkeypatch.setattr(untrusted, "MAX_SHARED_STRINGS_BYTES", 1024 * 1024)
    source = tmp_path / "template.xlsx"
    write_template(source, marking="OFFICIAL")
    strings = b"".join(b"<si><t>%08x</t></si>" % (i * 2654435761 % 2**32) for i in range(80_000))
    hostile = _padded(source, tmp_path / "strings.xlsx", {"xl/sharedStrings.xml": strings})
    with pytest.raises(UserError, match="texts unpack"):
        _import(empty_plan_path, hostile)


def _damage(path: Path, how: str) -> None:
    """Break the workbook part of a zip as damaged or hand-made files are broken."""
    name = "xl/workbook.xml"
    with zipfile.ZipFile(path) as archive:
        local = archive.getinfo(name).header_offset
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[local + 26 : local + 30])
    central = data.find(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name.encode():
        central = data.find(b"PK\x01\x02", central + 4)
    if how == "checksum":
        data[local + 30 + name_length + extra_length + 5] ^= 0xFF
    elif how == "size":  # says it unpacks to 5 bytes
        for offset in (local + 22, central + 24):
            data[offset : offset + 4] = struct.pack("<I", 5)
    else:  # a compression method no spreadsheet uses
        for offset in (local + 8, central + 10):
            data[offset : offset + 2] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["checksum", "size", "compression"])
def test_a_damaged_workbook_is_a_sentence_and_exit_2(
    empty_plan_path: Path, tmp_path: Path, how: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler import cli

    path = tmp_path / f"damaged {how}.xlsx"
    write_template(path, marking="OFFICIAL")
    _damage(path, how)
    with pytest.raises(UserError, match="cannot be imported"):
        _import(empty_plan_path, path)
    assert cli.main(["import", str(empty_plan_path), str(path)]) == 2
    err = capsys.readouterr().err
    assert "cannot be imported" in err and "Traceback" not in err


def test_plan_sheets_check_what_they_name(empty_plan_path: Path, tmp_path: Path) -> None:
    sheets = _reference(
        Nations=[
            {
                "Code": "MK",
                "Name": "North Macedonia",
                "Time zone": "Europe/Skopje",
                "Releasability": "MKD-X",
            },
            {"Code": "HR", "Name": "Hrvatska", "Time zone": "Europe/Zagrebb"},
        ],
        Targets=[{"Unit": "MK-9BN", "Target": "Battalion ready"}],
        Series=[{"Series": "S1", "Rule": "FREQ=YEARLY", "First start": date(2027, 6, 7)}],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert not report.imported
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "not a time zone" in places[("Nations", 3, "Time zone")]
    assert "unknown unit “MK-9BN”" in places[("Targets", 2, "Unit")]
    assert "yearly" in places[("Series", 2, "Rule")]
    assert len(places) == 3, report.text()


def test_a_formula_without_its_result_is_refused_not_read_as_empty(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    """A program (not Excel or LibreOffice) writes a formula without its result:
    the cell would read as empty and keep the plan's value unseen. Refused instead."""
    sheets = _reference(
        Events=[
            _event(
                Ref="MK-2027-101",
                Start=date(2027, 6, 7),
                End=date(2027, 6, 8),
                Notes="=CONCATENATE(A2, B2)",
            )
        ]
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, "excel"))
    assert not report.imported
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Events", 2, "Notes")
    assert "formula whose result was never saved" in problem.message
