"""The one undo mechanism: every row an operation touched, before and after.

An edit is a named service operation (``services/edits.py``) that changes
records through the ORM in one transaction. ``run`` records, while it runs,
each row it inserts, updates or deletes: the row as it was (read from the
database the first time the operation touches it) and as it is at the end.
Association rows (a course's required qualifications) are recorded per
parent. Undo writes the "before" rows back over the "after" rows; redo the
other way round: rows the operation created are deleted, rows it deleted
come back with their ids, uuids and refs, changed rows get their values back.

Each undo and redo is checked like an edit: every row must still be as this
window last left it (its ``version_id``, from the caller's ledger), or the
step is refused with who changed the record (``StaleEditError``), never
written over another planner's change. Written rows get a new version (a
partner's calendar sees a new revision) and change-log rows like any edit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Table, delete, event, insert, inspect, select, update
from sqlalchemy.orm import Mapper, Session

from scheduler.errors import StaleEditError
from scheduler.model import Base, ChangeLog, Record, current_user, new_uuid, utc_now
from scheduler.model.changelog import as_text
from scheduler.services.changes import Changes

RowKey = tuple[str, int]  # (table, id)
GroupKey = tuple[str, str, int]  # (association table, column, parent id)
_RECORDER = "scheduler.undo_recorder"
_SKIPPED = frozenset({"change_log"})
_BOOKKEEPING = frozenset({"updated_at", "version_id"})
_EVENT_CHILDREN = frozenset(
    {"event_audience", "event_instructor", "partner_response", "event_cost"}
)
# What each table's rows are, for the views that must refresh and the log.
_KINDS = {
    "training_event": "event",
    "event_audience": "event",
    "event_instructor": "event",
    "event_series": "series",
    "course": "course",
    "course_qualification": "course",
    "course_prerequisite": "course",
    "unit": "unit",
    "instructor": "instructor",
    "instructor_qualification": "instructor",
    "unavailability": "instructor",
    "venue": "venue",
    "venue_closure": "venue",
    "closure_day": "venue",
    "capability_target": "target",
    "training_requirement": "target",
    "qualification": "qualification",
    "nation": "nation",
    "conflict_acceptance": "conflicts",
    "trainee": "trainee",
    "trainee_posting": "trainee",
    "enrolment": "trainee",
    "partner_response": "event",  # see remote_changes: the conflict monitor re-judges people
    "release": "release",
    "evaluation_milestone": "target",
    "collective_task": "task",
    "task_course": "task",
    "provider": "provider",
    "event_cost": "event",
}


@dataclass(frozen=True, slots=True)
class RowChange:
    """One row an operation touched: all its columns before and after (None: absent)."""

    table: str
    id: int
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class GroupChange:
    """The association rows of one parent (a course's qualifications), before and after."""

    table: str
    column: str
    parent: int
    before: tuple[tuple[Any, ...], ...]
    after: tuple[tuple[Any, ...], ...]


@dataclass(frozen=True, slots=True)
class Done:
    """What an operation changed: enough to undo and redo it exactly."""

    changes: Changes
    rows: tuple[RowChange, ...] = ()
    groups: tuple[GroupChange, ...] = ()

    @property
    def versions(self) -> dict[RowKey, int]:
        """The versions the operation left its rows at (the ledger's first entries)."""
        return {
            (row.table, row.id): int(row.after["version_id"])
            for row in self.rows
            if row.after is not None and "version_id" in row.after
        }


@dataclass(frozen=True, slots=True)
class Applied:
    """An undo or a redo: what changed, and the versions it left (for the ledger)."""

    changes: Changes
    versions: dict[RowKey, int] = field(default_factory=dict)
    gone: frozenset[RowKey] = frozenset()


def _tables() -> dict[str, Table]:
    return {table.name: table for table in Base.metadata.sorted_tables}


def _order() -> dict[str, int]:
    return {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}


def _leaf_tables() -> frozenset[str]:
    """Tables no foreign key points at: their rows can leave and come back safely."""
    referred = {
        key.column.table.name
        for table in Base.metadata.sorted_tables
        for column in table.columns
        for key in column.foreign_keys
    }
    return frozenset(t.name for t in Base.metadata.sorted_tables if t.name not in referred)


def _row(connection: Connection, table: Table, row_id: int) -> dict[str, Any] | None:
    found = connection.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(found) if found is not None else None


def _group_rows(
    connection: Connection, table: Table, column: str, parent: int
) -> tuple[tuple[Any, ...], ...]:
    names = [c.name for c in table.columns]
    rows = connection.execute(
        select(*(table.c[n] for n in names)).where(table.c[column] == parent)
    ).all()
    return tuple(sorted(tuple(row) for row in rows))


def _associations(table_name: str) -> list[tuple[Table, str]]:
    """Association tables (no mapped class) pointing at ``table_name``: (table, column)."""
    found = []
    for table in Base.metadata.sorted_tables:
        if "id" in table.c:
            continue
        for column in table.columns:
            for key in column.foreign_keys:
                if key.column.table.name == table_name:
                    found.append((table, column.name))
    return found


class Recorder:
    """Notes the rows one session's operation touches (see the module doc).

    Listens on the session (``before_flush``, for association changes) and on
    every Record mapper (``before_update``/``before_delete``/``after_insert``,
    routed here through the connection's ``info``). One thread, one session.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self.before: dict[RowKey, dict[str, Any] | None] = {}
        self.groups: dict[GroupKey, tuple[tuple[Any, ...], ...]] = {}

    def note_row(self, connection: Connection, table: Table, row_id: int | None) -> None:
        if row_id is None or table.name in _SKIPPED:
            return
        key = (table.name, row_id)
        if key not in self.before:
            self.before[key] = _row(connection, table, row_id)

    def note_created(self, table: Table, row_id: int) -> None:
        if table.name not in _SKIPPED:
            self.before.setdefault((table.name, row_id), None)

    def note_group(self, connection: Connection, table: Table, column: str, parent: int) -> None:
        key = (table.name, column, parent)
        if key not in self.groups:
            self.groups[key] = _group_rows(connection, table, column, parent)

    def before_flush(self, session: Session, _context: Any, _instances: Any) -> None:
        """Association rows of parents whose many-to-many lists change (or that go)."""
        connection = session.connection()
        for obj in (*session.dirty, *session.deleted):
            if not isinstance(obj, Record) or obj.id is None:
                continue
            state = inspect(obj)
            table_name = str(getattr(obj.__table__, "name", ""))
            changed = obj in session.deleted or any(
                rel.secondary is not None and state.attrs[rel.key].history.has_changes()
                for rel in state.mapper.relationships
            )
            if changed:
                for table, column in _associations(table_name):
                    self.note_group(connection, table, column, obj.id)

    def finish(self, changes: Changes) -> Done:
        connection = self.session.connection()
        tables = _tables()
        rows = []
        for (table_name, row_id), before in self.before.items():
            after = _row(connection, tables[table_name], row_id)
            if before != after:
                rows.append(RowChange(table_name, row_id, before, after))
        groups = []
        for (table_name, column, parent), before_rows in self.groups.items():
            after_rows = _group_rows(connection, tables[table_name], column, parent)
            if before_rows != after_rows:
                groups.append(GroupChange(table_name, column, parent, before_rows, after_rows))
        return Done(changes, tuple(rows), tuple(groups))


def _recorder_of(connection: Connection) -> Recorder | None:
    found = connection.info.get(_RECORDER)
    return found if isinstance(found, Recorder) else None


def _before_write(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    recorder = _recorder_of(connection)
    if recorder is not None:
        recorder.note_row(connection, target.__table__, target.id)


def _after_insert(_mapper: Mapper[Any], connection: Connection, target: Any) -> None:
    recorder = _recorder_of(connection)
    if recorder is not None:
        recorder.note_created(target.__table__, target.id)
        # A new record's many-to-many rows (a new task's courses) are written
        # after it in the same flush: noted empty now, undo takes them out and
        # redo puts them back.
        for table, column in _associations(str(target.__table__.name)):
            recorder.note_group(connection, table, column, target.id)


event.listen(Record, "before_update", _before_write, propagate=True)
event.listen(Record, "before_delete", _before_write, propagate=True)
event.listen(Record, "after_insert", _after_insert, propagate=True)


@contextmanager
def recording(session: Session) -> Iterator[Recorder]:
    """Record what the block does to ``session``'s rows (``Recorder.finish`` after it)."""
    recorder = Recorder(session)
    connection = session.connection()
    connection.info[_RECORDER] = recorder
    event.listen(session, "before_flush", recorder.before_flush)
    try:
        yield recorder
        session.flush()
    finally:
        event.remove(session, "before_flush", recorder.before_flush)
        connection.info.pop(_RECORDER, None)


# --- undo and redo ---------------------------------------------------------------


def undo(
    session: Session, done: Done, expected: Mapping[RowKey, int], *, overwrite: bool = False
) -> Applied:
    """Put back every row ``done`` touched as it was before (see the module doc)."""
    return _apply(session, done, to_before=True, expected=expected, overwrite=overwrite)


def redo(
    session: Session, done: Done, expected: Mapping[RowKey, int], *, overwrite: bool = False
) -> Applied:
    """Put every row ``done`` touched back as the operation left it."""
    return _apply(session, done, to_before=False, expected=expected, overwrite=overwrite)


def _apply(
    session: Session,
    done: Done,
    *,
    to_before: bool,
    expected: Mapping[RowKey, int],
    overwrite: bool,
) -> Applied:
    session.flush()
    connection = session.connection()
    tables = _tables()
    order = _order()
    now = utc_now()
    who = str(session.info.get("user") or current_user())
    plans = []
    for row in done.rows:
        target = row.before if to_before else row.after
        left = row.after if to_before else row.before
        table = tables[row.table]
        current = _row(connection, table, row.id)
        if not overwrite:
            _check(session, table, row.id, current, left, expected)
        plans.append((row, table, target, current))
    versions: dict[RowKey, int] = {}
    gone: set[RowKey] = set()
    log: list[dict[str, Any]] = []
    leaves = _leaf_tables()
    # Children before parents out, parents before children in. Changed rows
    # of tables nothing refers to (an event's instructors) go out and come
    # back too: updated one by one, two rows swapping a unique pair (event,
    # instructor) would collide half-way.
    for row, table, target, current in sorted(plans, key=lambda p: -order[p[0].table]):
        if current is not None and (target is None or row.table in leaves):
            connection.execute(delete(table).where(table.c.id == row.id))
        if target is None and current is not None:
            gone.add((row.table, row.id))
            log.append(_log_row(row.table, current, "deleted", None, None, None, now, who))
    for row, table, target, current in sorted(plans, key=lambda p: (order[p[0].table], p[0].id)):
        if target is None:
            continue
        values = dict(target)
        if "version_id" in table.c:
            base = current["version_id"] if current is not None else target["version_id"]
            values["version_id"] = int(base) + 1
            values["updated_at"] = now
        if current is None:
            connection.execute(insert(table).values(**values))
            log.append(_log_row(row.table, values, "created", None, None, None, now, who))
        else:
            changed = {k: v for k, v in values.items() if k != "id" and current.get(k) != v}
            if row.table in leaves:
                connection.execute(insert(table).values(**values))
            elif changed:
                connection.execute(update(table).where(table.c.id == row.id).values(**changed))
            for name, value in changed.items():
                if name not in _BOOKKEEPING:
                    log.append(
                        _log_row(
                            row.table, values, "updated", name, current.get(name), value, now, who
                        )
                    )
        if "version_id" in values:
            versions[(row.table, row.id)] = int(values["version_id"])
    for group in done.groups:
        table = tables[group.table]
        rows = group.before if to_before else group.after
        connection.execute(delete(table).where(table.c[group.column] == group.parent))
        names = [c.name for c in table.columns]
        if rows:
            connection.execute(insert(table), [dict(zip(names, r, strict=True)) for r in rows])
    if log:
        connection.execute(insert(ChangeLog.__table__), log)  # type: ignore[arg-type]
    session.expire_all()  # the ORM's loaded rows are out of date now
    return Applied(_changes_of(done), versions, frozenset(gone))


def _check(
    session: Session,
    table: Table,
    row_id: int,
    current: dict[str, Any] | None,
    left: dict[str, Any] | None,
    expected: Mapping[RowKey, int],
) -> None:
    """Refuse when the row is no longer as this window left it."""
    if left is None:
        if current is not None:
            raise _stale(session, table.name, current)
        return
    if current is None:
        raise _stale(session, table.name, left, deleted=True)
    if "version_id" not in table.c:
        return
    wanted = expected.get((table.name, row_id), left["version_id"])
    if current["version_id"] != wanted:
        raise _stale(session, table.name, current)


def _stale(
    session: Session, table: str, values: dict[str, Any], *, deleted: bool = False
) -> StaleEditError:
    from scheduler.storage.stale import StaleRecord, record_stale_error

    label = next((str(values[k]) for k in ("ref", "code", "name") if values.get(k)), None)
    entity = _entity_name(table)
    return record_stale_error(
        session, StaleRecord(entity, str(values.get("uuid") or ""), label), deleted=deleted
    )


def _entity_name(table: str) -> str:
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == table:
            return mapper.class_.__name__
    return table


def _log_row(
    table: str,
    values: dict[str, Any],
    action: str,
    field_name: str | None,
    old: Any,
    new: Any,
    now: Any,
    who: str,
) -> dict[str, Any]:
    return {
        "uuid": new_uuid(),
        "created_at": now,
        "updated_at": now,
        "version_id": 1,
        "entity": _entity_name(table),
        "entity_uuid": str(values.get("uuid") or ""),
        "action": action,
        "field": field_name,
        "old_value": as_text(old),
        "new_value": as_text(new),
        "changed_at": now,
        "changed_by": who,
    }


def _changes_of(done: Done) -> Changes:
    kinds = {_KINDS.get(row.table, "plan") for row in done.rows}
    kinds |= {_KINDS.get(group.table, "plan") for group in done.groups}
    # An event whose units or instructors changed is a changed event too: views
    # that patch only the named events (the calendar) must hear of it.
    events = {row.id for row in done.rows if row.table == "training_event"}
    for row in done.rows:
        if row.table in _EVENT_CHILDREN:
            events |= {v["event_id"] for v in (row.before, row.after) if v is not None}
    return done.changes | Changes.of(*kinds, event_ids=frozenset(events))


def run_recorded(session: Session, work: Callable[[Session], Changes]) -> Done:
    """Run ``work(session) -> Changes`` and record what it did."""
    with recording(session) as recorder:
        changes = work(session)
    return recorder.finish(changes)


__all__ = [
    "Applied",
    "Done",
    "GroupChange",
    "RowChange",
    "RowKey",
    "recording",
    "redo",
    "run_recorded",
    "undo",
]
