"""Engines for plan files (SQLite) and shared plans (PostgreSQL URLs).

SQLite is tuned once per connection: WAL so readers never block the writer
and a crash never leaves a half-written page, ``synchronous=NORMAL`` (safe in
WAL: a power cut may lose the last transaction, never corrupt the file),
foreign keys on, and a busy timeout so a brief lock by a backup does not
fail an edit.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event

BUSY_TIMEOUT_MS = 5000


def sqlite_url(path: Path) -> URL:
    # URL.create quotes nothing and keeps spaces and non-ASCII letters intact.
    return URL.create("sqlite+pysqlite", database=str(path))


def _tune_sqlite(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
    finally:
        cursor.close()


def plan_file_engine(path: Path) -> Engine:
    """An engine on a plan file; the file must already have passed inspection."""
    engine = create_engine(sqlite_url(path))
    event.listen(engine, "connect", _tune_sqlite)
    return engine


def server_engine(url: str) -> Engine:
    """An engine on a shared plan held by a database server."""
    return create_engine(url, pool_pre_ping=True)
