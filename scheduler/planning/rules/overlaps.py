"""Pairs of events that share a person, a room or a unit in time.

The full check sweeps each resource's bookings in start order, keeping the
bookings still running in a heap keyed by end: every booking is pushed and
popped once, and each reported pair costs one step, so a resource with n
bookings and k clashes costs O(n log n + k) instead of the O(n²) of comparing
every pair. The same sweep, with each end stretched by the travel time,
finds an instructor's events in different nations too close together.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import EventData, last_day_of
from scheduler.planning.rules.event_rules import unit_label
from scheduler.planning.timeline import Booking, Timeline
from scheduler.planning.wording import day_text, days_text

PAIR_RULES: dict[str, str] = {
    "instructor": "instructor_double_booked",
    "venue": "venue_double_booked",
    "unit": "unit_double_booked",
}


def sweep_overlaps(bookings: Sequence[Booking]) -> Iterator[tuple[int, int]]:
    """Every pair of bookings that share time, from a list sorted by start.

    Yields (earlier id, later id). Touching bookings ([a, b) and [b, c)) do
    not overlap.
    """
    running: list[tuple[datetime, int]] = []
    for start, end, ident in bookings:
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, other in running:
            yield other, ident
        heapq.heappush(running, (end, ident))


def sweep_close_pairs(bookings: Sequence[Booking], gap: timedelta) -> Iterator[tuple[int, int]]:
    """Pairs (a, b) where b starts after a ends but less than ``gap`` later."""
    running: list[tuple[datetime, datetime, int]] = []
    for start, end, ident in bookings:
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, other_end, other in running:
            if other_end <= start:
                yield other, ident
        heapq.heappush(running, (end + gap, end, ident))


def naive_overlaps(bookings: Sequence[Booking]) -> set[tuple[int, int]]:
    """The pairwise definition the sweep must agree with (used by tests)."""
    found = set()
    for i, (s1, e1, a) in enumerate(bookings):
        for s2, e2, b in bookings[i + 1 :]:
            if s1 < e2 and s2 < e1:
                found.add((min(a, b), max(a, b)))
    return found


def _resource(ctx: RuleContext, kind: str, ident: int) -> tuple[str, str, str]:
    """(uuid, name, label for messages) of a resource."""
    if kind == "instructor":
        person = ctx.plan.instructors.get(ident)
        if person is not None:
            return person.uuid, person.name, person.name
    elif kind == "venue":
        venue = ctx.plan.venues.get(ident)
        if venue is not None:
            return venue.uuid, venue.name, venue.name
    else:
        unit = ctx.plan.units.get(ident)
        if unit is not None:
            return unit.uuid, unit.name, unit_label(unit)
    return f"{kind}#{ident}", f"{kind} #{ident}", f"{kind} #{ident}"


def double_booking(
    ctx: RuleContext, kind: str, ident: int, first: EventData, second: EventData
) -> Conflict:
    rule = PAIR_RULES[kind]
    uuid, name, label = _resource(ctx, kind, ident)
    a, b = sorted((first, second), key=lambda e: e.uuid)
    start = max(a.start, b.start)
    end = min(a.end, b.end)
    first_day, last_day = start.date(), last_day_of(start, end)
    early, late = sorted((a, b), key=lambda e: (e.start, e.ref))
    refs = f"{early.ref} and {late.ref}"
    when = days_text(first_day, last_day)
    if kind == "instructor":
        message = f"{label} is booked on {refs} on {when}"
    elif kind == "venue":
        message = f"{label} is booked for both {refs} on {when}"
    else:
        message = f"{label} is on {refs} at the same time on {when}"
    return ctx.conflict(
        rule,
        conflict_key(rule, uuid, a.uuid, b.uuid),
        message,
        [a, b],
        [name],
        first_day,
        last_day,
    )


def travel_conflict(
    ctx: RuleContext, instructor_id: int, first: EventData, second: EventData
) -> Conflict | None:
    """A conflict when ``first`` ends in one nation too shortly before ``second``
    starts in another; None when they are in the same nation or either is
    without one."""
    before, after = (first, second) if first.start <= second.start else (second, first)
    if after.start < before.end or after.start - before.end >= ctx.settings.travel_time:
        return None
    nation_a = ctx.plan.host_nation(before)
    nation_b = ctx.plan.host_nation(after)
    if nation_a is None or nation_b is None or nation_a == nation_b:
        return None
    uuid, name, label = _resource(ctx, "instructor", instructor_id)
    gap = after.start - before.end
    hours = int(gap.total_seconds() // 3600)
    between = f"{hours} hours" if hours != 1 else "1 hour"
    if hours == 0:
        between = f"{int(gap.total_seconds() // 60)} minutes"
    a, b = sorted((before, after), key=lambda e: e.uuid)
    return ctx.conflict(
        "travel_time",
        conflict_key("travel_time", uuid, a.uuid, b.uuid),
        f"{label} ends {before.ref} in {_nation_name(ctx, nation_a)} on "
        f"{day_text(before.last_day)} and starts {after.ref} in "
        f"{_nation_name(ctx, nation_b)} {between} later",
        [before, after],
        [name],
        before.last_day,
        after.first_day,
    )


def _nation_name(ctx: RuleContext, code: str) -> str:
    nation = ctx.plan.nations.get(code)
    return nation.name if nation is not None else code


def full_pair_conflicts(
    ctx: RuleContext, kind: str, ident: int, timeline: Timeline
) -> Iterator[Conflict]:
    events = ctx.plan.events
    for a, b in sweep_overlaps(timeline.bookings):
        yield double_booking(ctx, kind, ident, events[a], events[b])
    if kind == "instructor":
        for a, b in sweep_close_pairs(timeline.bookings, ctx.settings.travel_time):
            conflict = travel_conflict(ctx, ident, events[a], events[b])
            if conflict is not None:
                yield conflict


def pair_conflicts_of(
    ctx: RuleContext, kind: str, ident: int, timeline: Timeline, event: EventData
) -> Iterator[Conflict]:
    """The pair conflicts of one event on one resource, found by bisection."""
    events = ctx.plan.events
    for _, _, other in timeline.overlapping(event.start, event.end):
        if other != event.id:
            yield double_booking(ctx, kind, ident, event, events[other])
    if kind == "instructor":
        gap = ctx.settings.travel_time
        for start, end, other in timeline.overlapping(event.start - gap, event.end + gap):
            if other != event.id and (end <= event.start or start >= event.end):
                conflict = travel_conflict(ctx, ident, event, events[other])
                if conflict is not None:
                    yield conflict
