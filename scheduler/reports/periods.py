"""Which days a report covers when the planner gives none, or only one end.

A 100,000-event plan spans twenty years; printing all of it by default would
be thousands of pages nobody asked for. So without ``--from``/``--to`` a
report covers the months that hold events, at most the twelve months from
the first one (the demo plan's year); with one end given, twelve months from
or up to it. ``services.report_rows.report_period`` reads the events' span
when it is needed.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from scheduler.errors import UserError
from scheduler.planning.data import last_day_of
from scheduler.planning.periods import add_months, month_end, month_start

MAX_DEFAULT_MONTHS = 12


def report_period(
    first: date | None,
    last: date | None,
    events: tuple[datetime | None, datetime | None] | None = None,
    today: date | None = None,
) -> tuple[date, date]:
    """The inclusive days to report on (see the module's note for the defaults).

    ``events`` is the first start and last end of the plan's events (None,
    or Nones, when it has none); it matters only when neither end is given.
    """
    if first is not None and last is not None:
        if last < first:
            raise UserError(f"The period ends ({last}) before it starts ({first}).")
        return first, last
    if first is not None:
        return first, add_months(first, MAX_DEFAULT_MONTHS) - timedelta(days=1)
    if last is not None:
        return add_months(last, 1 - MAX_DEFAULT_MONTHS), last
    low, high = events or (None, None)
    if low is None or high is None:
        today = today or date.today()
        return month_start(today), month_end(today)
    start = month_start(low.date())
    cap = add_months(start, MAX_DEFAULT_MONTHS) - timedelta(days=1)
    return start, min(month_end(last_day_of(low, high)), cap)
