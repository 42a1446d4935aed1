"""Kit booked beyond what is held: more rifles, vehicles or range lanes needed
at one moment than the plan holds.

Each event needs of a kit what its course lists, by its seats. A kit's
bookings are the events of the courses that need it. A sweep over their
starts and ends finds each *episode*: a stretch of time in which the events
then running need more than is held; one conflict per episode names every
event in it. A much-used kit's bookings overlap in one chain for years, so
an edit re-judges only the episodes around it (``episodes_around``), not
the chain.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from typing import NamedTuple

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import EventData, KitData, PlanData, last_day_of
from scheduler.planning.rules.runs import peak
from scheduler.planning.timeline import Booking, Timeline, occupies_time
from scheduler.planning.wording import and_list, days_text

RULE = "kit_over_quantity"
_NUDGE = timedelta(seconds=1)


def kit_needed(plan: PlanData, event: EventData) -> dict[int, int]:
    """Kit id -> how much ``event`` needs (nothing when it is cancelled)."""
    if event.cancelled or event.external:
        return {}
    course = plan.courses.get(event.course_id)
    if course is None or not course.kit:
        return {}
    seats = event.seats
    return {need.kit_id: need.for_seats(seats) for need in course.kit}


class KitIndex:
    """Each kit's bookings: the events of the courses that need it."""

    __slots__ = ("plan", "timelines")

    def __init__(self, plan: PlanData, events: Iterable[EventData] = ()) -> None:
        self.plan = plan
        found: dict[int, list[Booking]] = {}
        for event in events:
            if occupies_time(event):
                for kit_id in kit_needed(plan, event):
                    found.setdefault(kit_id, []).append((event.start, event.end, event.id))
        self.timelines = {k: Timeline(v) for k, v in found.items()}

    def kit_of(self, event: EventData) -> list[int]:
        return list(kit_needed(self.plan, event)) if occupies_time(event) else []

    def add(self, event: EventData) -> None:
        for kit_id in self.kit_of(event):
            self.timelines.setdefault(kit_id, Timeline()).add((event.start, event.end, event.id))

    def remove(self, event: EventData) -> None:
        for kit_id in self.kit_of(event):
            timeline = self.timelines.get(kit_id)
            if timeline is not None:
                timeline.remove((event.start, event.end, event.id))

    def in_use(self, kit_id: int, start: datetime, end: datetime, ignore: int | None = None) -> int:
        """The most of a kit other events need at one moment of [start, end).

        Events that all overlap the window and each other share a moment
        inside it (intervals on a line), so the peak of the overlapping ones
        is the peak within the window.
        """
        timeline = self.timelines.get(kit_id)
        if timeline is None:
            return 0
        events = self.plan.events
        found = [b for b in timeline.overlapping(start, end) if b[2] != ignore]
        if not found:
            return 0
        amounts = {b[2]: kit_needed(self.plan, events[b[2]]).get(kit_id, 0) for b in found}
        return peak(found, amounts).total


class Episode(NamedTuple):
    """[start, end): the events then running need more than is held."""

    start: datetime
    end: datetime
    event_ids: frozenset[int]
    most: int  # the most needed at one moment


def episodes(bookings: Sequence[Booking], amounts: Mapping[int, int], held: int) -> list[Episode]:
    """The episodes of ``bookings`` (any order), in time order; episodes that
    touch are one."""
    # Ends sort before starts at the same moment: touching is not sharing.
    points = sorted([(s, 1, i) for s, _, i in bookings] + [(e, 0, i) for _, e, i in bookings])
    found: list[Episode] = []
    total = 0
    active: set[int] = set()
    start: datetime | None = None
    members: set[int] = set()
    most = 0
    for moment, is_start, ident in points:
        if is_start:
            active.add(ident)
            total += amounts[ident]
        else:
            active.discard(ident)
            total -= amounts[ident]
        if total > held:
            if start is None:
                start, members, most = moment, set(), 0
            members |= active
            most = max(most, total)
        elif start is not None:
            if found and found[-1].end == start:  # touching: one episode
                last = found.pop()
                start, members, most = last.start, members | last.event_ids, max(most, last.most)
            found.append(Episode(start, moment, frozenset(members), most))
            start = None
    return found


def episodes_around(
    timeline: Timeline, amounts: Callable[[int], int], held: int, start: datetime, end: datetime
) -> tuple[list[Episode], datetime, datetime]:
    """The episodes that reach into [start, end), each whole, and the window
    [low, high) they were judged in: it widens until no episode touches its
    edges, so at its edges no more is needed than is held.

    An empty window (an event of no length) is judged as the instant with a
    moment either side: an episode can pass through an instant at which
    only one event runs (one ends as the next starts), and the caller drops
    every conflict whose span holds that instant."""
    low, high = (start, end) if end > start else (start - _NUDGE, start + _NUDGE)
    while True:
        found = list(timeline.overlapping(low, high))
        judged = episodes(found, {b[2]: amounts(b[2]) for b in found}, held)
        wider_low = min([low, *(e.start for e in judged if e.start <= low)])
        wider_high = max([high, *(e.end for e in judged if e.end >= high)])
        if wider_low < low or wider_high > high:
            low = wider_low - _NUDGE if wider_low < low else low
            high = wider_high + _NUDGE if wider_high > high else high
            continue
        if any(e.start <= low or e.end >= high for e in judged):
            low, high = low - _NUDGE, high + _NUDGE  # touching an edge: look past it
            continue
        return judged, low, high


def kit_conflict(ctx: RuleContext, kit: KitData, episode: Episode) -> Conflict:
    events = ctx.plan.events
    involved = sorted((events[i] for i in episode.event_ids), key=lambda e: (e.start, e.ref))
    first_day, last_day = episode.start.date(), last_day_of(episode.start, episode.end)
    refs = and_list(f"{e.ref} ({kit_needed(ctx.plan, e).get(kit.id, 0)})" for e in involved)
    at_once = " at once" if len(involved) > 1 else ""
    return ctx.conflict(
        RULE,
        conflict_key(RULE, kit.uuid, *sorted(e.uuid for e in involved)),
        f"{kit.name}: {refs} need {episode.most}{at_once} on "
        f"{days_text(first_day, last_day)}, more than the {kit.quantity} held by {kit.owner}",
        involved,
        [kit.name],
        first_day,
        last_day,
    )


def full_kit_conflicts(
    ctx: RuleContext, kit_id: int, timeline: Timeline
) -> Iterator[tuple[Conflict, Episode]]:
    kit = ctx.plan.kit.get(kit_id)
    if kit is None:
        return
    plan = ctx.plan
    amounts = {b[2]: kit_needed(plan, plan.events[b[2]]).get(kit_id, 0) for b in timeline.bookings}
    for episode in episodes(timeline.bookings, amounts, kit.quantity):
        yield kit_conflict(ctx, kit, episode), episode
