"""In-memory diaries of the demo's units, instructors and venues.

The generator places events against these instead of the database: a day is
an ordinal, a diary a set (or dict) of days, so checking a candidate event
costs a few set look-ups and a 100,000-event plan builds in seconds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from scheduler.model.enums import InstructorRole, UnitKind, WorkloadPeriod


@dataclass(slots=True, eq=False)
class UnitDiary:
    id: int
    code: str
    name: str
    nation: str
    language: str
    audience: str
    kind: UnitKind
    strength: int
    trains: bool
    parent: UnitDiary | None
    # The organisation (tree root) the unit belongs to: units that train together.
    group: str
    busy: set[int] = field(default_factory=set)
    # course code -> last day of the earliest event of it this unit attends
    completed: dict[str, int] = field(default_factory=dict)

    def is_free(self, first: int, last: int) -> bool:
        return self.busy.isdisjoint(range(first, last + 1))

    def book(self, first: int, last: int) -> None:
        self.busy.update(range(first, last + 1))


_PERIOD_KEYS: dict[WorkloadPeriod, dict[int, tuple[int, int]]] = {p: {} for p in WorkloadPeriod}


def period_key(period: WorkloadPeriod, ordinal: int) -> tuple[int, int]:
    """The workload period a day falls in, as (year, month/quarter/0); cached."""
    cache = _PERIOD_KEYS[period]
    key = cache.get(ordinal)
    if key is None:
        day = date.fromordinal(ordinal)
        if period is WorkloadPeriod.MONTH:
            key = day.year, day.month
        elif period is WorkloadPeriod.QUARTER:
            key = day.year, (day.month - 1) // 3
        else:
            key = day.year, 0
        cache[ordinal] = key
    return key


@dataclass(slots=True, eq=False)
class InstructorDiary:
    id: int
    name: str
    nation: str
    role: InstructorRole
    languages: frozenset[str]
    # qualification code -> last valid day (ordinal), None when it never lapses
    qualifications: dict[str, int | None]
    max_days: int
    period: WorkloadPeriod
    away: set[int] = field(default_factory=set)
    # day -> host nation of the event taught that day
    busy: dict[int, str] = field(default_factory=dict)
    load: dict[tuple[int, int], int] = field(default_factory=dict)

    def holds(self, qualifications: tuple[str, ...], last: int) -> bool:
        held = self.qualifications
        for code in qualifications:
            if code not in held:
                return False
            expires = held[code]
            if expires is not None and expires < last:
                return False
        return True

    def is_available(self, first: int, last: int) -> bool:
        return self.away.isdisjoint(range(first, last + 1))

    def is_free(self, first: int, last: int, nation: str) -> bool:
        """Free on the days and with a day to travel if the neighbours are abroad."""
        busy = self.busy
        if not busy.keys().isdisjoint(range(first, last + 1)):
            return False
        before = busy.get(first - 1)
        after = busy.get(last + 1)
        return (before is None or before == nation) and (after is None or after == nation)

    def has_capacity(self, first: int, last: int) -> bool:
        """Within the workload limit, counting every calendar day of the event."""
        period, load, limit = self.period, self.load, self.max_days
        first_key = period_key(period, first)
        if first_key == period_key(period, last):
            return load.get(first_key, 0) + last - first + 1 <= limit
        extra: dict[tuple[int, int], int] = {}
        for day in range(first, last + 1):
            key = period_key(period, day)
            extra[key] = extra.get(key, 0) + 1
        return all(load.get(key, 0) + n <= limit for key, n in extra.items())

    def book(self, first: int, last: int, nation: str) -> None:
        days = range(first, last + 1)
        self.busy.update(dict.fromkeys(days, nation))
        period, load = self.period, self.load
        first_key = period_key(period, first)
        if first_key == period_key(period, last):
            load[first_key] = load.get(first_key, 0) + len(days)
            return
        for day in days:
            key = period_key(period, day)
            load[key] = load.get(key, 0) + 1

    def speaks(self, language: str) -> bool:
        return language in self.languages


@dataclass(slots=True, eq=False)
class VenueDiary:
    id: int
    name: str
    nation: str
    capacity: int
    facilities: frozenset[str]
    closed: set[int] = field(default_factory=set)
    busy: set[int] = field(default_factory=set)

    def is_free(self, first: int, last: int) -> bool:
        days = range(first, last + 1)
        return self.busy.isdisjoint(days) and self.closed.isdisjoint(days)

    def book(self, first: int, last: int) -> None:
        self.busy.update(range(first, last + 1))
