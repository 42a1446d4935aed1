"""A shared plan on PostgreSQL made by an older version upgrades to this
program's schema, with what issue 22 added filled in as the checks used it."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from scheduler.model import Base
from scheduler.storage.engine import server_engine
from scheduler.storage.schema import head_revision, upgrade

BEFORE = "0005_release_names"


def test_a_server_plan_before_the_nations_calendars_upgrades_whole(server_url: str) -> None:
    engine = server_engine(server_url)
    try:
        with engine.begin() as connection:
            upgrade(connection, BEFORE)
            connection.execute(
                text(
                    "INSERT INTO nation (code, name, time_zone, languages, uuid, created_at, "
                    "updated_at, version_id) VALUES ('BA', 'Bosna i Hercegovina', "
                    "'Europe/Sarajevo', '[\"bs\"]', 'u1', now(), now(), 1)"
                )
            )
        with engine.begin() as connection:
            upgrade(connection, head_revision())
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
            week = connection.execute(text("SELECT working_weekdays FROM nation")).scalar_one()
        assert differences == []
        assert week == [0, 1, 2, 3, 4]
    finally:
        engine.dispose()
