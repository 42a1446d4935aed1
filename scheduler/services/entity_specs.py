"""What each kind of record looks like to a planner: fields, labels, rules.

One declaration per entity drives its table columns, its editor form, its
search, its validation messages and its undo snapshots, so that adding a
field is one line here rather than five scattered edits. Qt-free: the window
builds widgets from these specs, the CLI and tests validate with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from sqlalchemy import Table

from scheduler.model import (
    CapabilityTarget,
    CollectiveTask,
    Course,
    CourseKit,
    EvaluationMilestone,
    EventAudience,
    EventCost,
    EventInstructor,
    EventModule,
    Instructor,
    InstructorQualification,
    Kit,
    ModuleInstructor,
    Nation,
    Provider,
    Qualification,
    Record,
    Trainee,
    TraineePosting,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    VenueClosure,
    task_course,
)
from scheduler.model.enums import (
    MILESTONE_KIND_LABELS,
    PROVIDER_KIND_LABELS,
    AbsenceKind,
    CostKind,
    CourseKind,
    EventStatus,
    InstructorRole,
    KitKind,
    MilestoneResult,
    TaskRating,
    UnitKind,
    WorkloadPeriod,
)
from scheduler.model.languages import LANGUAGE_NAMES
from scheduler.planning.holiday_regions import HOLIDAY_REGIONS


class FieldKind(StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    DATETIME = "datetime"
    BOOL = "bool"
    CHOICE = "choice"  # one of ``choices``
    REF = "ref"  # one record of entity ``ref`` (value: its uuid)
    MANY = "many"  # several records of entity ``ref`` (value: list of uuids)
    LIST = "list"  # several short texts (value: list of str), typed with ";"
    WEEKDAYS = "weekdays"  # days of the week (value: sorted list of 0 = Monday … 6)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    label: str
    kind: FieldKind = FieldKind.TEXT
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, label)
    ref: str | None = None
    in_table: bool = True
    unique: bool = False
    help: str = ""
    # Text that names one of the plan's languages (stored as its code).
    language: bool = False
    # What a new record (or a new row of a child table) starts with, and
    # what an empty value becomes: a kit line is one of it, a nation with no
    # working week given works Monday to Friday.
    default: Any = None


@dataclass(frozen=True, slots=True)
class ChildSpec:
    """A collection edited inside its parent's editor (qualifications, leave…)."""

    name: str  # relationship attribute on the parent
    label: str
    model: type[Record]
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True, slots=True)
class UsageCheck:
    """Records that point at this one and stop it being deleted."""

    model: type[Record] | Table  # a table: links such as a task's courses
    column: str
    label: str  # plural, e.g. "events"

    def pointer(self) -> Any:
        """The column that points at the record."""
        if isinstance(self.model, Table):
            return self.model.c[self.column]
        return getattr(self.model, self.column)


@dataclass(frozen=True, slots=True)
class EntitySpec:
    key: str
    title: str  # plural, for the navigation
    singular: str
    model: type[Record]
    fields: tuple[FieldSpec, ...]
    label_fields: tuple[str, ...]  # what names a record in messages and pickers
    search_fields: tuple[str, ...]
    filter_fields: tuple[str, ...] = ()
    children: tuple[ChildSpec, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def field(self, name: str) -> FieldSpec:
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)

    @property
    def table_fields(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.in_table)


def _choices(enum_cls: type[StrEnum]) -> tuple[tuple[str, str], ...]:
    return tuple((m.value, m.value.replace("_", " ").capitalize()) for m in enum_cls)


def _labelled(labels: dict[Any, str]) -> tuple[tuple[str, str], ...]:
    return tuple((member.value, label) for member, label in labels.items())


LANGUAGE_HELP = "Codes or names, separated by “;”: " + ", ".join(
    f"{code} = {name}" for code, name in LANGUAGE_NAMES.items()
)
DATE_ISO = "YYYY-MM-DD"

