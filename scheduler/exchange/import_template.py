"""The import template the program writes itself, empty or filled from a plan.

Filled from a plan it is also the way to hand a colleague's cell a copy of
the reference data and events (internal notes included: it is an internal
file, marked as such).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.cells import NOTE_FONT, TITLE_FONT, CellStyle, font, streaming_sheet
from scheduler.exchange.import_schema import (
    DATE,
    DATETIME,
    GENERAL_INSTRUCTIONS,
    INT,
    SHEETS,
    SheetSpec,
)
from scheduler.exchange.output import PendingFile
from scheduler.exchange.page_setup import apply_page_setup
from scheduler.exchange.rows import EventFilter, iter_events
from scheduler.exchange.sheets import (
    DATE as COLUMN_DATE,
)
from scheduler.exchange.sheets import (
    DATETIME as COLUMN_DATETIME,
)
from scheduler.exchange.sheets import (
    NUMBER,
    TEXT,
    Column,
    PageInfo,
    TableSheet,
)
from scheduler.exchange.workbook_common import save_workbook, streamed_workbook
from scheduler.model import (
    CapabilityTarget,
    Course,
    Instructor,
    InstructorQualification,
    Nation,
    Qualification,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    course_prerequisite,
    course_qualification,
)

INSTRUCTIONS_SHEET = "Instructions"
_KINDS = {INT: NUMBER, DATE: COLUMN_DATE, DATETIME: COLUMN_DATETIME}
_CHOICES = {
    ("Events", "status"): "draft,planned,confirmed,delivered,cancelled",
    ("Instructors", "role"): "instructor,interpreter,support",
}


def _columns(spec: SheetSpec) -> list[Column]:
    return [Column(f.header, f.width, _KINDS.get(f.kind, TEXT)) for f in spec.fields]


def _join(values: Any) -> str | None:
    text = "; ".join(str(v) for v in values if v not in (None, ""))
    return text or None


def write_import_template(
    target: Path, *, marking: str, session: Session | None = None, plan_name: str = ""
) -> dict[str, int]:
    """Write the template to ``target``; with ``session`` fill it from that plan.

    Returns the number of data rows written per sheet.
    """
    title = f"Import template — {plan_name}" if plan_name else "Import template"
    page = PageInfo(marking, title, "Training Scheduler import template")
    counts: dict[str, int] = {}
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        _write_instructions(workbook, page)
        for spec in SHEETS:
            sheet = TableSheet(workbook, spec.name, _columns(spec), page, table_name=None)
            for (sheet_name, key), choices in _CHOICES.items():
                if sheet_name == spec.name:
                    index = [f.key for f in spec.fields].index(key)
                    letter = chr(ord("A") + index)
                    validation = DataValidation(
                        type="list", formula1=f'"{choices}"', allow_blank=True
                    )
                    validation.error = f"Choose one of: {choices.replace(',', ', ')}"
                    validation.add(f"{letter}2:{letter}50000")
                    sheet.ws.data_validations.append(validation)
            if session is not None:
                for values in _ROWS[spec.name](session):
                    sheet.append(values)
            counts[spec.name] = sheet.rows
            if sheet.rows:
                sheet.close()
            else:
                sheet.ws.auto_filter.ref = f"A1:{chr(ord('A') + len(spec.fields) - 1)}1"
        save_workbook(workbook, pending)
        pending.publish()
    return counts


def _write_instructions(workbook: Any, page: PageInfo) -> None:
    ws = streaming_sheet(workbook, INSTRUCTIONS_SHEET)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["C"].width = 12
    ws.column_dimensions["D"].width = 60
    apply_page_setup(
        ws, marking=page.marking, title=page.title, footer_note=page.footer_note, header_rows=None
    )
    heading = CellStyle(ws, font=TITLE_FONT)
    bold = CellStyle(ws, font=font(bold=True))
    note = CellStyle(ws, font=NOTE_FONT)
    ws.append([heading.cell("How to fill in this template")])
    for line in GENERAL_INSTRUCTIONS:
        ws.append([note.cell("•"), note.cell(line)])
    for spec in SHEETS:
        ws.append([])
        ws.append([bold.cell(spec.name), note.cell(spec.instructions)])
        ws.append([bold.cell(""), bold.cell("Column"), bold.cell("Required"), bold.cell("Holds")])
        for field in spec.fields:
            kind = {INT: "whole number", DATE: "date", DATETIME: "date and time"}.get(
                field.kind, "text"
            )
            holds = f"{kind}; {field.help}" if field.help else kind
            ws.append(["", field.header, "yes" if field.required else "", holds])


def _qualification_rows(session: Session) -> Iterator[list[Any]]:
    for code, name, months in session.execute(
        select(Qualification.code, Qualification.name, Qualification.validity_months).order_by(
            Qualification.code
        )
    ):
        yield [code, name, months]


def _course_rows(session: Session) -> Iterator[list[Any]]:
    qualifications: dict[int, list[str]] = {}
    for course_id, code in session.execute(
        select(course_qualification.c.course_id, Qualification.code).join(
            Qualification, Qualification.id == course_qualification.c.qualification_id
        )
    ):
        qualifications.setdefault(course_id, []).append(code)
    prerequisites: dict[int, list[str]] = {}
    for course_id, code in session.execute(
        select(course_prerequisite.c.course_id, Course.code).join(
            Course, Course.id == course_prerequisite.c.prerequisite_id
        )
    ):
        prerequisites.setdefault(course_id, []).append(code)
    for course in session.scalars(select(Course).order_by(Course.code)):
        yield [
            course.code,
            course.title,
            course.category,
            course.duration_days,
            course.min_trainees,
            course.max_trainees,
            course.trainees_per_instructor,
            _join(sorted(qualifications.get(course.id, []))),
            _join(sorted(prerequisites.get(course.id, []))),
            course.language,
            _join(course.required_facilities or []),
        ]


def _unit_rows(session: Session) -> Iterator[list[Any]]:
    codes = {k: v for k, v in session.execute(select(Unit.id, Unit.code))}
    nations = {k: v for k, v in session.execute(select(Nation.id, Nation.code))}
    for unit in session.scalars(select(Unit).order_by(Unit.id)):
        yield [
            unit.code,
            unit.name,
            nations.get(unit.nation_id),
            codes.get(unit.parent_id) if unit.parent_id else None,
            unit.strength,
            unit.language,
        ]


def _instructor_rows(session: Session) -> Iterator[list[Any]]:
    nations = {k: v for k, v in session.execute(select(Nation.id, Nation.code))}
    held: dict[int, list[str]] = {}
    for instructor_id, code, expires in session.execute(
        select(
            InstructorQualification.instructor_id,
            Qualification.code,
            InstructorQualification.expires_on,
        ).join(Qualification, Qualification.id == InstructorQualification.qualification_id)
    ):
        held.setdefault(instructor_id, []).append(f"{code}:{expires:%Y-%m-%d}" if expires else code)
    for person in session.scalars(select(Instructor).order_by(Instructor.name)):
        yield [
            person.name,
            nations.get(person.nation_id) if person.nation_id else None,
            person.organisation,
            str(person.role),
            _join(held.get(person.id, [])),
            _join(person.languages or []),
        ]


def _venue_rows(session: Session) -> Iterator[list[Any]]:
    nations = {k: v for k, v in session.execute(select(Nation.id, Nation.code))}
    for venue in session.scalars(select(Venue).order_by(Venue.name)):
        yield [
            venue.name,
            nations.get(venue.nation_id),
            venue.capacity,
            _join(venue.facilities or []),
        ]


def _unavailability_rows(session: Session) -> Iterator[list[Any]]:
    for name, first, last, reason in session.execute(
        select(
            Instructor.name,
            Unavailability.start_date,
            Unavailability.end_date,
            Unavailability.reason,
        )
        .join(Instructor, Instructor.id == Unavailability.instructor_id)
        .order_by(Instructor.name, Unavailability.start_date)
    ):
        yield [name, first, last, reason]


def _requirement_rows(session: Session) -> Iterator[list[Any]]:
    for unit, target, course, people, due in session.execute(
        select(
            Unit.code,
            CapabilityTarget.name,
            Course.code,
            TrainingRequirement.people,
            TrainingRequirement.due_date,
        )
        .join(Unit, Unit.id == TrainingRequirement.unit_id)
        .join(CapabilityTarget, CapabilityTarget.id == TrainingRequirement.target_id)
        .join(Course, Course.id == TrainingRequirement.course_id)
        .order_by(Unit.code, Course.code)
    ):
        yield [unit, target, course, people, due]


def _event_rows(session: Session) -> Iterator[list[Any]]:
    for row in iter_events(session, EventFilter()):
        yield [
            row.ref,
            row.course_code,
            row.start,
            row.end,
            row.venue_name,
            _join(f"{a.code}:{a.seats}" for a in row.audience),
            _join(s.name if s.role == "instructor" else f"{s.name}:{s.role}" for s in row.staff),
            row.status,
            None,
            row.notes,
            row.partner_remarks,
        ]


_ROWS = {
    "Qualifications": _qualification_rows,
    "Courses": _course_rows,
    "Units": _unit_rows,
    "Instructors": _instructor_rows,
    "Venues": _venue_rows,
    "Unavailability": _unavailability_rows,
    "Requirements": _requirement_rows,
    "Events": _event_rows,
}
