"""Who is how busy, week by week: booked days against working days.

A person's (or a venue's) working days in a week are the days its nation
works (the nation's working week, less its (or its region's) public holidays
and the plan's closure days), less the days of its own leave or closures.
Its booked days are the working days its non-cancelled events cover; a day
with two events counts once, and is flagged as double-booked when the
events then running take more than the resource holds (a person or a room
holds one; kit holds its quantity, and each event takes what its course
needs). Booked days that fall on leave still count as booked, so the cell
reads "over" (booked > available) and the planner sees it.

Hours are counted beside days: a booked working day takes its course's
hours a day (a half-day language course 3.5, two of them 7), and each
available working day offers ``WORKING_DAY_HOURS``.

Pure: the service reads the rows, this counts them. Days are held in flat
arrays indexed from the period's first day, so 700 people over a year are
a few hundred thousand small steps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.planning.data import last_day_of
from scheduler.planning.periods import week_starts
from scheduler.planning.workdays import PlanCalendars

# The hours a working day offers, against which courses' hours are counted.
WORKING_DAY_HOURS = 8.0


@dataclass(frozen=True, slots=True)
class Week:
    """One column: the week starting on ``start``, counted on ``first``..``last``
    (the days of it inside the period)."""

    start: date
    first: date
    last: date

    @property
    def number(self) -> int:
        """The ISO week number of the week's middle (its Thursday when weeks start on Monday)."""
        return (self.start + timedelta(days=3)).isocalendar()[1]

    @property
    def label(self) -> str:
        return f"W{self.number:02d} · {self.start.day} {self.start:%b}"


@dataclass(frozen=True, slots=True)
class UsedResource:
    """An instructor or venue with the inclusive day spans it is away or closed."""

    id: int
    name: str
    nation_code: str | None
    nation_name: str = ""
    away: tuple[tuple[date, date], ...] = ()
    holiday_region: str | None = None  # a venue's, whose holidays it keeps
    capacity: int = 1  # how many events at once it holds (kit: its quantity)


@dataclass(frozen=True, slots=True)
class Booking:
    """One non-cancelled event on one resource, [start, end) local time."""

    event_id: int
    start: datetime
    end: datetime
    amount: int = 1  # what the event takes of the resource (kit: its need)
    hours: float = 0.0  # the hours a day its course takes


@dataclass(frozen=True, slots=True)
class WeekUse:
    available: int
    booked: int
    double_booked: int = 0
    away: int = 0
    event_ids: tuple[int, ...] = ()
    booked_hours: float = 0.0

    @property
    def ratio(self) -> float | None:
        return self.booked / self.available if self.available else None

    @property
    def available_hours(self) -> float:
        return self.available * WORKING_DAY_HOURS

    @property
    def hours_ratio(self) -> float | None:
        available = self.available_hours
        return self.booked_hours / available if available else None

    @property
    def over(self) -> bool:
        """More booked than available, or two events at once."""
        return self.booked > self.available or self.double_booked > 0

    @property
    def text(self) -> str:
        return f"{self.booked}/{self.available}"


@dataclass(frozen=True, slots=True)
class ResourceUse:
    resource: UsedResource
    weeks: tuple[WeekUse, ...]

    @property
    def available(self) -> int:
        return sum(w.available for w in self.weeks)

    @property
    def booked(self) -> int:
        return sum(w.booked for w in self.weeks)

    @property
    def double_booked(self) -> int:
        return sum(w.double_booked for w in self.weeks)

    @property
    def booked_hours(self) -> float:
        return sum(w.booked_hours for w in self.weeks)

    @property
    def available_hours(self) -> float:
        return self.available * WORKING_DAY_HOURS

    @property
    def hours_ratio(self) -> float | None:
        available = self.available_hours
        return self.booked_hours / available if available else None

    @property
    def ratio(self) -> float | None:
        available = self.available
        return self.booked / available if available else None

    @property
    def over(self) -> bool:
        return any(w.over for w in self.weeks)


def weeks_of(first: date, last: date, week_start: int = 0) -> list[Week]:
    """The weeks (starting on weekday ``week_start``, 0 = Monday) sharing days with the period."""
    return [
        Week(start, max(start, first), min(start + timedelta(days=6), last))
        for start in week_starts(first, last, week_start)
    ]


