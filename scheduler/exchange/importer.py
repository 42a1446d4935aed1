"""Importing courses, units, people, venues and events: validate all, then write all.

Validation runs over the whole file against the plan before anything is
written, and collects every problem with its sheet, row and column. Only a
file without errors is imported, in one transaction (the service takes a
backup first). Rows match existing records by code, name or Ref and update
them; everything else is added. Events go in through bulk inserts (10,000
rows in about a second); the change log gets one summary row for them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.import_rows import (
    ERROR,
    WARNING,
    ParsedRow,
    ParsedSheet,
    Problem,
    parse_sheet,
)
from scheduler.exchange.import_schema import SHEETS, SheetSpec
from scheduler.exchange.progress import Progress, ProgressCallback
from scheduler.exchange.untrusted import RawSheet, read_csv, read_xlsx
from scheduler.model import (
    CapabilityTarget,
    ChangeLog,
    Course,
    EventAudience,
    EventInstructor,
    EventSeries,
    EventStatus,
    Instructor,
    InstructorQualification,
    InstructorRole,
    Nation,
    Qualification,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    current_user,
    new_uuid,
    utc_now,
)
from scheduler.model.refs import RefAllocator, serialize_ref_allocation
from scheduler.planning.recurrence import RecurrenceError, parse_rule, to_rrule

MAX_OCCURRENCES = 520
_LIMITS = {"code": 32, "ref": 32, "name": 200, "title": 200, "category": 64, "language": 8}
_STATUSES = {s.value: s for s in EventStatus}
_ROLES = {r.value: r for r in InstructorRole}


@dataclass(slots=True)
class ImportReport:
    """What an import found and did. ``imported`` is False on errors or a dry run."""

    files: list[str]
    problems: list[Problem] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    imported: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def summary(self) -> str:
        parts = []
        for spec in SHEETS:
            added, updated = self.added.get(spec.name, 0), self.updated.get(spec.name, 0)
            if added or updated:
                parts.append(f"{spec.name}: {added} new, {updated} updated")
        return "; ".join(parts) if parts else "nothing to import"

    def text(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.errors:
            lines.append(
                f"{len(self.errors)} error(s): nothing was imported. Fix them and import again."
            )
        elif self.dry_run:
            lines.append(f"Checked, nothing written (dry run). Would import: {self.summary()}.")
        else:
            lines.append(f"Imported: {self.summary()}.")
        return "\n".join(lines)


def read_sheets(paths: Sequence[Path]) -> list[RawSheet]:
    """The raw sheets of an .xlsx file, or of CSV files named after their sheets."""
    sheets: list[RawSheet] = []
    for path in paths:
        if not path.is_file():
            raise UserError(f"“{path}” does not exist or is not a file.")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            sheets.extend(read_xlsx(path))
        elif suffix == ".csv":
            sheets.append(read_csv(path))
        else:
            raise UserError(
                f"“{path.name}” is neither an Excel workbook (.xlsx) nor a CSV file (.csv)."
            )
    return sheets


# -- what the plan holds already ---------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(slots=True)
class Known:
    """Keys of existing records: code/name (folded) -> id."""

    nations: dict[str, int]
    nation_codes: dict[int, str]
    qualifications: dict[str, int]
    courses: dict[str, int]
    units: dict[str, int]
    unit_nations: dict[int, int]
    instructors: dict[str, int]
    venues: dict[str, int]
    venue_nations: dict[int, int]
    events: dict[str, tuple[int, int | None]]

    @classmethod
    def load(cls, session: Session) -> Known:
        nations: dict[str, int] = {}
        codes: dict[int, str] = {}
        for nation_id, code, name in session.execute(select(Nation.id, Nation.code, Nation.name)):
            nations[_fold(code)] = nation_id
            nations[_fold(name)] = nation_id
            codes[nation_id] = code
        units: dict[str, int] = {}
        unit_nations: dict[int, int] = {}
        for unit_id, code, nation_id in session.execute(select(Unit.id, Unit.code, Unit.nation_id)):
            units[_fold(code)] = unit_id
            unit_nations[unit_id] = nation_id
        venues: dict[str, int] = {}
        venue_nations: dict[int, int] = {}
        for venue_id, name, nation_id in session.execute(
            select(Venue.id, Venue.name, Venue.nation_id)
        ):
            venues[_fold(name)] = venue_id
            venue_nations[venue_id] = nation_id
        return cls(
            nations=nations,
            nation_codes=codes,
            qualifications={
                _fold(c): i
                for i, c in session.execute(select(Qualification.id, Qualification.code))
            },
            courses={_fold(c): i for i, c in session.execute(select(Course.id, Course.code))},
            units=units,
            unit_nations=unit_nations,
            instructors={
                _fold(n): i for i, n in session.execute(select(Instructor.id, Instructor.name))
            },
            venues=venues,
            venue_nations=venue_nations,
            events={
                _fold(r): (i, s)
                for i, r, s in session.execute(
                    select(TrainingEvent.id, TrainingEvent.ref, TrainingEvent.series_id)
                )
            },
        )


# -- validation ------------------------------------------------------------------------------


class _Checker:
    """Validates parsed sheets against the plan and against each other."""

    def __init__(self, sheets: dict[str, ParsedSheet], known: Known) -> None:
        self.sheets = sheets
        self.known = known
        self.problems: list[Problem] = []
        self.in_file: dict[str, set[str]] = {}
        for spec in SHEETS:
            key = "name" if spec.name in ("Instructors", "Venues") else "code"
            sheet = sheets.get(spec.name)
            if sheet is not None and spec.name not in ("Unavailability", "Requirements", "Events"):
                self.in_file[spec.name] = {
                    _fold(r.values[key]) for r in sheet.rows if r.values.get(key)
                }

    def error(self, spec: SheetSpec, row: ParsedRow, key: str | None, message: str) -> None:
        column = spec.field(key).header if key else None
        self.problems.append(Problem(spec.name, row.number, column, message))

    def exists(self, sheet: str, mapping: dict[str, int], value: str) -> bool:
        return _fold(value) in mapping or _fold(value) in self.in_file.get(sheet, set())

    def rows(self, name: str) -> list[ParsedRow]:
        sheet = self.sheets.get(name)
        return sheet.rows if sheet is not None else []

    def check(self) -> list[Problem]:
        for spec in SHEETS:
            sheet = self.sheets.get(spec.name)
            if sheet is None:
                continue
            self._lengths_and_duplicates(spec, sheet)
            getattr(self, f"_check_{spec.name.lower()}")(spec, sheet.rows)
        return self.problems

    def _lengths_and_duplicates(self, spec: SheetSpec, sheet: ParsedSheet) -> None:
        key = {"Instructors": "name", "Venues": "name", "Events": "ref"}.get(spec.name, "code")
        if spec.name in ("Unavailability", "Requirements"):
            key = ""
        seen: dict[str, int] = {}
        for row in sheet.rows:
            for name, limit in _LIMITS.items():
                value = row.values.get(name)
                if isinstance(value, str) and len(value) > limit:
                    self.error(
                        spec, row, name, f"is too long ({len(value)} characters, at most {limit})"
                    )
            value = row.values.get(key) if key else None
            if value:
                folded = _fold(value)
                if folded in seen:
                    what = "Ref" if key == "ref" else key
                    self.error(
                        spec, row, key, f"duplicate {what} “{value}” (also on row {seen[folded]})"
                    )
                else:
                    seen[folded] = row.number

    def _nation(self, spec: SheetSpec, row: ParsedRow, key: str = "nation") -> None:
        value = row.values.get(key)
        if value and _fold(value) not in self.known.nations:
            self.error(spec, row, key, f"unknown nation “{value}”")

    def _positive(self, spec: SheetSpec, row: ParsedRow, key: str, low: int = 0) -> None:
        value = row.values.get(key)
        if value is not None and value < low:
            self.error(spec, row, key, f"must be at least {low}, not {value}")

    def _check_qualifications(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            self._positive(spec, row, "validity_months", 1)

    def _check_courses(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            self._positive(spec, row, "duration_days", 1)
            for key in ("min_trainees", "max_trainees", "trainees_per_instructor"):
                self._positive(spec, row, key, 1 if key == "trainees_per_instructor" else 0)
            low, high = row.values.get("min_trainees"), row.values.get("max_trainees")
            if low is not None and high is not None and low > high:
                self.error(spec, row, "max_trainees", f"is below Min trainees ({high} < {low})")
            for code in row.values.get("required_qualifications") or []:
                if not self.exists("Qualifications", self.known.qualifications, code):
                    self.error(
                        spec, row, "required_qualifications", f"unknown qualification “{code}”"
                    )
            for code in row.values.get("prerequisites") or []:
                if not self.exists("Courses", self.known.courses, code):
                    self.error(spec, row, "prerequisites", f"unknown course “{code}”")
                elif _fold(code) == _fold(row.values.get("code") or ""):
                    self.error(
                        spec, row, "prerequisites", "a course cannot be its own prerequisite"
                    )

    def _check_units(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            self._nation(spec, row)
            self._positive(spec, row, "strength")
            parent = row.values.get("parent")
            if parent:
                if _fold(parent) == _fold(row.values.get("code") or ""):
                    self.error(spec, row, "parent", "a unit cannot be its own parent")
                elif not self.exists("Units", self.known.units, parent):
                    self.error(spec, row, "parent", f"unknown unit “{parent}”")

    def _check_instructors(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            self._nation(spec, row)
            role = row.values.get("role")
            if role and role.casefold() not in _ROLES:
                self.error(
                    spec, row, "role", f"unknown role “{role}” (instructor, interpreter or support)"
                )
            for item in row.values.get("qualifications") or []:
                code, _, expiry = item.partition(":")
                if not self.exists("Qualifications", self.known.qualifications, code.strip()):
                    self.error(
                        spec, row, "qualifications", f"unknown qualification “{code.strip()}”"
                    )
                if expiry.strip():
                    try:
                        date.fromisoformat(expiry.strip())
                    except ValueError:
                        self.error(
                            spec,
                            row,
                            "qualifications",
                            f"expiry “{expiry.strip()}” of {code.strip()} "
                            "is not a date like 2027-06-30",
                        )

    def _check_venues(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            self._nation(spec, row)
            self._positive(spec, row, "capacity")

    def _check_unavailability(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            who = row.values.get("who")
            if who and not self.exists("Instructors", self.known.instructors, who):
                self.error(spec, row, "who", f"unknown instructor “{who}”")
            first, last = row.values.get("start"), row.values.get("end")
            if first and last and last < first:
                self.error(spec, row, "end", "To is before From")

    def _check_requirements(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            unit, course = row.values.get("unit"), row.values.get("course")
            if unit and not self.exists("Units", self.known.units, unit):
                self.error(spec, row, "unit", f"unknown unit “{unit}”")
            if course and not self.exists("Courses", self.known.courses, course):
                self.error(spec, row, "course", f"unknown course “{course}”")
            self._positive(spec, row, "people", 1)

    def _check_events(self, spec: SheetSpec, rows: list[ParsedRow]) -> None:
        for row in rows:
            values = row.values
            course = values.get("course")
            if course and not self.exists("Courses", self.known.courses, course):
                self.error(spec, row, "course", f"unknown course “{course}”")
            start, end = values.get("start"), values.get("end")
            if start and end and end <= start:
                self.error(
                    spec, row, "end", "End is before Start" if end < start else "End equals Start"
                )
            venue = values.get("venue")
            if venue and not self.exists("Venues", self.known.venues, venue):
                self.error(spec, row, "venue", f"unknown venue “{venue}”")
            seen_units: set[str] = set()
            for item in values.get("units") or []:
                code, colon, seats = item.partition(":")
                code = code.strip()
                if not self.exists("Units", self.known.units, code):
                    self.error(spec, row, "units", f"unknown unit “{code}”")
                if _fold(code) in seen_units:
                    self.error(spec, row, "units", f"unit “{code}” is listed twice")
                seen_units.add(_fold(code))
                if colon and not seats.strip().isdigit():
                    self.error(
                        spec, row, "units", f"seats “{seats.strip()}” for {code} is not a number"
                    )
            for item in values.get("instructors") or []:
                name, _role = _split_role(item)
                if not self.exists("Instructors", self.known.instructors, name):
                    self.error(spec, row, "instructors", f"unknown instructor “{name}”")
            status = values.get("status")
            if status and status.casefold() not in _STATUSES:
                self.error(
                    spec,
                    row,
                    "status",
                    f"unknown status “{status}” "
                    "(draft, planned, confirmed, delivered or cancelled)",
                )
            rule = values.get("recurrence")
            if rule:
                try:
                    parsed = parse_rule(rule)
                except RecurrenceError as exc:
                    self.error(spec, row, "recurrence", str(exc))
                else:
                    if parsed.count is None and parsed.until is None:
                        self.error(spec, row, "recurrence", "needs COUNT or UNTIL (an end)")
                    elif start and len(_occurrences(rule, start)) > MAX_OCCURRENCES:
                        self.error(
                            spec, row, "recurrence", f"gives more than {MAX_OCCURRENCES} events"
                        )
                ref = values.get("ref")
                if ref and _fold(ref) in self.known.events:
                    self.error(
                        spec,
                        row,
                        "ref",
                        f"“{ref}” exists already; change a repeating event in the program",
                    )


def _split_role(item: str) -> tuple[str, str]:
    name, colon, role = item.rpartition(":")
    if colon and role.strip().casefold() in _ROLES:
        return name.strip(), role.strip().casefold()
    return item.strip(), InstructorRole.INSTRUCTOR.value


def _occurrences(rule: str, start: datetime) -> list[datetime]:
    found = []
    for moment in to_rrule(rule, start):
        found.append(moment)
        if len(found) > MAX_OCCURRENCES:
            break
    return found


# -- applying -----------------------------------------------------------------------------------


class _Writer:
    """Writes a validated file into the plan, inside the caller's transaction."""

    def __init__(
        self, session: Session, sheets: dict[str, ParsedSheet], report: ImportReport
    ) -> None:
        self.session = session
        self.sheets = sheets
        self.report = report
        self.known = Known.load(session)

    def rows(self, name: str) -> list[ParsedRow]:
        sheet = self.sheets.get(name)
        return sheet.rows if sheet is not None else []

    def count(self, sheet: str, added: bool) -> None:
        target = self.report.added if added else self.report.updated
        target[sheet] = target.get(sheet, 0) + 1

    def _upsert(
        self,
        sheet: str,
        model: type[Any],
        key_column: Any,
        mapping: dict[str, int],
        key: str,
        fill: Callable[[Any, dict[str, Any]], None],
    ) -> dict[str, Any]:
        """Add or update one record per row; returns folded key -> object."""
        rows = self.rows(sheet)
        ids = [mapping[_fold(r.values[key])] for r in rows if _fold(r.values[key]) in mapping]
        existing = (
            {o.id: o for o in self.session.scalars(select(model).where(model.id.in_(ids)))}
            if ids
            else {}
        )
        found: dict[str, Any] = {}
        for row in rows:
            folded = _fold(row.values[key])
            record_id = mapping.get(folded)
            record = existing.get(record_id) if record_id is not None else None
            added = record is None
            if record is None:
                record = model()
                setattr(record, key_column.key, row.values[key])
                self.session.add(record)
            fill(record, row.values)
            found[folded] = record
            self.count(sheet, added)
        self.session.flush()
        for folded, record in found.items():
            mapping[folded] = record.id
        return found

    def _nation_id(self, value: str | None) -> int | None:
        return self.known.nations.get(_fold(value)) if value else None

    def write(self) -> None:
        known = self.known
        self._upsert(
            "Qualifications",
            Qualification,
            Qualification.code,
            known.qualifications,
            "code",
            lambda q, v: _assign(q, name=v["name"], validity_months=v["validity_months"]),
        )
        courses = self._upsert(
            "Courses", Course, Course.code, known.courses, "code", self._fill_course
        )
        if courses:
            quals = self._objects(Qualification, known.qualifications)
            all_courses = self._objects(Course, known.courses)
            for row in self.rows("Courses"):
                course = courses[_fold(row.values["code"])]
                course.required_qualifications = [
                    quals[_fold(c)] for c in row.values["required_qualifications"]
                ]
                course.prerequisites = [all_courses[_fold(c)] for c in row.values["prerequisites"]]
        units = self._upsert("Units", Unit, Unit.code, known.units, "code", self._fill_unit)
        for row in self.rows("Units"):
            parent = row.values.get("parent")
            units[_fold(row.values["code"])].parent_id = (
                known.units[_fold(parent)] if parent else None
            )
        for unit in units.values():
            known.unit_nations[unit.id] = unit.nation_id
        instructors = self._upsert(
            "Instructors",
            Instructor,
            Instructor.name,
            known.instructors,
            "name",
            self._fill_instructor,
        )
        if instructors:
            self._instructor_qualifications(instructors)
        venues = self._upsert("Venues", Venue, Venue.name, known.venues, "name", self._fill_venue)
        for venue in venues.values():
            known.venue_nations[venue.id] = venue.nation_id
        self._unavailability()
        self._requirements()
        self.session.flush()
        self._events()

    def _objects(self, model: type[Any], mapping: dict[str, int]) -> dict[str, Any]:
        by_id = {o.id: o for o in self.session.scalars(select(model))}
        return {key: by_id[i] for key, i in mapping.items() if i in by_id}

    def _fill_course(self, course: Course, v: dict[str, Any]) -> None:
        _assign(
            course,
            title=v["title"],
            category=v["category"] or course.category or "General",
            duration_days=v["duration_days"] or course.duration_days or 1,
            min_trainees=v["min_trainees"],
            max_trainees=v["max_trainees"],
            trainees_per_instructor=v["trainees_per_instructor"],
            language=v["language"] or course.language or "en",
            required_facilities=list(v["facilities"]),
        )

    def _fill_unit(self, unit: Unit, v: dict[str, Any]) -> None:
        _assign(
            unit,
            name=v["name"],
            nation_id=self._nation_id(v["nation"]),
            strength=v["strength"],
            language=v["language"],
        )

    def _fill_instructor(self, person: Instructor, v: dict[str, Any]) -> None:
        _assign(
            person,
            nation_id=self._nation_id(v["nation"]),
            organisation=v["organisation"],
            role=_ROLES[v["role"].casefold()]
            if v["role"]
            else person.role or InstructorRole.INSTRUCTOR,
            languages=list(v["languages"]),
        )

    def _fill_venue(self, venue: Venue, v: dict[str, Any]) -> None:
        _assign(
            venue,
            nation_id=self._nation_id(v["nation"]),
            capacity=v["capacity"],
            facilities=list(v["facilities"]),
        )

    def _instructor_qualifications(self, instructors: dict[str, Instructor]) -> None:
        ids = [i.id for i in instructors.values()]
        held = {
            (q.instructor_id, q.qualification_id): q
            for q in self.session.scalars(
                select(InstructorQualification).where(
                    InstructorQualification.instructor_id.in_(ids)
                )
            )
        }
        for row in self.rows("Instructors"):
            person = instructors[_fold(row.values["name"])]
            for item in row.values["qualifications"]:
                code, _, expiry = item.partition(":")
                qualification_id = self.known.qualifications[_fold(code.strip())]
                expires = date.fromisoformat(expiry.strip()) if expiry.strip() else None
                record = held.get((person.id, qualification_id))
                if record is None:
                    record = InstructorQualification(
                        instructor_id=person.id, qualification_id=qualification_id
                    )
                    self.session.add(record)
                    held[(person.id, qualification_id)] = record
                if record.expires_on != expires:
                    record.expires_on = expires

    def _unavailability(self) -> None:
        rows = self.rows("Unavailability")
        if not rows:
            return
        existing = {
            (who, first, last): (record_id, reason)
            for record_id, who, first, last, reason in self.session.execute(
                select(
                    Unavailability.id,
                    Unavailability.instructor_id,
                    Unavailability.start_date,
                    Unavailability.end_date,
                    Unavailability.reason,
                )
            )
        }
        now = utc_now()
        added: list[dict[str, Any]] = []
        for row in rows:
            v = row.values
            key = (self.known.instructors[_fold(v["who"])], v["start"], v["end"])
            found = existing.get(key)
            if found is None:
                # Many rows per person: bulk insert, summarised in the change log.
                added.append(
                    {
                        "uuid": new_uuid(),
                        "instructor_id": key[0],
                        "start_date": key[1],
                        "end_date": key[2],
                        "reason": v["reason"],
                        "created_at": now,
                        "updated_at": now,
                        "version_id": 1,
                    }
                )
                existing[key] = (0, v["reason"])
                self.count("Unavailability", True)
                continue
            self.count("Unavailability", False)
            if found[1] != v["reason"] and found[0]:
                record = self.session.get(Unavailability, found[0])
                if record is not None:
                    record.reason = v["reason"]
        if added:
            self.session.execute(insert(Unavailability), added)

    def _requirements(self) -> None:
        rows = self.rows("Requirements")
        if not rows:
            return
        targets = {
            (t.unit_id, _fold(t.name)): t for t in self.session.scalars(select(CapabilityTarget))
        }
        existing = {
            (r.target_id, r.course_id): r for r in self.session.scalars(select(TrainingRequirement))
        }
        for row in rows:
            v = row.values
            unit_id = self.known.units[_fold(v["unit"])]
            target = targets.get((unit_id, _fold(v["target"])))
            if target is None:
                target = CapabilityTarget(name=v["target"], unit_id=unit_id)
                self.session.add(target)
                self.session.flush()
                targets[(unit_id, _fold(v["target"]))] = target
            course_id = self.known.courses[_fold(v["course"])]
            record = existing.get((target.id, course_id))
            if record is None:
                record = TrainingRequirement(
                    target_id=target.id, unit_id=unit_id, course_id=course_id
                )
                self.session.add(record)
                existing[(target.id, course_id)] = record
                self.count("Requirements", True)
            else:
                self.count("Requirements", False)
            _assign(record, people=v["people"], due_date=v["due"])

    def _host_code(self, venue_id: int | None, unit_ids: list[int]) -> str:
        if venue_id is not None:
            return self.known.nation_codes.get(self.known.venue_nations.get(venue_id, -1), "XX")
        for unit_id in unit_ids:
            return self.known.nation_codes.get(self.known.unit_nations.get(unit_id, -1), "XX")
        return "XX"

    def _events(self) -> None:
        rows = self.rows("Events")
        if not rows:
            return
        known = self.known
        file_refs = [r.values["ref"] for r in rows if r.values.get("ref")]
        allocator = RefAllocator([*self.session.scalars(select(TrainingEvent.ref)), *file_refs])
        now = utc_now()
        new_events: list[dict[str, Any]] = []
        new_links: list[tuple[list[tuple[int, int]], list[tuple[int, str]]]] = []
        updates: list[dict[str, Any]] = []
        update_links: dict[int, tuple[list[tuple[int, int]], list[tuple[int, str]]]] = {}
        for row in rows:
            v = row.values
            venue_id = known.venues[_fold(v["venue"])] if v["venue"] else None
            audience = []
            for item in v["units"]:
                code, _, seats = item.partition(":")
                audience.append((known.units[_fold(code.strip())], int(seats.strip() or 0)))
            staff = []
            for item in v["instructors"]:
                name, role = _split_role(item)
                staff.append((known.instructors[_fold(name)], role))
            fields = {
                "course_id": known.courses[_fold(v["course"])],
                "venue_id": venue_id,
                "status": _STATUSES[v["status"].casefold()] if v["status"] else EventStatus.PLANNED,
                "notes": v["notes"],
                "partner_remarks": v["partner_remarks"],
            }
            match = known.events.get(_fold(v["ref"])) if v["ref"] else None
            if match is not None:
                updates.append({"b_id": match[0], "start": v["start"], "end": v["end"], **fields})
                update_links[match[0]] = (audience, staff)
                self.count("Events", False)
                continue
            starts = [v["start"]]
            series_id = None
            if v["recurrence"]:
                starts = _occurrences(v["recurrence"], v["start"])
                series = EventSeries(
                    rrule=parse_rule(v["recurrence"]).to_text(), dtstart=v["start"], exdates=[]
                )
                self.session.add(series)
                self.session.flush()
                series_id = series.id
            length = v["end"] - v["start"]
            host = self._host_code(venue_id, [u for u, _ in audience])
            for index, start in enumerate(starts):
                ref = v["ref"] if v["ref"] and index == 0 else allocator.allocate(host, start.year)
                new_events.append(
                    {
                        "uuid": new_uuid(),
                        "ref": ref,
                        "start": start,
                        "end": start + length,
                        "series_id": series_id,
                        "recurrence_id": start if series_id else None,
                        "is_override": False,
                        "created_at": now,
                        "updated_at": now,
                        "version_id": 1,
                        **fields,
                    }
                )
                new_links.append((audience, staff))
                self.count("Events", True)
        audience_rows: list[dict[str, Any]] = []
        staff_rows: list[dict[str, Any]] = []

        def link(
            event_id: int, audience: list[tuple[int, int]], staff: list[tuple[int, str]]
        ) -> None:
            for unit_id, seats in audience:
                audience_rows.append(
                    {
                        "uuid": new_uuid(),
                        "event_id": event_id,
                        "unit_id": unit_id,
                        "seats": seats,
                        "created_at": now,
                        "updated_at": now,
                        "version_id": 1,
                    }
                )
            for instructor_id, role in staff:
                staff_rows.append(
                    {
                        "uuid": new_uuid(),
                        "event_id": event_id,
                        "instructor_id": instructor_id,
                        "role": InstructorRole(role),
                        "created_at": now,
                        "updated_at": now,
                        "version_id": 1,
                    }
                )

        if new_events:
            # Plain bulk insert, then the new ids by uuid: RETURNING with
            # parameter order is quadratic in SQLAlchemy's batch splicing.
            highest = self.session.scalar(select(func.max(TrainingEvent.id))) or 0
            self.session.execute(insert(TrainingEvent), new_events)
            by_uuid = {
                uuid: event_id
                for event_id, uuid in self.session.execute(
                    select(TrainingEvent.id, TrainingEvent.uuid).where(TrainingEvent.id > highest)
                )
            }
            for values, (audience, staff) in zip(new_events, new_links, strict=True):
                link(by_uuid[values["uuid"]], audience, staff)
        if updates:
            table = cast(Table, TrainingEvent.__table__)
            statement = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values(
                    version_id=table.c.version_id + 1,
                    updated_at=now,
                    **{
                        k: bindparam(k)
                        for k in (
                            "start",
                            "end",
                            "course_id",
                            "venue_id",
                            "status",
                            "notes",
                            "partner_remarks",
                        )
                    },
                )
            )
            self.session.connection().execute(statement, updates)
            changed = list(update_links)
            for offset in range(0, len(changed), 900):
                part = changed[offset : offset + 900]
                self.session.execute(delete(EventAudience).where(EventAudience.event_id.in_(part)))
                self.session.execute(
                    delete(EventInstructor).where(EventInstructor.event_id.in_(part))
                )
            for event_id, (audience, staff) in update_links.items():
                link(event_id, audience, staff)
        if audience_rows:
            self.session.execute(insert(EventAudience), audience_rows)
        if staff_rows:
            self.session.execute(insert(EventInstructor), staff_rows)


