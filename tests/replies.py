"""A partner's side of the reply loop, for the tests: its workbook exported,
then filled in as a partner fills it (openpyxl writes what Excel stores)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.model import Enrolment, EnrolmentStatus, Nation, Trainee
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import open_plan
from tests.trainees import enrol_a_platoon_commander


def people_on_two_events(path: Path) -> list[str]:
    """A Macedonian lieutenant on two events of the demo plan and an Albanian
    trainee on the first (who must not reach Macedonia's workbook); their Refs."""
    with open_plan(path) as plan, plan.session() as session:
        _, events = enrol_a_platoon_commander(session)
        al = session.scalars(select(Nation).where(Nation.code == "AL")).one()
        session.add(
            Trainee(
                name="Dritan Hoxha",
                nation=al,
                languages=[],
                enrolments=[Enrolment(event=events[0], status=EnrolmentStatus.NOMINATED)],
            )
        )
        return [e.ref for e in events]


def export_partner(path: Path, target: Path, partner: str = "MK") -> Path:
    with open_plan(path) as plan:
        export_plan(
            plan,
            ExportRequest(
                target, partner=partner, date_from=date(2027, 1, 1), date_to=date(2027, 3, 31)
            ),
        )
    return target


def lines_of(sheet: Any, ref: str) -> list[Any]:
    """The Nominations lines of one event: its own line, then its people's."""
    return [row for row in sheet.iter_rows(min_row=2) if row[0].value == ref]


def fill_reply(
    sent: Path, filled: Path, refs: list[str], extra: dict[tuple[int, int], Any] | None = None
) -> Path:
    """A partner's answers: confirmed seats and a remark, a new captain, and the
    lieutenant confirmed on the second event; ``extra``: (row, column) -> value."""
    workbook = load_workbook(sent)
    sheet = workbook["Nominations"]
    first = lines_of(sheet, refs[0])
    first[0][8].value = 17
    first[0][9].value = "Двајца доаѓаат подоцна — Ёлира"
    empty = next(line for line in first[1:] if line[2].value is None)
    empty[2].value = "Ана Петровска"
    empty[3].value = "Ana Petrovska"
    empty[4].value = "капетан"
    empty[5].value = first[1][5].value or _unit_of(sheet, refs[0])
    empty[6].value = "confirmed"
    second = lines_of(sheet, refs[1])
    person = next(line for line in second[1:] if line[2].value)
    person[6].value = "confirmed"
    for (row, column), value in (extra or {}).items():
        sheet.cell(row=row, column=column).value = value
    workbook.save(filled)
    return filled


def _unit_of(sheet: Any, ref: str) -> str:
    """One of the partner's units on the event (from its event line)."""
    event_line = lines_of(sheet, ref)[0]
    return str(event_line[1].value).rsplit("\n", 1)[1].split(":")[0]
