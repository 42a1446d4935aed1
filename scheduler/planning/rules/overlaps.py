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
from scheduler.planning.timeline import Booking, Timeline, bookings_of
from scheduler.planning.wording import day_text, days_text

PAIR_RULES: dict[str, str] = {
    "instructor": "instructor_double_booked",
    "venue": "venue_double_booked",
    "unit": "unit_double_booked",
}


def sweep_booking_overlaps(bookings: Sequence[Booking]) -> Iterator[tuple[Booking, Booking]]:
    """Every pair of bookings that share time, from a list sorted by start:
    (earlier, later). Touching bookings ([a, b) and [b, c)) do not overlap."""
    running: list[tuple[datetime, Booking]] = []
    for booking in bookings:
        start = booking[0]
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, other in running:
            yield other, booking
        heapq.heappush(running, (booking[1], booking))


def sweep_overlaps(bookings: Sequence[Booking]) -> Iterator[tuple[int, int]]:
    """The event ids of ``sweep_booking_overlaps``: (earlier id, later id)."""
    for earlier, later in sweep_booking_overlaps(bookings):
        yield earlier[2], later[2]


def sweep_close_pairs(
    bookings: Sequence[Booking], gap: timedelta
) -> Iterator[tuple[Booking, Booking]]:
    """Pairs (a, b) where b starts after a ends but less than ``gap`` later."""
    running: list[tuple[datetime, datetime, Booking]] = []
    for booking in bookings:
        start = booking[0]
        while running and running[0][0] <= start:
            heapq.heappop(running)
        for _, other_end, other in running:
            if other_end <= start:
                yield other, booking
        heapq.heappush(running, (booking[1] + gap, booking[1], booking))


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
    ctx: RuleContext,
    kind: str,
    ident: int,
    first: EventData,
    second: EventData,
    shared: tuple[datetime, datetime] | None = None,
) -> Conflict:
    """``shared``: from the first moment the two share the resource to the
    last (their modules may share it more than once); else their overlap."""
    rule = PAIR_RULES[kind]
    uuid, name, label = _resource(ctx, kind, ident)
    a, b = sorted((first, second), key=lambda e: e.uuid)
    start, end = shared if shared is not None else (max(a.start, b.start), min(a.end, b.end))
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


def _place_of(ctx: RuleContext, event: EventData, booking: Booking) -> str | None:
    """The nation of the piece of ``event`` that ``booking`` is (its venue's,
    else the event's host nation)."""
    for piece in event.pieces():
        if (piece.start, piece.end) == booking[:2] and piece.venue_id is not None:
            venue = ctx.plan.venues.get(piece.venue_id)
            if venue is not None and venue.nation_code:
                return venue.nation_code
    return ctx.plan.host_nation(event)


def travel_conflict(
    ctx: RuleContext,
    instructor_id: int,
    first: EventData,
    second: EventData,
    bookings: tuple[Booking, Booking] | None = None,
) -> Conflict | None:
    """A conflict when ``first`` ends in one nation too shortly before ``second``
    starts in another; None when they are in the same nation or either is
    without one. ``bookings`` are the person's pieces of each (modules)."""
    one, two = bookings or (
        (first.start, first.end, first.id),
        (second.start, second.end, second.id),
    )
    (before, b_before), (after, b_after) = sorted(
        ((first, one), (second, two)), key=lambda pair: pair[1][0]
    )
    if b_after[0] < b_before[1] or b_after[0] - b_before[1] >= ctx.settings.travel_time:
        return None
    nation_a = _place_of(ctx, before, b_before)
    nation_b = _place_of(ctx, after, b_after)
    if nation_a is None or nation_b is None or nation_a == nation_b:
        return None
    uuid, name, label = _resource(ctx, "instructor", instructor_id)
    gap = b_after[0] - b_before[1]
    hours = int(gap.total_seconds() // 3600)
    between = f"{hours} hours" if hours != 1 else "1 hour"
    if hours == 0:
        between = f"{int(gap.total_seconds() // 60)} minutes"
    a, b = sorted((before, after), key=lambda e: e.uuid)
    return ctx.conflict(
        "travel_time",
        conflict_key("travel_time", uuid, a.uuid, b.uuid),
        f"{label} ends {before.ref} in {_nation_name(ctx, nation_a)} on "
        f"{day_text(last_day_of(*b_before[:2]))} and starts {after.ref} in "
        f"{_nation_name(ctx, nation_b)} {between} later",
        [before, after],
        [name],
        last_day_of(*b_before[:2]),
        b_after[0].date(),
    )


def _nation_name(ctx: RuleContext, code: str) -> str:
    nation = ctx.plan.nations.get(code)
    return nation.name if nation is not None else code


Spans = dict[tuple[int, int], tuple[datetime, datetime]]
Closest = dict[str, Conflict]


def _closest(found: Closest, conflict: Conflict | None) -> None:
    """Keep one of two events' travel clashes (their modules may give
    several): the earliest, so the same whichever way it was found."""
    if conflict is None:
        return
    kept = found.get(conflict.key)
    if kept is None or (conflict.last_day, conflict.first_day, conflict.message) < (
        kept.last_day,
        kept.first_day,
        kept.message,
    ):
        found[conflict.key] = conflict


def _share(spans: Spans, a: Booking, b: Booking) -> None:
    """Note that bookings ``a`` and ``b`` (of two events) share time."""
    key = (a[2], b[2]) if a[2] < b[2] else (b[2], a[2])
    start, end = max(a[0], b[0]), min(a[1], b[1])
    found = spans.get(key)
    spans[key] = (min(found[0], start), max(found[1], end)) if found else (start, end)


def full_pair_conflicts(
    ctx: RuleContext, kind: str, ident: int, timeline: Timeline
) -> Iterator[Conflict]:
    events = ctx.plan.events
    spans: Spans = {}
    for a, b in sweep_booking_overlaps(timeline.bookings):
        if a[2] != b[2]:  # two modules of one event are the event's own affair
            _share(spans, a, b)
    for (a_id, b_id), shared in spans.items():
        yield double_booking(ctx, kind, ident, events[a_id], events[b_id], shared)
    if kind == "instructor":
        found: Closest = {}
        for a, b in sweep_close_pairs(timeline.bookings, ctx.settings.travel_time):
            if a[2] != b[2]:
                _closest(found, travel_conflict(ctx, ident, events[a[2]], events[b[2]], (a, b)))
        yield from found.values()


def pair_conflicts_of(
    ctx: RuleContext, kind: str, ident: int, timeline: Timeline, event: EventData
) -> Iterator[Conflict]:
    """The pair conflicts of one event on one resource, found by bisection."""
    events = ctx.plan.events
    own = [b for k, i, b in bookings_of(event) if k == kind and i == ident]
    spans: Spans = {}
    for booking in own:
        for other in timeline.overlapping(booking[0], booking[1]):
            if other[2] != event.id:
                _share(spans, booking, other)
    for (a_id, b_id), shared in spans.items():
        yield double_booking(ctx, kind, ident, events[a_id], events[b_id], shared)
    if kind == "instructor":
        gap = ctx.settings.travel_time
        found: Closest = {}
        for booking in own:
            start, end = booking[0], booking[1]
            for other in timeline.overlapping(start - gap, end + gap):
                if other[2] != event.id and (other[1] <= start or other[0] >= end):
                    pair = (booking, other)
                    _closest(found, travel_conflict(ctx, ident, event, events[other[2]], pair))
        yield from found.values()
