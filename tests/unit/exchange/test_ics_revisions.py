"""A second .ics export replaces what a partner imported from the first.

What a calendar program compares (RFC 5545 3.8.7, RFC 5546 2.1.5): the same
UID, a higher SEQUENCE, a new DTSTAMP; cancelled events say so, and a deleted
occurrence of a series becomes an EXDATE of its master.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, cast

from icalendar import Calendar
from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from scheduler.exchange.ics import uid_for
from scheduler.exchange.rows import EventFilter
from scheduler.model import EventSeries, TrainingEvent
from scheduler.services import records
from scheduler.services.entity_specs import spec_for
from scheduler.services.event_moves import move_event
from scheduler.services.exports import write_calendar_file
from scheduler.storage import Plan, open_plan

EVENT = spec_for("event")
WEEKLY = "MK-2027-028"  # the demo's weekly Wednesday class


def _export(plan: Plan, target: Path) -> dict[str, list[Any]]:
    """The calendar's VEVENTs by UID, parsed back with icalendar."""
    with plan.session() as session:
        write_calendar_file(
            session,
            target,
            plan_name="Demo",
            event_filter=EventFilter(),
            audience_units=None,
            partner_facing=False,
            marking="OFFICIAL",
        )
    found: dict[str, list[Any]] = {}
    for vevent in Calendar.from_ical(target.read_bytes()).walk("VEVENT"):
        found.setdefault(str(vevent["UID"]), []).append(vevent)
    return found


def _only(found: dict[str, list[Any]], uid: str) -> Any:
    (vevent,) = found[uid]
    return vevent


def _master(found: dict[str, list[Any]], uid: str) -> Any:
    (vevent,) = [v for v in found[uid] if "RRULE" in v]
    return vevent


def _single(session: Session) -> TrainingEvent:
    event = session.scalars(
        select(TrainingEvent)
        .where(TrainingEvent.series_id.is_(None), TrainingEvent.status != "cancelled")
        .order_by(TrainingEvent.start)
    ).first()
    assert event is not None
    return event


def _last_edited_an_hour_ago(plan: Plan) -> None:
    """The plan as a planner finds it: its last change well before the next one
    (a series' SEQUENCE counts seconds, so a change in the same second ties)."""
    with plan.session() as session:
        for model in (TrainingEvent, EventSeries):
            table = cast(Table, model.__table__)
            rows = session.execute(select(table.c.id, table.c.updated_at)).all()
            session.execute(
                update(table).where(table.c.id == bindparam("row")),
                [{"row": id_, "updated_at": at - timedelta(hours=1)} for id_, at in rows],
            )


def _weekly(session: Session) -> list[TrainingEvent]:
    event = session.scalars(select(TrainingEvent).where(TrainingEvent.ref == WEEKLY)).one()
    assert event.series is not None
    return sorted(event.series.events, key=lambda e: e.start)


