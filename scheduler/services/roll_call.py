"""The roll call of one event: who is on it, whether they came, how they did.

What the window's roll-call grid reads and writes. A person is never taken
off an event by it (their history stays): not coming is "withdrawn" or "no
show". Saving may also count the people on the event itself (attended,
passed), which the readiness forecast reads. Each enrolment is saved against
the version the planner saw, so another planner's change in between is
refused, not overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import Enrolment, EnrolmentStatus, Nation, Trainee, TrainingEvent, Unit
from scheduler.planning.data import last_day_of
from scheduler.services.changes import Changes
from scheduler.services.records import expect_version
from scheduler.services.trainee_facts import person_label, posting_on

RESULTS = (EnrolmentStatus.PASSED, EnrolmentStatus.FAILED)
CAME = (EnrolmentStatus.ATTENDED, *RESULTS)


@dataclass(frozen=True, slots=True)
class RollCallRow:
    enrolment_uuid: str | None  # None: added in this roll call
    trainee_uuid: str
    name: str
    unit: str
    status: str
    result_date: date | None
    remarks: str | None
    version: int | None = None


@dataclass(frozen=True, slots=True)
class RollCall:
    event_uuid: str
    ref: str
    last_day: date
    rows: tuple[RollCallRow, ...]
    candidates: tuple[tuple[str, str], ...]  # (trainee uuid, label) not on the event yet
    attended: int | None
    passed: int | None


def _label(person: Trainee) -> str:
    return person_label(person.name, person.name_latin)


def _event(session: Session, uuid: str) -> TrainingEvent:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    if event is None:
        raise UserError("This event no longer exists (another planner may have deleted it).")
    return event


def _unit_on(person: Trainee, day: date) -> str:
    posting = posting_on(person, day)
    return posting.unit.code if posting is not None else ""


def read_roll_call(session: Session, uuid: str) -> RollCall:
    event = _event(session, uuid)
    day = event.start.date()
    rows = tuple(
        RollCallRow(
            e.uuid,
            e.trainee.uuid,
            _label(e.trainee),
            _unit_on(e.trainee, day),
            e.status.value,
            e.result_date,
            e.remarks,
            e.version_id,
        )
        for e in sorted(event.enrolments, key=lambda e: _label(e.trainee).casefold())
    )
    on_it = {row.trainee_uuid for row in rows}
    # People of the nations whose units are on the event, not on it yet.
    nations = select(Unit.nation_id).where(Unit.id.in_([a.unit_id for a in event.audience]))
    candidates = tuple(
        (person.uuid, _label(person))
        for person in session.scalars(
            select(Trainee)
            .join(Nation, Nation.id == Trainee.nation_id)
            .where(Trainee.nation_id.in_(nations))
            .order_by(Trainee.name_latin, Trainee.name)
        )
        if person.uuid not in on_it
    )
    return RollCall(
        event.uuid,
        event.ref,
        last_day_of(event.start, event.end),
        rows,
        candidates,
        event.attended,
        event.passed,
    )


def save_roll_call(
    session: Session, uuid: str, rows: Sequence[dict[str, Any]], *, count_on_event: bool
) -> Changes:
    """``rows``: enrolment_uuid (None for a person added), trainee_uuid, status,
    result_date, remarks, version (as read)."""
    event = _event(session, uuid)
    last = last_day_of(event.start, event.end)
    enrolments = {e.uuid: e for e in event.enrolments}
    for row in rows:
        status = EnrolmentStatus(row["status"])
        result = row.get("result_date")
        if status in RESULTS and result is None:
            result = last  # a result without its own date dates from the last day
        if status not in RESULTS:
            result = None
        if row.get("enrolment_uuid"):
            enrolment = enrolments.get(row["enrolment_uuid"])
            if enrolment is None:
                raise UserError(
                    "Someone on this event was removed meanwhile (another planner): "
                    "open the roll call again."
                )
            expect_version(enrolment, row.get("version"))
            enrolment.status = status
            enrolment.result_date = result
            enrolment.remarks = row.get("remarks") or None
            continue
        person = session.scalar(select(Trainee).where(Trainee.uuid == row["trainee_uuid"]))
        if person is None:
            raise UserError("A trainee added here no longer exists (another planner).")
        if any(e.trainee_id == person.id for e in event.enrolments):
            continue
        event.enrolments.append(
            Enrolment(
                trainee=person,
                status=status,
                result_date=result,
                remarks=row.get("remarks") or None,
            )
        )
    if count_on_event:
        session.flush()
        event.attended = sum(1 for e in event.enrolments if e.status in CAME)
        event.passed = sum(1 for e in event.enrolments if e.status == EnrolmentStatus.PASSED)
    session.flush()
    return Changes.of("trainee", "event", event_ids=frozenset({event.id}))
