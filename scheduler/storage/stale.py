"""Edits based on a stale row: who changed it, what and when, for the refusal.

Every record carries a ``version_id`` that SQLAlchemy puts in the WHERE
clause of its UPDATE and DELETE. When another planner has changed the row
since it was read, no row matches and the flush raises StaleDataError: the
edit is refused, never written over theirs. This module turns that into a
``StaleEditError`` naming the record and, from ``change_log``, who changed
which fields and when, so the planner can reload or overwrite knowingly.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from scheduler.errors import StaleEditError

_TABLE = re.compile(r"on table '(?P<table>[^']+)'")
# Change-log rows of one transaction carry nearly the same time.
_SAME_EDIT = timedelta(seconds=2)
_LABEL_FIELDS = ("ref", "code", "name", "key")


@dataclass(frozen=True, slots=True)
class StaleRecord:
    entity: str
    uuid: str
    label: str | None


@dataclass(slots=True)
class _LastChange:
    changed_by: str
    changed_at: datetime
    action: str
    fields: list[str] = field(default_factory=list)


_FLUSHING = "scheduler.stale_candidates"


def remember_flushed(session: Session, _context: object, _instances: object) -> None:
    """``before_flush`` hook: note which records this flush updates or deletes.

    When the flush fails as stale, the session has already thrown that state
    away; this note says which record the refusal is about.
    """
    from sqlalchemy import inspect

    from scheduler.model import ChangeLog, Record

    noted: list[tuple[set[str], StaleRecord]] = []
    for obj in [*session.dirty, *session.deleted]:
        if not isinstance(obj, Record) or isinstance(obj, ChangeLog):
            continue
        state = inspect(obj)
        values = state.dict
        uuid = values.get("uuid")
        if not uuid:
            continue
        label = next((str(values[k]) for k in _LABEL_FIELDS if values.get(k)), None)
        tables = {t.name for t in state.mapper.tables}
        noted.append((tables, StaleRecord(type(obj).__name__, str(uuid), label)))
    session.info[_FLUSHING] = noted


def stale_candidates(session: Session, exc: StaleDataError) -> list[StaleRecord]:
    """The records the failed flush was changing, the failing table's first."""
    match = _TABLE.search(str(exc))
    table = match["table"] if match else None
    noted: list[tuple[set[str], StaleRecord]] = session.info.get(_FLUSHING, [])
    ordered = sorted(noted, key=lambda pair: table not in pair[0])
    return [record for _, record in ordered]


def _words(entity: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", entity).lower()


def _last_change(session: Session, uuid: str) -> _LastChange | None:
    from scheduler.model import ChangeLog

    rows = session.execute(
        select(ChangeLog.changed_by, ChangeLog.changed_at, ChangeLog.action, ChangeLog.field)
        .where(ChangeLog.entity_uuid == uuid)
        .order_by(ChangeLog.id.desc())
        .limit(50)
    ).all()
    if not rows:
        return None
    first = rows[0]
    last = _LastChange(first.changed_by, first.changed_at, first.action)
    for row in rows:
        if row.changed_by != last.changed_by or last.changed_at - row.changed_at > _SAME_EDIT:
            break
        if row.field and row.field not in last.fields:
            last.fields.append(row.field)
        if row.action == "deleted":
            last.action = "deleted"
    return last


def stale_edit_error(
    sessions: Callable[[], Session], candidates: list[StaleRecord]
) -> StaleEditError:
    """The refusal, with the last change to the first stale record from change_log."""
    record = candidates[0] if candidates else None
    last: _LastChange | None = None
    if record is not None:
        try:
            with sessions() as session:
                last = _last_change(session, record.uuid)
        except Exception:  # the refusal matters more than its details
            last = None
    what = "a record"
    if record is not None:
        what = f"the {_words(record.entity)}"
        if record.label:
            what += f" “{record.label}”"
    if last is None:
        who = "Another planner changed it"
    else:
        when = f"{last.changed_at:%d %b %Y %H:%M} UTC"
        if last.action == "deleted":
            who = f"{last.changed_by} deleted it at {when}"
        elif last.fields:
            who = f"{last.changed_by} changed {', '.join(last.fields)} at {when}"
        else:
            who = f"{last.changed_by} changed it at {when}"
    message = (
        f"Your change to {what} was not saved: {who}, after you had loaded it. "
        "Reload to see their version, or apply your change again on top of it."
    )
    return StaleEditError(
        message,
        entity=record.entity if record else None,
        entity_uuid=record.uuid if record else None,
        label=record.label if record else None,
        changed_by=last.changed_by if last else None,
        changed_at=last.changed_at if last else None,
        fields=tuple(last.fields) if last else (),
        action=last.action if last else None,
    )


def record_stale_error(
    session: Session, record: StaleRecord, *, deleted: bool = False
) -> StaleEditError:
    """The refusal of an undo or redo step: ``record`` is no longer as this window
    left it (another planner changed or deleted it); who did, from change_log."""
    try:
        last = _last_change(session, record.uuid) if record.uuid else None
    except Exception:  # the refusal matters more than its details
        last = None
    what = f"the {_words(record.entity)}"
    if record.label:
        what += f" “{record.label}”"
    if last is None:
        who = "another planner deleted it" if deleted else "another planner changed it"
    else:
        when = f"{last.changed_at:%d %b %Y %H:%M} UTC"
        if last.action == "deleted" or deleted:
            who = f"{last.changed_by} deleted it at {when}"
        elif last.fields:
            who = f"{last.changed_by} changed {', '.join(last.fields)} at {when}"
        else:
            who = f"{last.changed_by} changed it at {when}"
    return StaleEditError(
        f"This step was not applied to {what}: {who}, after this window last changed it. "
        "Reload to see their version, or apply the step again on top of it.",
        entity=record.entity,
        entity_uuid=record.uuid or None,
        label=record.label,
        changed_by=last.changed_by if last else None,
        changed_at=last.changed_at if last else None,
        fields=tuple(last.fields) if last else (),
        action=last.action if last else None,
    )
