"""Writes a change set into the plan, inside the caller's transaction.

New rows go in through bulk inserts (10,000 events in about a second) and
take the uuids the change set gave them; their ids are read back by uuid
range so later tables can point at them. Updates change only the columns
that differ, give each record a new version, and are refused as a whole
when a record's version is no longer the one the import was worked out
against (another planner changed it meanwhile). Every updated field gets a
change-log row; additions are summarised in one row, as bulk writes are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import Base, ChangeLog, Record, current_user, new_uuid, utc_now
from scheduler.model.changelog import as_text
from scheduler.services.importing.changeset import ChangeSet, Children, Link, Update

_CHUNK = 900  # ids per IN (...) list: below SQLite's variable limit
_ROWS = 5_000  # rows per bulk insert: the driver's copies of them stay small


class ChangedMeanwhile(UserError):
    """A record changed between working out the import and writing it."""


def _table(model: type[Record]) -> Table:
    return cast(Table, model.__table__)


class Writer:
    """Applies one ChangeSet; use once, from one thread."""

    def __init__(self, session: Session, changes: ChangeSet, note: str) -> None:
        self.session = session
        self.changes = changes
        self.note = note  # the change log's summary row: what was imported from where
        self.who = session.info.get("user") or current_user()
        self.now = utc_now()
        self.ids: dict[type[Record], dict[str, int]] = {
            model: dict(found) for model, found in changes.known_ids.items()
        }
        self._reverse: dict[type[Record], dict[int, str]] = {}

    def write(self) -> None:
        order = {table.name: index for index, table in enumerate(Base.metadata.sorted_tables)}
        models = sorted(self.changes.models(), key=lambda m: order[_table(m).name])
        deferred: list[tuple[type[Record], str, str, Link]] = []
        for model in models:
            deferred += self._insert(model, self.changes.inserts.get(model, []))
        for model, column, uuid, link in deferred:
            self.session.execute(
                update(_table(model))
                .where(_table(model).c.uuid == uuid)
                .values({column: self._id(link)})
            )
        for model in models:
            self._update(model, self.changes.updates.get(model, []))
        for children in self.changes.children:
            self._children(children)
        self._log()

    # -- links ---------------------------------------------------------------------------

    def _id(self, link: Link) -> int:
        found = self.ids.get(link.model, {}).get(link.uuid)
        if found is None:
            raise ChangedMeanwhile(
                f"A {link.model.__name__} this import points at is no longer in the plan "
                "(another planner may have deleted it). Nothing was imported; import again."
            )
        return found

    def _resolve(self, value: Any) -> Any:
        return self._id(value) if isinstance(value, Link) else value

    def _uuid_of(self, model: type[Record], record_id: Any) -> Any:
        reverse = self._reverse.get(model)
        if reverse is None:
            reverse = self._reverse[model] = {i: u for u, i in self.ids.get(model, {}).items()}
        return reverse.get(record_id, record_id)

    # -- inserts -------------------------------------------------------------------------

    def _insert(
        self, model: type[Record], rows: list[dict[str, Any]]
    ) -> list[tuple[type[Record], str, str, Link]]:
        """Insert ``rows``; links to rows of the same table not yet written are deferred."""
        if not rows:
            return []
        table = _table(model)
        deferred: list[tuple[type[Record], str, str, Link]] = []
        ready: list[dict[str, Any]] = []
        for values in rows:
            row = {
                "created_at": self.now,
                "updated_at": self.now,
                "version_id": 1,
                **values,
            }
            if not row.get("uuid"):
                row["uuid"] = new_uuid()
            for column, value in values.items():
                if isinstance(value, Link):
                    if value.model is model and value.uuid not in self.ids.get(model, {}):
                        deferred.append((model, column, row["uuid"], value))
                        row[column] = None
                    else:
                        row[column] = self._id(value)
            ready.append(row)
        highest = self.session.scalar(select(func.max(table.c.id))) or 0
        for offset in range(0, len(ready), _ROWS):
            self.session.execute(insert(table), ready[offset : offset + _ROWS])
        found = self.ids.setdefault(model, {})
        for record_id, uuid in self.session.execute(
            select(table.c.id, table.c.uuid).where(table.c.id > highest)
        ):
            found[uuid] = record_id
        self._reverse.pop(model, None)
        return deferred

    # -- updates -------------------------------------------------------------------------

    def _update(self, model: type[Record], changes: list[Update]) -> None:
        if not changes:
            return
        table = _table(model)
        groups: dict[tuple[str, ...], list[Update]] = {}
        for change in changes:
            groups.setdefault(tuple(sorted(change.columns)), []).append(change)
        for columns, members in groups.items():
            statement = (
                update(table)
                .where(
                    and_(
                        table.c.id == bindparam("b_id"),
                        table.c.version_id == bindparam("b_version"),
                    )
                )
                .values(
                    version_id=table.c.version_id + 1,
                    updated_at=self.now,
                    **{column: bindparam(f"v_{column}") for column in columns},
                )
            )
            parameters = [
                {
                    "b_id": change.record_id,
                    "b_version": change.version,
                    **{
                        f"v_{column}": self._resolve(change.columns[column][1])
                        for column in columns
                    },
                }
                for change in members
            ]
            result = self.session.connection().execute(statement, parameters)
            dialect = self.session.connection().dialect
            if dialect.supports_sane_multi_rowcount and result.rowcount != len(parameters):
                self._changed_meanwhile(model)
        if not self.session.connection().dialect.supports_sane_multi_rowcount:
            self._check_versions(model, changes)

    def _check_versions(self, model: type[Record], changes: Sequence[Update]) -> None:
        table = _table(model)
        wanted = {change.record_id: change.version + 1 for change in changes}
        ids = list(wanted)
        for offset in range(0, len(ids), _CHUNK):
            part = ids[offset : offset + _CHUNK]
            for record_id, version in self.session.execute(
                select(table.c.id, table.c.version_id).where(table.c.id.in_(part))
            ):
                if wanted[record_id] != version:
                    self._changed_meanwhile(model)

    def _changed_meanwhile(self, model: type[Record]) -> None:
        raise ChangedMeanwhile(
            f"Another planner changed a {model.__name__} while the import was being checked. "
            "Nothing was imported; import the file again."
        )

    # -- children ------------------------------------------------------------------------

    def _children(self, children: Children) -> None:
        if not children.rows:
            return
        table = children.table
        parent_column = table.c[children.parent_column]
        known = self.changes.known_ids.get(children.parent_model, {})
        existing = [known[u] for u in children.rows if u in known]
        for offset in range(0, len(existing), _CHUNK):
            self.session.execute(
                delete(table).where(parent_column.in_(existing[offset : offset + _CHUNK]))
            )
        rows: list[dict[str, Any]] = []
        named: list[str] = []  # uuids given by the sheet: other children link to them
        for parent, members in children.rows.items():
            parent_id = self._id(Link(children.parent_model, parent))
            for member in members:
                row = {column: self._resolve(value) for column, value in member.items()}
                row[children.parent_column] = parent_id
                if children.versioned:
                    if row.get("uuid"):
                        named.append(row["uuid"])
                    row.update(
                        uuid=row.get("uuid") or new_uuid(),
                        created_at=self.now,
                        updated_at=self.now,
                        version_id=1,
                    )
                rows.append(row)
            if len(rows) >= _ROWS:
                self.session.execute(insert(table), rows)
                rows = []
        if rows:
            self.session.execute(insert(table), rows)
        if named:
            model = next(m.class_ for m in Base.registry.mappers if m.local_table is table)
            found = self.ids.setdefault(model, {})
            for offset in range(0, len(named), _CHUNK):
                part = named[offset : offset + _CHUNK]
                for ident, uuid in self.session.execute(
                    select(table.c.id, table.c.uuid).where(table.c.uuid.in_(part))
                ):
                    found[uuid] = ident

    # -- change log ----------------------------------------------------------------------

    def _log(self) -> None:
        rows = [
            self._log_row(e.entity, e.uuid, "updated", e.field, e.old, e.new)
            for e in self.changes.log
        ]
        rows.append(self._log_row("Import", new_uuid(), "imported", None, None, self.note))
        self.session.execute(insert(_table(ChangeLog)), rows)

    def _log_row(
        self, entity: str, uuid: str, action: str, field: str | None, old: Any, new: Any
    ) -> dict[str, Any]:
        if isinstance(new, Link):
            old = self._uuid_of(new.model, old)
            new = new.uuid
        return {
            "uuid": new_uuid(),
            "created_at": self.now,
            "updated_at": self.now,
            "version_id": 1,
            "entity": entity,
            "entity_uuid": uuid,
            "action": action,
            "field": field,
            "old_value": as_text(old),
            "new_value": as_text(new),
            "changed_at": self.now,
            "changed_by": self.who,
        }
