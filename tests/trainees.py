"""A named trainee on the demo plan, for the tests of issue 20's data."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import (
    Enrolment,
    EnrolmentStatus,
    EventAudience,
    Nation,
    Trainee,
    TraineePosting,
    TrainingEvent,
    Unit,
)


def enrol_a_platoon_commander(session: Session) -> tuple[Trainee, list[TrainingEvent]]:
    """A Macedonian lieutenant who moved company in March, on two of its events."""
    mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
    busiest = (
        select(EventAudience.unit_id)
        .join(Unit)
        .join(TrainingEvent)
        .where(Unit.nation_id == mk.id, TrainingEvent.series_id.is_(None))
        .group_by(EventAudience.unit_id)
        .order_by(func.count().desc(), EventAudience.unit_id)
        .limit(1)
    )
    first = session.get(Unit, session.scalar(busiest))
    second = session.scalars(
        select(Unit).where(Unit.nation_id == mk.id, Unit.id != first.id).order_by(Unit.code)
    ).first()
    assert first is not None and second is not None
    events = session.scalars(
        select(TrainingEvent)
        .join(EventAudience)
        .where(EventAudience.unit_id == first.id, TrainingEvent.series_id.is_(None))
        .order_by(TrainingEvent.start)
        .limit(2)
    ).all()
    assert len(events) == 2
    trainee = Trainee(
        name="Ѓорѓи Трајковски",
        name_latin="Gjorgji Trajkovski",
        rank="поручник",
        nation=mk,
        service_number="MK-0042",
        languages=["mk", "en"],
        postings=[
            TraineePosting(unit=first, date_from=date(2024, 9, 1), date_to=date(2027, 3, 1)),
            TraineePosting(unit=second, date_from=date(2027, 3, 1)),
        ],
        enrolments=[
            Enrolment(
                event=events[0], status=EnrolmentStatus.PASSED, result_date=date(2027, 1, 20)
            ),
            Enrolment(event=events[1], status=EnrolmentStatus.NOMINATED, remarks="Ѓ. Т. — ок"),
        ],
    )
    session.add(trainee)
    session.flush()
    return trainee, list(events)
