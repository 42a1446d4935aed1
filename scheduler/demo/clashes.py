"""The deliberate clashes of the demo plan: one small, findable example of
each conflict a planner must resolve.

Each is placed with every check in force except the one it demonstrates, so
the conflicts view lists exactly these and nothing else on the default plan.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.demo.bookings import InstructorDiary, UnitDiary
from scheduler.demo.catalogue import CourseSpec
from scheduler.demo.placement import Placement, Planner
from scheduler.model.enums import EventStatus, InstructorRole

CLASH_RULES: tuple[str, ...] = (
    "instructor_double_booked",
    "venue_double_booked",
    "instructor_unavailable",
    "public_holiday",
    "qualification_missing",
    "venue_capacity",
    "language_no_interpreter",
    "kit_over_quantity",
)
# The courses that share the demo's one scarce kit, the range lanes: the kit
# clash is a second range course placed while another is on the range
# (``scheduler.demo.kit`` holds the lanes one short of that moment only).
RANGE_COURSES = frozenset({"MCC", "RCO"})

CLASH_NOTES: dict[str, str] = {
    "instructor_double_booked": "Demo: deliberate clash — instructor double-booked",
    "venue_double_booked": "Demo: deliberate clash — venue double-booked",
    "instructor_unavailable": "Demo: deliberate clash — instructor on leave",
    "public_holiday": "Demo: deliberate clash — runs over a host-nation public holiday",
    "qualification_missing": "Demo: deliberate clash — instructor lacks a required qualification",
    "venue_capacity": "Demo: deliberate clash — more seats than the venue holds",
    "language_no_interpreter": "Demo: deliberate clash — no interpreter for the audience",
    "kit_over_quantity": "Demo: deliberate clash — two range courses share one range lane",
}

_ATTEMPTS = 300


@dataclass(frozen=True, slots=True)
class ClashContext:
    planner: Planner
    courses: Sequence[CourseSpec]
    units_for: dict[str, list[UnitDiary]]
    # Clashes go between these days, after the as-of day, so they stay live.
    low: int
    high: int


Clash = tuple[str, list[Placement]]


def make_clashes(context: ClashContext) -> list[Clash]:
    makers: list[Callable[[ClashContext], list[Placement] | None]] = [
        _instructor_double_booked,
        _venue_double_booked,
        _instructor_unavailable,
        _public_holiday,
        _qualification_missing,
        _venue_capacity,
        _language_no_interpreter,
        _kit_over_quantity,
    ]
    made: list[Clash] = []
    for rule, maker in zip(CLASH_RULES, makers, strict=True):
        placements = maker(context)
        if placements is None:
            continue
        for placement in placements:
            placement.notes.insert(0, CLASH_NOTES[rule])
            placement.protected = True
        new = placements[-1]
        context.planner.commit(new)
        made.append((rule, placements))
    return made


def _plannable(context: ClashContext) -> list[CourseSpec]:
    return [c for c in context.courses if c.weight > 0 and context.units_for[c.code]]


def _audience(
    context: ClashContext, course: CourseSpec, seats: int | None = None, nation: str | None = None
) -> list[tuple[UnitDiary, int]] | None:
    rng = context.planner.rng
    units = context.units_for[course.code]
    if nation is not None:
        units = [u for u in units if u.nation == nation]
    if not units:
        return None
    unit = rng.choice(units)
    wanted = seats if seats is not None else rng.randint(course.min_trainees, course.max_trainees)
    if unit.strength < wanted:
        return None
    return [(unit, wanted)]


def _live_events(context: ClashContext) -> list[Placement]:
    return [
        p
        for p in context.planner.placements
        if context.low <= p.first <= context.high
        and p.series is None
        and not p.protected
        and p.status not in (EventStatus.CANCELLED, EventStatus.DELIVERED)
        and p.course.duration_days <= 5
    ]


def _within(new: Placement, other: Placement) -> bool:
    """Inside the other event's days, so the clash involves those two only."""
    return other.first <= new.first and new.last <= other.last


