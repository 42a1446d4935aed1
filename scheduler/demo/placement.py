"""Finding a clean slot for one event: a venue, instructors and interpreters
that are all free, qualified, available and within their limits.

Each check can be waived by naming its conflict rule in ``allow``; that is
how the deliberate clashes are made, so each of them breaks exactly one rule.
"""

from __future__ import annotations

import bisect
import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TypeVar

from scheduler.demo.bookings import InstructorDiary, UnitDiary, VenueDiary
from scheduler.demo.catalogue import CourseSpec
from scheduler.demo.statuses import settle
from scheduler.demo.workday_index import WorkdayIndex
from scheduler.model.enums import EventStatus, InstructorRole

T = TypeVar("T")

# How many candidates of each kind one attempt looks at before giving up:
# enough to find a free one in a realistic plan, few enough to stay fast.
_CANDIDATES = 24


@dataclass(slots=True, eq=False)
class Placement:
    course: CourseSpec
    venue: VenueDiary
    first: int
    last: int
    audience: list[tuple[UnitDiary, int]]
    staff: list[tuple[InstructorDiary, InstructorRole]]
    start_time: time = time(8, 30)
    series: int | None = None
    recurrence_id: datetime | None = None
    notes: list[str] = field(default_factory=list)
    status: EventStatus = EventStatus.PLANNED
    partner_remarks: str | None = None
    attended: int | None = None
    passed: int | None = None
    outcome: str | None = None
    # Deliberate clashes and the events they clash with keep a live status.
    protected: bool = False
    # Another provider's run (the demo hands some over): none of the cell's people.
    provider_id: int | None = None
    funding_line: str | None = None

    @property
    def seats(self) -> int:
        return sum(seats for _unit, seats in self.audience)


def instructors_needed(course: CourseSpec, seats: int) -> int:
    return max(1, math.ceil(seats / course.trainees_per_instructor))


def _rotated(rng: random.Random, items: Sequence[T], limit: int = _CANDIDATES) -> list[T]:
    """Up to ``limit`` items from a random place onward: cheap, fair sampling."""
    if not items:
        return []
    offset = rng.randrange(len(items))
    picked = list(items[offset : offset + limit])
    if len(picked) < limit:
        picked += items[: min(offset, limit - len(picked))]
    return picked


