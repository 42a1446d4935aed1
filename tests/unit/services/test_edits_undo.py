"""Every named edit, undone and redone: the plan is exactly as before, then as after.

One road for every edit (``services/edits.py``) and one undo mechanism
(``services/undo_log.py``): this runs each operation on the demo plan,
records it, undoes it and redoes it, and compares every column of every
table (``tests/plan_tables.py``: ids, versions and timestamps aside).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import StaleEditError
from scheduler.model import (
    CapabilityTarget,
    ConflictAcceptance,
    Course,
    EventInstructor,
    Instructor,
    Provider,
    Qualification,
    TrainingEvent,
    Venue,
)
from scheduler.services import edits, records, undo_log
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import spec_for
from scheduler.services.series import Scope
from scheduler.storage import open_plan
from tests.plan_tables import differences, plan_tables
from tests.trainees import enrol_a_platoon_commander

Operation = Callable[[Session], Changes]


def _single(s: Session) -> TrainingEvent:
    return s.scalars(
        select(TrainingEvent).where(TrainingEvent.series_id.is_(None)).order_by(TrainingEvent.id)
    ).first()  # type: ignore[return-value]


def _occurrence(s: Session) -> TrainingEvent:
    return s.scalars(
        select(TrainingEvent)
        .where(TrainingEvent.series_id.is_not(None))
        .order_by(TrainingEvent.start)
        .offset(3)
    ).first()  # type: ignore[return-value]


def _staffed(s: Session) -> tuple[str, str, str]:
    """An event's uuid, one of its instructors and an instructor it lacks."""
    assignment = s.scalars(
        select(EventInstructor)
        .join(TrainingEvent)
        .where(TrainingEvent.series_id.is_(None))
        .order_by(EventInstructor.id)
    ).first()
    assert assignment is not None
    taken = {a.instructor_id for a in assignment.event.instructors}
    other = s.scalars(select(Instructor).where(Instructor.id.not_in(taken))).first()
    assert other is not None
    return assignment.event.uuid, assignment.instructor.uuid, other.uuid


def _course_values(s: Session) -> tuple[str, dict[str, Any]]:
    course = s.scalars(select(Course).where(Course.prerequisites.any())).first()
    assert course is not None
    values = records.read_values(s, spec_for("course"), course.uuid)
    return course.uuid, {**values, "title": "Прва помош (нова)", "prerequisites": []}


def _handed_over(s: Session) -> tuple[str, dict[str, Any]]:
    """The first costed run, handed to Border Force: provider, funding line, new costs."""
    event = s.scalars(
        select(TrainingEvent).where(TrainingEvent.costs.any()).order_by(TrainingEvent.id)
    ).first()
    provider = s.scalars(select(Provider).order_by(Provider.id)).first()
    assert event is not None and provider is not None
    values = records.read_values(s, spec_for("event"), event.uuid)
    costs = [{"kind": "interpreters", "planned": 640.0, "actual": None, "note": "Ђорђе"}]
    changed = {**values, "provider": provider.uuid, "funding_line": "ISF", "costs": costs}
    return event.uuid, changed


def _target_milestones(s: Session) -> tuple[str, dict[str, Any]]:
    target = s.scalars(select(CapabilityTarget).where(CapabilityTarget.milestones.any())).first()
    assert target is not None
    values = records.read_values(s, spec_for("target"), target.uuid)
    held = [{**values["milestones"][0], "result": "ready_with_comments"}]
    return target.uuid, {**values, "milestones": held}


def _conflict_key(s: Session) -> str:
    from scheduler.services.checking import run_check

    return next(c.key for c in run_check(s).conflicts if c.severity.value == "error")


