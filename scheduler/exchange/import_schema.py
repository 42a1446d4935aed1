"""The import format: which sheets, which columns, what each column holds.

Declared once; the template writer, the instructions sheet and the importer
all read this, so they cannot drift apart. A column's ``kind`` says how a
cell is read (``import_values``); its ``limit`` is the longest text the plan
can store there.

The first eight sheets are what every template has had since the first
version; an .xlsx file must hold each of them (empty is fine), so a renamed
or deleted sheet is noticed instead of silently not imported. The later
sheets carry the rest of a plan (``template --plan``) and may be left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from scheduler.model.enums import (
    AbsenceKind,
    CostKind,
    CourseKind,
    EnrolmentStatus,
    EventStatus,
    InstructorRole,
    KitKind,
    MilestoneKind,
    MilestoneResult,
    ProviderKind,
    TaskRating,
    UnitKind,
    WorkloadPeriod,
)
from scheduler.model.languages import LANGUAGE_NAMES
from scheduler.planning.holiday_regions import HOLIDAY_REGIONS

# How a cell is read.
TEXT = "text"
INT = "int"
NUMBER = "number"  # a decimal number (hours a day)
DATE = "date"
DATETIME = "datetime"
BOOL = "bool"
CHOICE = "choice"
LANGUAGE = "language"
LIST = "list"  # texts separated by ";"
LANGUAGES = "languages"
WEEKDAYS = "weekdays"  # Mon-Fri; Sun-Thu; Mon; Wed; Fri
KIT_NEEDS = "kit needs"  # Name; Name:how many; Name:how many/per trainees
CODES = "codes"  # codes of other records separated by ";"
SEATS = "seats"  # CODE:seats; CODE:seats
STAFF = "staff"  # Name; Name (interpreter); Name:support
HELD = "held"  # CODE; CODE:expiry; CODE:expiry:awarded
DATES = "dates"  # dates (or dates and times) separated by ";"
POSTINGS = "postings"  # CODE; CODE:from; CODE:from:to
UID = "uid"  # a record's uuid

MAX_TEXT = 32_767  # the most a spreadsheet cell holds
CLEAR = "-"  # typed alone in a cell: empty this field (a blank cell keeps it)

DATE_FORMS = (
    "an Excel or LibreOffice date cell, or text as 2027-06-30, 30.06.2027 or 30/06/2027 (day first)"
)
TIME_FORMS = "a time after the date: 2027-06-30 08:30 or 30/06/2027 08:30"


@dataclass(frozen=True, slots=True)
class Field:
    header: str
    key: str
    kind: str = TEXT
    required: bool = False
    help: str = ""
    width: float = 16
    limit: int = MAX_TEXT
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # older or looser header names


@dataclass(frozen=True, slots=True)
class SheetSpec:
    name: str
    fields: tuple[Field, ...]
    instructions: str
    core: bool = True  # every template has it; an .xlsx must hold it

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)

    def keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


def _values(enum_cls: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum_cls)


def _listing(values: tuple[str, ...]) -> str:
    return ", ".join(v.replace("_", " ") for v in values)


LANGUAGE_HELP = "a code or a name: " + ", ".join(
    f"{code} ({name})" for code, name in LANGUAGE_NAMES.items()
)
UID_HELP = "the record's identity in calendars and releases; leave as it is, empty for new"
YES_NO = "yes or no"


def _uid() -> Field:
    return Field("UID", "uid", UID, width=38, limit=36, help=UID_HELP)


NATIONS = SheetSpec(
    "Nations",
    (
        Field("Code", "code", required=True, width=8, limit=2, help="ISO code, e.g. MK"),
        Field("Name", "name", required=True, width=26, limit=120),
        Field("Time zone", "time_zone", required=True, width=18, limit=64, help="Europe/Skopje"),
        Field(
            "Holiday calendar",
            "holiday_calendar",
            width=12,
            limit=8,
            help="the country code whose public holidays apply; empty: the nation's own",
        ),
        Field("Languages", "languages", LANGUAGES, width=14, help=LANGUAGE_HELP),
        Field(
            "Working week",
            "working_weekdays",
            WEEKDAYS,
            width=12,
            help="the days its people work: Mon-Fri, Sun-Thu or Mon; Tue; Thu; "
            "new nations: Mon-Fri",
        ),
        Field("Releasability", "releasability", width=14, limit=16, help="caveat, e.g. MKD"),
    ),
    "One row per nation. An existing code is updated; a new code adds a nation.",
    core=False,
)
QUALIFICATIONS = SheetSpec(
    "Qualifications",
    (
        Field("Code", "code", required=True, width=14, limit=32),
        Field("Name", "name", required=True, width=44, limit=200),
        Field("Validity months", "validity_months", INT, help="empty: does not expire"),
        _uid(),
    ),
    "One row per qualification. An existing code is updated.",
)
COURSES = SheetSpec(
    "Courses",
    (
        Field("Code", "code", required=True, width=12, limit=32),
        Field("Title", "title", required=True, width=40, limit=200),
        Field("Category", "category", width=18, limit=64, help="new courses: General"),
        Field("Duration days", "duration_days", INT, help="working days, at least 1"),
        Field("Min trainees", "min_trainees", INT),
        Field("Max trainees", "max_trainees", INT),
        Field("Trainees per instructor", "trainees_per_instructor", INT),
        Field("Required qualifications", "required_qualifications", CODES, help="codes; ‘;’"),
        Field("Prerequisites", "prerequisites", CODES, help="course codes; ‘;’"),
        Field("Language", "language", LANGUAGE, width=12, help=LANGUAGE_HELP),
        Field("Facilities", "facilities", LIST, help="e.g. classroom; range", width=24),
        Field(
            "Kit",
            "kit",
            KIT_NEEDS,
            width=24,
            help="what each run needs, by Kit name: Name (one), Name:how many, or "
            "Name:how many/for every so many trainees (Rifles M70:12/6); ‘;’",
        ),
        Field("Hours a day", "daily_hours", NUMBER, width=10, help="new courses: 7"),
        Field("Colour", "colour", width=10, limit=9, help="#RRGGBB"),
        Field("Description", "description", width=40),
        Field(
            "Validity months",
            "validity_months",
            INT,
            width=10,
            help="how long a pass stays current; empty: it does not run out",
        ),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=10,
            choices=_values(CourseKind),
            help="course (trains people) or exercise (units take part as a whole, "
            "seats may be 0); new courses: course",
        ),
        _uid(),
    ),
    "One row per course. An existing code is updated.",
)
UNITS = SheetSpec(
    "Units",
    (
        Field("Code", "code", required=True, width=14, limit=32),
        Field("Name", "name", required=True, width=40, limit=200),
        Field("Nation", "nation", required=True, help="MK, AL, ME, BA, RS, XK, GB", width=9),
        Field("Parent", "parent", help="code of the unit above", width=14),
        Field("Strength", "strength", INT, width=10),
        Field("Language", "language", LANGUAGE, width=12, help=LANGUAGE_HELP),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=14,
            choices=_values(UnitKind),
            help=_listing(_values(UnitKind)) + "; new units: battalion",
        ),
        Field("Releasability group", "releasability_group", width=14, limit=32),
        Field("Contact", "contact", width=30),
        _uid(),
    ),
    "One row per unit. An existing code is updated. Parent: the code of the unit above.",
)
INSTRUCTORS = SheetSpec(
    "Instructors",
    (
        Field("Name", "name", required=True, width=28, limit=200),
        Field("Nation", "nation", width=9),
        Field("Organisation", "organisation", width=24, limit=200),
        Field(
            "Role",
            "role",
            CHOICE,
            help="instructor, interpreter or support; new people: instructor",
            width=12,
            choices=_values(InstructorRole),
        ),
        Field(
            "Qualifications",
            "qualifications",
            HELD,
            help="codes; with the expiry date CODE:2028-06-30; with the date awarded too "
            "CODE:2028-06-30:2025-07-01 (no expiry: CODE::2025-07-01)",
            width=30,
        ),
        Field("Languages", "languages", LANGUAGES, help=LANGUAGE_HELP, width=12),
        Field("Max training days", "max_training_days", INT, width=10, help="empty: no limit"),
        Field(
            "Max training hours",
            "max_training_hours",
            NUMBER,
            width=10,
            help="in a workload period, each course at its hours a day; empty: no limit",
        ),
        Field(
            "Workload period",
            "workload_period",
            CHOICE,
            width=10,
            choices=_values(WorkloadPeriod),
            help="month, quarter or year: the period Max training days counts; new people: month",
        ),
        Field(
            "Releasable",
            "releasable",
            BOOL,
            width=10,
            help=f"{YES_NO}: may partners see the name? New people: yes",
        ),
        Field("Contact", "contact", width=30),
        _uid(),
    ),
    "One row per person. An existing name is updated.",
)
VENUES = SheetSpec(
    "Venues",
    (
        Field("Name", "name", required=True, width=34, limit=200),
        Field("Nation", "nation", required=True, width=9),
        Field("Capacity", "capacity", INT, width=10),
        Field("Facilities", "facilities", LIST, width=34),
        Field("Location", "location", width=24, limit=200),
        Field("Time zone", "time_zone", width=18, limit=64, help="only if not the nation's own"),
        Field(
            "Holidays of",
            "holiday_region",
            width=12,
            limit=8,
            help="a region with its own public holidays: "
            + ", ".join(f"{r.code} ({r.name})" for r in HOLIDAY_REGIONS)
            + "; empty: the nation's",
        ),
        _uid(),
    ),
    "One row per venue. An existing name is updated.",
)
KIT = SheetSpec(
    "Kit",
    (
        Field("Name", "name", required=True, width=30, limit=200),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=12,
            choices=_values(KitKind),
            help=_listing(_values(KitKind)) + "; new kit: equipment",
        ),
        Field("Quantity", "quantity", INT, width=10, help="how many are held; new kit: 1"),
        Field("Kept at venue", "venue", width=24, help="the venue that owns it"),
        Field("Owned by partner", "nation", width=10, help="the partner nation that owns it"),
        Field("Notes", "notes", width=30),
        _uid(),
    ),
    "One row per kind of kit, with how many are held. An existing name is updated. "
    "With no venue and no partner it is the cell's own.",
    core=False,
)
UNAVAILABILITY = SheetSpec(
    "Unavailability",
    (
        Field("Who", "who", required=True, help="instructor name", width=28),
        Field("From", "start", DATE, required=True, width=12),
        Field("To", "end", DATE, required=True, width=12),
        Field("Reason", "reason", width=30),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=12,
            choices=_values(AbsenceKind),
            help=_listing(_values(AbsenceKind)) + "; new rows: leave",
        ),
    ),
    "Leave, deployment or travel: first and last day (both included). "
    "The same person, From and To again updates that row.",
)
REQUIREMENTS = SheetSpec(
    "Requirements",
    (
        Field("Unit", "unit", required=True, width=14),
        Field("Target", "target", required=True, help="capability target name", width=34),
        Field("Course", "course", required=True, width=12),
        Field("People", "people", INT, required=True, width=9),
        Field("Due date", "due", DATE, width=12),
        Field(
            "Target unit",
            "target_unit",
            width=14,
            help="the unit whose target this is, if not Unit",
        ),
    ),
    "People of a unit to train on a course, toward a capability target "
    "(made when new; see Targets).",
)
EVENTS = SheetSpec(
    "Events",
    (
        Field("Ref", "ref", help="empty: a new reference is given", width=14, limit=32),
        Field("Course", "course", required=True, help="course code", width=10),
        Field("Start", "start", DATETIME, required=True, width=17),
        Field("End", "end", DATETIME, required=True, width=17),
        Field("Venue", "venue", width=30),
        Field("Units", "units", SEATS, help="CODE:seats; CODE:seats", width=30),
        Field(
            "Instructors",
            "instructors",
            STAFF,
            help="names; ‘;’. A person takes their own role; another role as "
            "“Name (interpreter)” or “Name:interpreter”",
            width=30,
        ),
        Field(
            "Status",
            "status",
            CHOICE,
            help="draft, planned, confirmed, delivered, cancelled; new events: planned",
            width=11,
            choices=_values(EventStatus),
        ),
        Field("Recurrence", "recurrence", help="e.g. FREQ=WEEKLY;BYDAY=WE;COUNT=10", width=24),
        Field("Notes", "notes", help="internal, never sent to partners", width=30),
        Field("Partner remarks", "partner_remarks", width=30),
        Field("Attended", "attended", INT, width=10, help="people who attended"),
        Field("Passed", "passed", INT, width=9, help="people who passed"),
        Field("Outcome", "outcome", width=30, help="how it went"),
        Field("Series", "series", width=14, help="for a stored series: its name on Series"),
        Field(
            "Occurrence",
            "occurrence",
            DATETIME,
            width=17,
            help="the start the series' rule gives this event; empty: Start",
        ),
        Field(
            "Edited on its own",
            "override",
            BOOL,
            width=10,
            help=f"{YES_NO}: kept as it is when its series changes",
        ),
        _uid(),
        Field(
            "Delivered by",
            "provider",
            width=24,
            help="another provider's name, as on Providers; empty: the cell",
        ),
        Field("Funding line", "funding_line", width=20, limit=120),
    ),
    "One row per event. An existing Ref is updated. Times are the venue's local time; "
    "a date without a time means 09:00 (Start) or 17:00 (End).",
)
VENUE_CLOSURES = SheetSpec(
    "Venue closures",
    (
        Field("Venue", "venue", required=True, width=34),
        Field("From", "start", DATE, required=True, width=12),
        Field("To", "end", DATE, required=True, width=12),
        Field("Reason", "reason", width=30),
    ),
    "Days a venue cannot be used: first and last day (both included).",
    core=False,
)
CLOSURE_DAYS = SheetSpec(
    "Closure days",
    (
        Field("Day", "day", DATE, required=True, width=12),
        Field("Nation", "nation", width=9, help="empty: every nation"),
        Field("Name", "name", required=True, width=34, limit=200),
    ),
    "Days off the plan adds to the public holidays (a stand-down, a late holiday).",
    core=False,
)
TARGETS = SheetSpec(
    "Targets",
    (
        Field("Unit", "unit", required=True, width=14),
        Field("Target", "target", required=True, width=34, limit=200),
        Field("Ready by", "due", DATE, width=12),
        Field("Description", "description", width=40),
        _uid(),
    ),
    "Capability targets: what a unit must reach, and by when. Requirements name them.",
    core=False,
)
SERIES = SheetSpec(
    "Series",
    (
        Field("Series", "series", required=True, width=14, help="a name the Events rows use"),
        Field("Rule", "rule", required=True, width=40, help="e.g. FREQ=WEEKLY;BYDAY=WE;COUNT=10"),
        Field("First start", "start", DATETIME, required=True, width=17),
        Field("Exceptions", "exceptions", DATES, width=30, help="starts left out; ‘;’"),
        _uid(),
    ),
    "Repeating events as stored: the rule, its first start and the dates left out. "
    "Their events are rows of Events naming the series. To make a new series, "
    "a Recurrence on one Events row is enough.",
    core=False,
)
ACCEPTANCES = SheetSpec(
    "Accepted conflicts",
    (
        Field("Rule", "rule", required=True, width=20, limit=64),
        Field("Conflict", "conflict", required=True, width=40, limit=400),
        Field("Events", "events", LIST, width=38, help="UIDs of the events involved"),
        Field("Fingerprint", "fingerprint", required=True, width=20, limit=64),
        Field("Reason", "reason", required=True, width=40),
        Field("Accepted by", "by", required=True, width=20, limit=120),
        Field("Accepted at", "at", DATETIME, required=True, width=17),
    ),
    "Conflicts a planner accepted, with the reason. Written by the program.",
    core=False,
)
RELEASES = SheetSpec(
    "Releases",
    (
        Field("Release", "release", required=True, width=9, help="a number the next sheet uses"),
        Field("Partner", "partner", required=True, width=10, limit=32),
        Field("Released at", "at", DATETIME, required=True, width=17),
        Field("Released by", "by", required=True, width=20, limit=120),
        Field("From", "start", DATE, width=12),
        Field("To", "end", DATE, width=12),
        Field("File", "file", required=True, width=30, limit=400),
        Field("File hash", "hash", required=True, width=20, limit=64),
        Field("Marking", "marking", required=True, width=30, limit=200),
        _uid(),
        Field("Names sent", "names_sent", LIST, width=38, help="UIDs of the trainees it named"),
    ),
    "Schedules sent to partners; the next one lists what changed since. Written by the program.",
    core=False,
)
RELEASED_EVENTS = SheetSpec(
    "Released events",
    (
        Field("Release", "release", required=True, width=9),
        Field("UID", "uid", UID, required=True, width=38, limit=36),
        Field("Ref", "ref", width=14),
        Field("Course", "course", width=10),
        Field("Title", "title", width=30),
        Field("Start", "start", width=17),
        Field("End", "end", width=17),
        Field("Status", "status", width=11),
        Field("Venue", "venue", width=30),
    ),
    "What each release held, as it was sent. Written by the program.",
    core=False,
)

TRAINEES = SheetSpec(
    "Trainees",
    (
        Field(
            "Name",
            "name",
            required=True,
            width=28,
            limit=200,
            help="as the partner writes it (Cyrillic is fine)",
        ),
        Field("Name in Latin letters", "name_latin", width=28, limit=200),
        Field("Rank", "rank", width=12, limit=60),
        Field("Nation", "nation", required=True, width=9),
        Field(
            "Service number",
            "service_number",
            width=14,
            limit=40,
            help="tells apart two people of one nation with the same name",
        ),
        Field("Languages", "languages", LANGUAGES, width=12, help=LANGUAGE_HELP),
        Field(
            "Units",
            "postings",
            POSTINGS,
            width=34,
            help="unit codes with the first and last day there: CODE:2026-01-01:2027-06-30; "
            "CODE:2027-07-01 (still there); CODE alone: always there",
        ),
        _uid(),
    ),
    "Named people of partner units. A row matches a trainee by nation, name and service "
    "number (or by UID); Units lists every posting, so a move keeps the history.",
    core=False,
)
MODULES = SheetSpec(
    "Modules",
    (
        Field("Event", "event", required=True, width=14, help="the event's Ref"),
        Field("Module", "title", width=22, limit=200, help="its name, e.g. Field week"),
        Field("Start", "start", DATETIME, required=True, width=17),
        Field("End", "end", DATETIME, required=True, width=17),
        Field("Venue", "venue", width=26, help="empty: the event's venue"),
        Field(
            "Instructors",
            "staff",
            STAFF,
            width=30,
            help="names, ‘;’; empty: the event's instructors and interpreters",
        ),
    ),
    "Parts of an event held at their own venue or by their own people, one row each. "
    "The rows of an event's Ref replace all of its modules; an event not named keeps its own.",
    core=False,
)
ENROLMENTS = SheetSpec(
    "Enrolments",
    (
        Field("Event", "event", required=True, width=14, help="the event's Ref"),
        Field("Trainee", "trainee", required=True, width=28, help="name, as on Trainees"),
        Field("Nation", "nation", width=9, help="the trainee's, if two share the name"),
        Field(
            "Service number",
            "service_number",
            width=14,
            help="the trainee's, if two of one nation share the name",
        ),
        Field(
            "Status",
            "status",
            CHOICE,
            width=12,
            choices=_values(EnrolmentStatus),
            help=_listing(_values(EnrolmentStatus)) + "; new rows: nominated",
        ),
        Field("Result date", "result_date", DATE, width=12, help="when passed or failed"),
        Field("Certificate", "certificate", width=16, limit=32, help="its serial number"),
        Field("Remarks", "remarks", width=30),
        Field(
            "Trainee UID",
            "trainee_uid",
            UID,
            width=38,
            limit=36,
            help="the trainee's UID on Trainees (template --plan writes it); empty: by name",
        ),
    ),
    "Trainees on events, from nomination to result. The same event and trainee again "
    "updates that row.",
    core=False,
)
PROVIDERS = SheetSpec(
    "Providers",
    (
        Field("Name", "name", required=True, width=30, limit=200),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=14,
            choices=_values(ProviderKind),
            help=_listing(_values(ProviderKind)) + "; new providers: other",
        ),
        Field("Nation", "nation", width=9, help="for another nation's trainers"),
        Field("Notes", "notes", width=40),
    ),
    "Others who train the partners (a UK department, another nation, NATO, the EU). "
    "An existing name is updated; Events name them under Delivered by.",
    core=False,
)
MILESTONES = SheetSpec(
    "Milestones",
    (
        Field("Unit", "unit", required=True, width=14, help="the target's unit"),
        Field("Target", "target", required=True, width=34, help="capability target name"),
        Field(
            "Evaluation",
            "kind",
            CHOICE,
            required=True,
            width=10,
            choices=_values(MilestoneKind),
            help="SEL1, SEL2 (self-evaluation), NEL1 or NEL2 (NATO evaluation)",
        ),
        Field("Date", "day", DATE, required=True, width=12),
        Field(
            "Result",
            "result",
            CHOICE,
            width=18,
            choices=_values(MilestoneResult),
            help=_listing(_values(MilestoneResult)) + "; new rows: pending",
        ),
        Field("Notes", "notes", width=34),
    ),
    "Evaluation milestones of capability targets. The rows of a target replace all of "
    "its milestones; a target not named keeps its own.",
    core=False,
)
TASKS = SheetSpec(
    "Collective tasks",
    (
        Field("Unit", "unit", required=True, width=14, help="the target's unit"),
        Field("Target", "target", required=True, width=34, help="capability target name"),
        Field("Task", "name", required=True, width=30, limit=200),
        Field(
            "Rating",
            "rating",
            CHOICE,
            width=14,
            choices=_values(TaskRating),
            help=_listing(_values(TaskRating)) + "; new rows: untrained",
        ),
        Field("Rated on", "rated_on", DATE, width=12),
        Field("Rated by", "rating_source", width=20, limit=200, help="e.g. SEL1 March 2027"),
        Field("Trained by", "courses", CODES, width=20, help="course and exercise codes; ‘;’"),
    ),
    "Collective tasks of capability targets and the courses that train them. The rows "
    "of a target replace all of its tasks; a target not named keeps its own.",
    core=False,
)
COSTS = SheetSpec(
    "Costs",
    (
        Field("Event", "event", required=True, width=14, help="the event's Ref"),
        Field(
            "Kind",
            "kind",
            CHOICE,
            width=14,
            choices=_values(CostKind),
            help=_listing(_values(CostKind)) + "; new rows: other",
        ),
        Field("Planned", "planned", NUMBER, width=12),
        Field("Actual", "actual", NUMBER, width=12, help="once known"),
        Field("Note", "note", width=30, limit=200),
    ),
    "What events cost, one row per kind of cost. The rows of an event's Ref replace "
    "all of its costs; an event not named keeps its own.",
    core=False,
)
PARTNER_RESPONSES = SheetSpec(
    "Partner responses",
    (
        Field("Event", "event", required=True, width=14, help="the event's Ref"),
        Field("Partner", "partner", required=True, width=10, limit=32, help="nation or unit code"),
        Field("Confirmed seats", "confirmed_seats", INT, width=10),
        Field("Remarks", "remarks", width=40, help="the partner's, from its reply"),
        Field("Received at", "received_at", DATETIME, width=17),
    ),
    "What partners answered in their reply workbooks, per event. Written by the program.",
    core=False,
)

SHEETS: tuple[SheetSpec, ...] = (
    QUALIFICATIONS,
    COURSES,
    UNITS,
    INSTRUCTORS,
    VENUES,
    KIT,
    UNAVAILABILITY,
    REQUIREMENTS,
    EVENTS,
    NATIONS,
    VENUE_CLOSURES,
    CLOSURE_DAYS,
    TARGETS,
    SERIES,
    ACCEPTANCES,
    RELEASES,
    RELEASED_EVENTS,
    TRAINEES,
    ENROLMENTS,
    PARTNER_RESPONSES,
    MODULES,
    PROVIDERS,
    MILESTONES,
    TASKS,
    COSTS,
)
SHEETS_BY_KEY = {spec.name.casefold(): spec for spec in SHEETS}
INSTRUCTIONS_SHEET = "Instructions"

GENERAL_INSTRUCTIONS = (
    "Fill in the sheets you need and leave the others empty; delete and rename no sheet.",
    "Row 1 of each sheet holds the column names; matching ignores case and spaces.",
    "Lists in a cell are separated by ‘;’. Units on an event are CODE:seats.",
    f"Dates: {DATE_FORMS}. Times: {TIME_FORMS}; a Start without a time is 09:00, "
    "an End without a time 17:00, so a one-day course has the same date in Start and End.",
    "Languages: " + LANGUAGE_HELP + ", or the language's own name (македонски, shqip, "
    "srpski, bosanski, crnogorski, hrvatski).",
    "Rows match existing records by code (courses, units, qualifications, nations), name "
    "(instructors, venues), Ref (events) or nation, name and service number (trainees): "
    "a match is updated, not duplicated.",
    f"On a row that updates a record, an empty cell keeps what the plan holds; a cell "
    f"holding only “{CLEAR}” empties that field.",
    "A filled cell replaces the whole value: a list of units, instructors or "
    "qualifications is the complete list.",
    "Nothing is imported while any row has a problem; the report lists each one "
    "by sheet, row and column. An import that changes nothing writes nothing.",
)
