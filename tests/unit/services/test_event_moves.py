"""Moving, resizing and reassigning events, as drag and drop does."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import (
    Course,
    EventInstructor,
    Instructor,
    Nation,
    TrainingEvent,
    Venue,
)
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.services.event_moves import move_event, reassign_instructor, resize_event
from scheduler.storage import open_plan


def _setup(session: Session) -> tuple[str, str, str]:
    mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
    ana = Instructor(name="Ана Ѓорѓиевска")
    marko = Instructor(name="Marko Đurić")
    event = TrainingEvent(
        course=Course(code="CFA", title="Combat first aid", duration_days=5),
        venue=Venue(name="Криволак", nation=mk),
        start=datetime(2027, 9, 20, 8, 30),  # Monday
        end=datetime(2027, 9, 24, 16, 0),  # Friday: five working days
        instructors=[EventInstructor(instructor=ana)],
    )
    session.add_all([event, marko])
    session.flush()
    return event.uuid, ana.uuid, marko.uuid


def test_a_moved_course_keeps_its_working_days_around_a_holiday(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        uuid, _, _ = _setup(session)
        before = records.snapshot(session, spec_for("event"), uuid)
        # 8 Sep 2027 (Wednesday) is Independence Day in North Macedonia.
        changes = move_event(session, uuid, datetime(2027, 9, 6).date())
        event = session.scalars(select(TrainingEvent)).one()
        assert (event.start, event.end) == (
            datetime(2027, 9, 6, 8, 30),
            datetime(2027, 9, 13, 16, 0),
        )
        assert changes.event_ids == {event.id}
        # Undo is writing the snapshot back.
        records.update(session, spec_for("event"), uuid, before)
        assert event.start == datetime(2027, 9, 20, 8, 30)


def test_moving_onto_a_weekend_starts_on_the_next_working_day(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        uuid, _, _ = _setup(session)
        move_event(session, uuid, datetime(2027, 10, 2).date())  # Saturday
        event = session.scalars(select(TrainingEvent)).one()
        assert event.start.date() == datetime(2027, 10, 4).date()


def test_resize_and_reassign(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        uuid, ana, marko = _setup(session)
        resize_event(session, uuid, datetime(2027, 9, 22).date())
        event = session.scalars(select(TrainingEvent)).one()
        assert event.end == datetime(2027, 9, 22, 16, 0)
        with pytest.raises(UserError, match="cannot end before it starts"):
            resize_event(session, uuid, datetime(2027, 9, 1).date())
        version = event.version_id
        reassign_instructor(session, uuid, ana, marko)
        assert [a.instructor.name for a in event.instructors] == ["Marko Đurić"]
        assert event.version_id == version + 1  # a new revision of the event (.ics SEQUENCE)
        with pytest.raises(UserError, match="no longer on"):
            reassign_instructor(session, uuid, ana, marko)
