"""Every edit a planner makes, as one named operation: the one road to a change.

Each operation is a function taking the session and plain arguments (uuids,
dates, values as the record specs read them, the series scope) and the
versions the planner saw, and returning what changed. The calendar, the
timeline, the editors, the tables and the scripts call these and nothing
else to change the plan. Undo is not their concern: ``undo_log.run_recorded``
records whatever an operation touches, and undoes and redoes it exactly.

``expected_version`` is the record's ``version_id`` as the planner's screen
showed it. The check is the database's own (``records.expect_version``):
an edit of a record another planner changed since, even between our read
and our write, is refused with who changed what (StaleEditError), never
written over theirs. None skips the check: the planner chose to overwrite.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import Instructor, TrainingEvent, Venue
from scheduler.services import (
    certificates,
    checking,
    event_moves,
    records,
    replies,
    roll_call,
    series,
)
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import spec_for
from scheduler.services.records import Values
from scheduler.services.series import Scope

EVENT = spec_for("event")
INSTRUCTOR, VENUE = "instructor", "venue"


def _event(session: Session, uuid: str, expected_version: int | None) -> TrainingEvent:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    if event is None:
        raise UserError("This event no longer exists (another planner may have deleted it).")
    records.expect_version(event, expected_version)
    return event


# --- records -------------------------------------------------------------------------


def create_record(session: Session, kind: str, values: Values) -> Changes:
    """Add a record of ``kind`` (a spec key: "course", "event", …) from editor values."""
    return records.create(session, spec_for(kind), values, uuid=values.get("uuid")).changes


def update_record(
    session: Session, kind: str, uuid: str, values: Values, expected_version: int | None
) -> Changes:
    """Save an editor's values over the record it was opened on."""
    return records.update(
        session, spec_for(kind), uuid, values, expected_version=expected_version
    ).changes


def delete_records(
    session: Session, kind: str, uuids: Sequence[str], expected: Mapping[str, int] | None = None
) -> Changes:
    """Delete records (refused while other records still use one of them)."""
    spec = spec_for(kind)
    changes = Changes()
    for uuid in uuids:
        changes = (
            changes
            | records.delete(
                session, spec, uuid, expected_version=(expected or {}).get(uuid)
            ).changes
        )
    return changes


# --- events --------------------------------------------------------------------------


def duplicate_events(session: Session, uuids: Sequence[str]) -> Changes:
    """A draft copy of each event: same course, dates and people, a new ref."""
    changes = Changes()
    for uuid in uuids:
        copy = {**series.event_copy(records.read_values(session, EVENT, uuid)), "status": "draft"}
        changes = changes | records.create(session, EVENT, copy).changes
    return changes


def set_event_status(
    session: Session, uuids: Sequence[str], status: str, expected: Mapping[str, int] | None = None
) -> Changes:
    """Give events a status (cancel, confirm, …)."""
    changes = Changes()
    for uuid in uuids:
        current = records.read_values(session, EVENT, uuid)
        before = str(current.get("status") or "")
        values = {**current, "status": status}
        changes = (
            changes
            | records.update(
                session, EVENT, uuid, values, expected_version=(expected or {}).get(uuid)
            ).changes
        )
        _refuse_early_delivery(_event(session, uuid, None), before)
    return changes


def _refuse_early_delivery(event: TrainingEvent, before: str | None) -> None:
    """An event becomes delivered once it has begun, not ahead of time (a
    slip of the status menu would count seats as trained). Events already
    delivered stay editable, whatever their dates."""
    status = str(getattr(event.status, "value", event.status))
    if status == "delivered" and before != "delivered" and event.start > datetime.now():
        raise UserError(
            f"{event.ref} has not started yet: mark it delivered once it has taken place."
        )


def record_attendance(
    session: Session, uuid: str, values: Values, expected_version: int | None
) -> Changes:
    """Who attended and passed an event, and how it went (the event's outcome)."""
    return records.update(session, EVENT, uuid, values, expected_version=expected_version).changes


def move_event(
    session: Session,
    uuid: str,
    first_day: date,
    scope: Scope = Scope.THIS,
    expected_version: int | None = None,
) -> Changes:
    """Start an event on ``first_day`` keeping its working days; in a series,
    this occurrence alone, with the following, or all of them."""
    event = _event(session, uuid, expected_version)
    if event.series_id is None or scope is Scope.THIS:
        return event_moves.move_event(session, uuid, first_day)
    return series.move_occurrence(session, uuid, first_day, scope).changes


def resize_event(
    session: Session, uuid: str, last_day: date, expected_version: int | None = None
) -> Changes:
    """End an event on ``last_day`` (an occurrence of a series: this one only)."""
    _event(session, uuid, expected_version)
    return event_moves.resize_event(session, uuid, last_day)


