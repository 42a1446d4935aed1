"""The import format: which sheets, which columns, what each column holds.

Declared once; the template writer, the instructions sheet and the importer
all read this, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

TEXT, INT, DATE, DATETIME, LIST = "text", "int", "date", "datetime", "list"


@dataclass(frozen=True, slots=True)
class Field:
    header: str
    key: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    width: float = 16


@dataclass(frozen=True, slots=True)
class SheetSpec:
    name: str
    fields: tuple[Field, ...]
    instructions: str

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


QUALIFICATIONS = SheetSpec(
    "Qualifications",
    (
        Field("Code", "code", required=True, width=14),
        Field("Name", "name", required=True, width=44),
        Field("Validity months", "validity_months", INT, help="empty: does not expire"),
    ),
    "One row per qualification. An existing code is updated.",
)
COURSES = SheetSpec(
    "Courses",
    (
        Field("Code", "code", required=True, width=12),
        Field("Title", "title", required=True, width=40),
        Field("Category", "category", width=18),
        Field("Duration days", "duration_days", INT, help="working days, at least 1"),
        Field("Min trainees", "min_trainees", INT),
        Field("Max trainees", "max_trainees", INT),
        Field("Trainees per instructor", "trainees_per_instructor", INT),
        Field("Required qualifications", "required_qualifications", LIST, help="codes; ‘;’"),
        Field("Prerequisites", "prerequisites", LIST, help="course codes; ‘;’"),
        Field("Language", "language", help="en, mk, sq, sr, bs, cnr, hr", width=10),
        Field("Facilities", "facilities", LIST, help="e.g. classroom; range", width=24),
    ),
    "One row per course. An existing code is updated.",
)
UNITS = SheetSpec(
    "Units",
    (
        Field("Code", "code", required=True, width=14),
        Field("Name", "name", required=True, width=40),
        Field("Nation", "nation", required=True, help="MK, AL, ME, BA, RS, XK, GB", width=9),
        Field("Parent", "parent", help="code of the unit above", width=14),
        Field("Strength", "strength", INT, width=10),
        Field("Language", "language", width=10),
    ),
    "One row per unit. An existing code is updated. Parent: the code of the unit above.",
)
INSTRUCTORS = SheetSpec(
    "Instructors",
    (
        Field("Name", "name", required=True, width=28),
        Field("Nation", "nation", width=9),
        Field("Organisation", "organisation", width=24),
        Field("Role", "role", help="instructor, interpreter or support", width=12),
        Field(
            "Qualifications",
            "qualifications",
            LIST,
            help="codes; an expiry as CODE:2027-06-30",
            width=30,
        ),
        Field("Languages", "languages", LIST, help="en; mk", width=12),
    ),
    "One row per person. An existing name is updated.",
)
VENUES = SheetSpec(
    "Venues",
    (
        Field("Name", "name", required=True, width=34),
        Field("Nation", "nation", required=True, width=9),
        Field("Capacity", "capacity", INT, width=10),
        Field("Facilities", "facilities", LIST, width=34),
    ),
    "One row per venue. An existing name is updated.",
)
UNAVAILABILITY = SheetSpec(
    "Unavailability",
    (
        Field("Who", "who", required=True, help="instructor name", width=28),
        Field("From", "start", DATE, required=True, width=12),
        Field("To", "end", DATE, required=True, width=12),
        Field("Reason", "reason", width=30),
    ),
    "Leave, deployment or travel: first and last day (both included).",
)
REQUIREMENTS = SheetSpec(
    "Requirements",
    (
        Field("Unit", "unit", required=True, width=14),
        Field("Target", "target", required=True, help="capability target name", width=34),
        Field("Course", "course", required=True, width=12),
        Field("People", "people", INT, required=True, width=9),
        Field("Due date", "due", DATE, width=12),
    ),
    "People of a unit to train on a course, toward a capability target.",
)
EVENTS = SheetSpec(
    "Events",
    (
        Field("Ref", "ref", help="empty: a new reference is given", width=14),
        Field("Course", "course", required=True, help="course code", width=10),
        Field("Start", "start", DATETIME, required=True, width=17),
        Field("End", "end", DATETIME, required=True, width=17),
        Field("Venue", "venue", width=30),
        Field("Units", "units", LIST, help="CODE:seats; CODE:seats", width=30),
        Field("Instructors", "instructors", LIST, help="names; ‘;’", width=30),
        Field("Status", "status", help="draft, planned, confirmed, delivered, cancelled", width=11),
        Field("Recurrence", "recurrence", help="e.g. FREQ=WEEKLY;BYDAY=WE;COUNT=10", width=24),
        Field("Notes", "notes", help="internal, never sent to partners", width=30),
        Field("Partner remarks", "partner_remarks", width=30),
    ),
    "One row per event. An existing Ref is updated. Times are the venue's local time; "
    "a date without a time means 09:00 (Start) or 17:00 (End).",
)

SHEETS: tuple[SheetSpec, ...] = (
    QUALIFICATIONS,
    COURSES,
    UNITS,
    INSTRUCTORS,
    VENUES,
    UNAVAILABILITY,
    REQUIREMENTS,
    EVENTS,
)
SHEETS_BY_KEY = {spec.name.casefold(): spec for spec in SHEETS}

GENERAL_INSTRUCTIONS = (
    "Fill in the sheets you need and leave the others empty; delete nothing.",
    "Row 1 of each sheet holds the column names; matching ignores case and spaces.",
    "Lists in a cell are separated by ‘;’. Units on an event are CODE:seats.",
    "Dates may be Excel dates or text such as 2027-03-01 or 2027-03-01 08:30.",
    "Nothing is imported while any row has a problem; the report lists each one "
    "by sheet, row and column.",
    "Rows match existing records by code (courses, units, qualifications), name "
    "(instructors, venues) or Ref (events): a match is updated, not duplicated.",
)