OPERATIONS: dict[str, Callable[[Session], Operation]] = {
    "create a qualification": lambda s: (
        lambda t: edits.create_record(
            t,
            "qualification",
            {"code": "NEW-Q", "name": "Новa квалификација", "validity_months": 12},
        )
    ),
    "edit a course and its prerequisites": lambda s: (
        lambda uuid, values: (
            lambda t: edits.update_record(t, "course", uuid, values, values["version_id"])
        )
    )(*_course_values(s)),
    "delete a qualification": lambda s: (
        lambda q: lambda t: edits.delete_records(t, "qualification", [q])
    )(_fresh_qualification(s)),
    "delete an event": lambda s: (lambda e: lambda t: edits.delete_records(t, "event", [e]))(
        _single(s).uuid
    ),
    "delete an event with enrolled trainees": lambda s: (
        lambda e: lambda t: edits.delete_records(t, "event", [e])
    )(enrol_a_platoon_commander(s)[1][0].uuid),
    "delete an occurrence": lambda s: (lambda e: lambda t: edits.delete_records(t, "event", [e]))(
        _occurrence(s).uuid
    ),
    "duplicate events": lambda s: (lambda uuids: lambda t: edits.duplicate_events(t, uuids))(
        [_single(s).uuid, _occurrence(s).uuid]
    ),
    "cancel events": lambda s: (
        lambda uuids: lambda t: edits.set_event_status(t, uuids, "cancelled")
    )([_single(s).uuid, _occurrence(s).uuid]),
    "record attendance": lambda s: (
        lambda e: (
            lambda t: edits.record_attendance(
                t,
                e.uuid,
                {**records.read_values(t, spec_for("event"), e.uuid), "attended": 9, "passed": 8},
                e.version_id,
            )
        )
    )(_single(s)),
    "move a single event": lambda s: (
        lambda e: (
            lambda t: edits.move_event(
                t, e.uuid, e.start.date() + timedelta(days=14), expected_version=e.version_id
            )
        )
    )(_single(s)),
    "move an occurrence alone": lambda s: (
        lambda e: lambda t: edits.move_event(t, e.uuid, e.start.date() + timedelta(days=1))
    )(_occurrence(s)),
    "move an occurrence and the following": lambda s: (
        lambda e: (
            lambda t: edits.move_event(
                t, e.uuid, e.start.date() + timedelta(days=7), Scope.FOLLOWING
            )
        )
    )(_occurrence(s)),
    "move a whole series": lambda s: (
        lambda e: (
            lambda t: edits.move_event(t, e.uuid, e.start.date() + timedelta(days=7), Scope.ALL)
        )
    )(_occurrence(s)),
    "resize an event": lambda s: (
        lambda e: lambda t: edits.resize_event(t, e.uuid, e.end.date() + timedelta(days=2))
    )(_single(s)),
    "give an instructor's place to another": lambda s: (
        lambda triple: (
            lambda t: edits.move_and_reassign(
                t,
                triple[0],
                first_day=None,
                resource=edits.INSTRUCTOR,
                from_uuid=triple[1],
                to_uuid=triple[2],
            )
        )
    )(_staffed(s)),
    "move a series to another venue": lambda s: (
        lambda e, venue: (
            lambda t: edits.move_and_reassign(
                t,
                e.uuid,
                first_day=e.start.date() + timedelta(days=7),
                resource=edits.VENUE,
                from_uuid=None,
                to_uuid=venue,
                scope=Scope.ALL,
            )
        )
    )(_occurrence(s), s.scalars(select(Venue.uuid).order_by(Venue.id.desc())).first()),
    "save a new event": lambda s: (
        lambda values: lambda t: edits.save_event(t, None, values, rule=None)
    )(_new_event_values(s)),
    "save a new series": lambda s: (
        lambda values: (
            lambda t: edits.save_event(t, None, values, rule="FREQ=WEEKLY;BYDAY=WE;COUNT=6")
        )
    )(_new_event_values(s)),
    "change a series' rule from an occurrence": lambda s: (
        lambda e: (
            lambda t: edits.save_event(
                t,
                e.uuid,
                records.read_values(t, spec_for("event"), e.uuid),
                rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=8",
                expected_version=e.version_id,
            )
        )
    )(_occurrence(s)),
    "take an occurrence out of its series": lambda s: (
        lambda e: (
            lambda t: edits.save_event(
                t, e.uuid, records.read_values(t, spec_for("event"), e.uuid), rule=None
            )
        )
    )(_occurrence(s)),
    "hand an event to another provider with its costs": lambda s: (
        lambda uuid, values: (
            lambda t: edits.update_record(t, "event", uuid, values, values["version_id"])
        )
    )(*_handed_over(s)),
    "record a milestone's result and drop another": lambda s: (
        lambda uuid, values: (
            lambda t: edits.update_record(t, "target", uuid, values, values["version_id"])
        )
    )(*_target_milestones(s)),
    "add a collective task": lambda s: (
        lambda values: lambda t: edits.create_record(t, "task", values)
    )(
        {
            "name": "Одбрана на позиција",
            "target": s.scalars(select(CapabilityTarget.uuid)).first(),
            "courses": list(s.scalars(select(Course.uuid).limit(2))),
            "rating": "needs_practice",
        }
    ),
    "accept a conflict": lambda s: (
        lambda key: lambda t: edits.accept_conflict(t, key, "Agreed with the MoD")
    )(_conflict_key(s)),
    "withdraw an acceptance": lambda s: _accepted_then_withdrawn(s),
}