def move_and_reassign(
    session: Session,
    uuid: str,
    *,
    first_day: date | None,
    resource: str,
    from_uuid: str | None,
    to_uuid: str | None,
    scope: Scope = Scope.THIS,
    expected_version: int | None = None,
) -> Changes:
    """A timeline drag: move the event and/or give it to another instructor or venue.

    ``resource`` is "instructor" (``from_uuid``'s place, with its role, goes
    to ``to_uuid``) or "venue" (the event moves to venue ``to_uuid``). In a
    series, ``scope`` says which occurrences, as the calendar asks.
    """
    event = _event(session, uuid, expected_version)
    changes = Changes()
    if first_day is not None and first_day != event.start.date():
        changes = changes | move_event(session, uuid, first_day, scope)
    if to_uuid is None or to_uuid == from_uuid:
        return changes
    for target in _in_scope(session, uuid, scope):
        if resource == INSTRUCTOR:
            if from_uuid is None:
                raise UserError("Say whose place on the event is given to someone else.")
            changes = changes | event_moves.reassign_instructor(
                session, target.uuid, from_uuid, to_uuid
            )
        elif resource == VENUE:
            changes = changes | event_moves.set_venue(session, target.uuid, to_uuid)
        else:
            raise UserError("A unit's place on an event is changed in the event's audience.")
        if scope is Scope.THIS:
            series.mark_override(session, target.uuid)
    return changes


def _in_scope(session: Session, uuid: str, scope: Scope) -> list[TrainingEvent]:
    """The events an edit of occurrence ``uuid`` with ``scope`` applies to."""
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    assert event is not None
    if event.series is None or scope is Scope.THIS:
        return [event]
    start = event.recurrence_id or event.start
    members = sorted(event.series.events, key=lambda e: e.recurrence_id or e.start)
    if scope is Scope.ALL:
        return members
    return [e for e in members if (e.recurrence_id or e.start) >= start]


def save_event(
    session: Session,
    uuid: str | None,
    values: Values,
    *,
    rule: str | None,
    exdates: Sequence[str] = (),
    expected_version: int | None = None,
) -> Changes:
    """The event editor's Save: a new event or series, or changes to one.

    With a rule, a single event becomes a series, or its series takes the
    new rule; without one, an occurrence leaves its series. An occurrence
    whose dates change is kept as it is when its series is regenerated.
    """
    exdates = list(exdates)
    if uuid is None:
        if rule is None:
            saved = records.create(session, EVENT, values)
            _refuse_early_delivery(_event(session, saved.uuid, None), None)
            return saved.changes
        return series.create_series(session, values, rule, exdates).changes
    event = _event(session, uuid, None)
    before = str(getattr(event.status, "value", event.status))
    in_series = event.series is not None
    same_rule = (
        in_series
        and event.series is not None
        and (rule == event.series.rrule and exdates == list(event.series.exdates or []))
    )
    moved = (values.get("start"), values.get("end")) != (event.start, event.end)
    changes = records.update(
        session, EVENT, uuid, values, expected_version=expected_version
    ).changes
    _refuse_early_delivery(event, before)
    if not in_series and rule is None:
        return changes
    if rule is None:
        return changes | series.detach(session, uuid)
    if moved and in_series:
        series.mark_override(session, uuid)
    if same_rule:
        return changes
    return changes | series.set_rule(session, uuid, rule, exdates).changes


# --- conflicts -----------------------------------------------------------------------


def accept_conflict(session: Session, key: str, reason: str) -> Changes:
    """Accept the conflict ``key`` on purpose, with the planner's reason."""
    return checking.accept_conflict(session, key, reason)


def unaccept_conflict(session: Session, key: str) -> Changes:
    """Withdraw the acceptance of conflict ``key``: it shows as open again."""
    return checking.unaccept_conflict(session, key)


def record_roll_call(
    session: Session, uuid: str, rows: Sequence[Mapping[str, Any]], count_on_event: bool
) -> Changes:
    """Who came to an event and how each did (its roll call), and perhaps the counts."""
    return roll_call.save_roll_call(
        session, uuid, [dict(r) for r in rows], count_on_event=count_on_event
    )


def give_certificate_serials(session: Session, ref: str) -> Changes:
    """Certificate serials for the passes of event ``ref`` that have none yet."""
    return Changes.of("trainee") if certificates.give_serials(session, ref) else Changes()


def apply_partner_reply(session: Session, path: Path, accepted: Sequence[str]) -> Changes:
    """The changes of a partner's reply workbook the planner ticked in its preview."""
    return replies.apply_reply(session, path, accepted)


def resource_names(session: Session, resource: str, uuids: Sequence[str]) -> dict[str, str]:
    """Names of instructors or venues, for the text of an undo step."""
    model: Any = Instructor if resource == INSTRUCTOR else Venue
    return dict(session.execute(select(model.uuid, model.name).where(model.uuid.in_(uuids))).all())


__all__ = [
    "INSTRUCTOR",
    "VENUE",
    "Scope",
    "accept_conflict",
    "apply_partner_reply",
    "create_record",
    "delete_records",
    "duplicate_events",
    "give_certificate_serials",
    "move_and_reassign",
    "move_event",
    "record_attendance",
    "record_roll_call",
    "resize_event",
    "save_event",
    "set_event_status",
    "unaccept_conflict",
    "update_record",
]
