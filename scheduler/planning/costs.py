"""What training costs, planned and actual, summed the ways a team lead asks:
per partner, per capability target and per provider.

An event that serves two targets counts in both targets' totals, so the
targets of one partner may add up to more than the partner's total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CostLine:
    event_id: int
    kind: str
    planned: float | None
    actual: float | None


@dataclass(frozen=True, slots=True)
class CostTotal:
    key: str
    planned: float
    actual: float
    events: int  # events with at least one cost line
    # Planned amounts of the lines whose actual is known: what the actual is
    # compared with (a run not yet paid for is not an underspend).
    settled_planned: float = 0.0

    @property
    def difference(self) -> float:
        """Actual less what was planned for the same lines (positive: over the plan)."""
        return round(self.actual - self.settled_planned, 2)


def totals(lines: Iterable[CostLine], keys_of: Mapping[int, Iterable[str]]) -> list[CostTotal]:
    """Sums by the keys each line's event has (``keys_of[event_id]``), largest
    planned first. Amounts are rounded to cents once, after summing."""
    planned: dict[str, float] = {}
    actual: dict[str, float] = {}
    settled: dict[str, float] = {}
    events: dict[str, set[int]] = {}
    for line in lines:
        for key in keys_of.get(line.event_id, ()):
            planned[key] = planned.get(key, 0.0) + (line.planned or 0.0)
            actual[key] = actual.get(key, 0.0) + (line.actual or 0.0)
            if line.actual is not None:
                settled[key] = settled.get(key, 0.0) + (line.planned or 0.0)
            events.setdefault(key, set()).add(line.event_id)
    found = [
        CostTotal(
            key,
            round(planned[key], 2),
            round(actual[key], 2),
            len(events[key]),
            round(settled.get(key, 0.0), 2),
        )
        for key in planned
    ]
    return sorted(found, key=lambda t: (-t.planned, t.key))
