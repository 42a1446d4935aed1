"""Deleting one occurrence of a series records an exception, as calendar programs do.

Each step runs in its own transaction, as the undo commands do: delete is
``records.snapshot`` then ``records.delete``; undo is ``records.restore``.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import EventSeries, TrainingEvent
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.services.records import Values
from scheduler.services.series import series_info, set_rule
from scheduler.storage import Plan, open_plan

EVENT = spec_for("event")
WEEKLY = "MK-2027-028"  # the demo's weekly Wednesday class


def _occurrences(session: Session, ref: str = WEEKLY) -> list[TrainingEvent]:
    event = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
    assert event.series is not None
    return sorted(event.series.events, key=lambda e: e.start)


def _starts(plan: Plan, series_uuid: str) -> list[datetime]:
    with plan.session() as session:
        series = session.scalars(select(EventSeries).where(EventSeries.uuid == series_uuid)).one()
        return sorted(e.start for e in series.events)


def _delete(plan: Plan, uuid: str) -> Values:
    """What DeleteRecord.apply does: snapshot, then delete, in one transaction."""
    with plan.session() as session:
        snapshot = records.snapshot(session, EVENT, uuid)
        records.delete(session, EVENT, uuid)
    return snapshot


def _regenerate(plan: Plan, event_uuid: str) -> None:
    """What the event editor does when the planner edits the series' rule:
    it shows the series' rule and exceptions and saves them back."""
    with plan.session() as session:
        info = series_info(session, event_uuid)
        assert info is not None
        set_rule(session, event_uuid, info[1], info[3])


def test_a_deleted_occurrence_stays_deleted_when_the_series_is_regenerated(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _occurrences(session)
            series_uuid = events[0].series.uuid  # type: ignore[union-attr]
            victim, keeper = events[4].uuid, events[0].uuid
            victim_start = events[4].start
        before = _starts(plan, series_uuid)
        _delete(plan, victim)
        assert _starts(plan, series_uuid) == [s for s in before if s != victim_start]
        with plan.session() as session:
            info = series_info(session, keeper)
        assert info is not None and victim_start.isoformat() in info[3]

        _regenerate(plan, keeper)
        assert victim_start not in _starts(plan, series_uuid)
        assert _starts(plan, series_uuid) == [s for s in before if s != victim_start]


def test_undo_brings_back_the_occurrence_and_drops_the_exception(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _occurrences(session)
            series_uuid = events[0].series.uuid  # type: ignore[union-attr]
            victim = events[4]
            uuid, ref, start = victim.uuid, victim.ref, victim.start
            exdates_before = list(events[0].series.exdates or [])  # type: ignore[union-attr]
        before = _starts(plan, series_uuid)
        snapshot = _delete(plan, uuid)

        with plan.session() as session:  # undo
            records.restore(session, EVENT, snapshot)
        with plan.session() as session:
            back = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid == uuid)).one()
            assert (back.ref, back.start, back.recurrence_id) == (ref, start, start)
            assert back.series is not None and back.series.uuid == series_uuid
            assert list(back.series.exdates or []) == exdates_before
        assert _starts(plan, series_uuid) == before

        _delete(plan, uuid)  # redo
        with plan.session() as session:
            series = session.scalars(
                select(EventSeries).where(EventSeries.uuid == series_uuid)
            ).one()
            assert start.isoformat() in series.exdates
        assert start not in _starts(plan, series_uuid)


def test_deleting_every_occurrence_removes_the_series_and_undo_restores_it(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _occurrences(session)
            series = events[0].series
            assert series is not None
            series_uuid, rule, exdates = series.uuid, series.rrule, list(series.exdates)
            uuids = [e.uuid for e in events]
            series_count = session.scalar(select(func.count()).select_from(EventSeries))
        before = _starts(plan, series_uuid)
        snapshots = [_delete(plan, uuid) for uuid in uuids]  # a Batch of DeleteRecords
        with plan.session() as session:
            assert session.scalar(select(func.count()).select_from(EventSeries)) == (
                series_count - 1
            )
            left = session.scalar(select(func.count()).where(TrainingEvent.uuid.in_(uuids)))
            assert left == 0

        for snapshot in reversed(snapshots):  # undo of the batch
            with plan.session() as session:
                records.restore(session, EVENT, snapshot)
        assert _starts(plan, series_uuid) == before
        with plan.session() as session:
            info = series_info(session, uuids[0])
        assert info is not None and info[1] == rule and info[3] == exdates


def test_deleting_a_single_event_is_as_before(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            uuid = session.scalars(
                select(TrainingEvent.uuid).where(TrainingEvent.series_id.is_(None))
            ).first()
            assert uuid is not None
            series_count = session.scalar(select(func.count()).select_from(EventSeries))
        snapshot = _delete(plan, uuid)
        with plan.session() as session:
            records.restore(session, EVENT, snapshot)
        with plan.session() as session:
            back = session.scalars(select(TrainingEvent).where(TrainingEvent.uuid == uuid)).one()
            assert back.series is None and back.ref == snapshot["ref"]
            assert session.scalar(select(func.count()).select_from(EventSeries)) == series_count
