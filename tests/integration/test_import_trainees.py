"""Named trainees and their enrolments come in through the template as typed.

Workbooks are the program's template filled in as Excel stores it (date
cells), and re-saved by LibreOffice where it is installed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from scheduler.model import Trainee
from scheduler.services.imports import import_file
from scheduler.storage import PlanAccess, open_plan
from tests.workbooks import filled_template, resaved_by_libreoffice

REFERENCE: dict[str, list[dict[str, Any]]] = {
    "Courses": [{"Code": "FA-1", "Title": "Прва помош", "Duration days": 2, "Language": "mk"}],
    "Units": [
        {"Code": "MK-1BN", "Name": "1-ви баталјон", "Nation": "MK"},
        {"Code": "MK-1BN-A", "Name": "Чета „А“", "Nation": "MK", "Parent": "MK-1BN"},
    ],
    "Venues": [{"Name": "Криволак", "Nation": "MK"}],
    "Events": [
        {
            "Ref": "MK-2027-101",
            "Course": "FA-1",
            "Venue": "Криволак",
            "Units": "MK-1BN:12",
            "Start": date(2027, 6, 7),
            "End": date(2027, 6, 8),
        }
    ],
}
GJORGJI = {
    "Name": "Ѓорѓи Трајковски",
    "Name in Latin letters": "Gjorgji Trajkovski",
    "Rank": "поручник",
    "Nation": "MK",
    "Service number": "MK-0042",
    "Languages": "македонски; en",
    "Units": "MK-1BN-A:2024-09-01:2027-03-01; MK-1BN:2027-03-01",
}


def _sheets(**extra: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    return {**REFERENCE, **extra}


def _import(path: Path, workbook: Path) -> Any:
    with open_plan(path) as plan:
        return import_file(plan, [workbook])


def _typed(tmp_path: Path, sheets: dict[str, list[dict[str, Any]]], how: str = "excel") -> Path:
    path = filled_template(tmp_path / "trainees typed.xlsx", sheets)
    if how == "libreoffice":
        return resaved_by_libreoffice(path, tmp_path / "saved by LibreOffice")
    return path


def _people(path: Path) -> dict[str, Any]:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        found = {}
        for person in s.scalars(select(Trainee)):
            found[person.name_latin or person.name] = (
                person.name,
                person.rank,
                person.nation.code,
                person.service_number,
                person.languages,
                [(p.unit.code, p.date_from, p.date_to) for p in person.postings],
                sorted(
                    (e.event.ref, e.status.value, e.result_date, e.certificate_serial, e.remarks)
                    for e in person.enrolments
                ),
            )
        return found


@pytest.mark.parametrize("made_by", ["excel", "libreoffice"])
def test_trainees_and_enrolments_mean_what_was_typed(
    empty_plan_path: Path, tmp_path: Path, made_by: str
) -> None:
    sheets = _sheets(
        Trainees=[GJORGJI, {"Name": "Dritan Hoxha", "Nation": "AL"}],
        Enrolments=[
            {
                "Event": "mk-2027-101",
                "Trainee": "Gjorgji Trajkovski",
                "Status": "passed",
                "Result date": date(2027, 6, 8),
                "Certificate": "TS-2027-0001",
                "Remarks": "Прв на курсот — first",
            },
            {"Event": "MK-2027-101", "Trainee": "Dritan Hoxha", "Status": "no show"},
        ],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets, made_by))
    assert report.imported, report.text()
    assert report.added["Trainees"] == 2 and report.added["Enrolments"] == 2
    assert _people(empty_plan_path) == {
        "Gjorgji Trajkovski": (
            "Ѓорѓи Трајковски",
            "поручник",
            "MK",
            "MK-0042",
            ["mk", "en"],
            [
                ("MK-1BN-A", date(2024, 9, 1), date(2027, 3, 1)),
                ("MK-1BN", date(2027, 3, 1), None),
            ],
            [
                (
                    "MK-2027-101",
                    "passed",
                    date(2027, 6, 8),
                    "TS-2027-0001",
                    "Прв на курсот — first",
                )
            ],
        ),
        "Dritan Hoxha": (
            "Dritan Hoxha",
            None,
            "AL",
            None,
            [],
            [],
            [("MK-2027-101", "no_show", None, None, None)],
        ),
    }


def test_the_same_sheet_again_adds_nothing_and_a_move_keeps_history(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    first = _typed(tmp_path, _sheets(Trainees=[GJORGJI]))
    assert _import(empty_plan_path, first).imported
    again = _import(empty_plan_path, first)
    assert not again.errors and not again.changes_anything, again.text()
    moved = dict(
        GJORGJI, Units=GJORGJI["Units"].replace("MK-1BN:2027-03-01", "MK-1BN:2027-03-01:2027-09-30")
    )
    report = _import(empty_plan_path, _typed(tmp_path, _sheets(Trainees=[moved])))
    assert report.changed == {"Trainees": 1}, report.text()
    postings = _people(empty_plan_path)["Gjorgji Trajkovski"][5]
    assert postings[-1] == ("MK-1BN", date(2027, 3, 1), date(2027, 9, 30))


def test_namesakes_are_told_apart_by_service_number(empty_plan_path: Path, tmp_path: Path) -> None:
    namesake = {"Name": GJORGJI["Name"], "Nation": "MK", "Service number": "MK-0777"}
    sheets = _sheets(
        Trainees=[GJORGJI, namesake],
        Enrolments=[
            {"Event": "MK-2027-101", "Trainee": "Ѓорѓи Трајковски", "Service number": "mk-0777"}
        ],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets))
    assert report.imported, report.text()
    people = _people(empty_plan_path)
    assert people["Gjorgji Trajkovski"][6] == []
    assert people["Ѓорѓи Трајковски"][6] == [("MK-2027-101", "nominated", None, None, None)]


def test_what_cannot_be_meant_is_refused_with_its_place(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    twin = {"Name": GJORGJI["Name"], "Nation": "MK", "Service number": "MK-0777"}
    sheets = _sheets(
        Trainees=[
            GJORGJI,
            twin,
            {"Name": "Ana Ilievska", "Nation": "MK", "Units": "MK-1BN; MK-1BN-A:2027-01-01"},
            {"Name": "Bekim Berisha", "Nation": "XX"},
            {"Name": "Ana Ilievska", "Nation": "MK"},
        ],
        Enrolments=[
            {"Event": "MK-2027-101", "Trainee": "Ѓорѓи Трајковски"},
            {"Event": "MK-2027-999", "Trainee": "Gjorgji Trajkovski"},
            {"Event": "MK-2027-101", "Trainee": "Nobody", "Certificate": "C-1"},
            {"Event": "MK-2027-101", "Trainee": "Gjorgji Trajkovski", "Certificate": "C-1"},
            {
                "Event": "MK-2027-101",
                "Trainee": "Ѓорѓи Трајковски",
                "Service number": "MK-0777",
                "Certificate": "c-1",
            },
            {"Event": "MK-2027-101", "Trainee": "Gjorgji Trajkovski", "Status": "graduated"},
        ],
    )
    report = _import(empty_plan_path, _typed(tmp_path, sheets))
    assert not report.imported
    places = {(p.sheet, p.row, p.column): p.message for p in report.errors}
    assert "overlap" in places[("Trainees", 4, "Units")]
    assert "unknown nation “XX”" in places[("Trainees", 5, "Nation")]
    assert "on row 4 already" in places[("Trainees", 6, "Name")]
    assert "2 trainees are called" in places[("Enrolments", 2, "Trainee")]
    assert "no event with the Ref “MK-2027-999”" in places[("Enrolments", 3, "Event")]
    assert "no trainee “Nobody”" in places[("Enrolments", 4, "Trainee")]
    assert "another enrolment's" in places[("Enrolments", 6, "Certificate")]
    assert "not one of" in places[("Enrolments", 7, "Status")]
    assert "the same as row 5" in places[("Enrolments", 7, None)]
    assert len(places) == 9, report.text()
    assert _people(empty_plan_path) == {}


def test_a_blank_service_number_keeps_the_persons_own(
    empty_plan_path: Path, tmp_path: Path
) -> None:
    """A row without a service number is the one person of that nation and name;
    with two such people it is refused, never a third one added."""
    assert _import(empty_plan_path, _typed(tmp_path, _sheets(Trainees=[GJORGJI]))).imported
    promoted = {"Name": GJORGJI["Name"], "Nation": "MK", "Rank": "капетан"}
    report = _import(empty_plan_path, _typed(tmp_path, _sheets(Trainees=[promoted])))
    assert report.changed == {"Trainees": 1} and not report.added.get("Trainees"), report.text()
    person = _people(empty_plan_path)["Gjorgji Trajkovski"]
    assert (person[1], person[3]) == ("капетан", "MK-0042")
    namesake = {"Name": GJORGJI["Name"], "Nation": "MK", "Service number": "MK-0777"}
    assert _import(empty_plan_path, _typed(tmp_path, _sheets(Trainees=[namesake]))).imported
    report = _import(empty_plan_path, _typed(tmp_path, _sheets(Trainees=[promoted])))
    assert not report.imported
    [problem] = report.errors
    assert (problem.sheet, problem.row, problem.column) == ("Trainees", 2, "Name")
    assert "2 trainees of MK are called" in problem.message
