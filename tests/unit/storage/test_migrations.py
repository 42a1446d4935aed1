"""Schema migrations: a plan made at the baseline upgrades to this program's schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, create_engine

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


def _schema_differences(connection: Connection) -> list[object]:
    """What Alembic finds between the plan's schema and the models', less one
    reflection gap: SQLite adds a column's reference only inline (0010's
    ``training_event.provider_id``), and SQLAlchemy reads an inline reference
    without its name or ON DELETE. ``PRAGMA foreign_key_list`` has both; the
    tests check them there."""
    found = compare_metadata(MigrationContext.configure(connection), Base.metadata)

    def inline_provider(diff: object) -> bool:
        return (
            isinstance(diff, tuple)
            and diff[0] in ("remove_fk", "add_fk")
            and [c.name for c in diff[1].columns] == ["provider_id"]
        )

    return [d for d in found if not inline_provider(d)]


_STAMP = "'2027-01-01', '2027-01-01', 1"
# A small plan in the columns every revision has: a nation with a unit and a
# venue pointing at it, a course, an event and its audience.
_ROWS = (
    "INSERT INTO plan_meta (key, value, uuid, created_at, updated_at, version_id) "
    f"VALUES ('application', '{PLAN_APPLICATION}', 'u1', {_STAMP})",
    "INSERT INTO nation (code, name, time_zone, languages, uuid, created_at, "
    "updated_at, version_id) VALUES ('MK', 'Северна Македонија', 'Europe/Skopje', "
    f"'[\"mk\"]', 'u2', {_STAMP})",
    "INSERT INTO unit (code, name, kind, nation_id, uuid, created_at, updated_at, "
    f"version_id) VALUES ('1BN', '1-ви баталјон', 'battalion', 1, 'u3', {_STAMP})",
    "INSERT INTO venue (name, nation_id, facilities, uuid, created_at, updated_at, "
    f"version_id) VALUES ('Криволак', 1, '[]', 'u4', {_STAMP})",
    "INSERT INTO course (code, title, category, duration_days, daily_hours, language, "
    "required_facilities, uuid, created_at, updated_at, version_id) VALUES "
    f"('SCC', 'Section commanders', 'Infantry', 10, 7, 'mk', '[]', 'u5', {_STAMP})",
    'INSERT INTO training_event (ref, course_id, venue_id, start, "end", status, '
    "is_override, uuid, created_at, updated_at, version_id) VALUES ('MK-2027-001', 1, 1, "
    f"'2027-06-07 08:30:00', '2027-06-18 16:00:00', 'planned', 0, 'u6', {_STAMP})",
    "INSERT INTO event_audience (event_id, unit_id, seats, uuid, created_at, "
    f"updated_at, version_id) VALUES (1, 1, 12, 'u7', {_STAMP})",
)


def _plan_at(path: Path, revision: str) -> None:
    engine = create_engine(sqlite_url(path))
    with engine.begin() as connection:
        upgrade(connection, revision)
        for row in _ROWS:
            connection.exec_driver_sql(row)
    engine.dispose()


def _plan_at_baseline(path: Path) -> None:
    _plan_at(path, BASELINE)


def _rows_kept(path: Path) -> None:
    """Every row of ``_ROWS`` is still there, and every reference holds."""
    with sqlite3.connect(path) as db:
        for table in ("unit", "venue", "course", "training_event", "event_audience"):
            assert db.execute(f"SELECT count(*) FROM {table}").fetchone() == (1,), table
        assert db.execute("SELECT seats FROM event_audience").fetchall() == [(12,)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


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
            assert _schema_differences(connection) == []
    _rows_kept(path)
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT name FROM nation").fetchall() == [("Северна Македонија",)]
        # The working week the checks always counted, now the nation's own (0006).
        (week,) = db.execute("SELECT working_weekdays FROM nation").fetchone()
        assert json.loads(week) == [0, 1, 2, 3, 4]


def test_an_issue_22_plan_upgrades_keeping_every_event_and_its_children(tmp_path: Path) -> None:
    """0010 adds columns to events and courses without rebuilding their tables: a
    rebuild on SQLite drops the old table with foreign keys on (0006 did, and
    failed on any plan with a unit)."""
    path = tmp_path / "план 2027.tsplan"
    _plan_at(path, "0009_training_hours")
    with open_plan(path) as plan:
        assert plan.schema_revision == head_revision()
        with plan.engine.connect() as connection:
            assert _schema_differences(connection) == []
    _rows_kept(path)
    with sqlite3.connect(path) as db:
        assert db.execute(
            "SELECT ref, provider_id, funding_line FROM training_event"
        ).fetchall() == [("MK-2027-001", None, None)]
        assert db.execute("SELECT code, kind FROM course").fetchall() == [("SCC", "course")]
        keys = db.execute("PRAGMA foreign_key_list(training_event)").fetchall()
        assert ("provider", "provider_id", "RESTRICT") in {(k[2], k[3], k[6]) for k in keys}
