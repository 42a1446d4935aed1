"""Two kinds of failure: ones a planner can act on, and bugs.

A ``UserError`` carries a message in the planner's words and is shown as it
is (stderr in the CLI, a dialog in the GUI). Anything else is a bug: logged
with its traceback, shown as "something went wrong, your plan is safe".
"""

from __future__ import annotations

from datetime import datetime


class UserError(Exception):
    """A problem the user can understand and act on; ``str()`` is the message."""


class PlanFileError(UserError):
    """The plan file cannot be used: missing, damaged, foreign, newer, read-only."""


class PlanDamagedError(PlanFileError):
    """The plan file is damaged; a backup may bring it back (``path`` is the plan)."""

    def __init__(self, message: str, path: object) -> None:
        super().__init__(message)
        self.path = path


class PlanLockedError(PlanFileError):
    """Another running program holds the plan's lock."""

    def __init__(self, message: str, holder: dict[str, object]) -> None:
        super().__init__(message)
        self.holder = holder


class StaleEditError(UserError):
    """Your edit was refused: someone else changed the record after you read it."""

    def __init__(
        self,
        message: str,
        *,
        entity: str | None,
        entity_uuid: str | None,
        label: str | None,
        changed_by: str | None,
        changed_at: datetime | None,
        fields: tuple[str, ...] = (),
        action: str | None = None,
    ) -> None:
        super().__init__(message)
        self.entity = entity
        self.entity_uuid = entity_uuid
        self.label = label
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.fields = fields
        self.action = action
