"""Capability targets of the demo plan and the events scheduled toward them.

Each requirement gets a fate so the readiness view has every case to show:
most are on track (enough seats, finished before the due date), some run
late (the last course ends after it), some are short (too few seats yet).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler.demo.bookings import UnitDiary
from scheduler.demo.catalogue import CourseSpec
from scheduler.demo.placement import Planner
from scheduler.demo.units import RequirementSpec, TargetSpec

ON_TRACK = "on track"
LATE = "late"
SHORT = "short"


@dataclass(slots=True, eq=False)
class PlacedRequirement:
    spec: RequirementSpec
    due: date
    fate: str = ON_TRACK
    seats_scheduled: int = 0


@dataclass(slots=True, eq=False)
class PlacedTarget:
    spec: TargetSpec
    unit: UnitDiary
    name: str
    due: date
    target_id: int = 0
    requirements: list[PlacedRequirement] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.requirements:
            self.requirements = [
                PlacedRequirement(spec, self.due - timedelta(days=spec.lead_days))
                for spec in self.spec.requirements
            ]


def _fate(roll: float) -> str:
    if roll < 0.55:
        return ON_TRACK
    return LATE if roll < 0.8 else SHORT


def schedule_requirements(
    planner: Planner,
    targets: list[PlacedTarget],
    courses: dict[str, CourseSpec],
    first_day: date,
    budget: int,
) -> int:
    """Place events toward every requirement, at most ``budget`` in all."""
    rng = planner.rng
    placed = 0
    for target in targets:
        unit = target.unit
        # Courses others depend on go first, so their prerequisites exist.
        ordered = sorted(
            target.requirements, key=lambda r: bool(courses[r.spec.course].prerequisites)
        )
        for requirement in ordered:
            spec = requirement.spec
            course = courses[spec.course]
            requirement.fate = _fate(rng.random())
            wanted = spec.people if requirement.fate != SHORT else max(1, spec.people // 2)
            per_event = max(course.min_trainees, min(course.max_trainees, unit.strength))
            count = math.ceil(wanted / per_event)
            remaining = wanted
            for i in range(count):
                if placed >= budget:
                    return placed
                seats = max(course.min_trainees, min(per_event, remaining))
                late = requirement.fate == LATE and i == count - 1
                if _place_one(planner, course, unit, seats, requirement.due, first_day, late):
                    placed += 1
                    remaining -= seats
                    requirement.seats_scheduled += seats
    return placed


def _place_one(
    planner: Planner,
    course: CourseSpec,
    unit: UnitDiary,
    seats: int,
    due: date,
    first_day: date,
    late: bool,
) -> bool:
    rng = planner.rng
    due_day = due.toordinal()
    length = math.ceil(course.duration_days * 7 / 5) + 2
    earliest = max(first_day.toordinal(), due_day - 330)
    for code in course.prerequisites:
        done = unit.completed.get(code)
        if done is None:
            return False
        earliest = max(earliest, done + 1)
    if late:
        low, high = due_day - length + 3, due_day + 70
    else:
        low, high = earliest, due_day - length
    low = max(low, earliest)
    if high < low:
        return False
    for _attempt in range(40):
        start = rng.randint(low, high)
        venues = planner.venues_near(course, unit.nation)
        placement = planner.try_place(course, [(unit, seats)], start, venues)
        if placement is None:
            continue
        if (placement.last > due_day) != late:
            continue
        planner.commit(placement)
        return True
    return False