def _instructor_double_booked(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    events = _live_events(context)
    for _ in range(_ATTEMPTS):
        if not events:
            return None
        other = rng.choice(events)
        teachers = [p for p, role in other.staff if role is InstructorRole.INSTRUCTOR]
        if not teachers:
            continue
        person = teachers[0]
        courses = [c for c in _plannable(context) if person in planner.qualified[c.code]]
        if not courses:
            continue
        course = rng.choice(courses)
        audience = _audience(context, course)
        if audience is None or audience[0][0] in [u for u, _n in other.audience]:
            continue
        venues = [v for v in planner.venues_for[course.code] if v.nation == other.venue.nation]
        venues = [v for v in venues if v is not other.venue]
        placement = planner.try_place(
            course,
            audience,
            other.first,
            venues,
            fixed=[person],
            allow=frozenset({"instructor_double_booked"}),
        )
        if placement is not None and _within(placement, other):
            return [other, placement]
    return None


def _venue_double_booked(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    events = _live_events(context)
    for _ in range(_ATTEMPTS):
        if not events:
            return None
        other = rng.choice(events)
        venue = other.venue
        courses = [c for c in _plannable(context) if set(c.required_facilities) <= venue.facilities]
        if not courses:
            continue
        course = rng.choice(courses)
        audience = _audience(context, course, nation=venue.nation)
        if audience is None or audience[0][1] > venue.capacity:
            continue
        placement = planner.try_place(
            course, audience, other.first, [venue], allow=frozenset({"venue_double_booked"})
        )
        if placement is not None and _within(placement, other):
            return [other, placement]
    return None


def _kit_over_quantity(context: ClashContext) -> list[Placement] | None:
    """A range course while another is on the range, elsewhere and with other
    people: clean in every other way."""
    planner, rng = context.planner, context.planner.rng
    events = [
        p
        for p in context.planner.placements
        if p.course.code in RANGE_COURSES
        and context.low <= p.first <= context.high
        and p.series is None
        and p.status not in (EventStatus.CANCELLED, EventStatus.DELIVERED)
    ]
    courses = [c for c in _plannable(context) if c.code in RANGE_COURSES]
    for _ in range(_ATTEMPTS):
        if not events or not courses:
            return None
        other = rng.choice(events)
        course = rng.choice(courses)
        audience = _audience(context, course)
        if audience is None or audience[0][0] in [u for u, _n in other.audience]:
            continue
        venues = [v for v in planner.venues_for[course.code] if v is not other.venue]
        # Starting on any of the other's days, so the two share the range.
        start = rng.randint(other.first, other.last)
        placement = planner.try_place(course, audience, start, venues)
        if placement is not None and placement.first <= other.last:
            return [other, placement]
    return None


def _instructor_unavailable(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    people: list[tuple[InstructorDiary, list[int]]] = []
    seen: set[int] = set()
    for course in _plannable(context):
        for person in planner.qualified[course.code]:
            if person.id in seen:
                continue
            seen.add(person.id)
            days = sorted(d for d in person.away if context.low <= d <= context.high)
            if days:
                people.append((person, days))
    for _ in range(_ATTEMPTS):
        if not people:
            return None
        person, days = rng.choice(people)
        courses = [c for c in _plannable(context) if person in planner.qualified[c.code]]
        course = rng.choice(courses)
        audience = _audience(context, course)
        if audience is None:
            continue
        placement = planner.try_place(
            course,
            audience,
            rng.choice(days),
            planner.venues_near(course, audience[0][0].nation),
            fixed=[person],
            allow=frozenset({"instructor_unavailable"}),
        )
        if placement is not None and not person.is_available(placement.first, placement.last):
            return [placement]
    return None


def _public_holiday(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    courses = [c for c in _plannable(context) if c.duration_days == 3]
    choices: list[tuple[str, int]] = []
    for nation, index in planner.calendars.items():
        for day in range(context.low + 1, context.high):
            weekday = date.fromordinal(day).weekday()
            if (
                1 <= weekday <= 3
                and index.calendar.holiday_name(date.fromordinal(day)) is not None
                and index.is_working(day - 1)
                and index.is_working(day + 1)
            ):
                choices.append((nation, day))
    for _ in range(_ATTEMPTS):
        if not choices or not courses:
            return None
        nation, holiday = rng.choice(choices)
        course = rng.choice(courses)
        audience = _audience(context, course, nation=nation)
        if audience is None:
            continue
        venues = [v for v in planner.venues_for[course.code] if v.nation == nation]
        placement = planner.try_place(
            course,
            audience,
            holiday - 1,
            venues,
            allow=frozenset({"public_holiday"}),
            contiguous=True,
        )
        if placement is not None:
            return [placement]
    return None


def _qualification_missing(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    # One instructor teaches alone, so nobody on the event holds the qualification.
    courses = [
        c
        for c in _plannable(context)
        if c.required_qualifications and c.min_trainees <= c.trainees_per_instructor
    ]
    teachers = sorted(
        {p.id: p for c in _plannable(context) for p in planner.qualified[c.code]}.values(),
        key=lambda p: p.id,
    )
    for _ in range(_ATTEMPTS):
        if not courses or not teachers:
            return None
        course = rng.choice(courses)
        person = rng.choice(teachers)
        if not person.speaks(course.language) or person in planner.qualified[course.code]:
            continue
        audience = _audience(context, course, seats=course.min_trainees)
        if audience is None:
            continue
        placement = planner.try_place(
            course,
            audience,
            rng.randint(context.low, context.high),
            planner.venues_near(course, audience[0][0].nation),
            fixed=[person],
            allow=frozenset({"qualification_missing"}),
        )
        if placement is None:
            continue
        if [p for p, role in placement.staff if role is InstructorRole.INSTRUCTOR] == [person]:
            return [placement]
    return None


def _venue_capacity(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    pairs = [
        (course, venue)
        for course in _plannable(context)
        for venue in planner.venues_for[course.code]
        if course.max_trainees > venue.capacity
    ]
    for _ in range(_ATTEMPTS):
        if not pairs:
            return None
        course, venue = rng.choice(pairs)
        seats = rng.randint(venue.capacity + 1, course.max_trainees)
        audience = _audience(context, course, seats=seats, nation=venue.nation)
        if audience is None:
            continue
        placement = planner.try_place(
            course,
            audience,
            rng.randint(context.low, context.high),
            [venue],
            allow=frozenset({"venue_capacity"}),
        )
        if placement is not None:
            return [placement]
    return None


def _language_no_interpreter(context: ClashContext) -> list[Placement] | None:
    planner, rng = context.planner, context.planner.rng
    courses = [c for c in _plannable(context) if c.language == "en"]
    for _ in range(_ATTEMPTS):
        if not courses:
            return None
        course = rng.choice(courses)
        audience = _audience(context, course)
        if audience is None or audience[0][0].language == "en":
            continue
        unit = audience[0][0]
        placement = planner.try_place(
            course,
            audience,
            rng.randint(context.low, context.high),
            planner.venues_near(course, unit.nation),
            allow=frozenset({"language_no_interpreter"}),
        )
        if placement is None:
            continue
        if any(person.speaks(unit.language) for person, _role in placement.staff):
            continue
        return [placement]
    return None
