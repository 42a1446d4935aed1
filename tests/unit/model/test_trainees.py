"""Named trainees (issue 20's foundation): a person keeps a history of units
and of events; the plan counts them, undo brings them back with an event,
and a unit people are posted to is not deleted from under them."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from scheduler.errors import UserError
from scheduler.model import (
    Enrolment,
    Trainee,
)
from scheduler.services import edits
from scheduler.storage import open_plan
from tests.plan_tables import plan_tables
from tests.trainees import enrol_a_platoon_commander


def test_a_trainee_keeps_units_and_events_and_the_plan_counts_them(
    demo_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.cli import main

    assert main(["info", str(demo_plan_path), "--json"]) == 0
    before = json.loads(capsys.readouterr().out)["counts"]
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            enrol_a_platoon_commander(session)
        with plan.session() as session:
            trainee = session.scalars(select(Trainee).where(Trainee.nation.has(code="MK"))).one()
            assert [p.date_to for p in trainee.postings] == [date(2027, 3, 1), None]
            assert {e.status for e in trainee.enrolments} == {"passed", "nominated"}
            assert trainee.name == "Ѓорѓи Трајковски" and trainee.languages == ["mk", "en"]
        # One person once per event.
        with pytest.raises(IntegrityError), plan.session() as session:
            trainee = session.scalars(select(Trainee).where(Trainee.nation.has(code="MK"))).one()
            session.add(Enrolment(event=trainee.enrolments[0].event, trainee=trainee))
            session.flush()
    assert main(["info", str(demo_plan_path), "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    # The demo names some Albanians and Montenegrins of its own.
    assert (counts["trainees"], counts["enrolments"]) == (
        before["trainees"] + 1,
        before["enrolments"] + 2,
    )


def test_deleting_an_event_takes_its_enrolments(demo_plan_path: Path) -> None:
    """(Undo and redo of it: "delete an event with enrolled trainees" in
    tests/unit/services/test_edits_undo.py, which compares every table.)"""
    with open_plan(demo_plan_path, backup_on_open=False) as plan:
        with plan.session() as session:
            _trainee, events = enrol_a_platoon_commander(session)
            uuid = events[0].uuid
        before = plan_tables(demo_plan_path)
        with plan.session() as session:
            edits.delete_records(session, "event", [uuid])
        after = plan_tables(demo_plan_path)
        assert len(after["enrolment"]) == len(before["enrolment"]) - 1


def test_a_unit_with_people_posted_to_it_is_not_deleted_from_under_them(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            trainee, _events = enrol_a_platoon_commander(session)
            unit = trainee.postings[1].unit.uuid
        with pytest.raises(UserError, match=r"1 posted trainee\b"), plan.session() as session:
            edits.delete_records(session, "unit", [unit])