NATION = EntitySpec(
    key="nation",
    title="Nations",
    singular="nation",
    model=Nation,
    fields=(
        FieldSpec("code", "Code", required=True, unique=True, help="ISO code, e.g. MK"),
        FieldSpec("name", "Name", required=True),
        FieldSpec("time_zone", "Time zone", required=True, help="e.g. Europe/Skopje"),
        FieldSpec("languages", "Languages", FieldKind.LIST, help=LANGUAGE_HELP, language=True),
        FieldSpec(
            "working_weekdays",
            "Working week",
            FieldKind.WEEKDAYS,
            help="The days its people work: courses there count these days",
            default=(0, 1, 2, 3, 4),
        ),
        FieldSpec("releasability", "Releasability caveat", help="e.g. MKD"),
    ),
    label_fields=("code",),
    search_fields=("code", "name"),
)

QUALIFICATION = EntitySpec(
    key="qualification",
    title="Qualifications",
    singular="qualification",
    model=Qualification,
    fields=(
        FieldSpec("code", "Code", required=True, unique=True),
        FieldSpec("name", "Name", required=True),
        FieldSpec("validity_months", "Valid for (months)", FieldKind.INT, minimum=1),
    ),
    label_fields=("code",),
    search_fields=("code", "name"),
)

COURSE = EntitySpec(
    key="course",
    title="Courses",
    singular="course",
    model=Course,
    fields=(
        FieldSpec("code", "Code", required=True, unique=True),
        FieldSpec("title", "Title", required=True),
        FieldSpec("category", "Category", required=True),
        FieldSpec(
            "kind",
            "Kind",
            FieldKind.CHOICE,
            required=True,
            choices=_choices(CourseKind),
            in_table=False,
            default=CourseKind.COURSE.value,
            help="An exercise trains units at their collective tasks: units take part, "
            "with no seats, and it counts toward no training requirement",
        ),
        FieldSpec("duration_days", "Working days", FieldKind.INT, required=True, minimum=1),
        FieldSpec("daily_hours", "Hours a day", FieldKind.FLOAT, minimum=0.5, maximum=24),
        FieldSpec("min_trainees", "Min trainees", FieldKind.INT, minimum=1),
        FieldSpec("max_trainees", "Max trainees", FieldKind.INT, minimum=1),
        FieldSpec("trainees_per_instructor", "Trainees per instructor", FieldKind.INT, minimum=1),
        FieldSpec(
            "validity_months",
            "Pass valid for (months)",
            FieldKind.INT,
            minimum=1,
            in_table=False,
            help="empty: a pass does not run out",
        ),
        FieldSpec("language", "Language", required=True, help=LANGUAGE_HELP, language=True),
        FieldSpec(
            "required_qualifications",
            "Required qualifications",
            FieldKind.MANY,
            ref="qualification",
            in_table=False,
        ),
        FieldSpec("prerequisites", "Prerequisites", FieldKind.MANY, ref="course", in_table=False),
        FieldSpec(
            "required_facilities",
            "Required facilities",
            FieldKind.LIST,
            in_table=False,
            help="e.g. classroom; range",
        ),
        FieldSpec("colour", "Colour", in_table=False, help="#RRGGBB"),
        FieldSpec("description", "Description", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("code",),
    search_fields=("code", "title", "category"),
    filter_fields=("category",),
    children=(
        ChildSpec(
            "kit",
            "Kit each run needs",
            CourseKit,
            (
                FieldSpec("kit", "Kit", FieldKind.REF, required=True, ref="kit"),
                FieldSpec(
                    "quantity", "How many", FieldKind.INT, required=True, minimum=1, default=1
                ),
                FieldSpec(
                    "per_trainees",
                    "For every (trainees)",
                    FieldKind.INT,
                    minimum=1,
                    help="12 rifles for every 6 trainees; empty: a fixed number per run",
                ),
            ),
        ),
    ),
)

KIT = EntitySpec(
    key="kit",
    title="Kit",
    singular="kit",
    model=Kit,
    fields=(
        FieldSpec("name", "Name", required=True, unique=True, help="e.g. Rifles M70, Range 3"),
        FieldSpec("kind", "Kind", FieldKind.CHOICE, required=True, choices=_choices(KitKind)),
        FieldSpec("quantity", "Quantity held", FieldKind.INT, required=True, minimum=1),
        FieldSpec(
            "venue",
            "Kept at venue",
            FieldKind.REF,
            ref="venue",
            help="The venue that owns it; empty when the cell or a partner does",
        ),
        FieldSpec(
            "nation",
            "Owned by partner",
            FieldKind.REF,
            ref="nation",
            help="The partner nation that owns it; empty when the cell or a venue does",
        ),
        FieldSpec("notes", "Notes", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("name",),
    search_fields=("name",),
    filter_fields=("kind",),
)

UNIT = EntitySpec(
    key="unit",
    title="Units",
    singular="unit",
    model=Unit,
    fields=(
        FieldSpec("code", "Code", required=True, unique=True),
        FieldSpec("name", "Name", required=True),
        FieldSpec("kind", "Kind", FieldKind.CHOICE, required=True, choices=_choices(UnitKind)),
        FieldSpec("nation", "Nation", FieldKind.REF, required=True, ref="nation"),
        FieldSpec("parent", "Parent unit", FieldKind.REF, ref="unit"),
        FieldSpec("strength", "Strength", FieldKind.INT, minimum=1),
        FieldSpec("language", "Language", help=LANGUAGE_HELP, language=True),
        FieldSpec("releasability_group", "Releasability group", in_table=False),
        FieldSpec("contact", "Contact", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("code",),
    search_fields=("code", "name"),
    filter_fields=("nation",),
    extra={"tree_parent": "parent"},
)

INSTRUCTOR = EntitySpec(
    key="instructor",
    title="Instructors",
    singular="instructor",
    model=Instructor,
    fields=(
        FieldSpec("name", "Name", required=True, unique=True),
        FieldSpec("nation", "Nation", FieldKind.REF, ref="nation"),
        FieldSpec("organisation", "Organisation"),
        FieldSpec(
            "role", "Role", FieldKind.CHOICE, required=True, choices=_choices(InstructorRole)
        ),
        FieldSpec("languages", "Languages", FieldKind.LIST, help=LANGUAGE_HELP, language=True),
        FieldSpec("max_training_days", "Max training days", FieldKind.INT, minimum=1),
        FieldSpec(
            "max_training_hours",
            "Max training hours",
            FieldKind.FLOAT,
            minimum=0.5,
            in_table=False,
            help="Hours of courses in a workload period (each course's hours a day); "
            "empty: no limit",
        ),
        FieldSpec(
            "workload_period",
            "Counted per",
            FieldKind.CHOICE,
            required=True,
            choices=_choices(WorkloadPeriod),
        ),
        FieldSpec("releasable", "Name may be shown to partners", FieldKind.BOOL, in_table=False),
        FieldSpec("contact", "Contact", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("name",),
    search_fields=("name", "organisation"),
    filter_fields=("nation",),
    children=(
        ChildSpec(
            "qualifications",
            "Qualifications",
            InstructorQualification,
            (
                FieldSpec(
                    "qualification",
                    "Qualification",
                    FieldKind.REF,
                    required=True,
                    ref="qualification",
                ),
                FieldSpec("awarded_on", "Awarded", FieldKind.DATE),
                FieldSpec("expires_on", "Expires", FieldKind.DATE),
            ),
        ),
        ChildSpec(
            "unavailability",
            "Unavailable (leave, deployment, travel)",
            Unavailability,
            (
                FieldSpec("start_date", "From", FieldKind.DATE, required=True),
                FieldSpec("end_date", "To", FieldKind.DATE, required=True),
                FieldSpec(
                    "kind", "Why", FieldKind.CHOICE, required=True, choices=_choices(AbsenceKind)
                ),
                FieldSpec("reason", "Note"),
            ),
        ),
    ),
)

VENUE = EntitySpec(
    key="venue",
    title="Venues",
    singular="venue",
    model=Venue,
    fields=(
        FieldSpec("name", "Name", required=True, unique=True),
        FieldSpec("nation", "Nation", FieldKind.REF, required=True, ref="nation"),
        FieldSpec("location", "Location"),
        FieldSpec("capacity", "Capacity", FieldKind.INT, minimum=1),
        FieldSpec("facilities", "Facilities", FieldKind.LIST, help="e.g. classroom; range"),
        FieldSpec("time_zone", "Time zone (if not the nation's)", in_table=False),
        FieldSpec(
            "holiday_region",
            "Holidays of",
            FieldKind.CHOICE,
            choices=tuple((r.code, f"{r.name} ({r.nation})") for r in HOLIDAY_REGIONS),
            help="Where a region keeps its own public holidays (Republika Srpska, "
            "Brčko District); empty: the nation's",
        ),
    ),
    label_fields=("name",),
    search_fields=("name", "location"),
    filter_fields=("nation",),
    children=(
        ChildSpec(
            "closures",
            "Closed",
            VenueClosure,
            (
                FieldSpec("start_date", "From", FieldKind.DATE, required=True),
                FieldSpec("end_date", "To", FieldKind.DATE, required=True),
                FieldSpec("reason", "Why"),
            ),
        ),
    ),
)

TARGET = EntitySpec(
    key="target",
    title="Requirements",
    singular="capability target",
    model=CapabilityTarget,
    fields=(
        FieldSpec("name", "Capability target", required=True),
        FieldSpec("unit", "Unit", FieldKind.REF, required=True, ref="unit"),
        FieldSpec("due_date", "Ready by", FieldKind.DATE),
        FieldSpec("description", "Description", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("name",),
    search_fields=("name",),
    children=(
        ChildSpec(
            "requirements",
            "Training requirements",
            TrainingRequirement,
            (
                FieldSpec("course", "Course", FieldKind.REF, required=True, ref="course"),
                FieldSpec("unit", "Unit", FieldKind.REF, required=True, ref="unit"),
                FieldSpec("people", "People", FieldKind.INT, required=True, minimum=1),
                FieldSpec("due_date", "Due", FieldKind.DATE),
            ),
        ),
        ChildSpec(
            "milestones",
            "Evaluation milestones (NATO OCC evaluation and feedback)",
            EvaluationMilestone,
            (
                FieldSpec(
                    "kind",
                    "Evaluation",
                    FieldKind.CHOICE,
                    required=True,
                    choices=_labelled(MILESTONE_KIND_LABELS),
                ),
                FieldSpec("day", "Date", FieldKind.DATE, required=True),
                FieldSpec(
                    "result",
                    "Result",
                    FieldKind.CHOICE,
                    required=True,
                    choices=_choices(MilestoneResult),
                    default=MilestoneResult.PENDING.value,
                ),
                FieldSpec("notes", "Notes"),
            ),
        ),
    ),
)

TASK = EntitySpec(
    key="task",
    title="Tasks",
    singular="collective task",
    model=CollectiveTask,
    fields=(
        FieldSpec("name", "Collective task", required=True, help="e.g. Defend a position"),
        FieldSpec("target", "Capability target", FieldKind.REF, required=True, ref="target"),
        FieldSpec(
            "courses",
            "Trained by",
            FieldKind.MANY,
            ref="course",
            help="The courses and exercises that prepare the unit for it",
        ),
        FieldSpec(
            "rating",
            "Rating",
            FieldKind.CHOICE,
            required=True,
            choices=_choices(TaskRating),
            default=TaskRating.UNTRAINED.value,
        ),
        FieldSpec("rated_on", "Rated on", FieldKind.DATE),
        FieldSpec("rating_source", "Rated by", help="e.g. SEL1 March 2027, unit commander"),
    ),
    label_fields=("name",),
    search_fields=("name", "rating_source"),
    filter_fields=("target",),
)

PROVIDER = EntitySpec(
    key="provider",
    title="Providers",
    singular="provider",
    model=Provider,
    fields=(
        FieldSpec(
            "name",
            "Name",
            required=True,
            unique=True,
            help="Who else trains partners: National Crime Agency, Italy, NATO DEEP…",
        ),
        FieldSpec(
            "kind", "Kind", FieldKind.CHOICE, required=True, choices=_labelled(PROVIDER_KIND_LABELS)
        ),
        FieldSpec("nation", "Nation", FieldKind.REF, ref="nation", help="For another nation"),
        FieldSpec("notes", "Notes", FieldKind.MULTILINE, in_table=False),
    ),
    label_fields=("name",),
    search_fields=("name",),
    filter_fields=("kind",),
)

EVENT = EntitySpec(
    key="event",
    title="Events",
    singular="event",
    model=TrainingEvent,
    fields=(
        FieldSpec("ref", "Ref", unique=True, help="Left empty, it is made for you (MK-2027-014)"),
        FieldSpec("course", "Course", FieldKind.REF, required=True, ref="course"),
        FieldSpec("start", "Start", FieldKind.DATETIME, required=True),
        FieldSpec("end", "End", FieldKind.DATETIME, required=True),
        FieldSpec("venue", "Venue", FieldKind.REF, ref="venue"),
        FieldSpec(
            "status", "Status", FieldKind.CHOICE, required=True, choices=_choices(EventStatus)
        ),
        FieldSpec("partner_remarks", "Remarks for partners", FieldKind.MULTILINE, in_table=False),
        FieldSpec("notes", "Internal notes (never sent)", FieldKind.MULTILINE, in_table=False),
        FieldSpec("attended", "Attended", FieldKind.INT, minimum=0, in_table=False),
        FieldSpec("passed", "Passed", FieldKind.INT, minimum=0, in_table=False),
        FieldSpec("outcome", "Outcome", FieldKind.MULTILINE, in_table=False),
        FieldSpec(
            "provider",
            "Delivered by",
            FieldKind.REF,
            ref="provider",
            in_table=False,
            help="Empty: the cell. Another provider's events need only course, unit, "
            "dates and place",
        ),
        FieldSpec("funding_line", "Funding line", in_table=False),
    ),
    label_fields=("ref",),
    search_fields=("ref",),
    children=(
        ChildSpec(
            "audience",
            "Audience",
            EventAudience,
            (
                FieldSpec("unit", "Unit", FieldKind.REF, required=True, ref="unit"),
                # 0: a unit taking part in an exercise (a course needs a seat).
                FieldSpec("seats", "Seats", FieldKind.INT, required=True, minimum=0),
            ),
        ),
        ChildSpec(
            "instructors",
            "Instructors",
            EventInstructor,
            (
                FieldSpec(
                    "instructor", "Instructor", FieldKind.REF, required=True, ref="instructor"
                ),
                FieldSpec(
                    "role",
                    "Role",
                    FieldKind.CHOICE,
                    required=True,
                    choices=_choices(InstructorRole),
                ),
            ),
        ),
        ChildSpec(
            "costs",
            "Costs",
            EventCost,
            (
                FieldSpec(
                    "kind", "Cost", FieldKind.CHOICE, required=True, choices=_choices(CostKind)
                ),
                FieldSpec("planned", "Planned", FieldKind.FLOAT, minimum=0),
                FieldSpec("actual", "Actual", FieldKind.FLOAT, minimum=0),
                FieldSpec("note", "Note"),
            ),
        ),
    ),
)

TRAINEE = EntitySpec(
    key="trainee",
    title="Trainees",
    singular="trainee",
    model=Trainee,
    fields=(
        FieldSpec(
            "name", "Name", required=True, help="As the partner writes it (Cyrillic is fine)"
        ),
        FieldSpec("name_latin", "Name in Latin letters"),
        FieldSpec("rank", "Rank"),
        FieldSpec("nation", "Nation", FieldKind.REF, required=True, ref="nation"),
        FieldSpec(
            "service_number",
            "Service number",
            help="Tells apart two people of one nation with the same name",
        ),
        FieldSpec(
            "languages",
            "Languages",
            FieldKind.LIST,
            help=LANGUAGE_HELP,
            language=True,
            in_table=False,
        ),
    ),
    label_fields=("name",),
    search_fields=("name", "name_latin", "service_number"),
    filter_fields=("nation",),
    children=(
        ChildSpec(
            "postings",
            "Units (a move ends one posting and starts the next; the history stays)",
            TraineePosting,
            (
                FieldSpec("unit", "Unit", FieldKind.REF, required=True, ref="unit"),
                FieldSpec("date_from", "From", FieldKind.DATE),
                FieldSpec("date_to", "To", FieldKind.DATE),
            ),
        ),
    ),
)

SPECS: dict[str, EntitySpec] = {
    spec.key: spec
    for spec in (
        NATION,
        QUALIFICATION,
        COURSE,
        UNIT,
        INSTRUCTOR,
        VENUE,
        KIT,
        TARGET,
        TASK,
        PROVIDER,
        EVENT,
        TRAINEE,
    )
}

# Deleting a record that others still point at would either fail (RESTRICT)
# or silently blank their field (SET NULL): say so instead.
_USAGE: dict[str, tuple[UsageCheck, ...]] = {
    "nation": (
        UsageCheck(Unit, "nation_id", "units"),
        UsageCheck(Venue, "nation_id", "venues"),
        UsageCheck(Instructor, "nation_id", "instructors"),
        UsageCheck(Trainee, "nation_id", "trainees"),
        UsageCheck(Kit, "nation_id", "kit"),
        UsageCheck(Provider, "nation_id", "providers"),
    ),
    "qualification": (UsageCheck(InstructorQualification, "qualification_id", "instructors"),),
    "course": (
        UsageCheck(TrainingEvent, "course_id", "events"),
        UsageCheck(TrainingRequirement, "course_id", "training requirements"),
        UsageCheck(task_course, "course_id", "collective tasks"),
    ),
    "unit": (
        UsageCheck(EventAudience, "unit_id", "events"),
        UsageCheck(Unit, "parent_id", "sub-units"),
        UsageCheck(CapabilityTarget, "unit_id", "capability targets"),
        UsageCheck(TraineePosting, "unit_id", "posted trainees"),
    ),
    "instructor": (
        UsageCheck(EventInstructor, "instructor_id", "events"),
        UsageCheck(ModuleInstructor, "instructor_id", "event modules"),
    ),
    "venue": (
        UsageCheck(TrainingEvent, "venue_id", "events"),
        UsageCheck(EventModule, "venue_id", "event modules"),
        UsageCheck(Kit, "venue_id", "kit"),
    ),
    "kit": (UsageCheck(CourseKit, "kit_id", "courses"),),
    "provider": (UsageCheck(TrainingEvent, "provider_id", "events"),),
}


def usage_checks(key: str) -> tuple[UsageCheck, ...]:
    return _USAGE.get(key, ())


def spec_for(key: str) -> EntitySpec:
    try:
        return SPECS[key]
    except KeyError:
        raise KeyError(f"no entity called {key!r}") from None


def field_label(spec: EntitySpec, key: str) -> str:
    """The words a planner sees for a validation key: ``attended`` is
    "Attended", ``audience[0].seats`` is "Audience, row 1, Seats"."""
    labels = {f.name: f.label for f in spec.fields}
    if key in labels:
        return labels[key]
    if key == "modules":
        return "Modules"
    for child in spec.children:
        place = child_place(child, key)
        if place is not None:
            return f"{child.label}, {place}"
    return key


def child_place(child: ChildSpec, key: str) -> str | None:
    """``Row 2, Expires`` for the key ``qualifications[1].expires_on`` of
    ``child`` (validation keys child rows that way); None for other keys."""
    if not key.startswith(f"{child.name}["):
        return None
    index, _, field = key[len(child.name) + 1 :].partition("].")
    if not index.isdigit():
        return None
    labels = {f.name: f.label for f in child.fields}
    return f"row {int(index) + 1}, {labels.get(field, field)}"
