"""A unit sent to a course before it has done the courses that come first.

A prerequisite counts as met for a unit when any event of that course (not
cancelled, whatever its status) with the unit in its audience ends no later
than the dependent event starts: delivered or scheduled earlier.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import CourseData, EventData, PlanData
from scheduler.planning.rules.event_rules import event_label, unit_label
from scheduler.planning.wording import and_list


class CourseAttendance:
    """Which events of each course each unit is on; and which courses need which."""

    def __init__(self, plan: PlanData) -> None:
        self.events: dict[tuple[int, int], set[int]] = {}
        self.dependents: dict[int, set[int]] = {}
        for course in plan.courses.values():
            for prerequisite in course.prerequisites:
                self.dependents.setdefault(prerequisite, set()).add(course.id)
        for event in plan.events.values():
            self.add(event)

    def add(self, event: EventData) -> None:
        if not event.cancelled:
            for seat in event.audience:
                self.events.setdefault((seat.unit_id, event.course_id), set()).add(event.id)

    def remove(self, event: EventData) -> None:
        for seat in event.audience:
            self.events.get((seat.unit_id, event.course_id), set()).discard(event.id)

    def affected_by(self, event: EventData) -> Iterable[int]:
        """Events whose prerequisite check reads ``event``."""
        for course_id in self.dependents.get(event.course_id, ()):
            for seat in event.audience:
                yield from self.events.get((seat.unit_id, course_id), ())


def prerequisite_conflicts(
    ctx: RuleContext, event: EventData, attendance: CourseAttendance
) -> list[Conflict]:
    if event.cancelled:
        return []
    course = ctx.plan.courses.get(event.course_id)
    if course is None or not course.prerequisites:
        return []
    events = ctx.plan.events
    prerequisites = sorted(
        (c for p in course.prerequisites if (c := ctx.plan.courses.get(p)) is not None),
        key=lambda c: c.code,
    )
    found = []
    for seat in event.audience:
        unit = ctx.plan.units.get(seat.unit_id)
        if unit is None:
            continue
        missing: list[CourseData] = [
            p
            for p in prerequisites
            if not any(
                events[i].end <= event.start for i in attendance.events.get((unit.id, p.id), ())
            )
        ]
        if missing:
            names = and_list(f"{p.title} ({p.code})" for p in missing)
            found.append(
                ctx.conflict(
                    "prerequisite_missing",
                    conflict_key("prerequisite_missing", event.uuid, unit.uuid),
                    f"{unit_label(unit)} is on {event_label(event, course)} without "
                    f"{names} delivered or scheduled before it",
                    [event],
                    [unit.name],
                    event.first_day,
                    event.last_day,
                )
            )
    return found
