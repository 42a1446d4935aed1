"""Shared plans on a PostgreSQL server: connecting, recognising, creating, upgrading.

A server plan is one database whose ``plan_meta`` table says
``application = training-scheduler`` and whose ``alembic_version`` names a
revision this program knows. It has no lock file and no file backups: the
server serialises writers and its administrator backs it up (``pg_dump``).
Schema changes run through the same Alembic scripts as plan files, inside
one transaction (PostgreSQL's DDL is transactional) under an advisory lock,
so two planners opening an old plan at once upgrade it once.

Errors reach the planner as one sentence, with the password masked: the URL
appears in messages, logs and window titles. The engine's ``handle_error``
hook turns the failures a planner can act on (a silent server, a timeout, a
busy plan, missing rights, a missing table, a lost connection) into a
``ServerPlanError`` wherever they happen, so a read on a worker thread gets
the same sentence as an edit in ``Plan.session``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session

from scheduler.errors import PlanFileError, UserError
from scheduler.storage import engine as engines
from scheduler.storage.inspection import PLAN_APPLICATION
from scheduler.storage.location import (
    ServerLocation,
    mask_secrets,
    password_forms,
    unsupported_message,
)
from scheduler.storage.schema import SchemaState, classify, current_revision, upgrade

log = logging.getLogger(__name__)

# pg_advisory_xact_lock key taken by schema changes and plan creation ("tspl").
SCHEMA_LOCK_KEY = 0x7473706C
# ... and by the repair of id sequences ("tssq").
SEQUENCE_LOCK_KEY = 0x74737371
CONNECT_TIMEOUT_S = engines.CONNECT_TIMEOUT_S

_NOT_SAVED = (
    "Your last change, if you were making one, was not saved; everything before it is safe."
)


class ServerPlanError(PlanFileError):
    """A shared plan cannot be used: server unreachable, refused login, not a plan …"""


class ServerNotAnsweringError(ServerPlanError):
    """The server sent nothing for a while (paused, overloaded, or the network is gone)."""


class ServerBusyError(ServerPlanError):
    """The server gave up waiting for a lock, or stopped a statement that ran too long."""


class ServerAccessError(ServerPlanError):
    """The user may not read (or change) the plan's tables."""


class DamagedServerPlanError(ServerPlanError):
    """One of the plan's tables is missing on the server."""


@dataclass(frozen=True, slots=True)
class ServerPlanFacts:
    revision: str
    state: SchemaState
    name: str | None


def server_engine(location: ServerLocation) -> Engine:
    """An engine on the server; a missing driver or another database is the planner's, in words."""
    if not location.supported:
        raise ServerPlanError(unsupported_message(location))
    try:
        engine = engines.server_engine(location.url)
    except (NoSuchModuleError, ModuleNotFoundError, ImportError) as exc:
        raise ServerPlanError(
            "This installation cannot reach PostgreSQL servers: its PostgreSQL driver "
            "is missing. Install it with “pip install training-scheduler[postgres]”."
        ) from exc
    except Exception:  # a malformed URL: its message quotes the URL, password and all
        raise ServerPlanError(
            f"“{location.display}” is not a database address this program understands. "
            "Write it as postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE."
        ) from None

    def in_words(context: ExceptionContext) -> BaseException | None:
        return _handle_error(location, context)

    event.listen(engine, "handle_error", in_words)
    return engine


@contextmanager
def long_work(connection: Connection) -> Iterator[None]:
    """Let the block run for minutes: a copy or an upgrade of a whole plan.

    Interactive work has a server that answers within 12 s and a
    statement limit of a minute (``engine.INTERACTIVE``); a copy of a
    100,000-event plan over a slow link, or an upgrade waiting behind
    another planner's, needs more (``engine.LONG_WORK``). The server's
    limits are set for the current transaction (``SET LOCAL``), the
    watchdog's for the block. Nothing happens on a plan file's connection.
    """
    if connection.dialect.name != "postgresql":
        yield
        return
    connection.execute(
        text(
            "SELECT set_config('statement_timeout', :statement, true), "
            "set_config('lock_timeout', :lock, true)"
        ),
        {
            "statement": str(engines.LONG_WORK.statement_ms),
            "lock": str(engines.LONG_WORK.lock_ms),
        },
    )
    dbapi_connection = connection.connection.dbapi_connection
    previous = engines.set_silence(dbapi_connection, engines.LONG_WORK.silence_s)
    try:
        yield
    finally:
        if previous is not None:
            engines.set_silence(dbapi_connection, previous)


def scrub(message: str, location: ServerLocation) -> str:
    """``message`` without the password, however a driver spelled it, nor any URL's."""
    password = location.password
    if password:
        for form in password_forms(password):
            message = message.replace(form, "***")
    return mask_secrets(message)


def _original(exc: BaseException) -> BaseException:
    return getattr(exc, "orig", None) or exc


