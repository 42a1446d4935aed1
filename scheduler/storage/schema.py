"""Schema revisions of plans: which one a plan has, and upgrading it.

The scripts live in ``scheduler/storage/migrations`` and ship in the wheel.
A plan whose revision this program does not know was written by a newer
version: it is refused, never touched.
"""

from __future__ import annotations

from enum import Enum
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class SchemaState(Enum):
    CURRENT = "current"
    OLDER = "older"  # this program can upgrade it
    NEWER = "newer"  # written by a newer program
    NONE = "none"  # no revision recorded: not a plan


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    head = _scripts().get_current_head()
    assert head is not None, "the package ships at least the baseline revision"
    return head


def known_revisions() -> frozenset[str]:
    return frozenset(rev.revision for rev in _scripts().walk_revisions())


def classify(revision: str | None) -> SchemaState:
    if revision is None:
        return SchemaState.NONE
    if revision == head_revision():
        return SchemaState.CURRENT
    if revision in known_revisions():
        return SchemaState.OLDER
    return SchemaState.NEWER


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def upgrade(connection: Connection, target: str = "head") -> None:
    """Upgrade the schema on ``connection`` (inside the caller's transaction)."""
    command.upgrade(alembic_config(connection), target)
