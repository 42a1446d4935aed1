"""The plain facts the planning engine works on, detached from the database.

Everything here is immutable and holds ids, not objects, so a snapshot of a
100,000-event plan loads in about two seconds and can be handed to a worker
thread without any session attached. Statuses and roles are the lowercase
text values stored in the plan (``"planned"``, ``"interpreter"``); the
planning package does not import the ORM enums so it stays free of SQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple, TypeVar

from scheduler.planning.postings import covers

DRAFT = "draft"
PLANNED = "planned"
CONFIRMED = "confirmed"
DELIVERED = "delivered"
CANCELLED = "cancelled"
SCHEDULED_STATUSES: frozenset[str] = frozenset({PLANNED, CONFIRMED})

ROLE_INSTRUCTOR = "instructor"
ROLE_INTERPRETER = "interpreter"
ROLE_SUPPORT = "support"

_TICK = timedelta(microseconds=1)

MONDAY_TO_FRIDAY: frozenset[int] = frozenset({0, 1, 2, 3, 4})


def last_day_of(start: datetime, end: datetime) -> date:
    """The last calendar day ``[start, end)`` occupies.

    Events end at an instant, so one ending at midnight occupies the day
    before; a degenerate event (end not after start) occupies its start day.
    """
    return (end - _TICK).date() if end > start else start.date()


class Seats(NamedTuple):
    """Seats on one event given to one unit (a tuple: millions are cheap)."""

    unit_id: int
    seats: int


class Assignment(NamedTuple):
    """One person on one event, in a role."""

    instructor_id: int
    role: str


class DateSpan(NamedTuple):
    """Inclusive days, as leave and closures are entered."""

    first: date
    last: date
    reason: str | None = None


class HeldQualification(NamedTuple):
    qualification_id: int
    expires_on: date | None


class ModuleData(NamedTuple):
    """A part of an event at its own venue or with its own people (None: the event's)."""

    start: datetime
    end: datetime
    venue_id: int | None = None
    staff: tuple[Assignment, ...] | None = None
    title: str = ""


class Piece(NamedTuple):
    """Where and with whom an event is held over [start, end): the whole event,
    or one of its modules with what it leaves empty taken from the event."""

    start: datetime
    end: datetime
    venue_id: int | None
    staff: tuple[Assignment, ...]


@dataclass(frozen=True, slots=True)
class EventData:
    """One training event. ``start``/``end`` are [start, end) local times.

    With ``modules`` the event holds its venue and people only during them
    (``pieces``); its units are on it from start to end.
    """

    id: int
    uuid: str
    ref: str
    course_id: int
    venue_id: int | None
    start: datetime
    end: datetime
    status: str = PLANNED
    audience: tuple[Seats, ...] = ()
    staff: tuple[Assignment, ...] = ()
    attended: int | None = None
    passed: int | None = None
    series_id: int | None = None
    modules: tuple[ModuleData, ...] = ()
    # Delivered by another provider: recorded to see who else trains the
    # partner; its course's sizes, staff, facilities and kit are theirs.
    external: bool = False

    def pieces(self) -> tuple[Piece, ...]:
        if not self.modules:
            return (Piece(self.start, self.end, self.venue_id, self.staff),)
        return tuple(
            Piece(
                m.start,
                m.end,
                m.venue_id if m.venue_id is not None else self.venue_id,
                m.staff if m.staff is not None else self.staff,
            )
            for m in self.modules
        )

    def venue_ids(self) -> tuple[int, ...]:
        """Every venue the event is held at (its modules' too), once each."""
        if not self.modules:
            return () if self.venue_id is None else (self.venue_id,)
        return tuple(dict.fromkeys(p.venue_id for p in self.pieces() if p.venue_id is not None))

    def all_staff(self) -> tuple[Assignment, ...]:
        """Everyone on the event or one of its modules, once each."""
        if not self.modules:
            return self.staff
        return tuple(dict.fromkeys(a for p in self.pieces() for a in p.staff))

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def seats(self) -> int:
        return sum(s.seats for s in self.audience)

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last calendar day the event occupies (an end at midnight is the day before)."""
        return last_day_of(self.start, self.end)

    def unit_ids(self) -> tuple[int, ...]:
        return tuple(s.unit_id for s in self.audience)

    def instructor_ids(self) -> tuple[int, ...]:
        return tuple(dict.fromkeys(a.instructor_id for a in self.all_staff()))

    def teaching_ids(self) -> tuple[int, ...]:
        """Instructors in the teaching role (interpreters and support excluded)."""
        return tuple(
            dict.fromkeys(a.instructor_id for a in self.all_staff() if a.role == ROLE_INSTRUCTOR)
        )


class KitNeed(NamedTuple):
    """What one run of a course needs of one kit: ``quantity``, or ``quantity``
    for every ``per_trainees`` trainees (a run with no seats yet needs one lot)."""

    kit_id: int
    quantity: int
    per_trainees: int | None = None

    def for_seats(self, seats: int) -> int:
        if not self.per_trainees:
            return self.quantity
        return self.quantity * max(1, -(-seats // self.per_trainees))


@dataclass(frozen=True, slots=True)
class KitData:
    """So many of one bookable thing; ``owner`` names who holds it."""

    id: int
    uuid: str
    name: str
    kind: str = "equipment"
    quantity: int = 1
    owner: str = ""


@dataclass(frozen=True, slots=True)
class CourseData:
    id: int
    code: str
    title: str
    duration_days: int = 1
    daily_hours: float = 7.0
    min_trainees: int | None = None
    max_trainees: int | None = None
    trainees_per_instructor: int | None = None
    language: str = "en"
    required_facilities: frozenset[str] = frozenset()
    required_qualifications: frozenset[int] = frozenset()
    prerequisites: frozenset[int] = frozenset()
    validity_months: int | None = None  # how long a pass stays current; None: for good
    kit: tuple[KitNeed, ...] = ()


@dataclass(frozen=True, slots=True)
class InstructorData:
    id: int
    uuid: str
    name: str
    nation_code: str | None = None
    role: str = ROLE_INSTRUCTOR
    languages: frozenset[str] = frozenset()
    max_training_days: int | None = None
    workload_period: str = "month"
    qualifications: tuple[HeldQualification, ...] = ()
    unavailability: tuple[DateSpan, ...] = ()
    max_training_hours: float | None = None

    @property
    def has_workload_limit(self) -> bool:
        return self.max_training_days is not None or self.max_training_hours is not None


def interprets(person: InstructorData, language: str, course_language: str) -> bool:
    """Whether ``person`` can interpret between the two languages (no languages
    recorded: assumed able). The conflict rule and the slot finder both ask."""
    return not person.languages or {language, course_language} <= person.languages


@dataclass(frozen=True, slots=True)
class VenueData:
    id: int
    uuid: str
    name: str
    nation_code: str | None = None
    capacity: int | None = None
    facilities: frozenset[str] = frozenset()
    closures: tuple[DateSpan, ...] = ()
    holiday_region: str | None = None  # the ``holidays`` subdivision, if any


def missing_facilities(course: CourseData, venue: VenueData) -> list[str]:
    """The facilities a course needs that a venue lacks, as the course names
    them; "Range" and "range" are one facility. The conflict check and the
    slot finder both ask."""
    held = {f.casefold() for f in venue.facilities}
    return sorted(f for f in course.required_facilities if f.casefold() not in held)


@dataclass(frozen=True, slots=True)
class UnitData:
    id: int
    uuid: str
    code: str
    name: str
    nation_code: str | None = None
    parent_id: int | None = None
    strength: int | None = None
    language: str | None = None


@dataclass(frozen=True, slots=True)
class NationData:
    code: str
    name: str
    holiday_calendar: str | None = None
    languages: tuple[str, ...] = ()
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY


@dataclass(frozen=True, slots=True)
class QualificationData:
    id: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class ClosureData:
    """A plan-defined non-working day; ``nation_code`` None means everywhere."""

    day: date
    name: str
    nation_code: str | None = None


@dataclass(frozen=True, slots=True)
class AcceptanceData:
    id: int
    rule: str
    conflict_key: str
    fingerprint: str
    reason: str = ""
    accepted_by: str = ""
    accepted_at: datetime | None = None


# Enrolment statuses (the stored text values).
NOMINATED = "nominated"
ENROLMENT_CONFIRMED = "confirmed"
ATTENDED = "attended"
PASSED = "passed"
# On the event, or about to be: the statuses the per-person rules judge.
TAKING_PART: frozenset[str] = frozenset({NOMINATED, ENROLMENT_CONFIRMED, ATTENDED})


class Posting(NamedTuple):
    """A trainee in a unit from ``first`` to ``last`` (both included; None: open)."""

    unit_id: int
    first: date | None = None
    last: date | None = None

    def covers(self, day: date) -> bool:
        return covers(self.first, self.last, day)


class EnrolmentData(NamedTuple):
    event_id: int
    status: str = NOMINATED
    result_date: date | None = None


@dataclass(frozen=True, slots=True)
class TraineeData:
    """A named person of a partner unit, with where they served and what they are on."""

    id: int
    uuid: str
    name: str
    postings: tuple[Posting, ...] = ()
    enrolments: tuple[EnrolmentData, ...] = ()


@dataclass(frozen=True, slots=True)
class RequirementData:
    """A training requirement with its target's name and effective due date."""

    id: int
    target_id: int
    target_name: str
    unit_id: int
    course_id: int
    people: int
    due: date | None = None


_T = TypeVar("_T")


def _by_id(items: Iterable[_T]) -> dict[int, _T]:
    return {getattr(item, "id"): item for item in items}  # noqa: B009 - any record type


@dataclass(slots=True)
class PlanData:
    """A whole plan's snapshot: lookups by id, events in no particular order.

    Mutable only so that the engine's incremental path can swap events in and
    out; the records themselves are immutable.
    """

    events: dict[int, EventData] = field(default_factory=dict)
    courses: dict[int, CourseData] = field(default_factory=dict)
    instructors: dict[int, InstructorData] = field(default_factory=dict)
    venues: dict[int, VenueData] = field(default_factory=dict)
    units: dict[int, UnitData] = field(default_factory=dict)
    nations: dict[str, NationData] = field(default_factory=dict)
    qualifications: dict[int, QualificationData] = field(default_factory=dict)
    closures: tuple[ClosureData, ...] = ()
    acceptances: tuple[AcceptanceData, ...] = ()
    requirements: tuple[RequirementData, ...] = ()
    language_names: dict[str, str] = field(default_factory=dict)
    trainees: dict[int, TraineeData] = field(default_factory=dict)
    kit: dict[int, KitData] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        *,
        events: Iterable[EventData] = (),
        courses: Iterable[CourseData] = (),
        instructors: Iterable[InstructorData] = (),
        venues: Iterable[VenueData] = (),
        units: Iterable[UnitData] = (),
        nations: Iterable[NationData] = (),
        qualifications: Iterable[QualificationData] = (),
        closures: Iterable[ClosureData] = (),
        acceptances: Iterable[AcceptanceData] = (),
        requirements: Iterable[RequirementData] = (),
        language_names: Mapping[str, str] | None = None,
        trainees: Iterable[TraineeData] = (),
        kit: Iterable[KitData] = (),
    ) -> PlanData:
        return cls(
            events=_by_id(events),
            courses=_by_id(courses),
            instructors=_by_id(instructors),
            venues=_by_id(venues),
            units=_by_id(units),
            nations={n.code: n for n in nations},
            qualifications=_by_id(qualifications),
            closures=tuple(closures),
            acceptances=tuple(acceptances),
            requirements=tuple(requirements),
            language_names=dict(language_names or {}),
            trainees=_by_id(trainees),
            kit=_by_id(kit),
        )

    def host_nation(self, event: EventData) -> str | None:
        """The nation whose holidays apply: the venue's, else the first unit's."""
        return self.host_place(event)[0]

    def host_place(self, event: EventData) -> tuple[str | None, str | None]:
        """(nation, holiday region) whose calendar an event follows: the
        venue's (the first module's, when only modules name one), else the
        first unit's nation with no region."""
        venue_id = event.venue_id
        if venue_id is None and event.modules:
            venue_id = next(iter(event.venue_ids()), None)
        if venue_id is not None:
            venue = self.venues.get(venue_id)
            if venue is not None and venue.nation_code:
                return venue.nation_code, venue.holiday_region
        for seat in event.audience:
            unit = self.units.get(seat.unit_id)
            if unit is not None and unit.nation_code:
                return unit.nation_code, None
        return None, None

    def unit_language(self, unit: UnitData) -> str | None:
        """A unit's working language: its own, else its nation's first."""
        if unit.language:
            return unit.language
        nation = self.nations.get(unit.nation_code or "")
        if nation is not None and nation.languages:
            return nation.languages[0]
        return None

    def language_name(self, code: str) -> str:
        return self.language_names.get(code, code)


def acceptances_by_key(
    acceptances: Iterable[AcceptanceData],
) -> Mapping[str, tuple[AcceptanceData, ...]]:
    grouped: dict[str, list[AcceptanceData]] = {}
    for acceptance in acceptances:
        grouped.setdefault(acceptance.conflict_key, []).append(acceptance)
    return {key: tuple(group) for key, group in grouped.items()}
