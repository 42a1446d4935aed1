"""Training of one partner by more than one provider that clashes or repeats.

The cell is one provider among several (UK departments and agencies, other
nations, NATO, the EU). Two runs of different providers for the same partner
nation are listed when:

- **same unit**: they share a unit and their days overlap (the unit cannot be
  in both);
- **duplicate**: they run the same course within ``window_days`` of each
  other (one of them may not be needed).

Only pairs with at least one run of another provider are looked at, so a
plan of 100,000 of the cell's own events costs a search per outside run.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

SAME_UNIT = "same unit"
DUPLICATE = "duplicate"
THE_CELL = ""


@dataclass(frozen=True, slots=True)
class ProviderRun:
    id: int
    ref: str
    nation: str  # the partner: its code
    course_id: int
    first_day: date
    last_day: date
    unit_ids: frozenset[int]
    provider: str = THE_CELL


@dataclass(frozen=True, slots=True)
class Overlap:
    kind: str  # SAME_UNIT or DUPLICATE
    first: ProviderRun
    second: ProviderRun
    shared_units: frozenset[int] = frozenset()


def overlaps(runs: Iterable[ProviderRun], window_days: int = 30) -> list[Overlap]:
    """Every clash or repeat between providers, earliest first (a pair once)."""
    by_nation: dict[str, list[ProviderRun]] = defaultdict(list)
    for run in runs:
        by_nation[run.nation].append(run)
    window = timedelta(days=window_days)
    found: dict[tuple[int, int], Overlap] = {}
    for nation_runs in by_nation.values():
        nation_runs.sort(key=lambda r: (r.first_day, r.id))
        starts = [r.first_day for r in nation_runs]
        longest = max((r.last_day - r.first_day for r in nation_runs), default=timedelta())
        for run in nation_runs:
            if run.provider == THE_CELL:
                continue
            low = bisect_left(starts, run.first_day - window - longest)
            high = bisect_right(starts, run.last_day + window)
            for other in nation_runs[low:high]:
                if other.provider == run.provider:
                    continue
                pair = (min(run.id, other.id), max(run.id, other.id))
                if pair in found:
                    continue
                overlap = _between(run, other, window)
                if overlap is not None:
                    found[pair] = overlap
    return sorted(found.values(), key=lambda o: (o.first.first_day, o.first.ref, o.second.ref))


def _between(a: ProviderRun, b: ProviderRun, window: timedelta) -> Overlap | None:
    first, second = sorted((a, b), key=lambda r: (r.first_day, r.ref))
    shared = a.unit_ids & b.unit_ids
    if shared and a.first_day <= b.last_day and b.first_day <= a.last_day:
        return Overlap(SAME_UNIT, first, second, shared)
    if a.course_id == b.course_id and second.first_day - first.last_day <= window:
        return Overlap(DUPLICATE, first, second, shared)
    return None
