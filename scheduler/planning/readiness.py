"""The readiness pathway: is each unit getting the training its target needs?

For each training requirement (a unit, a course, a number of people, a due
date) this compares the people required with the seats held for the unit on
planned or confirmed events of the course and the people delivered on
delivered events. Seats of units below the required unit count for it: a
battalion's requirement is met by training its companies.

Attendance is recorded per event, not per unit, so on an event shared by
several units the delivered people are shared out in proportion to seats.
A delivered event without attendance recorded counts its seats.

Beside that forecast, once a plan names its trainees, each row counts the
named people: distinct persons who passed the course, whose pass is still
current on the due date (a course's validity in months, as a qualification
runs out), and who belong to the unit or one below it on that day. A person
who moved unit counts for the unit they are in then; one who passed twice
counts once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from scheduler.planning.data import (
    DELIVERED,
    PASSED,
    SCHEDULED_STATUSES,
    EventData,
    PlanData,
)


@dataclass(frozen=True, slots=True)
class ReadinessRow:
    requirement_id: int
    target_id: int
    target: str
    unit_id: int
    unit_code: str
    unit_name: str
    course_id: int
    course_code: str
    course_title: str
    required: int
    scheduled: int
    delivered: int
    due: date | None
    # Seats and people in training that ends by the due date.
    scheduled_by_due: int
    delivered_by_due: int
    # The required unit's nation: the partner the row belongs to.
    nation_code: str | None = None
    # Seats the delivered events held for the unit: fewer than the people
    # delivered means attendance was recorded above the seats (a slip, usually).
    delivered_seats: int = 0
    # Named people qualified and current on the due date (today without one);
    # None while the plan names no trainee at all.
    named: int | None = None

    @property
    def over_attended(self) -> bool:
        return self.delivered > self.delivered_seats

    @property
    def on_track(self) -> bool:
        return self.scheduled_by_due + self.delivered_by_due >= self.required

    @property
    def late(self) -> int:
        """Seats scheduled only after the due date."""
        return self.scheduled - self.scheduled_by_due

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.scheduled_by_due - self.delivered_by_due)

    def as_dict(self) -> dict[str, object]:
        """The CLI's JSON shape."""
        return {
            "target": self.target,
            "unit": self.unit_code,
            "course": self.course_code,
            "required": self.required,
            "scheduled": self.scheduled,
            "delivered": self.delivered,
            "due": self.due.isoformat() if self.due is not None else None,
            "on_track": self.on_track,
            "named": self.named,
        }


def delivered_people(event: EventData, unit_seats: int) -> int:
    """People of one unit (holding ``unit_seats`` seats) an event delivered."""
    total = event.seats
    people = event.passed if event.passed is not None else event.attended
    if people is None or total <= 0:
        return unit_seats
    return round(people * unit_seats / total)


Pass = tuple[date, int]  # (the day a trainee passed, the trainee)


def passes_by_course(plan: PlanData) -> dict[int, list[Pass]]:
    """Course id -> every pass of it: the result date, else the event's last day."""
    found: dict[int, list[Pass]] = {}
    for trainee in plan.trainees.values():
        for enrolment in trainee.enrolments:
            if enrolment.status != PASSED:
                continue
            event = plan.events.get(enrolment.event_id)
            if event is None:
                continue
            day = enrolment.result_date or event.last_day
            found.setdefault(event.course_id, []).append((day, trainee.id))
    return found


def named_people(
    plan: PlanData, passes: list[Pass], validity_months: int | None, units: set[int], day: date
) -> set[int]:
    """Trainees who passed by ``day``, are still current then, and serve in ``units`` then."""
    found: set[int] = set()
    for passed_on, trainee_id in passes:
        if passed_on > day or trainee_id in found:
            continue
        if validity_months and day > passed_on + relativedelta(months=validity_months):
            continue
        trainee = plan.trainees.get(trainee_id)
        if trainee is not None and any(
            p.unit_id in units and p.covers(day) for p in trainee.postings
        ):
            found.add(trainee_id)
    return found


