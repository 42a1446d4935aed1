"""A unit that sends more people to training at once than it has.

Within each run of a unit's overlapping bookings the seats committed at any
moment are summed (``runs``), and one conflict names the events running at
the worst moment.
"""

from __future__ import annotations

from collections.abc import Iterator

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import UnitData, last_day_of
from scheduler.planning.rules.event_rules import unit_label
from scheduler.planning.rules.runs import peak, runs
from scheduler.planning.timeline import Booking, Timeline
from scheduler.planning.wording import and_list, days_text


def strength_conflict(ctx: RuleContext, unit: UnitData, run: list[Booking]) -> Conflict | None:
    if unit.strength is None:
        return None
    events = ctx.plan.events
    seats: dict[int, int] = {}
    for _, _, ident in run:
        seats[ident] = sum(s.seats for s in events[ident].audience if s.unit_id == unit.id)
    if sum(seats.values()) <= unit.strength:
        return None
    worst = peak(run, seats)
    if worst.total <= unit.strength:
        return None
    involved = sorted((events[i] for i in worst.event_ids), key=lambda e: (e.start, e.ref))
    peak_at = worst.moment
    until = min(e.end for e in involved)
    first_day, last_day = peak_at.date(), last_day_of(peak_at, until)
    refs = and_list(e.ref for e in involved)
    at_once = " at once" if len(involved) > 1 else ""
    return ctx.conflict(
        "unit_over_strength",
        conflict_key("unit_over_strength", unit.uuid, *sorted(e.uuid for e in involved)),
        f"{unit_label(unit)} has {worst.total} people on {refs}{at_once} on "
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