def _working_mask(
    calendars: PlanCalendars, place: tuple[str | None, str | None], first: date, size: int
) -> bytes:
    calendar = calendars.for_nation(*place)
    return bytes(calendar.is_working_day(first + timedelta(days=i)) for i in range(size))


def resource_use(
    resource: UsedResource,
    bookings: Iterable[Booking],
    weeks: Sequence[Week],
    working: bytes,
) -> ResourceUse:
    """One row: ``working`` marks the nation's working days from the first week's ``first``."""
    if not weeks:
        return ResourceUse(resource, ())
    origin, size = weeks[0].first, len(working)
    available = bytearray(working)
    away = bytearray(size)
    for away_first, away_last in resource.away:
        start, stop = (away_first - origin).days, (away_last - origin).days + 1
        for i in range(max(0, start), min(size, stop)):
            if available[i]:
                away[i] = 1
            available[i] = 0
    booked = bytearray(size)
    hours = [0.0] * size
    touching: list[list[int]] = [[] for _ in weeks]
    ordered = sorted(bookings, key=lambda b: (b.start, b.end, b.event_id))
    # Day i of the period lies in week (i + lead) // 7: weeks are seven days apart.
    lead = (origin - weeks[0].start).days
    for booking in ordered:
        low = max(0, (booking.start.date() - origin).days)
        high = min(size - 1, (last_day_of(booking.start, booking.end) - origin).days)
        if low > high:
            continue
        for i in range(low, high + 1):
            if working[i]:
                booked[i] = 1
                hours[i] += booking.hours
        for n in range((low + lead) // 7, (high + lead) // 7 + 1):
            touching[n].append(booking.event_id)
    double = _over_capacity(ordered, resource.capacity, origin, size)
    cells = []
    for n, week in enumerate(weeks):
        a, b = (week.first - origin).days, (week.last - origin).days + 1
        cells.append(
            WeekUse(
                available=sum(available[a:b]),
                booked=sum(booked[a:b]),
                double_booked=sum(double[a:b]),
                away=sum(away[a:b]),
                event_ids=tuple(dict.fromkeys(touching[n])),
                booked_hours=sum(hours[a:b]),
            )
        )
    return ResourceUse(resource, tuple(cells))


def _over_capacity(
    bookings: Sequence[Booking], capacity: int, origin: date, size: int
) -> bytearray:
    """Days (from ``origin``) with a moment when the bookings then running take
    more than ``capacity``: for a person or a room, two events at once."""
    over = bytearray(size)
    # Ends sort before starts at the same moment: touching is not sharing.
    points = sorted(
        [(b.start, 1, b.amount) for b in bookings] + [(b.end, 0, b.amount) for b in bookings]
    )
    total = 0
    for index, (moment, is_start, amount) in enumerate(points):
        total += amount if is_start else -amount
        if total <= capacity or index + 1 == len(points):
            continue
        until = points[index + 1][0]
        if until <= moment:
            continue
        low = max(0, (moment.date() - origin).days)
        high = min(size - 1, (last_day_of(moment, until) - origin).days)
        for i in range(low, high + 1):
            over[i] = 1
    return over


def utilisation(
    resources: Iterable[UsedResource],
    bookings: Mapping[int, Sequence[Booking]],
    first: date,
    last: date,
    calendars: PlanCalendars,
    week_start: int = 0,
) -> tuple[list[Week], list[ResourceUse]]:
    """The weeks of [first, last] and one row per resource, sorted by name."""
    weeks = weeks_of(first, last, week_start)
    if not weeks:
        return [], []
    size = (last - first).days + 1
    masks: dict[tuple[str | None, str | None], bytes] = {}
    # Most resources of a big plan have nothing booked in a given quarter:
    # their weeks depend on their calendar alone, worked out and held once.
    idle: dict[tuple[str | None, str | None], tuple[WeekUse, ...]] = {}
    rows = []
    for resource in sorted(resources, key=lambda r: (r.name.casefold(), r.id)):
        place = (resource.nation_code, resource.holiday_region)
        mask = masks.get(place)
        if mask is None:
            mask = masks[place] = _working_mask(calendars, place, first, size)
        booked = bookings.get(resource.id, ())
        if booked or resource.away:
            rows.append(resource_use(resource, booked, weeks, mask))
            continue
        if place not in idle:
            idle[place] = resource_use(resource, (), weeks, mask).weeks
        rows.append(ResourceUse(resource, idle[place]))
    return weeks, rows
