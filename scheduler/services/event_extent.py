"""Where the plan's events lie in time: their first and last day, the longest one.

One read each, with one rule, for every view and export that needs them
(the calendar's and the timeline's overlap queries, the utilisation's and
the reports' default periods, an export's open-ended period, ``info``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from scheduler.model import TrainingEvent
from scheduler.planning.data import last_day_of

# The least "longest event" kept: an empty plan, or one of one-hour events,
# still finds an event made longer later in the session (``calendar_rows.Longest``).
MIN_SPAN = timedelta(days=1)


def event_times(session: Session, *where: ColumnElement[bool]) -> tuple[datetime, datetime] | None:
    """The first start and the last end of the events ``where`` selects (all: none given)."""
    first, last = session.execute(
        select(func.min(TrainingEvent.start), func.max(TrainingEvent.end)).where(*where)
    ).one()
    return (first, last) if first is not None and last is not None else None


def event_days(session: Session, *where: ColumnElement[bool]) -> tuple[date, date] | None:
    """The first and last calendar day those events occupy (one ending at
    midnight ends the day before, as everywhere else)."""
    times = event_times(session, *where)
    return (times[0].date(), last_day_of(*times)) if times is not None else None


def longest_event(session: Session) -> timedelta:
    """Just over the longest event's length (at least ``MIN_SPAN``).

    Overlap queries read events starting from ``window start - longest`` so
    the index on ``start`` can be used and no event reaching into the window
    from before it is missed. One aggregate over the table; callers keep it.
    """
    if session.get_bind().dialect.name == "sqlite":
        days = session.scalar(
            select(
                func.max(func.julianday(TrainingEvent.end) - func.julianday(TrainingEvent.start))
            )
        )
        span = timedelta(days=float(days)) if days is not None else timedelta(0)
    else:
        found = session.scalar(select(func.max(TrainingEvent.end - TrainingEvent.start)))
        span = found if isinstance(found, timedelta) else timedelta(0)
    return max(span + timedelta(seconds=1), MIN_SPAN)