def test_a_moved_event_keeps_its_uid_with_a_higher_sequence(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            event = _single(session)
            uid, first_day = uid_for(event.uuid), event.start.date()
        before = _only(_export(plan, tmp_path / "a.ics"), uid)
        with plan.session() as session:
            move_event(session, event.uuid, first_day + timedelta(days=7))
        after = _only(_export(plan, tmp_path / "b.ics"), uid)

    assert before["SEQUENCE"] == 0  # never changed since it was made
    assert after["SEQUENCE"] > before["SEQUENCE"]
    assert after["DTSTART"].dt.date() >= first_day + timedelta(days=7)
    assert after["DTSTART"].dt.date() != before["DTSTART"].dt.date()
    assert after["LAST-MODIFIED"].dt >= before["LAST-MODIFIED"].dt
    assert after["LAST-MODIFIED"].dt.tzinfo is not None  # UTC, as RFC 5545 wants
    assert after["DTSTAMP"].dt >= before["DTSTAMP"].dt
    assert after["CREATED"].dt == before["CREATED"].dt


def test_the_same_plan_exported_twice_gives_the_same_uids_and_sequences(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        a = _export(plan, tmp_path / "a.ics")
        b = _export(plan, tmp_path / "b.ics")

    def sequences(found: dict[str, list[Any]]) -> dict[str, list[int]]:
        return {uid: sorted(int(v["SEQUENCE"]) for v in vevents) for uid, vevents in found.items()}

    assert sequences(a) == sequences(b)


def test_a_cancelled_event_is_sent_as_cancelled(demo_plan_path: Path, tmp_path: Path) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            event = _single(session)
            uid = uid_for(event.uuid)
            values = records.read_values(session, EVENT, event.uuid)
        before = _only(_export(plan, tmp_path / "a.ics"), uid)
        with plan.session() as session:  # what Cancel in the calendar does
            records.update(session, EVENT, values["uuid"], {**values, "status": "cancelled"})
        after = _only(_export(plan, tmp_path / "b.ics"), uid)

    assert str(before["STATUS"]) != "CANCELLED"
    assert str(after["STATUS"]) == "CANCELLED"
    assert after["SEQUENCE"] > before["SEQUENCE"]


def test_a_deleted_occurrence_becomes_an_exdate_of_a_newer_series(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _weekly(session)
            uid = uid_for(events[0].series.uuid)  # type: ignore[union-attr]
            victim, victim_start = events[4].uuid, events[4].start
        _last_edited_an_hour_ago(plan)
        before = _export(plan, tmp_path / "a.ics")
        with plan.session() as session:  # Delete on the Events page
            records.delete(session, EVENT, victim)
        after = _export(plan, tmp_path / "b.ics")

    def exdates(vevent: Any) -> set[datetime]:
        listed = vevent.get("EXDATE")
        items = listed if isinstance(listed, list) else [listed] if listed else []
        return {d.dt.replace(tzinfo=None) for item in items for d in item.dts}

    old, new = _master(before, uid), _master(after, uid)
    assert victim_start not in exdates(old)
    assert victim_start in exdates(new)
    assert uid_for(victim) not in after
    assert new["SEQUENCE"] > old["SEQUENCE"]
    # Every VEVENT of the series carries the series' sequence: no override looks older.
    assert {int(v["SEQUENCE"]) for v in after[uid]} == {int(new["SEQUENCE"])}


def test_a_cancelled_occurrence_is_an_override_marked_cancelled(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _weekly(session)
            uid = uid_for(events[0].series.uuid)  # type: ignore[union-attr]
            target = events[6]
            rid = target.recurrence_id or target.start
            values = records.read_values(session, EVENT, target.uuid)
        _last_edited_an_hour_ago(plan)
        before = _master(_export(plan, tmp_path / "a.ics"), uid)
        with plan.session() as session:
            records.update(session, EVENT, values["uuid"], {**values, "status": "cancelled"})
        found = _export(plan, tmp_path / "b.ics")

    (override,) = [
        v
        for v in found[uid]
        if "RECURRENCE-ID" in v and v["RECURRENCE-ID"].dt.replace(tzinfo=None) == rid
    ]
    assert str(override["STATUS"]) == "CANCELLED"
    assert override["SEQUENCE"] == _master(found, uid)["SEQUENCE"] > before["SEQUENCE"]


def test_stamps_are_utc(demo_plan_path: Path, tmp_path: Path) -> None:
    with open_plan(demo_plan_path) as plan:
        found = _export(plan, tmp_path / "a.ics")
    vevent = next(iter(found.values()))[0]
    assert vevent["DTSTAMP"].dt.utcoffset() == timedelta(0)
    assert vevent["LAST-MODIFIED"].dt.utcoffset() == timedelta(0)
    assert vevent["CREATED"].dt.utcoffset() == timedelta(0)


def test_deleting_an_often_edited_occurrence_does_not_lower_the_series_sequence(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    """A calendar program refuses a revision that looks older than the one it has."""
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            events = _weekly(session)
            uid = uid_for(events[0].series.uuid)  # type: ignore[union-attr]
            victim = events[3].uuid
        for note in ("one", "two", "three"):
            with plan.session() as session:
                values = records.read_values(session, EVENT, victim)
                records.update(session, EVENT, victim, {**values, "notes": note})
        _last_edited_an_hour_ago(plan)
        before = _master(_export(plan, tmp_path / "a.ics"), uid)
        with plan.session() as session:
            records.delete(session, EVENT, victim)
        after = _master(_export(plan, tmp_path / "b.ics"), uid)
    assert after["SEQUENCE"] > before["SEQUENCE"]
