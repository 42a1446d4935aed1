"""A unit that sends more people to training at once than it has.

A unit's bookings fall into runs that overlap one another (connected
components of the overlap graph); within each run the seats committed at any
moment are summed by a sweep over starts and ends, and one conflict names the
events running at the worst moment. Runs are separated in time, so an edit
only needs the runs around the edited event re-judged.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import UnitData, last_day_of
from scheduler.planning.rules.event_rules import unit_label
from scheduler.planning.timeline import Booking, Timeline
from scheduler.planning.wording import and_list, days_text


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
    returned are complete; any earlier conflict of the unit that touches the
    returned span belongs to one of them.
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


def strength_conflict(ctx: RuleContext, unit: UnitData, run: list[Booking]) -> Conflict | None:
    if unit.strength is None:
        return None
    events = ctx.plan.events
    seats: dict[int, int] = {}
    for _, _, ident in run:
        seats[ident] = sum(s.seats for s in events[ident].audience if s.unit_id == unit.id)
    if sum(seats.values()) <= unit.strength:
        return None
    # Ends sort before starts at the same moment: touching is not overlapping.
    points = sorted([(s, 1, ident) for s, _, ident in run] + [(e, 0, ident) for _, e, ident in run])
    total = 0
    peak = 0
    active: set[int] = set()
    peak_events: frozenset[int] = frozenset()
    peak_at = run[0][0]
    for moment, is_start, ident in points:
        if is_start:
            active.add(ident)
            total += seats[ident]
            if total > peak:
                peak, peak_events, peak_at = total, frozenset(active), moment
        else:
            active.discard(ident)
            total -= seats[ident]
    if peak <= unit.strength:
        return None
    involved = sorted((events[i] for i in peak_events), key=lambda e: (e.start, e.ref))
    until = min(e.end for e in involved)
    first_day, last_day = peak_at.date(), last_day_of(peak_at, until)
    refs = and_list(e.ref for e in involved)
    at_once = " at once" if len(involved) > 1 else ""
    return ctx.conflict(
        "unit_over_strength",
        conflict_key("unit_over_strength", unit.uuid, *sorted(e.uuid for e in involved)),
        f"{unit_label(unit)} has {peak} people on {refs}{at_once} on "
        f"{days_text(first_day, last_day)}, more than its strength of {unit.strength}",
        involved,
        [unit.name],
        first_day,
        last_day,
    )


def full_strength_conflicts(
    ctx: RuleContext, unit_id: int, timeline: Timeline
) -> Iterator[Conflict]:
    unit = ctx.plan.units.get(unit_id)
    if unit is None or unit.strength is None:
        return
    for run in runs(timeline.bookings):
        conflict = strength_conflict(ctx, unit, run)
        if conflict is not None:
            yield conflict
