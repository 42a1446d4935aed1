"""Stopping a read nobody waits for any more (the planner left the page).

SQLite checks a progress handler every ``STEPS`` steps of a statement; once
``cancelled()`` says so, the statement ends with "interrupted" and the read
raises ``ReadCancelled``. The Python work of a read between its statements
still runs to its end. A shared plan's reads are not interrupted: they are
answered by the server, which is quick to answer, and a cancel request
would need a second connection.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

STEPS = 1_000


class ReadCancelled(Exception):
    """The read was stopped because its result is no longer wanted."""


@contextmanager
def interrupted_when(session: Session, cancelled: Callable[[], bool]) -> Iterator[None]:
    """Within the block, a statement of ``session`` on a plan file stops once
    ``cancelled()`` is true; any error then becomes ``ReadCancelled``."""
    raw = session.connection().connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, STEPS)
    try:
        yield
    except Exception as error:
        if cancelled():
            raise ReadCancelled from error
        raise
    finally:
        if isinstance(raw, sqlite3.Connection):
            raw.set_progress_handler(None, 0)