def _assign(record: Any, **values: Any) -> None:
    """Set only what differs, so the change log records real changes only."""
    for name, value in values.items():
        if getattr(record, name) != value:
            setattr(record, name, value)


# -- the whole job ---------------------------------------------------------------------------


def check_file(
    session: Session, paths: Sequence[Path], progress: ProgressCallback | None = None
) -> tuple[ImportReport, dict[str, ParsedSheet]]:
    """Read and validate; raise UserError (UnsafeFileError) if the file is unusable."""
    report = ImportReport(files=[p.name for p in paths])
    ticker = Progress(progress, 3, step=1)
    raw_sheets = read_sheets(paths)
    ticker.advance()
    sheets: dict[str, ParsedSheet] = {}
    for raw in raw_sheets:
        parsed = parse_sheet(raw, report.problems)
        if parsed is not None:
            if parsed.spec.name in sheets:
                report.problems.append(
                    Problem(
                        raw.name,
                        None,
                        None,
                        "this sheet is given twice; the second is ignored",
                        WARNING,
                    )
                )
                continue
            sheets[parsed.spec.name] = parsed
    if not sheets:
        report.problems.append(
            Problem(
                ", ".join(report.files),
                None,
                None,
                "no sheet to import (expected " + ", ".join(s.name for s in SHEETS) + ")",
            )
        )
    ticker.advance()
    if sheets:
        # Cells that could not be read are None here; the checks skip them, so
        # one run reports every problem in the file.
        report.problems.extend(_Checker(sheets, Known.load(session)).check())
    report.problems.sort(key=lambda p: (p.severity != ERROR, _sheet_order(p.sheet), p.row or 0))
    ticker.advance()
    return report, sheets