def _fresh_qualification(s: Session) -> str:
    """A qualification nothing refers to, made before the recorded delete."""
    edits.create_record(s, "qualification", {"code": "GONE", "name": "Брише се"})
    s.flush()
    return str(s.scalar(select(Qualification.uuid).where(Qualification.code == "GONE")))


def _new_event_values(s: Session) -> dict[str, Any]:
    source = _single(s)
    values = records.read_values(s, spec_for("event"), source.uuid)
    start = source.start + timedelta(days=35)
    return {
        **{k: v for k, v in values.items() if k not in ("uuid", "ref", "version_id")},
        "start": start,
        "end": start + (source.end - source.start),
        "status": "planned",  # not delivered ahead of time
        "audience": [{k: v for k, v in r.items() if k != "uuid"} for r in values["audience"]],
        "instructors": [{k: v for k, v in r.items() if k != "uuid"} for r in values["instructors"]],
        "costs": [{k: v for k, v in r.items() if k != "uuid"} for r in values["costs"]],
    }


def _accepted_then_withdrawn(s: Session) -> Operation:
    key = _conflict_key(s)
    edits.accept_conflict(s, key, "Accepted before the test")
    s.flush()
    assert s.scalar(select(ConflictAcceptance.id).where(ConflictAcceptance.conflict_key == key))
    return lambda t: edits.unaccept_conflict(t, key)


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_undo_and_redo_restore_exactly_the_records_before_and_after(
    demo_plan_path: Path, name: str
) -> None:
    with open_plan(demo_plan_path, backup_on_open=False) as plan:
        with plan.session() as session:
            operation = OPERATIONS[name](session)
        before = plan_tables(demo_plan_path)
        with plan.session() as session:
            done = undo_log.run_recorded(session, operation)
        after = plan_tables(demo_plan_path)
        assert differences(before, after), f"{name} changed nothing"
        with plan.session() as session:
            undone = undo_log.undo(session, done, done.versions)
        assert differences(before, plan_tables(demo_plan_path)) == []
        with plan.session() as session:
            undo_log.redo(session, done, undone.versions)
        assert differences(after, plan_tables(demo_plan_path)) == []


def test_two_edits_of_one_record_undo_and_redo_in_turn(empty_plan_path: Path) -> None:
    """Each step expects the version the previous step (or its undo) left."""
    spec = spec_for("qualification")
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            edits.create_record(session, "qualification", {"code": "Q", "name": "one"})
        ledger: dict[tuple[str, int], int] = {}
        steps = []
        for name in ("two", "three"):
            with plan.session() as session:
                uuid = session.scalar(select(Qualification.uuid))
                values = {**records.read_values(session, spec, uuid), "name": name}
                done = undo_log.run_recorded(
                    session,
                    lambda t, v=values, u=uuid: edits.update_record(
                        t, "qualification", u, v, v["version_id"]
                    ),
                )
            ledger.update(done.versions)
            steps.append(done)

        def name_now() -> str:
            with plan.session() as session:
                return str(session.scalar(select(Qualification.name)))

        for done, expected in zip(reversed(steps), ("two", "one"), strict=True):
            with plan.session() as session:
                ledger.update(undo_log.undo(session, done, ledger).versions)
            assert name_now() == expected
        for done, expected in zip(steps, ("two", "three"), strict=True):
            with plan.session() as session:
                ledger.update(undo_log.redo(session, done, ledger).versions)
            assert name_now() == expected


def test_an_undo_over_another_planners_change_is_refused(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            done = undo_log.run_recorded(
                session,
                lambda t: edits.create_record(t, "qualification", {"code": "Q", "name": "one"}),
            )
        with plan.session() as session:  # another planner renames it
            session.info["user"] = "bora@cell"
            session.scalars(select(Qualification)).one().name = "theirs"
        with pytest.raises(StaleEditError, match="bora@cell"), plan.session() as session:
            undo_log.undo(session, done, done.versions)
        with plan.session() as session:
            assert session.scalar(select(Qualification.name)) == "theirs"


def test_a_first_run_over_another_planners_change_is_refused(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path, backup_on_open=False) as plan:
        with plan.session() as session:
            event = _single(session)
            uuid, seen, day = event.uuid, event.version_id, event.start.date()
        with plan.session() as session:
            session.info["user"] = "bora@cell"
            session.scalars(
                select(TrainingEvent).where(TrainingEvent.uuid == uuid)
            ).one().notes = "theirs"
        with pytest.raises(StaleEditError, match="bora@cell"), plan.session() as session:
            edits.move_event(session, uuid, day + timedelta(days=7), expected_version=seen)
        with plan.session() as session:
            moved = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid == uuid)).one()
            assert moved.start.date() == day and moved.notes == "theirs"
