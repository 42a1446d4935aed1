"""Rules about named people: one person on two events at once, and a nominee
who has not done the courses that must come first.

Judged per trainee, over that person's own enrolments only (a handful), so
the engine re-judges a person whenever one of their events changes.
A prerequisite counts as met by a pass whose result (or whose event's end,
without a result date) comes no later than the dependent event starts, or
by being on an earlier event of it that has no result yet: what is planned
counts, as it does for units. A failed, withdrawn or no-show enrolment does
not.
"""

from __future__ import annotations

from datetime import date, datetime

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import PASSED, TAKING_PART, EventData, TraineeData
from scheduler.planning.rules.event_rules import event_label
from scheduler.planning.timeline import occupies_time
from scheduler.planning.wording import and_list

DOUBLE_BOOKED = "trainee_double_booked"
PREREQUISITE = "trainee_prerequisite_missing"


def trainee_conflicts(ctx: RuleContext, trainee: TraineeData) -> list[Conflict]:
    events = ctx.plan.events
    taking_part = sorted(
        (
            event
            for enrolment in trainee.enrolments
            if enrolment.status in TAKING_PART
            and (event := events.get(enrolment.event_id)) is not None
            and not event.cancelled
        ),
        key=lambda e: (e.start, e.end, e.ref),
    )
    found = _double_booked(ctx, trainee, taking_part)
    found += _prerequisites(ctx, trainee, taking_part)
    return found


def _double_booked(
    ctx: RuleContext, trainee: TraineeData, events: list[EventData]
) -> list[Conflict]:
    found = []
    timed = [e for e in events if occupies_time(e)]
    for index, first in enumerate(timed):
        for second in timed[index + 1 :]:
            if second.start >= first.end:
                break
            courses = ctx.plan.courses
            found.append(
                ctx.conflict(
                    DOUBLE_BOOKED,
                    conflict_key(DOUBLE_BOOKED, trainee.uuid, first.uuid, second.uuid),
                    f"{trainee.name} is on {event_label(first, courses.get(first.course_id))} "
                    f"and {event_label(second, courses.get(second.course_id))} at once",
                    [first, second],
                    [trainee.name],
                    max(first.first_day, second.first_day),
                    min(first.last_day, second.last_day),
                )
            )
    return found


def _prerequisites(
    ctx: RuleContext, trainee: TraineeData, events: list[EventData]
) -> list[Conflict]:
    plan = ctx.plan
    # Course -> when each pass or place on it ends: a result date, else the event's end.
    done: dict[int, list[date | datetime]] = {}
    for enrolment in trainee.enrolments:
        event = plan.events.get(enrolment.event_id)
        if event is None or event.cancelled:
            continue
        if enrolment.status == PASSED and enrolment.result_date is not None:
            done.setdefault(event.course_id, []).append(enrolment.result_date)
        elif enrolment.status == PASSED or enrolment.status in TAKING_PART:
            done.setdefault(event.course_id, []).append(event.end)
    found = []
    for event in events:
        course = plan.courses.get(event.course_id)
        if course is None or not course.prerequisites:
            continue
        missing = sorted(
            (
                prerequisite
                for prerequisite_id in course.prerequisites
                if (prerequisite := plan.courses.get(prerequisite_id)) is not None
                and not any(_before(end, event) for end in done.get(prerequisite_id, ()))
            ),
            key=lambda c: c.code,
        )
        if missing:
            names = and_list(f"{p.title} ({p.code})" for p in missing)
            found.append(
                ctx.conflict(
                    PREREQUISITE,
                    conflict_key(PREREQUISITE, event.uuid, trainee.uuid),
                    f"{trainee.name} is on {event_label(event, course)} without {names} "
                    "passed or planned before it",
                    [event],
                    [trainee.name],
                    event.first_day,
                    event.last_day,
                )
            )
    return found


def _before(end: date | datetime, event: EventData) -> bool:
    """Whether a result day (a date) or an earlier event's end (a moment) comes in time."""
    if isinstance(end, datetime):
        return end <= event.start
    return end <= event.first_day
