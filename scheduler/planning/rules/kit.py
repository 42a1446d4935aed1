"""Kit booked beyond what is held: more rifles, vehicles or range lanes needed
at one moment than the plan holds.

Each event needs of a kit what its course lists, by its seats. A kit's
bookings are the events of the courses that need it; within each run of
overlapping ones the amounts are summed (``runs``), and one conflict names
the events running at the worst moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import EventData, KitData, PlanData, last_day_of
from scheduler.planning.rules.runs import peak, runs
from scheduler.planning.timeline import Booking, Timeline, occupies_time
from scheduler.planning.wording import and_list, days_text

RULE = "kit_over_quantity"


def kit_needed(plan: PlanData, event: EventData) -> dict[int, int]:
    """Kit id -> how much ``event`` needs (nothing when it is cancelled)."""
    if event.cancelled:
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


def kit_conflict(ctx: RuleContext, kit: KitData, run: list[Booking]) -> Conflict | None:
    events = ctx.plan.events
    amounts = {ident: kit_needed(ctx.plan, events[ident]).get(kit.id, 0) for _, _, ident in run}
    if sum(amounts.values()) <= kit.quantity:
        return None
    worst = peak(run, amounts)
    if worst.total <= kit.quantity:
        return None
    involved = sorted((events[i] for i in worst.event_ids), key=lambda e: (e.start, e.ref))
    until = min(e.end for e in involved)
    first_day, last_day = worst.moment.date(), last_day_of(worst.moment, until)
    refs = and_list(f"{e.ref} ({amounts[e.id]})" for e in involved)
    at_once = " at once" if len(involved) > 1 else ""
    return ctx.conflict(
        RULE,
        conflict_key(RULE, kit.uuid, *sorted(e.uuid for e in involved)),
        f"{kit.name}: {refs} need {worst.total}{at_once} on "
        f"{days_text(first_day, last_day)}, more than the {kit.quantity} held by {kit.owner}",
        involved,
        [kit.name],
        first_day,
        last_day,
    )


def full_kit_conflicts(ctx: RuleContext, kit_id: int, timeline: Timeline) -> Iterator[Conflict]:
    kit = ctx.plan.kit.get(kit_id)
    if kit is None:
        return
    for run in runs(timeline.bookings):
        conflict = kit_conflict(ctx, kit, run)
        if conflict is not None:
            yield conflict