class Planner:
    """Places events against the diaries; remembers everything it placed."""

    def __init__(
        self,
        rng: random.Random,
        calendars: dict[str, WorkdayIndex],
        instructors: Sequence[InstructorDiary],
        venues: Sequence[VenueDiary],
        courses: Sequence[CourseSpec],
        as_of: date,
        last_start: date,
    ) -> None:
        self.rng = rng
        self.as_of = as_of
        # Events start within the plan's window (they may end a little after).
        self.last_start = last_start.toordinal()
        self.calendars = calendars
        self.placements: list[Placement] = []
        self.qualified: dict[str, list[InstructorDiary]] = {}
        self.venues_for: dict[str, list[VenueDiary]] = {}
        self._near: dict[tuple[str, str], tuple[list[VenueDiary], list[VenueDiary]]] = {}
        for course in courses:
            self.qualified[course.code] = [
                person
                for person in instructors
                if person.role is InstructorRole.INSTRUCTOR
                and person.speaks(course.language)
                and all(code in person.qualifications for code in course.required_qualifications)
            ]
            needs = set(course.required_facilities)
            self.venues_for[course.code] = [v for v in venues if needs <= v.facilities]
        self.interpreters: dict[tuple[str, str], list[InstructorDiary]] = {}
        for person in instructors:
            if person.role is InstructorRole.INTERPRETER:
                for source in person.languages:
                    for target in person.languages:
                        if source != target:
                            self.interpreters.setdefault((source, target), []).append(person)

    def venues_near(self, course: CourseSpec, nation: str, abroad: int = 1) -> list[VenueDiary]:
        """A few suitable venues in the audience's nation, sometimes one abroad."""
        rng = self.rng
        key = (course.code, nation)
        split = self._near.get(key)
        if split is None:
            suitable = self.venues_for[course.code]
            split = (
                [v for v in suitable if v.nation == nation],
                [v for v in suitable if v.nation != nation],
            )
            self._near[key] = split
        home, away = split
        picked = _rotated(rng, home, 6)
        if away and (abroad > 1 or not home or rng.random() < 0.15):
            picked += rng.sample(away, min(len(away), max(1, abroad)))
        return picked

    # -- single checks ---------------------------------------------------------

    def can_teach(
        self,
        person: InstructorDiary,
        first: int,
        last: int,
        nation: str,
        qualifications: tuple[str, ...] = (),
        allow: frozenset[str] = frozenset(),
    ) -> bool:
        if "qualification_missing" not in allow and not person.holds(qualifications, last):
            return False
        if "instructor_unavailable" not in allow and not person.is_available(first, last):
            return False
        if "instructor_double_booked" not in allow and not person.is_free(first, last, nation):
            return False
        return person.has_capacity(first, last)

    @staticmethod
    def prerequisites_met(course: CourseSpec, units: Iterable[UnitDiary], first: int) -> bool:
        for unit in units:
            for code in course.prerequisites:
                done = unit.completed.get(code)
                if done is None or done >= first:
                    return False
        return True

    # -- staff -----------------------------------------------------------------

    def instructors_for(
        self,
        course: CourseSpec,
        count: int,
        first: int,
        last: int,
        nation: str,
        taken: list[InstructorDiary],
    ) -> list[InstructorDiary] | None:
        chosen: list[InstructorDiary] = []
        if count <= 0:
            return chosen
        for person in _rotated(self.rng, self.qualified[course.code]):
            if person in taken or person in chosen:
                continue
            if self.can_teach(person, first, last, nation, course.required_qualifications):
                chosen.append(person)
                if len(chosen) == count:
                    return chosen
        return None

    def interpreters_for(
        self,
        course: CourseSpec,
        audience_languages: Iterable[str],
        first: int,
        last: int,
        nation: str,
        taken: list[InstructorDiary],
    ) -> list[InstructorDiary] | None:
        needed = sorted({lang for lang in audience_languages if lang != course.language})
        chosen: list[InstructorDiary] = []
        while needed:
            target = needed[0]
            found = None
            for person in _rotated(self.rng, self.interpreters.get((course.language, target), [])):
                if person in taken or person in chosen:
                    continue
                if self.can_teach(person, first, last, nation):
                    found = person
                    break
            if found is None:
                return None
            chosen.append(found)
            needed = [lang for lang in needed if lang not in found.languages]
        return chosen

    # -- whole events ----------------------------------------------------------

    def try_place(
        self,
        course: CourseSpec,
        audience: list[tuple[UnitDiary, int]],
        start: int,
        venues: Sequence[VenueDiary],
        *,
        fixed: Sequence[InstructorDiary] = (),
        allow: frozenset[str] = frozenset(),
        contiguous: bool = False,
    ) -> Placement | None:
        """A clean placement starting on ``start`` (or the next working day), or None."""
        seats = sum(n for _unit, n in audience)
        units = [unit for unit, _n in audience]
        needs = set(course.required_facilities)
        for venue in venues:
            if seats > venue.capacity and "venue_capacity" not in allow:
                continue
            if not needs <= venue.facilities:
                continue
            if contiguous:
                first, last = start, start + course.duration_days - 1
            else:
                span = self.calendars[venue.nation].span(start, course.duration_days)
                if span is None:
                    continue
                first, last = span
            if first > self.last_start:
                continue
            if "venue_double_booked" in allow:
                if any(day in venue.closed for day in range(first, last + 1)):
                    continue
            elif not venue.is_free(first, last):
                continue
            if not all(unit.is_free(first, last) for unit in units):
                continue
            if not self.prerequisites_met(course, units, first):
                return None
            staff = self._staff(course, seats, units, first, last, venue.nation, fixed, allow)
            if staff is None:
                continue
            return Placement(course, venue, first, last, list(audience), staff)
        return None

    def _staff(
        self,
        course: CourseSpec,
        seats: int,
        units: list[UnitDiary],
        first: int,
        last: int,
        nation: str,
        fixed: Sequence[InstructorDiary],
        allow: frozenset[str],
    ) -> list[tuple[InstructorDiary, InstructorRole]] | None:
        taken = list(fixed)
        for person in fixed:
            if not self.can_teach(
                person, first, last, nation, course.required_qualifications, allow
            ):
                return None
        teachers = [p for p in fixed if p.role is InstructorRole.INSTRUCTOR]
        more = self.instructors_for(
            course, instructors_needed(course, seats) - len(teachers), first, last, nation, taken
        )
        if more is None:
            return None
        taken += more
        interpreters: list[InstructorDiary] = []
        if "language_no_interpreter" not in allow:
            found = self.interpreters_for(
                course, (u.language for u in units), first, last, nation, taken
            )
            if found is None:
                return None
            interpreters = found
        return [(p, p.role) for p in taken] + [
            (p, InstructorRole.INTERPRETER) for p in interpreters
        ]

    def force_place(
        self,
        course: CourseSpec,
        audience: list[tuple[UnitDiary, int]],
        start: int,
        venues: Sequence[VenueDiary],
    ) -> Placement:
        """A placement that ignores clashes: only when no clean one could be found."""
        rng = self.rng
        venue = rng.choice(list(venues))
        span = self.calendars[venue.nation].span(start, course.duration_days)
        if span is None:
            index = self.calendars[venue.nation]
            span = index.days[-course.duration_days], index.days[-1]
        first, last = span
        if first > self.last_start:
            index = self.calendars[venue.nation]
            position = bisect.bisect_right(index.days, self.last_start) - 1
            first, last = index.days[position], index.days[position + course.duration_days - 1]
        seats = sum(n for _unit, n in audience)
        teachers = self.qualified[course.code]
        count = min(len(teachers), instructors_needed(course, seats))
        staff = [(p, InstructorRole.INSTRUCTOR) for p in rng.sample(teachers, count)]
        for unit, _seats in audience:
            pool = self.interpreters.get((course.language, unit.language), [])
            if unit.language != course.language and pool:
                person = rng.choice(pool)
                if all(person is not p for p, _role in staff):
                    staff.append((person, InstructorRole.INTERPRETER))
        return Placement(course, venue, first, last, list(audience), staff)

    def commit(self, placement: Placement, *, cancellable: bool = False) -> Placement:
        """Book the placement's resources; its status is settled first, because
        a cancelled event completes no prerequisite."""
        settle(placement, self.rng, self.as_of, cancellable)
        first, last = placement.first, placement.last
        nation = placement.venue.nation
        placement.venue.book(first, last)
        for unit, _seats in placement.audience:
            unit.book(first, last)
            if placement.status is EventStatus.CANCELLED:
                continue
            done = unit.completed.get(placement.course.code)
            if done is None or last < done:
                unit.completed[placement.course.code] = last
        for person, _role in placement.staff:
            person.book(first, last, nation)
        self.placements.append(placement)
        return placement
