"""Named trainees (issue 20's foundation): a person keeps a history of units
and of events; the plan counts them, undo brings them back with an event,
and a unit people are posted to is not deleted from under them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from scheduler.errors import UserError
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
from scheduler.services import edits, undo_log
from scheduler.storage import open_plan
from tests.plan_tables import differences, plan_tables


def _enrol_a_platoon_commander(session: Session) -> tuple[Trainee, list[TrainingEvent]]:
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


def test_a_trainee_keeps_units_and_events_and_the_plan_counts_them(
    demo_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.cli import main

    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            _enrol_a_platoon_commander(session)
        with plan.session() as session:
            trainee = session.scalars(select(Trainee)).one()
            assert [p.date_to for p in trainee.postings] == [date(2027, 3, 1), None]
            assert {e.status for e in trainee.enrolments} == {"passed", "nominated"}
            assert trainee.name == "Ѓорѓи Трајковски" and trainee.languages == ["mk", "en"]
        # One person once per event.
        with pytest.raises(IntegrityError), plan.session() as session:
            trainee = session.scalars(select(Trainee)).one()
            session.add(Enrolment(event=trainee.enrolments[0].event, trainee=trainee))
            session.flush()
    assert main(["info", str(demo_plan_path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert (counts["trainees"], counts["enrolments"]) == (1, 2)


def test_deleting_an_event_takes_its_enrolments_and_undo_brings_them_back(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path, backup_on_open=False) as plan:
        with plan.session() as session:
            _trainee, events = _enrol_a_platoon_commander(session)
            uuid = events[0].uuid
        before = plan_tables(demo_plan_path)
        with plan.session() as session:
            done = undo_log.run_recorded(
                session, lambda t: edits.delete_records(t, "event", [uuid])
            )
        after = plan_tables(demo_plan_path)
        assert len(after["enrolment"]) == 1 and len(before["enrolment"]) == 2
        with plan.session() as session:
            undone = undo_log.undo(session, done, done.versions)
        assert differences(before, plan_tables(demo_plan_path)) == []
        with plan.session() as session:
            undo_log.redo(session, done, undone.versions)
        assert differences(after, plan_tables(demo_plan_path)) == []


def test_a_unit_with_people_posted_to_it_is_not_deleted_from_under_them(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            trainee, _events = _enrol_a_platoon_commander(session)
            unit = trainee.postings[1].unit.uuid
        with pytest.raises(UserError, match=r"1 posted trainee\b"), plan.session() as session:
            edits.delete_records(session, "unit", [unit])
