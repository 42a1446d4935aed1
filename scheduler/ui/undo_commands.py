"""Undo steps for record edits: create, change, delete, and a batch of them."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from scheduler.services import records
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import EntitySpec
from scheduler.services.records import Values
from scheduler.ui.document import ServiceCommand


class CreateRecord(ServiceCommand):
    def __init__(self, spec: EntitySpec, values: Values, text: str | None = None) -> None:
        super().__init__(text or f"Add {spec.singular}")
        self.spec = spec
        self.values = values
        self.uuid: str | None = values.get("uuid")

    def apply(self, session: Session) -> Changes:
        saved = records.create(session, self.spec, self.values, uuid=self.uuid)
        self.uuid = saved.uuid
        # Redo must recreate children with the same uuids as well.
        self.values = records.snapshot(session, self.spec, saved.uuid)
        return saved.changes

    def revert(self, session: Session) -> Changes:
        assert self.uuid is not None
        return records.delete(session, self.spec, self.uuid).changes


class EditRecord(ServiceCommand):
    """A change of one record, refused when the record changed since it was read.

    ``expected`` is the version the values were based on: the editor's, then
    after each run the version this step left, so undo and redo are refused
    too when another planner changed the record in between. ``overwrite``
    (the planner's choice after a refusal) applies the step once without it.
    """

    def __init__(self, spec: EntitySpec, uuid: str, new: Values, text: str | None = None) -> None:
        super().__init__(text or f"Edit {spec.singular}")
        self.spec = spec
        self.uuid = uuid
        self.new = new
        self.old: Values | None = None
        self.expected: int | None = new.get("version_id")

    def _expected(self) -> int | None:
        return None if self.overwrite else self.expected

    def apply(self, session: Session) -> Changes:
        if self.old is None:
            self.old = records.snapshot(session, self.spec, self.uuid)
        saved = records.update(
            session, self.spec, self.uuid, self.new, expected_version=self._expected()
        )
        self.new = records.snapshot(session, self.spec, self.uuid)
        self.expected = self.new.get("version_id")
        self.overwrite = False
        return saved.changes

    def revert(self, session: Session) -> Changes:
        assert self.old is not None
        saved = records.update(
            session, self.spec, self.uuid, self.old, expected_version=self._expected()
        )
        self.expected = records.snapshot(session, self.spec, self.uuid).get("version_id")
        self.overwrite = False
        return saved.changes


class DeleteRecord(ServiceCommand):
    def __init__(self, spec: EntitySpec, uuid: str, text: str | None = None) -> None:
        super().__init__(text or f"Delete {spec.singular}")
        self.spec = spec
        self.uuid = uuid
        self.snapshot: Values | None = None

    def apply(self, session: Session) -> Changes:
        self.snapshot = records.snapshot(session, self.spec, self.uuid)
        return records.delete(session, self.spec, self.uuid).changes

    def revert(self, session: Session) -> Changes:
        assert self.snapshot is not None
        return records.restore(session, self.spec, self.snapshot).changes


class Batch(ServiceCommand):
    """Several steps undone as one (delete five events, say)."""

    def __init__(self, text: str, steps: list[ServiceCommand]) -> None:
        super().__init__(text)
        self.steps = steps

    def apply(self, session: Session) -> Changes:
        changes = Changes()
        for step in self.steps:
            changes = changes | step.apply(session)
        return changes

    def revert(self, session: Session) -> Changes:
        changes = Changes()
        for step in reversed(self.steps):
            changes = changes | step.revert(session)
        return changes


class SnapshotEdit(ServiceCommand):
    """Any edit of one record by a service function, undone by restoring a snapshot.

    For moves, resizes and reassignments by drag and drop: ``change(session)``
    does the work; undo writes back the record (and its children) as they
    were, redo writes back the result of the first run.
    """

    def __init__(
        self, text: str, spec: EntitySpec, uuid: str, change: Callable[[Session], Changes]
    ) -> None:
        super().__init__(text)
        self.spec = spec
        self.uuid = uuid
        self.change = change
        self.before: Values | None = None
        self.after: Values | None = None
        self.expected: int | None = None

    def apply(self, session: Session) -> Changes:
        if self.after is not None:
            return self._write(session, self.after)
        self.before = records.snapshot(session, self.spec, self.uuid)
        changes = self.change(session)
        self.after = records.snapshot(session, self.spec, self.uuid)
        self.expected = self.after.get("version_id")
        return changes

    def revert(self, session: Session) -> Changes:
        assert self.before is not None
        return self._write(session, self.before)

    def _write(self, session: Session, values: Values) -> Changes:
        """Undo/redo, refused (like EditRecord's) when another planner changed the
        record since this step last ran, unless the planner chose to overwrite."""
        expected = None if self.overwrite else self.expected
        saved = records.update(session, self.spec, self.uuid, values, expected_version=expected)
        self.expected = records.snapshot(session, self.spec, self.uuid).get("version_id")
        self.overwrite = False
        return saved.changes
