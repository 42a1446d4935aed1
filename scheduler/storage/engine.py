"""Engines for plan files (SQLite) and shared plans (PostgreSQL URLs).

SQLite is tuned once per connection: WAL so readers never block the writer
and a crash never leaves a half-written page, ``synchronous=NORMAL`` (safe in
WAL: a power cut may lose the last transaction, never corrupt the file),
foreign keys on, and a busy timeout so a brief lock by a backup does not
fail an edit.

A server connection is never left waiting for ever. Three layers, because
each misses something the others catch (docs/decisions.md, "Shared plans"):

* TCP keepalives and ``tcp_user_timeout`` (libpq): a peer that is gone (a
  dropped VPN, a powered-off host) is noticed by the kernel.
* ``statement_timeout`` and ``lock_timeout`` (set per connection, on the
  server): a live server stops its own runaway work and says so.
* A watchdog here: the server's *process* may be stopped while its kernel
  still acknowledges every packet (a paused backend or VM), which neither
  of the above notices. A wait on a connection that has received or sent
  nothing for ``silence_s`` seconds is ended by shutting the socket down;
  ``server.py`` turns the driver's error into "the server did not answer".
"""

from __future__ import annotations

import functools
import os
import socket
import sqlite3
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

from scheduler.storage.text_folding import add_sqlite_functions

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> URL:
    # URL.create quotes nothing and keeps spaces and non-ASCII letters intact.
    return URL.create("sqlite+pysqlite", database=str(path))


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    add_sqlite_functions(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def _reading_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    add_sqlite_functions(dbapi_connection)
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA query_only = ON")
    finally:
        cursor.close()


def _in_rollback_mode(path: Path) -> bool:
    """Whether the file keeps a rollback journal (a backup, a file from elsewhere), not WAL."""
    with path.open("rb") as handle:
        header = handle.read(20)
    return len(header) == 20 and header[18] == 1 and header[19] == 1


def plan_file_engine(path: Path, *, read_only: bool = False) -> Engine:
    """An engine on a plan file; the file must already have passed inspection.

    ``read_only`` changes nothing in the file: in particular it does not
    switch a rollback-journal file (a backup) to WAL, which rewrites its
    header; such a file is opened ``mode=ro``. A WAL file is read through
    the usual connection, so changes another program still holds in the WAL
    are seen, with writes refused (``query_only``).
    """
    if read_only and _in_rollback_mode(path):
        uri = f"{path.resolve().as_uri()}?mode=ro"
        engine = create_engine(
            "sqlite+pysqlite://",
            creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        )
        event.listen(engine, "connect", _reading_sqlite)
        return engine
    engine = create_engine(sqlite_url(path))
    event.listen(engine, "connect", _tune_sqlite)
    if read_only:
        event.listen(engine, "connect", _reading_sqlite)
    return engine


# --- Shared plans on a PostgreSQL server ------------------------------------


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """How long the server may take, for one kind of work.

    ``silence_s`` must stay above ``lock_ms``: a live server that waits for a
    lock then answers in words ("busy") before we give up on it.
    """

    statement_ms: int  # the server cancels a statement running longer (0: never)
    lock_ms: int  # ... or one waiting longer than this for a lock (0: never)
    silence_s: float  # we give up when the server sent nothing for this long


# Editing and reading in the window and the commands. A paused or unreachable
# server must become a sentence within 15 s, so we give up after 12 s of
# silence (a pre-ping that goes silent is not followed by a reconnect, so 12 s
# is the whole wait). Silence, not duration: a big read over a slow VPN keeps
# sending rows and is not cut, so the server's own statement limit can be a
# minute (it counts the sending too); a statement the server works on for
# more than 12 s without a word is given up on like a paused server (none of
# a 100,000-event plan's reads took a second on a local server). A lock wait
# ends after 8 s, before the watchdog, so the planner hears "busy".
INTERACTIVE = ServerLimits(statement_ms=60_000, lock_ms=8_000, silence_s=12.0)
# Copying and upgrading a whole plan (``long_work`` in server.py): no
# statement of a 100,000-event copy took over 0.7 s on a local server, but a
# slow link, a busy server or a schema upgrade of a big plan may take
# minutes; a lock is waited for as long as the statement may run (another
# planner's upgrade). A paused server is given up on after 16 min; a dead
# peer is still noticed within about 20 s (keepalives, tcp_user_timeout).
LONG_WORK = ServerLimits(statement_ms=15 * 60_000, lock_ms=0, silence_s=16 * 60.0)

CONNECT_TIMEOUT_S = 10
# libpq: probe an idle connection after 5 s, every 2 s; give up on data the
# peer has not acknowledged for 15 s (above INTERACTIVE.silence_s, so that an
# interactive wait ends through the watchdog, without a reconnect attempt).
KEEPALIVES: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


class _Watch:
    """One wait on one connection: when the server was last heard from."""

    __slots__ = ("fileno", "fired", "last", "limit")

    def __init__(self, fileno: int, limit: float) -> None:
        self.fileno = fileno
        self.limit = limit
        self.last = time.monotonic()
        self.fired = False

    def heard(self) -> None:
        self.last = time.monotonic()


def _shut(fileno: int) -> None:
    """End every wait on the socket ``fileno`` (the driver then sees it closed)."""
    try:
        sock = socket.socket(fileno=fileno)
    except OSError:
        return
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        sock.detach()  # the driver owns the descriptor: never close it here


class _Watchdog:
    """One thread for every server connection of the process.

    It sleeps until the earliest moment a watched wait could have been
    silent too long. A socket is only shut down while its wait is still
    registered (under the lock), so a wait that has ended, and a descriptor
    the driver may since have reused, are never touched.
    """

    def __init__(self) -> None:
        self._reset()
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=self._reset)

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._watches: set[_Watch] = set()
        self._wake_at = float("inf")
        self._thread: threading.Thread | None = None

    def begin(self, fileno: int, limit: float) -> _Watch:
        watch = _Watch(fileno, limit)
        with self._lock:
            self._watches.add(watch)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="server-watchdog", daemon=True
                )
                self._thread.start()
            if watch.last + limit < self._wake_at:
                self._changed.notify()
        return watch

    def end(self, watch: _Watch) -> None:
        with self._lock:
            self._watches.discard(watch)

    def _run(self) -> None:
        with self._lock:
            while True:
                now = time.monotonic()
                for watch in [w for w in self._watches if now - w.last >= w.limit]:
                    self._watches.discard(watch)
                    watch.fired = True
                    _shut(watch.fileno)
                if self._watches:
                    self._wake_at = min(w.last + w.limit for w in self._watches)
                    self._changed.wait(max(self._wake_at - now, 0.05))
                else:
                    self._wake_at = float("inf")
                    self._changed.wait()


