"""Whole plans, for the window and the commands: open, create, demo, copy, back up, restore.

The window never touches ``scheduler.storage``, ``scheduler.commands`` or
``scheduler.demo`` itself (DESIGN.md, Layers; ``tests/unit/test_layers.py``):
every step of a plan's life it offers goes through here, and the types it
needs (``Plan``, ``PlanAccess``, ``Backup``, the errors) are re-exported
here, so that a screen imports one module to reach its plan.

Importing this module loads SQLAlchemy (through storage). The window paints
before that (``tests/gui/test_startup.py``), so UI code imports it inside
the functions that need it, or under ``if TYPE_CHECKING:`` for types.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from scheduler import storage
from scheduler.errors import PlanDamagedError, PlanFileError, PlanLockedError, UserError
from scheduler.storage import Backup, Plan, PlanAccess, ReadOnlyPlanError, backups, schema
from scheduler.storage.location import (
    PlanLocation,
    ServerLocation,
    describe,
    mask_secrets,
    parse_location,
)
from scheduler.storage.location import is_server_url as _is_server_url

__all__ = [
    "Backup",
    "BackupList",
    "Plan",
    "PlanAccess",
    "PlanDamagedError",
    "PlanFileError",
    "PlanLocation",
    "PlanLockedError",
    "ReadOnlyPlanError",
    "UpgradeScripts",
    "UserError",
    "back_up_now",
    "create_plan",
    "describe_location",
    "head_revision",
    "is_plan_at",
    "is_server_url",
    "list_backups",
    "open_plan",
    "restore_backup",
    "save_copy",
    "upgrade_scripts",
    "write_demo_plan",
]

DEMO_PLAN_NAME = "Demo plan"


# --- opening and creating


def open_plan(
    location: PlanLocation | str,
    *,
    access: PlanAccess = PlanAccess.EDIT,
    take_over_lock: bool = False,
    check_in_background: bool = False,
) -> Plan:
    """Open an existing plan file or shared plan; a ``UserError`` says why it cannot be.

    The window passes ``check_in_background`` so that a large plan shows at
    once while its full check runs beside it (its first write waits for the
    check); ``take_over_lock`` is the planner's answer to "plan in use", and
    is refused while the holder still runs. Nothing is written to a plan
    that fails its checks.
    """
    return storage.open_plan(
        location,
        access=access,
        take_over_lock=take_over_lock,
        check_in_background=check_in_background,
    )


def create_plan(
    location: PlanLocation | str, *, name: str | None = None, force: bool = False
) -> Plan:
    """A new, empty plan (nations pre-filled), open for editing.

    ``force`` replaces a plan already there: the old one is backed up first,
    and the new one is built beside it and renamed into place, so a crash
    leaves the old plan or the new one, never half of either.
    """
    return storage.create_plan(location, name=name, force=force)


def write_demo_plan(
    location: PlanLocation | str,
    *,
    events: int | None = None,
    seed: int = 1,
    force: bool = False,
) -> dict[str, int]:
    """Write the demo plan at ``location`` (a file or a server); what it holds, in numbers.

    The one road to the demo generator, for the window (Open the demo), the
    ``demo`` command and the self-test alike, so all three get the same plan
    for the same seed. A file is built beside its place and renamed there
    when complete, so ``force`` never leaves an empty or half plan.
    """
    from scheduler.demo import build_demo
    from scheduler.services.plan_info import plan_counts
    from scheduler.storage.plan import build_plan_file

    def fill(plan: Plan) -> dict[str, int]:
        with plan.session() as session:
            build_demo(session, seed=seed, events=events)
        with plan.session() as session:
            return plan_counts(session)

    target = parse_location(location)
    if isinstance(target, ServerLocation):
        with storage.create_plan(target, name=DEMO_PLAN_NAME, force=force) as plan:
            return fill(plan)
    counts = build_plan_file(target, name=DEMO_PLAN_NAME, force=force, fill=fill)
    assert counts is not None
    return counts


# --- copies and backups (plan files; a server's backups are its administrator's)


def save_copy(plan: Plan, target: Path) -> None:
    """A whole, self-contained copy of the open plan file at ``target``.

    For a planner taking the plan to a deployed laptop: the copy is a plan
    of its own, not a backup, so it goes where the planner chose.
    """
    backups.copy_plan(plan.path, target)


def back_up_now(plan: Plan) -> str:
    """Back the open plan file up now; the sentence for the status bar.

    A state already backed up is not copied again, and the sentence says so
    and how many backups are kept, so that "Back up now" never leaves the
    planner wondering whether it did anything.
    """
    started = datetime.now()
    target = plan.backup("manual")
    return backups.describe_backup(plan.path, target, started)


@dataclass(frozen=True, slots=True)
class BackupList:
    """A plan file's backups, newest first, and how many the rotation keeps at most.

    The restore dialog tells the planner both before they choose.
    """

    backups: tuple[Backup, ...]
    keep: int


def list_backups(plan_path: Path) -> BackupList:
    """The backups of the plan file at ``plan_path`` (it need not open: a damaged one
    is offered its backups)."""
    return BackupList(tuple(backups.list_backups(plan_path)), backups.DEFAULT_KEEP)


def restore_backup(plan_path: Path, backup: Backup | Path) -> None:
    """Put ``backup`` (one of ``list_backups``, or a backup file the planner
    names) back as the (closed) plan file at ``plan_path``.

    The plan as it is is backed up first, so a restore can itself be undone;
    a damaged plan is kept aside in its backup folder. The plan is replaced
    in one rename: a crash leaves it as it was or restored.
    """
    backups.restore_plan(plan_path, backup.path if isinstance(backup, Backup) else backup)


# --- where a plan is, in words


def is_server_url(text: str) -> bool:
    """True when what the planner typed names a database server rather than a file.

    Any ``scheme://`` counts, so that an unsupported server is refused in
    words instead of being looked for as a file.
    """
    return _is_server_url(text)


def describe_location(location: PlanLocation | str) -> str:
    """A plan file's path, or a shared plan's URL with its password masked.

    For titles, messages and logs: a password never reaches the screen or a
    log file, however it was typed.
    """
    return mask_secrets(describe(parse_location(location)))


def is_plan_at(plan: Plan, location: PlanLocation | str) -> bool:
    """True when ``plan`` is the plan at ``location`` (a file path or a server URL).

    A plan another window of this program holds must be brought forward,
    not reported as "in use" by ourselves; files are compared by their real
    path, servers by their URL without the password.
    """
    target = parse_location(location)
    if isinstance(target, ServerLocation):
        return plan.is_shared and plan.display == target.display
    if plan.is_shared:
        return False
    try:
        return plan.path.resolve() == target.resolve()
    except OSError:
        return False


# --- the plan format this program writes


def head_revision() -> str:
    """The plan format (schema revision) this program writes: support asks for it."""
    return schema.head_revision()


@dataclass(frozen=True, slots=True)
class UpgradeScripts:
    """The plan upgrade scripts this program expects, and those found on disk.

    A bundle that lost its scripts could not upgrade an older plan; the
    self-test checks this before a planner meets it.
    """

    expected: tuple[str, ...]
    found: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return self.found == self.expected

    @property
    def head(self) -> str:
        return self.expected[-1]


def upgrade_scripts() -> UpgradeScripts:
    """Compare the revisions this program knows with the scripts shipped (imports Alembic)."""
    return UpgradeScripts(expected=schema.REVISIONS, found=schema.script_revisions())
