"""Records every change made through the ORM in the ChangeLog table.

A ``before_flush`` hook compares each new, changed or deleted record with its
loaded state and writes one ChangeLog row per changed field. Bulk inserts
(demo plans, imports) bypass it on purpose and log one summary row instead.
Who made the change is ``session.info["user"]`` (set when a plan is opened).
"""

from __future__ import annotations

import getpass
import socket
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from scheduler.model.base import Record, new_uuid
from scheduler.model.records import ChangeLog

_MAX_VALUE_LENGTH = 2000


def current_user() -> str:
    """``user@host`` of this process, as shown to other planners."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name (some service accounts)
        user = "unknown"
    return f"{user}@{socket.gethostname()}"


def as_text(value: Any) -> str | None:
    """A value as the change log stores it: short, readable text."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    text = str(value)
    return text if len(text) <= _MAX_VALUE_LENGTH else text[:_MAX_VALUE_LENGTH] + "…"


def _changes_of(obj: Record) -> list[tuple[str, Any, Any]]:
    state = inspect(obj)
    changes = []
    for attr in state.mapper.column_attrs:
        if attr.key in obj.bookkeeping_fields:
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes.append((attr.key, old, new))
    changes += _reference_changes(obj, {field for field, _, _ in changes})
    return changes


def _reference_changes(obj: Record, logged: set[str]) -> list[tuple[str, Any, Any]]:
    """``event.venue = other`` sets ``venue_id`` only while flushing, after this hook
    has looked: log such a change under the key's name, as the ids it stands for."""
    state = inspect(obj)
    changes = []
    for relationship in state.mapper.relationships:
        if relationship.direction.name != "MANYTOONE" or len(relationship.local_columns) != 1:
            continue
        (column,) = relationship.local_columns
        field = state.mapper.get_property_by_column(column).key
        if field in logged:
            continue
        history = state.attrs[relationship.key].history
        if not history.has_changes():
            continue
        new = history.added[0] if history.added else None
        old_id = state.attrs[field].value  # the key itself changes only while flushing
        new_id = getattr(new, "id", None) if new is not None else None
        if old_id != new_id:
            changes.append((field, old_id, new_id))
    return changes


def _log_rows(session: Session) -> list[ChangeLog]:
    who = session.info.get("user") or current_user()
    rows: list[ChangeLog] = []

    def add(obj: Record, action: str, field: str | None, old: Any, new: Any) -> None:
        rows.append(
            ChangeLog(
                entity=type(obj).__name__,
                entity_uuid=obj.uuid,
                action=action,
                field=field,
                old_value=as_text(old),
                new_value=as_text(new),
                changed_by=who,
            )
        )

    for obj in session.new:
        if isinstance(obj, Record) and not isinstance(obj, ChangeLog):
            if obj.uuid is None:
                # Column defaults run at INSERT; the log needs the uuid now.
                obj.uuid = new_uuid()
            add(obj, "created", None, None, None)
    for obj in session.dirty:
        if isinstance(obj, Record) and not isinstance(obj, ChangeLog):
            for field, old, new in _changes_of(obj):
                add(obj, "updated", field, old, new)
    for obj in session.deleted:
        if isinstance(obj, Record) and not isinstance(obj, ChangeLog):
            add(obj, "deleted", None, None, None)
    return rows


# session.info key: the ChangeLog rows this session wrote, so a window can
# tell its own changes from other planners' (services/remote_changes.py).
WRITTEN_ROWS = "change_log_rows"


def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    if session.info.get("change_log", True):
        rows = _log_rows(session)
        session.add_all(rows)
        written = session.info.setdefault(WRITTEN_ROWS, [])
        written.extend(obj for obj in session.new if isinstance(obj, ChangeLog))


def install_change_log(target: Any) -> None:
    """Hook change logging into a Session class or a ``sessionmaker``.

    Call it once per target. It deliberately does not ask
    ``event.contains`` first: SQLAlchemy keys its listener registry on
    ``id(target)`` and keeps the entry after a ``sessionmaker`` is freed, so
    a new sessionmaker that reuses the old one's address looked "already
    hooked" and its plan silently stopped logging changes.
    """
    event.listen(target, "before_flush", _before_flush)
