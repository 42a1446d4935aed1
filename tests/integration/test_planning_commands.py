"""``check`` and ``readiness`` on real plan files, and accepting a conflict."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.cli import main
from scheduler.model import (
    CapabilityTarget,
    Course,
    Enrolment,
    EnrolmentStatus,
    EventAudience,
    EventInstructor,
    EventStatus,
    Instructor,
    Nation,
    Trainee,
    TraineePosting,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
)
from scheduler.services.checking import (
    accept_conflict,
    readiness_rows,
    run_check,
    unaccept_conflict,
)
from scheduler.services.plan_snapshot import load_plan_data
from scheduler.storage import PlanAccess, create_plan, open_plan


def _event(
    session: object,
    course: Course,
    venue: Venue,
    unit: Unit,
    person: Instructor,
    day: int,
    **kw: object,
) -> TrainingEvent:
    event = TrainingEvent(
        course=course,
        venue=venue,
        start=datetime(2027, 6, day, 8, 30),
        end=datetime(2027, 6, day + 1, 15, 30),
        audience=[EventAudience(unit=unit, seats=10)],
        instructors=[EventInstructor(instructor=person)],
        **kw,
    )
    session.add(event)  # type: ignore[attr-defined]
    return event


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.tsplan"
    with create_plan(path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        course = Course(code="CFA", title="Combat first aid", language="mk", duration_days=2)
        venue = Venue(name="Касарна „Илинден“", nation=mk, capacity=30)
        unit = Unit(code="MK-1BN", name="Прв баталјон", nation=mk, strength=400, language="mk")
        ana = Instructor(name="Ана Ђурић", languages=["mk", "en"])
        ana.unavailability.append(
            Unavailability(start_date=date(2027, 6, 21), end_date=date(2027, 6, 25))
        )
        session.add_all([course, venue, unit, ana])
        _event(
            session,
            course,
            venue,
            unit,
            ana,
            1,
            ref="MK-2027-001",
            status=EventStatus.DELIVERED,
            attended=9,
        )
        _event(session, course, venue, unit, ana, 14, ref="MK-2027-002")
        target = CapabilityTarget(name="Battalion ready", unit=unit, due_date=date(2027, 6, 30))
        target.requirements.append(TrainingRequirement(unit=unit, course=course, people=20))
        session.add(target)
    return path


def _add_clash(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        course = session.scalars(select(Course)).one()
        venue = session.scalars(select(Venue)).one()
        unit = session.scalars(select(Unit)).one()
        ana = session.scalars(select(Instructor)).one()
        other = Unit(code="MK-2BN", name="Втор баталјон", nation=unit.nation, language="mk")
        hall = Venue(name="Штип", nation=venue.nation, capacity=20)
        event = _event(session, course, hall, other, ana, 15, ref="MK-2027-003")
        event.end = datetime(2027, 6, 15, 12, 0)


def _check_json(
    path: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, list[dict[str, object]]]:
    code = main(["check", str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


def test_clean_plan_exits_zero(plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert _check_json(plan_path, capsys) == (0, [])
    assert main(["check", str(plan_path)]) == 0
    assert "No conflicts." in capsys.readouterr().out


def test_open_error_exits_one_and_names_people_and_refs(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_clash(plan_path)
    code, found = _check_json(plan_path, capsys)
    assert code == 1
    double = [c for c in found if c["rule"] == "instructor_double_booked"]
    assert double == [
        {
            "rule": "instructor_double_booked",
            "severity": "error",
            "message": "Ана Ђурић is booked on MK-2027-002 and MK-2027-003 on 15 Jun 2027",
            "events": ["MK-2027-002", "MK-2027-003"],
            "resources": ["Ана Ђурић"],
            "accepted": False,
        }
    ]
    assert main(["check", str(plan_path)]) == 1
    text = capsys.readouterr().out
    assert "Instructor double-booked [instructor_double_booked, error]: 1" in text
    assert "Ана Ђурић" in text


def test_window_limits_the_report(plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _add_clash(plan_path)
    assert _check_json(plan_path, capsys, "--from", "2027-06-16") == (0, [])
    code, found = _check_json(plan_path, capsys, "--from", "2027-06-01", "--to", "2027-06-15")
    assert code == 1 and found


def test_bad_file_and_bad_dates_exit_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.tsplan"
    junk.write_text("not a plan", encoding="utf-8")
    assert main(["check", str(junk)]) == 2
    assert main(["readiness", str(junk), "--json"]) == 2
    assert main(["check", str(tmp_path / "missing.tsplan")]) == 2
    capsys.readouterr()
    with pytest.raises(SystemExit) as exit_info:
        main(["check", str(junk), "--from", "1 June"])
    assert exit_info.value.code == 2


def test_accepting_a_conflict_and_it_lapsing(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_clash(plan_path)
    with open_plan(plan_path) as plan, plan.session() as session:
        [conflict] = [
            c for c in run_check(session).conflicts if c.rule == "instructor_double_booked"
        ]
        accept_conflict(
            session, conflict.key, "Short overlap agreed with the battalion", "planner@cell"
        )
    code, found = _check_json(plan_path, capsys)
    assert code == 0
    assert [c["accepted"] for c in found if c["rule"] == "instructor_double_booked"] == [True]

    # Moving an event involved (still clashing) reopens it.
    with open_plan(plan_path) as plan, plan.session() as session:
        event = session.scalars(
            select(TrainingEvent).where(TrainingEvent.ref == "MK-2027-003")
        ).one()
        event.end = datetime(2027, 6, 15, 13, 0)
    code, found = _check_json(plan_path, capsys)
    assert code == 1

    # Accept again, then withdraw it.
    with open_plan(plan_path) as plan, plan.session() as session:
        [conflict] = [
            c for c in run_check(session).conflicts if c.rule == "instructor_double_booked"
        ]
        accept_conflict(session, conflict, "Agreed again")
        assert run_check(session).has_open_error is False
        unaccept_conflict(session, conflict.key)
        assert run_check(session).has_open_error is True


def test_accept_needs_a_reason_and_a_live_conflict(plan_path: Path) -> None:
    from scheduler.errors import UserError

    with open_plan(plan_path) as plan, plan.session() as session:
        with pytest.raises(UserError, match="reason"):
            accept_conflict(session, "instructor_double_booked|x|y|z", "  ")
        with pytest.raises(UserError, match="no longer in the plan"):
            accept_conflict(session, "instructor_double_booked|x|y|z", "why not")


def test_readiness(plan_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["readiness", str(plan_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {
            "target": "Battalion ready",
            "unit": "MK-1BN",
            "course": "CFA",
            "required": 20,
            "scheduled": 10,
            "delivered": 9,
            "due": "2027-06-30",
            "on_track": False,
            "named": None,
        }
    ]
    assert main(["readiness", str(plan_path)]) == 0
    assert "short by 1" in capsys.readouterr().out
    with open_plan(plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        [row] = readiness_rows(session)
        assert row.unit_name == "Прв баталјон"


def test_named_people_and_their_clashes(
    plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Two passed the delivered course (one moved away since); one is on two events at once."""
    with open_plan(plan_path) as plan, plan.session() as session:
        unit = session.scalars(select(Unit)).one()
        delivered, planned = session.scalars(select(TrainingEvent).order_by(TrainingEvent.start))
        other = Unit(code="MK-2BN", name="Втор баталјон", nation=unit.nation, language="mk")
        session.add(other)
        clash = _event(
            session,
            delivered.course,
            delivered.venue,
            unit,
            session.scalars(select(Instructor)).one(),
            14,
            ref="MK-2027-003",
        )
        clash.instructors.clear()

        def person(name: str, *postings: TraineePosting) -> Trainee:
            return Trainee(name=name, nation=unit.nation, postings=list(postings))

        stays = person("Ана Петровска", TraineePosting(unit=unit))
        moved = person(
            "Марко Вуковиќ",
            TraineePosting(unit=unit, date_to=date(2027, 5, 31)),
            TraineePosting(unit=other, date_from=date(2027, 6, 1)),
        )
        for trainee in (stays, moved):
            trainee.enrolments.append(Enrolment(event=delivered, status=EnrolmentStatus.PASSED))
        stays.enrolments += [
            Enrolment(event=planned, status=EnrolmentStatus.NOMINATED),
            Enrolment(event=clash, status=EnrolmentStatus.CONFIRMED),
        ]
        session.add_all([stays, moved])
    assert main(["readiness", str(plan_path), "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert (row["delivered"], row["named"]) == (9, 1)
    assert main(["readiness", str(plan_path)]) == 0
    assert "named    1" in capsys.readouterr().out
    code, found = _check_json(plan_path, capsys)
    assert code == 1
    [person_clash] = [c for c in found if c["rule"] == "trainee_double_booked"]
    assert person_clash["resources"] == ["Ана Петровска"]
    assert person_clash["events"] == ["MK-2027-002", "MK-2027-003"]


def test_snapshot_reads_what_the_engine_needs(plan_path: Path) -> None:
    with open_plan(plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        data = load_plan_data(session)
    [ana] = data.instructors.values()
    assert ana.name == "Ана Ђурић" and ana.languages == {"mk", "en"}
    assert [(s.first, s.last, s.reason) for s in ana.unavailability] == [
        (date(2027, 6, 21), date(2027, 6, 25), "leave")
    ]
    events = sorted(data.events.values(), key=lambda e: e.ref)
    assert [e.status for e in events] == ["delivered", "planned"]
    assert events[0].attended == 9 and events[0].audience[0].seats == 10
    assert [v.nation_code for v in data.venues.values()] == ["MK"]
    assert data.requirements[0].due == date(2027, 6, 30)  # from the target
    assert "MK" in data.nations and data.nations["MK"].holiday_calendar


def test_demo_plan_deliberate_clashes_are_all_reported(tmp_path: Path) -> None:
    demo = pytest.importorskip("scheduler.demo")
    rules = getattr(demo, "DELIBERATE_CLASHES", None) or getattr(demo, "CLASH_RULES", None)
    if rules is None:
        pytest.skip("the demo plan lists no deliberate clashes")
    with create_plan(tmp_path / "demo.tsplan") as plan:
        with plan.session() as session:
            demo.build_demo(session, seed=1)
        with plan.session() as session:
            found = {c.rule for c in run_check(session).conflicts}
    assert set(rules) <= found


def test_recheck_after_edits_matches_a_full_check(plan_path: Path) -> None:
    from scheduler.planning.engine import ConflictEngine
    from scheduler.services.checking import recheck_events

    with open_plan(plan_path) as plan, plan.session() as session:
        engine = ConflictEngine(load_plan_data(session))
        assert engine.conflicts() == []
        first, second = session.scalars(select(TrainingEvent).order_by(TrainingEvent.ref)).all()
        second.start = datetime(2027, 6, 2, 12, 0)  # now overlaps MK-2027-001
        session.flush()
        delta = recheck_events(session, engine, [second.id])
        assert {c.rule for c in delta.added} == {
            "instructor_double_booked",
            "venue_double_booked",
            "unit_double_booked",
        }
        assert engine.conflicts() == run_check(session).conflicts

        first_id = first.id
        session.delete(first)
        session.flush()
        delta = recheck_events(session, engine, [first_id])
        assert len(delta.removed) == 3 and delta.added == ()
        assert engine.conflicts() == run_check(session).conflicts == []