def readiness(plan: PlanData, today: date | None = None) -> list[ReadinessRow]:
    """One row per requirement, by target, unit and course.

    ``today`` is the day named people are counted on for a requirement
    without a due date (the planning package reads no clock).
    """
    passes = passes_by_course(plan) if plan.trainees else {}
    # (course, unit) -> the events of that course with that unit on them.
    attending: dict[tuple[int, int], list[EventData]] = {}
    for event in plan.events.values():
        if event.status in SCHEDULED_STATUSES or event.status == DELIVERED:
            for seat in event.audience:
                attending.setdefault((event.course_id, seat.unit_id), []).append(event)
    children = unit_children((u.id, u.parent_id) for u in plan.units.values())
    below: dict[int, set[int]] = {}
    # An event feeds many requirements (every target of its units): its last
    # day is worked out once, not once per requirement (460,000 times at
    # 100,000 events).
    last_days: dict[int, date] = {}
    rows = []
    for requirement in plan.requirements:
        units = below.get(requirement.unit_id)
        if units is None:
            units = below[requirement.unit_id] = units_and_below((requirement.unit_id,), children)
        due = requirement.due
        scheduled = delivered = scheduled_by_due = delivered_by_due = delivered_seats = 0
        events = {
            e.id: e
            for unit_id in units
            for e in attending.get((requirement.course_id, unit_id), ())
        }
        for event in events.values():
            seats = sum(s.seats for s in event.audience if s.unit_id in units)
            if seats <= 0:
                continue
            if due is None:
                in_time = True
            else:
                last = last_days.get(event.id)
                if last is None:
                    last = last_days[event.id] = event.last_day
                in_time = last <= due
            if event.status == DELIVERED:
                people = delivered_people(event, seats)
                delivered += people
                delivered_seats += seats
                delivered_by_due += people if in_time else 0
            else:
                scheduled += seats
                scheduled_by_due += seats if in_time else 0
        unit = plan.units.get(requirement.unit_id)
        course = plan.courses.get(requirement.course_id)
        named = None
        on = due or today
        if plan.trainees and on is not None:
            named = len(
                named_people(
                    plan,
                    passes.get(requirement.course_id, []),
                    course.validity_months if course is not None else None,
                    units,
                    on,
                )
            )
        rows.append(
            ReadinessRow(
                requirement_id=requirement.id,
                target_id=requirement.target_id,
                target=requirement.target_name,
                unit_id=requirement.unit_id,
                unit_code=unit.code if unit is not None else "",
                unit_name=unit.name if unit is not None else "",
                course_id=requirement.course_id,
                course_code=course.code if course is not None else "",
                course_title=course.title if course is not None else "",
                required=requirement.people,
                scheduled=scheduled,
                delivered=delivered,
                due=due,
                scheduled_by_due=scheduled_by_due,
                delivered_by_due=delivered_by_due,
                nation_code=unit.nation_code if unit is not None else None,
                delivered_seats=delivered_seats,
                named=named,
            )
        )
    rows.sort(
        key=lambda r: (
            r.target.casefold(),
            r.unit_code.casefold(),
            r.due or date.max,
            r.course_code.casefold(),
        )
    )
    return rows


def unit_children(pairs: Iterable[tuple[int, int | None]]) -> dict[int, list[int]]:
    """Parent -> its units, from (unit, parent) pairs: the tree ``units_and_below`` walks."""
    children: dict[int, list[int]] = {}
    for unit_id, parent_id in pairs:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(unit_id)
    return children


def units_and_below(roots: Iterable[int], children: Mapping[int, Iterable[int]]) -> set[int]:
    """The units given and every unit under them (``children``: parent -> its units).

    A requirement or a partner named by a battalion covers its companies.
    """
    found = set(roots)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found