_WATCHDOG = _Watchdog()


def _heard_from(gen: Generator[Any, Any, Any], watch: _Watch) -> Generator[Any, Any, Any]:
    """The driver's wait generator as it is, noting each time the socket was ready.

    psycopg's wait loop sends the readiness of the socket into the
    generator (also when nothing happened, every 0.1 s); anything but
    "nothing" means the server sent or took data.
    """
    try:
        state = next(gen)
        while True:
            try:
                ready = yield state
            except GeneratorExit:
                gen.close()
                raise
            except BaseException as exc:  # thrown in by the wait loop: pass it on
                state = gen.throw(exc)
                continue
            if ready:
                watch.heard()
            state = gen.send(ready)
    except StopIteration as stop:
        return stop.value


@functools.cache
def _psycopg_classes() -> tuple[type[Any], type[Any]]:
    """(connection class, silence error class), made on first use: psycopg is optional."""
    import psycopg

    class SilenceError(psycopg.OperationalError):
        """The server sent nothing for ``silence_s`` seconds; the connection is closed."""

        silence_s: float = 0.0

    class WatchedConnection(psycopg.Connection[Any]):
        """A psycopg connection whose every wait is watched for silence.

        ``Connection.wait`` is the one place psycopg waits for the server
        (statements, commits, rollbacks, pings, COPY).
        """

        silence_s: float | None = INTERACTIVE.silence_s

        def wait(self, gen: Any, *args: Any, **kwargs: Any) -> Any:
            limit = self.silence_s
            try:
                fileno = self.fileno()
            except psycopg.Error:
                limit = None  # closed: the driver says so itself
            if limit is None:
                return super().wait(gen, *args, **kwargs)
            watch = _WATCHDOG.begin(fileno, limit)
            try:
                return super().wait(_heard_from(gen, watch), *args, **kwargs)
            except psycopg.Error as exc:
                if not watch.fired:
                    raise
                silent = SilenceError(f"the server sent nothing for {limit:g} seconds")
                silent.silence_s = limit
                raise silent from exc
            finally:
                _WATCHDOG.end(watch)

    return WatchedConnection, SilenceError


def silence_of(exc: BaseException | None) -> float | None:
    """The seconds of silence after which ``exc`` ended a wait; None for any other error."""
    if exc is None or not _psycopg_classes.cache_info().currsize:
        return None
    silent = _psycopg_classes()[1]
    return float(exc.silence_s) if isinstance(exc, silent) else None


def set_silence(dbapi_connection: Any, seconds: float) -> float | None:
    """Let a connection's waits be silent for ``seconds``; what it allowed before.

    None (and nothing changed) for a connection that is not watched. The
    server's side of the limits (statement and lock timeouts) is the
    caller's, with ``SET LOCAL`` in its transaction.
    """
    previous: float | None = getattr(dbapi_connection, "silence_s", None)
    if previous is not None:
        dbapi_connection.silence_s = seconds
    return previous


def _connect_watched(_dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
    """Connect with the watched class and set the interactive limits on the server."""
    from psycopg import pq

    if pq.version() < 120000:  # libpq before 12 refuses the option it does not know
        cparams.pop("tcp_user_timeout", None)
    connection_class = _psycopg_classes()[0]
    connection = connection_class.connect(*cargs, **cparams)
    try:
        connection.autocommit = True  # SET outside a transaction: it lasts the session
        connection.execute(
            "SELECT set_config('statement_timeout', %s, false), "
            "set_config('lock_timeout', %s, false)",
            (str(INTERACTIVE.statement_ms), str(INTERACTIVE.lock_ms)),
        )
        connection.autocommit = False
    except BaseException:
        connection.close()
        raise
    return connection


def server_engine(url: str) -> Engine:
    """An engine on a shared plan held by a PostgreSQL server, with the interactive limits.

    Raises what ``create_engine`` raises (a missing driver, a malformed
    URL): ``server.server_engine`` puts that into words.
    """
    engine = create_engine(
        url,
        pool_pre_ping=True,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": "training-scheduler",
            **KEEPALIVES,
        },
    )
    if engine.dialect.driver == "psycopg":
        event.listen(engine, "do_connect", _connect_watched)
    return engine