def _sqlstate(exc: BaseException) -> str:
    return str(getattr(exc, "sqlstate", None) or "")


def _missing_table(exc: BaseException) -> str | None:
    """The plan table an "undefined table" error names, if it is one of ours."""
    from scheduler.model import Base

    match = re.search(r'relation "(?:[^".]+\.)?([^"]+)" does not exist', str(exc))
    if match and match.group(1) in Base.metadata.tables:
        return match.group(1)
    return None


def damaged_message(location: ServerLocation, missing: list[str]) -> str:
    tables = f"table {missing[0]}" if len(missing) == 1 else "tables " + ", ".join(missing)
    return (
        f"The shared plan at {location.display} is incomplete or damaged ({tables} missing). "
        "Restore it from the server's backup (pg_dump); this program has not changed it."
    )


def _sentence(
    location: ServerLocation,
    exc: BaseException,
    *,
    statement: str | None = None,
    user: str | None = None,
    disconnected: bool = False,
) -> ServerPlanError | None:
    """The failures of a plan in use, in a planner's words; None for any other.

    ``disconnected`` means the connection broke while in use (not while
    connecting: that is ``connection_error``'s).
    """
    orig = _original(exc)
    state = _sqlstate(orig)
    detail = " ".join(str(orig).split()).lower()
    silence = engines.silence_of(orig)
    if silence is not None:
        return ServerNotAnsweringError(
            f"The server at {location.host} did not answer for {silence:g} seconds (is it "
            f"running, and is the network or VPN up?). {_NOT_SAVED}"
        )
    if state == "55P03" or "lock timeout" in detail:
        return ServerBusyError(
            f"The shared plan at {location.where} is busy: another planner is saving a large "
            f"change (an import, a copy or an upgrade). {_NOT_SAVED} Try again in a moment."
        )
    if state == "57014" and "statement timeout" in detail:
        return ServerBusyError(
            f"The server at {location.host} took too long over this and stopped it. "
            f"{_NOT_SAVED} Try again; if it happens again, tell the server's administrator."
        )
    if state == "42501":
        who = user or location.user or "you connect as"
        verb = "change"
        if statement is None or statement.lstrip().upper().startswith(("SELECT", "WITH")):
            verb = "read"
        return ServerAccessError(
            f"The user “{who}” may not {verb} the plan at {location.where}; ask the server's "
            "administrator for access."
        )
    if state == "42P01":
        table = _missing_table(orig)
        if table is not None:
            return DamagedServerPlanError(damaged_message(location, [table]))
    if disconnected:
        return ServerPlanError(
            f"The connection to the server at {location.host} was lost. {_NOT_SAVED} "
            "Try again: the program connects anew."
        )
    return None


def _connection_user(context: ExceptionContext) -> str | None:
    """The user the failing connection logged in as (no round trip), if known."""
    try:
        connection = context.connection
        if connection is None or connection.invalidated:
            return None
        info = getattr(connection.connection.dbapi_connection, "info", None)
        user = getattr(info, "user", None)
        return str(user) if user else None
    except Exception:
        return None


def _handle_error(location: ServerLocation, context: ExceptionContext) -> BaseException | None:
    """SQLAlchemy's ``handle_error``: the sentence to raise instead, or None to go on.

    A failed pre-ping is left to SQLAlchemy (it connects anew: the server
    may have restarted) unless the server went silent: then the planner has
    waited long enough. Failures to connect are ``connection_error``'s.
    """
    orig = context.original_exception
    if context.is_pre_ping:
        if engines.silence_of(orig) is None:
            return None
    elif context.connection is None:
        return None
    return _sentence(
        location,
        orig,
        statement=context.statement,
        user=_connection_user(context),
        disconnected=context.is_disconnect,
    )


