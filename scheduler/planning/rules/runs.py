"""Bookings that overlap one another, and the most they add up to at once.

A resource's bookings fall into runs that overlap one another (connected
components of the overlap graph); within each run an amount per booking
(a unit's seats, a course's rifles) is summed by a sweep over starts and
ends. Runs are separated in time, so an edit only needs the runs around the
edited event re-judged. The strength and kit rules share this.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import NamedTuple

from scheduler.planning.timeline import Booking, Timeline


def runs(bookings: Sequence[Booking]) -> Iterator[list[Booking]]:
    """Bookings (sorted by start) grouped into runs of overlapping ones."""
    current: list[Booking] = []
    reach = None
    for booking in bookings:
        if current and reach is not None and booking[0] >= reach:
            yield current
            current = []
            reach = None
        current.append(booking)
        reach = booking[1] if reach is None else max(reach, booking[1])
    if current:
        yield current


def runs_around(
    timeline: Timeline, start: datetime, end: datetime
) -> tuple[list[list[Booking]], datetime, datetime]:
    """The whole runs that reach into [start, end), and the span they cover.

    The window widens until no booking outside it overlaps it, so the runs
    returned are complete; any earlier conflict of the resource that touches
    the returned span belongs to one of them.
    """
    low, high = start, end
    while True:
        found = list(timeline.overlapping(low, high))
        if not found:
            return [], low, high
        wider_low = min(low, found[0][0])
        wider_high = max(high, max(b[1] for b in found))
        if (wider_low, wider_high) == (low, high):
            return list(runs(found)), low, high
        low, high = wider_low, wider_high


class Peak(NamedTuple):
    """The most a run adds up to at one moment, and the bookings then running."""

    total: int
    event_ids: frozenset[int]
    moment: datetime


def peak(run: Sequence[Booking], amounts: Mapping[int, int]) -> Peak:
    """The run's highest sum of ``amounts`` (per event id) at any moment."""
    # Ends sort before starts at the same moment: touching is not overlapping.
    points = sorted([(s, 1, ident) for s, _, ident in run] + [(e, 0, ident) for _, e, ident in run])
    total = 0
    best = Peak(0, frozenset(), run[0][0])
    active: set[int] = set()
    for moment, is_start, ident in points:
        if is_start:
            active.add(ident)
            total += amounts[ident]
            if total > best.total:
                best = Peak(total, frozenset(active), moment)
        else:
            active.discard(ident)
            total -= amounts[ident]
    return best
