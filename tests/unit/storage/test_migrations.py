"""Schema migrations: a plan made at the baseline upgrades to this program's schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from scheduler.model import Base
from scheduler.storage import open_plan
from scheduler.storage.engine import sqlite_url
from scheduler.storage.inspection import PLAN_APPLICATION
from scheduler.storage.schema import (
    REVISIONS,
    head_revision,
    known_revisions,
    script_revisions,
    upgrade,
)

BASELINE = "0001_baseline"


def _plan_at_baseline(path: Path) -> None:
    engine = create_engine(sqlite_url(path))
    with engine.begin() as connection:
        upgrade(connection, BASELINE)
        connection.exec_driver_sql(
            "INSERT INTO plan_meta (key, value, uuid, created_at, updated_at, version_id) "
            f"VALUES ('application', '{PLAN_APPLICATION}', 'u1', '2027-01-01', '2027-01-01', 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO nation (code, name, time_zone, languages, uuid, created_at, "
            "updated_at, version_id) VALUES ('MK', 'Северна Македонија', 'Europe/Skopje', "
            "'[\"mk\"]', 'u2', '2027-01-01', '2027-01-01', 1)"
        )
    engine.dispose()


def test_listed_revisions_are_the_migration_scripts() -> None:
    assert script_revisions() == REVISIONS
    assert BASELINE in known_revisions()
    assert head_revision() == REVISIONS[-1]


def test_baseline_plan_upgrades_to_the_models_schema(tmp_path: Path) -> None:
    path = tmp_path / "old plan.tsplan"
    _plan_at_baseline(path)
    with open_plan(path) as plan:
        assert plan.schema_revision == head_revision()
        with plan.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM nation").fetchall() == [("Северна Македонија",)]
        # The working week the checks always counted, now the nation's own (0006).
        (week,) = db.execute("SELECT working_weekdays FROM nation").fetchone()
        assert json.loads(week) == [0, 1, 2, 3, 4]
