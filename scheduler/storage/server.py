"""Shared plans on a PostgreSQL server: connecting, recognising, creating, upgrading.

A server plan is one database whose ``plan_meta`` table says
``application = training-scheduler`` and whose ``alembic_version`` names a
revision this program knows. It has no lock file and no file backups: the
server serialises writers and its administrator backs it up (``pg_dump``).
Schema changes run through the same Alembic scripts as plan files, inside
one transaction (PostgreSQL's DDL is transactional) under an advisory lock,
so two planners opening an old plan at once upgrade it once.

Errors reach the planner as one sentence, with the password masked: the URL
appears in messages, logs and window titles.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from scheduler.errors import PlanFileError, UserError
from scheduler.storage.inspection import PLAN_APPLICATION
from scheduler.storage.location import ServerLocation
from scheduler.storage.schema import SchemaState, classify, current_revision, upgrade

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key taken by schema changes and plan creation ("tspl").
SCHEMA_LOCK_KEY = 0x7473706C
CONNECT_TIMEOUT_S = 10


class ServerPlanError(PlanFileError):
    """A shared plan cannot be used: server unreachable, refused login, not a plan …"""


@dataclass(frozen=True, slots=True)
class ServerPlanFacts:
    revision: str
    state: SchemaState
    name: str | None


def server_engine(location: ServerLocation) -> Engine:
    """An engine on the server; a missing driver is the planner's problem, in words."""
    try:
        return create_engine(
            location.url,
            pool_pre_ping=True,
            connect_args={
                "connect_timeout": CONNECT_TIMEOUT_S,
                "application_name": "training-scheduler",
            },
        )
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        raise ServerPlanError(
            "This installation cannot reach PostgreSQL servers: its PostgreSQL driver "
            "is missing. Install it with “pip install training-scheduler[postgres]”."
        ) from exc
    except Exception as exc:  # a malformed URL
        raise ServerPlanError(
            f"“{location.display}” is not a database address this program understands. "
            "Write it as postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE."
        ) from exc


def scrub(message: str, location: ServerLocation) -> str:
    """``message`` without the password (drivers may echo parts of the URL)."""
    password = location.password
    if password:
        message = message.replace(password, "***")
    return message


def connection_error(location: ServerLocation, exc: BaseException) -> ServerPlanError:
    """The driver's failure in a planner's words, password never included."""
    orig = getattr(exc, "orig", None) or exc
    detail = " ".join(str(orig).split())
    lowered = detail.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        reason = "the server refused the user name or password"
    elif "does not exist" in lowered and "database" in lowered:
        reason = "the database does not exist on that server (ask its administrator to create it)"
    elif "connection refused" in lowered or "no such file" in lowered:
        reason = "nothing answers at that address (is the server running, and the port right?)"
    elif "timeout" in lowered or "timed out" in lowered:
        reason = "the server did not answer in time (check the network or VPN)"
    elif "could not translate host name" in lowered or "name or service not known" in lowered:
        reason = "the server's name is unknown (check the address)"
    elif "connection" in lowered and ("closed" in lowered or "lost" in lowered):
        reason = "the connection to the server was lost"
    else:
        reason = scrub(detail, location)[:300]
    return ServerPlanError(f"Could not use the shared plan at {location.display}: {reason}.")


@contextmanager
def server_errors(location: ServerLocation) -> Iterator[None]:
    """Turn driver errors raised inside the block into ServerPlanError."""
    try:
        yield
    except UserError:
        raise
    except (DBAPIError, OSError) as exc:
        raise connection_error(location, exc) from exc


def _tables(connection: Connection) -> set[str]:
    return set(
        connection.scalars(
            text(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        )
    )


def _facts(connection: Connection, location: ServerLocation) -> ServerPlanFacts:
    tables = _tables(connection)
    if not tables:
        raise ServerPlanError(
            f"There is no plan at {location.display} yet (the database is empty). "
            f"Create one with “training-scheduler new URL”, or bring a plan file there "
            f"with “training-scheduler copy PLAN.tsplan URL”."
        )
    if "plan_meta" not in tables or "alembic_version" not in tables:
        raise ServerPlanError(
            f"The database at {location.display} holds something, but not a Training "
            "Scheduler plan. It was not changed."
        )
    meta: dict[str, str] = {
        str(k): str(v) for k, v in connection.execute(text("SELECT key, value FROM plan_meta"))
    }
    if meta.get("application") != PLAN_APPLICATION:
        raise ServerPlanError(
            f"The database at {location.display} is not a Training Scheduler plan. "
            "It was not changed."
        )
    revision = current_revision(connection)
    state = classify(revision)
    if state is SchemaState.NONE or revision is None:
        raise ServerPlanError(f"The database at {location.display} has no plan format recorded.")
    if state is SchemaState.NEWER:
        raise ServerPlanError(
            f"The shared plan at {location.display} was upgraded by a newer version of "
            f"Training Scheduler (plan format {revision}). Install the newer version to "
            "open it; this version has left it untouched."
        )
    return ServerPlanFacts(revision=revision, state=state, name=meta.get("name"))


def inspect_server_plan(engine: Engine, location: ServerLocation) -> ServerPlanFacts:
    """Check that the database is a usable plan, reading only."""
    with server_errors(location), engine.connect() as connection:
        return _facts(connection, location)


def migrate_server_plan(engine: Engine, location: ServerLocation) -> bool:
    """Upgrade an older shared plan; True when something was upgraded.

    Under the advisory lock the revision is read again: another planner may
    have upgraded it while we waited.
    """
    with server_errors(location), engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        facts = _facts(connection, location)
        if facts.state is not SchemaState.OLDER:
            return False
        upgrade(connection)
        log.info("upgraded shared plan %s from %s", location.display, facts.revision)
        return True


def create_server_plan_schema(
    engine: Engine, location: ServerLocation, *, name: str, force: bool
) -> None:
    """Build an empty plan (schema, metadata, nations) in one transaction.

    An empty database is used as it is. A database holding a plan is
    replaced only with ``force``; one holding anything else is never
    touched. The whole build is one transaction: a crash leaves the
    database as it was.
    """
    from scheduler.model import Base
    from scheduler.storage.plan import fill_new_plan

    with server_errors(location), engine.begin() as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        tables = _tables(connection)
        if tables:
            ours = set(Base.metadata.tables) | {"alembic_version"}
            if not tables <= ours:
                raise ServerPlanError(
                    f"The database at {location.display} holds tables of another program; "
                    "it was not changed. Use an empty database for the plan."
                )
            if not force:
                raise ServerPlanError(
                    f"There is already a plan at {location.display}. Use --force to replace it "
                    "(back it up first with pg_dump, or copy it to a file with "
                    "“training-scheduler copy”)."
                )
            Base.metadata.drop_all(connection)
            connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
        upgrade(connection)
        with Session(bind=connection) as session:
            fill_new_plan(session, name)
            session.flush()
