"""Where a person serves: one unit at a time, with the history kept.

A posting runs from its first to its last day, both included; an open end
means "since before the plan knew" or "still there". Two postings may meet
on the move day (one ends the day the next starts) but not overlap further:
the import and the editor both hold a person's postings to that.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

Span = tuple[date | None, date | None]
OVERLAP = (
    "overlap; a person serves in one unit at a time (the move day may end one and start the next)"
)


def covers(first: date | None, last: date | None, day: date) -> bool:
    """Whether a posting from ``first`` to ``last`` (open ends) includes ``day``."""
    return (first is None or first <= day) and (last is None or day <= last)


def first_overlap(spans: Sequence[Span]) -> tuple[int, int] | None:
    """Indexes (into ``spans``) of the first two postings that overlap, if any."""
    order = sorted(
        range(len(spans)), key=lambda i: (spans[i][0] or date.min, spans[i][1] or date.max)
    )
    for earlier, later in pairwise(order):
        end, start = spans[earlier][1], spans[later][0]
        if end is None or start is None or end > start:
            return earlier, later
    return None
