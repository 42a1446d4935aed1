"""What a plan holds, in numbers (the ``info`` command, the window's status bar)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import (
    Course,
    Enrolment,
    EventSeries,
    Instructor,
    Kit,
    Nation,
    Qualification,
    Trainee,
    TrainingEvent,
    TrainingRequirement,
    Unit,
    Venue,
)

COUNTED = {
    "nations": Nation,
    "units": Unit,
    "courses": Course,
    "qualifications": Qualification,
    "instructors": Instructor,
    "venues": Venue,
    "kit": Kit,
    "events": TrainingEvent,
    "requirements": TrainingRequirement,
    "trainees": Trainee,
    "enrolments": Enrolment,
}


# Counted, but shown on the dashboard only once a plan holds any: most
# plans count seats, not named people.
NAMED_PEOPLE = frozenset({"trainees", "enrolments"})


def plan_counts(session: Session) -> dict[str, int]:
    return {
        key: session.scalar(select(func.count()).select_from(model)) or 0
        for key, model in COUNTED.items()
    }


def series_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(EventSeries)) or 0
