"""What other planners changed since we last looked, read from ``change_log``.

Every write, by any program, adds change-log rows (bulk writes one summary
row), so the highest change-log id is a cheap watermark that works for plan
files opened by two programs and for shared plans on a server alike. The
window polls it; the rows past it say which kinds of record to refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import ChangeLog, EventAudience, EventInstructor, TrainingEvent
from scheduler.services.changes import EVERYTHING, Changes
from scheduler.services.entity_specs import SPECS

# More rows than this since the last look: refresh everything, skip the details.
_MAX_ROWS = 2000

_CHILD_KINDS = {
    "EventAudience": "event",
    "EventInstructor": "event",
    "EventSeries": "event",
    "InstructorQualification": "instructor",
    "Unavailability": "instructor",
    "VenueClosure": "venue",
    "ClosureDay": "venue",
    "TrainingRequirement": "target",
    "ConflictAcceptance": "conflicts",
    "Release": "release",
    "Trainee": "trainee",
    "TraineePosting": "trainee",
    # Who is on an event is the person's record: their clashes and
    # prerequisites change, which the conflict monitor judges per trainee.
    "Enrolment": "trainee",
    "PartnerResponse": "event",
    "EvaluationMilestone": "target",
    "EventCost": "event",
}


def _kind_of(entity: str) -> str:
    for spec in SPECS.values():
        if spec.model.__name__ == entity:
            return spec.key
    return _CHILD_KINDS.get(entity, "plan")


@dataclass(frozen=True, slots=True)
class RemoteChanges:
    """The new watermark, and what changed (None when nothing others did)."""

    last_id: int
    changes: Changes | None
    who: tuple[str, ...] = ()


def latest_change_id(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeLog.id))) or 0)


def changes_since(session: Session, after_id: int, own_ids: Iterable[int] = ()) -> RemoteChanges:
    """Change-log rows past ``after_id`` not written by this program (``own_ids``)."""
    last = latest_change_id(session)
    if last == after_id:
        return RemoteChanges(last, None)
    if last < after_id:  # the plan was replaced (a forced copy, a restore)
        return RemoteChanges(last, EVERYTHING)
    rows = session.execute(
        select(ChangeLog.id, ChangeLog.entity, ChangeLog.entity_uuid, ChangeLog.changed_by)
        .where(ChangeLog.id > after_id, ChangeLog.id <= last)
        .order_by(ChangeLog.id)
        .limit(_MAX_ROWS + 1)
    ).all()
    own = set(own_ids)
    rows = [row for row in rows if row.id not in own]
    if not rows:
        return RemoteChanges(last, None)
    who = tuple(sorted({row.changed_by for row in rows}))
    if len(rows) > _MAX_ROWS:
        return RemoteChanges(last, EVERYTHING, who)
    kinds = {_kind_of(row.entity) for row in rows}
    event_uuids = {row.entity_uuid for row in rows if row.entity == "TrainingEvent"}
    child_uuids = {
        row.entity_uuid for row in rows if row.entity in ("EventAudience", "EventInstructor")
    }
    event_ids: set[int] = set()
    if event_uuids:
        event_ids |= set(
            session.scalars(select(TrainingEvent.id).where(TrainingEvent.uuid.in_(event_uuids)))
        )
    for child in (EventAudience, EventInstructor):
        if child_uuids:
            event_ids |= set(
                session.scalars(select(child.event_id).where(child.uuid.in_(child_uuids)))
            )
    if "plan" not in kinds and any(row.entity == "TrainingEvent" for row in rows):
        # A deleted event is gone from the table: a full re-check finds it missing.
        kinds.add("conflicts")
    return RemoteChanges(last, Changes.of(*kinds, event_ids=frozenset(event_ids)), who)