def _sheet_order(name: str) -> int:
    for index, spec in enumerate(SHEETS):
        if spec.name == name:
            return index
    return len(SHEETS)


def preview_file(session: Session, sheets: dict[str, ParsedSheet], report: ImportReport) -> None:
    """Count what an import would add and update, writing nothing (a dry run)."""
    known = Known.load(session)
    mappings: dict[str, tuple[dict[str, Any], str]] = {
        "Qualifications": (known.qualifications, "code"),
        "Courses": (known.courses, "code"),
        "Units": (known.units, "code"),
        "Instructors": (known.instructors, "name"),
        "Venues": (known.venues, "name"),
        "Events": (known.events, "ref"),
    }
    unavailable = {
        (who, first, last)
        for who, first, last in session.execute(
            select(Unavailability.instructor_id, Unavailability.start_date, Unavailability.end_date)
        )
    }
    for name, sheet in sheets.items():
        for row in sheet.rows:
            v = row.values
            if name in mappings:
                mapping, key = mappings[name]
                matched = bool(v.get(key)) and _fold(v[key]) in mapping
                repeats = (
                    len(_occurrences(v["recurrence"], v["start"]))
                    if name == "Events" and v.get("recurrence") and not matched
                    else 1
                )
                for _ in range(repeats):
                    target = report.updated if matched else report.added
                    target[name] = target.get(name, 0) + 1
            elif name == "Unavailability":
                who = known.instructors.get(_fold(v["who"]))
                matched = (who, v["start"], v["end"]) in unavailable
                target = report.updated if matched else report.added
                target[name] = target.get(name, 0) + 1
            else:
                report.added[name] = report.added.get(name, 0) + 1


def apply_file(session: Session, sheets: dict[str, ParsedSheet], report: ImportReport) -> None:
    """Write a validated file (no errors) in the caller's transaction."""
    if report.errors:
        raise UserError("The file has errors; nothing was imported.")
    # Two planners importing into one shared plan at once: one after the
    # other, so refs and codes are allocated against what the other wrote.
    serialize_ref_allocation(session.connection())
    _Writer(session, sheets, report).write()
    session.add(
        ChangeLog(
            entity="Import",
            entity_uuid=new_uuid(),
            action="imported",
            field=None,
            old_value=None,
            new_value=f"{', '.join(report.files)}: {report.summary()}"[:2000],
            changed_by=session.info.get("user") or current_user(),
        )
    )
    report.imported = True


__all__ = [
    "ImportReport",
    "Problem",
    "apply_file",
    "check_file",
    "preview_file",
    "read_sheets",
]