def connection_error(location: ServerLocation, exc: BaseException) -> ServerPlanError:
    """The driver's failure in a planner's words, password never included."""
    specific = _sentence(location, exc)
    if specific is not None:
        return specific
    orig = _original(exc)
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
    """Every table in the plan's schema, whether or not this user may read it.

    (``information_schema`` lists only the tables a user has rights on: a
    user without any was told the database was empty.)
    """
    return set(
        connection.scalars(
            text(
                "SELECT c.relname FROM pg_catalog.pg_class c "
                "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')"
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
    if state is SchemaState.CURRENT:
        # An older plan has the tables of its own format; the upgrade checks those.
        from scheduler.model import Base

        missing = sorted(set(Base.metadata.tables) - tables)
        if missing:
            raise DamagedServerPlanError(damaged_message(location, missing))
    return ServerPlanFacts(revision=revision, state=state, name=meta.get("name"))


# Tables with an ``id`` drawn from a sequence (serial or identity: what
# pg_get_serial_sequence finds, through pg_depend), in the plan's schema, that
# this user may both read and move the sequence of (setval needs UPDATE).
_ID_SEQUENCES = text(
    """
    SELECT tbl, seq, step FROM (
    SELECT format('%I.%I', n.nspname, c.relname) AS tbl,
           format('%I.%I', sn.nspname, s.relname) AS seq,
           q.seqincrement AS step,
           -- CASE: the privilege functions fail on anything but a sequence, and
           -- the planner may test rows before the join has left only those
           CASE WHEN s.relkind = 'S' THEN has_table_privilege(c.oid, 'SELECT')
                AND has_sequence_privilege(s.oid, 'SELECT')
                AND has_sequence_privilege(s.oid, 'UPDATE') END AS may
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a
      ON a.attrelid = c.oid AND a.attname = 'id' AND NOT a.attisdropped
    JOIN pg_catalog.pg_depend d
      ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = c.oid
     AND d.refobjsubid = a.attnum AND d.classid = 'pg_catalog.pg_class'::regclass
     AND d.deptype IN ('a', 'i')
    JOIN pg_catalog.pg_class s ON s.oid = d.objid AND s.relkind = 'S'
    JOIN pg_catalog.pg_namespace sn ON sn.oid = s.relnamespace
    JOIN pg_catalog.pg_sequence q ON q.seqrelid = s.oid
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
    ) found
    WHERE may
    ORDER BY tbl
    """
)


def _lagging(connection: Connection, sequences: list[Any]) -> list[tuple[str, str, int]]:
    """(table, sequence, highest id) of every sequence whose next value is not above the ids.

    One query for all tables; the names come from the catalog, quoted by
    the server (``format('%I')``, ``pg_get_serial_sequence``).
    """
    if not sequences:
        return []
    query = " UNION ALL ".join(
        f"SELECT {index} AS i, (SELECT max(id) FROM {table}) AS top, last_value, is_called "
        f"FROM {sequence}"
        for index, (table, sequence, _step) in enumerate(sequences)
    )
    lagging = []
    for index, top, last_value, is_called in connection.execute(text(query)):
        table, sequence, step = sequences[index]
        following = last_value + step if is_called else last_value
        if top is not None and following <= top:
            lagging.append((str(table), str(sequence), int(top)))
    return lagging


def repair_sequences(connection: Connection) -> list[str]:
    """Move every id sequence that lags behind its table past the table's highest id.

    A sequence behind its table (restored from an old dump, set back by
    hand, or moved by a copy that was then rolled back: ``setval`` is not
    transactional) makes every new record of that table fail on a
    duplicate id. Returns the tables repaired (none: nothing was written).

    Reads only (two queries) when nothing lags, so a read-only open writes
    nothing. A repair runs under an advisory lock and checks again once it
    holds it, so two planners opening at once repair once; it only ever
    moves a sequence forward. Works inside the caller's transaction (the
    lock is then held until the caller ends it) or outside any (then in a
    transaction of its own, committed). Sequences this user may not move
    (a read-only role) are left alone: such a user adds no records.
    """
    if connection.dialect.name != "postgresql":
        return []
    own = not connection.in_transaction()
    try:
        sequences = [tuple(row) for row in connection.execute(_ID_SEQUENCES)]
        lagging = _lagging(connection, sequences)
        if lagging:
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEQUENCE_LOCK_KEY}
            )
            # Again under the lock: another planner may have repaired them meanwhile.
            behind = {table for table, _sequence, _top in lagging}
            lagging = _lagging(connection, [row for row in sequences if row[0] in behind])
            for _table, sequence, top in lagging:
                connection.execute(
                    text("SELECT setval(CAST(:sequence AS regclass), :top)"),
                    {"sequence": sequence, "top": top},
                )
        if own:
            connection.commit()
    except BaseException:
        if own:
            connection.rollback()
        raise
    repaired = [table for table, _sequence, _top in lagging]
    if repaired:
        log.warning("moved id sequences past the highest ids of %s", ", ".join(repaired))
    return repaired


def inspect_server_plan(engine: Engine, location: ServerLocation) -> ServerPlanFacts:
    """Check that the database is a usable plan; repair lagging id sequences.

    Writes nothing unless a sequence lags (``repair_sequences``).
    """
    with server_errors(location), engine.connect() as connection:
        facts = _facts(connection, location)
        if facts.state is SchemaState.CURRENT:
            repair_sequences(connection)
        connection.commit()
        return facts


def migrate_server_plan(engine: Engine, location: ServerLocation) -> bool:
    """Upgrade an older shared plan; True when something was upgraded.

    Under the advisory lock the revision is read again: another planner may
    have upgraded it while we waited.
    """
    with server_errors(location), engine.begin() as connection, long_work(connection):
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        facts = _facts(connection, location)
        if facts.state is not SchemaState.OLDER:
            return False
        upgrade(connection)
        repair_sequences(connection)
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

    with server_errors(location), engine.begin() as connection, long_work(connection):
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
