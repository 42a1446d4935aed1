"""Schema revisions of plans: which one a plan has, and upgrading it.

The scripts live in ``scheduler/storage/migrations`` and ship in the wheel.
A plan whose revision this program does not know was written by a newer
version: it is refused, never touched.

The revisions are also listed here, in order, so that opening a plan need
not import Alembic (a third of a second) just to learn that the plan is
current; a test keeps this list equal to the migration scripts.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")

# Every revision the migration scripts define, oldest first; the last is head.
REVISIONS: tuple[str, ...] = (
    "0001_baseline",
    "0002_trainees",
    "0003_course_validity",
    "0004_partner_response",
    "0005_release_names",
    "0006_nation_calendars",
    "0007_kit",
    "0008_event_modules",
    "0009_training_hours",
    "0010_readiness_and_providers",
)


class SchemaState(Enum):
    CURRENT = "current"
    OLDER = "older"  # this program can upgrade it
    NEWER = "newer"  # written by a newer program
    NONE = "none"  # no revision recorded: not a plan


def head_revision() -> str:
    return REVISIONS[-1]


def known_revisions() -> frozenset[str]:
    return frozenset(REVISIONS)


def classify(revision: str | None) -> SchemaState:
    if revision is None:
        return SchemaState.NONE
    if revision == head_revision():
        return SchemaState.CURRENT
    if revision in known_revisions():
        return SchemaState.OLDER
    return SchemaState.NEWER


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def script_revisions() -> tuple[str, ...]:
    """The revisions the migration scripts define, oldest first (imports Alembic)."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config())
    return tuple(reversed([rev.revision for rev in scripts.walk_revisions()]))


def current_revision(connection: Connection) -> str | None:
    row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
    return str(row[0]) if row else None


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the schema on ``connection`` (inside the caller's transaction)."""
    from alembic import command

    command.upgrade(alembic_config(connection), target)
