"""Series: make one, change its rule, move one occurrence, the following or all; undo."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import EventSeries, TrainingEvent
from scheduler.planning.recurrence import parse_rule
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.services.series import (
    Scope,
    capture,
    create_series,
    move_occurrence,
    restore,
    set_rule,
    shift_rule,
)
from scheduler.storage import open_plan


def _efo(session: Session) -> list[TrainingEvent]:
    """The demo's weekly Wednesday class, in order."""
    event = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == "MK-2027-028")).one()
    assert event.series is not None
    return sorted(event.series.events, key=lambda e: e.start)


def test_moving_one_occurrence_makes_an_override(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        events = _efo(session)
        target = events[5]
        others = {e.uuid: e.start for e in events if e is not target}
        move_occurrence(
            session,
            target.uuid,
            target.start.date().replace(day=target.start.day)
            + (date(2000, 1, 2) - date(2000, 1, 1)),
            Scope.THIS,
        )
        assert target.is_override and target.series is not None
        assert target.recurrence_id != target.start
        assert {e.uuid: e.start for e in _efo(session) if e is not target} == others


def test_moving_this_and_following_splits_the_series(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        events = _efo(session)
        old_series = events[0].series
        assert old_series is not None
        pivot = events[10]
        before = capture(session, (old_series.uuid,))
        result = move_occurrence(
            session,
            pivot.uuid,
            pivot.start.date() + timedelta(days=1),
            Scope.FOLLOWING,
        )
        assert pivot.series is not old_series
        assert pivot.start.weekday() == 3  # Thursday now
        assert all(e.start < pivot.start for e in old_series.events)
        assert len(old_series.events) == 10
        new_rule = parse_rule(pivot.series.rrule)  # type: ignore[union-attr]
        assert new_rule.byday == ((3, None),)
        assert parse_rule(old_series.rrule).until is not None
        after = capture(session, result.series_uuids, result.event_uuids)
        restore(session, before, after)
        session.flush()
        assert sorted(e.start for e in _efo(session)) == [
            e for e in sorted(x for x in before_starts(before))
        ]


def before_starts(state: object) -> list[datetime]:
    return sorted(v["start"] for v in state.events.values())  # type: ignore[attr-defined]


def test_moving_all_shifts_the_rule_and_every_occurrence(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        events = _efo(session)
        series = events[0].series
        assert series is not None
        count = len(events)
        move_occurrence(
            session,
            events[3].uuid,
            events[3].start.date() + timedelta(days=2),
            Scope.ALL,
        )
        assert parse_rule(series.rrule).byday == ((4, None),)  # Friday
        assert series.dtstart.weekday() == 4
        assert len(series.events) == count
        assert all(e.start.weekday() in (4, 0) for e in series.events)  # a holiday Friday moves on


def test_a_rule_makes_a_series_and_a_new_rule_regenerates_it(demo_plan_path: Path) -> None:
    spec = spec_for("event")
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        template = records.read_values(
            session,
            spec,
            session.scalar(select(TrainingEvent.uuid).where(TrainingEvent.ref == "MK-2027-031")),
        )
        values = {k: v for k, v in template.items() if k not in ("uuid", "ref", "version_id")}
        for child in spec.children:
            values[child.name] = [
                {k: v for k, v in r.items() if k != "uuid"} for r in values[child.name]
            ]
        values["start"] = datetime(2027, 6, 7, 8, 30)
        values["end"] = datetime(2027, 6, 8, 16, 0)
        series_count = session.scalar(select(func.count()).select_from(EventSeries))
        result = create_series(session, values, "FREQ=WEEKLY;BYDAY=MO;COUNT=4", [])
        assert session.scalar(select(func.count()).select_from(EventSeries)) == series_count + 1
        made = session.scalars(
            select(TrainingEvent).where(TrainingEvent.uuid.in_(result.event_uuids))
        ).all()
        assert sorted(e.start.date() for e in made) == [
            date(2027, 6, 7),
            date(2027, 6, 14),
            date(2027, 6, 21),
            date(2027, 6, 28),
        ]
        assert all((e.end - e.start).days == 1 for e in made)  # two working days each
        first = min(made, key=lambda e: e.start)
        set_rule(session, first.uuid, "FREQ=WEEKLY;BYDAY=MO;COUNT=2", [])
        assert first.series is not None
        assert sorted(e.start.date() for e in first.series.events) == [
            date(2027, 6, 7),
            date(2027, 6, 14),
        ]


def test_shift_rule_moves_weekdays_month_days_and_until() -> None:
    rule = parse_rule("FREQ=MONTHLY;BYDAY=1TU;UNTIL=20271102T235959")
    shifted = shift_rule(rule, 1)
    assert shifted.byday == ((2, 1),)
    assert shifted.to_text() == "FREQ=MONTHLY;BYDAY=1WE;UNTIL=20271103T235959"
    assert shift_rule(parse_rule("FREQ=MONTHLY;BYMONTHDAY=15"), -2).bymonthday == (13,)
