"""Stopping a read nobody waits for any more (the planner left the page).

SQLite checks a progress handler every ``STEPS`` steps of a statement; once
``cancelled()`` says so, the statement ends with "interrupted" and the read
raises ``ReadCancelled``. The Python work between statements (most of a
readiness read: matching runs to tasks, pairing overlaps) is stopped where
the long reads call ``stop_if_unwanted`` between their steps, a few tenths
of a second apart at 100,000 events. A shared plan's statements are not
interrupted: they are answered by the server, which is quick to answer, and
a cancel request would need a second connection; its reads still stop at
those steps.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy.orm import Session

STEPS = 1_000
# The running read's ``cancelled``, for ``stop_if_unwanted`` (each worker
# thread has its own).
_cancelled: ContextVar[Callable[[], bool] | None] = ContextVar("cancelled", default=None)


class ReadCancelled(Exception):
    """The read was stopped because its result is no longer wanted."""


@contextmanager
def interrupted_when(session: Session, cancelled: Callable[[], bool]) -> Iterator[None]:
    """Within the block, a statement of ``session`` on a plan file stops once
    ``cancelled()`` is true; any error then becomes ``ReadCancelled``."""
    raw = session.connection().connection.driver_connection
    if isinstance(raw, sqlite3.Connection):
        raw.set_progress_handler(lambda: 1 if cancelled() else 0, STEPS)
    token = _cancelled.set(cancelled)
    try:
        yield
    except Exception as error:
        if cancelled():
            raise ReadCancelled from error
        raise
    finally:
        _cancelled.reset(token)
        if isinstance(raw, sqlite3.Connection):
            raw.set_progress_handler(None, 0)


def stop_if_unwanted() -> None:
    """Between the steps of a long read: end it (``ReadCancelled``) if its
    result is no longer wanted. Outside a stoppable read, nothing."""
    cancelled = _cancelled.get()
    if cancelled is not None and cancelled():
        raise ReadCancelled
