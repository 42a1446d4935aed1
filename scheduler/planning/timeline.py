"""Who is busy when: each resource's events kept sorted by start.

The conflict engine sweeps these lists for a full check and searches them by
bisection when one event changes; the slot finder asks them whether a person,
a room or a unit is free. Cancelled and zero-length events are left out: they
occupy nothing.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta

from scheduler.planning.data import DateSpan, EventData

Booking = tuple[datetime, datetime, int]  # start, end, event id


class Timeline:
    """One resource's bookings, sorted by (start, end, event id).

    ``longest`` only ever grows: it bounds how far before a window a booking
    that reaches into it can start, so a window query bisects to
    ``start - longest`` and scans forward.
    """

    __slots__ = ("bookings", "longest")

    def __init__(self, bookings: Iterable[Booking] = ()) -> None:
        self.bookings: list[Booking] = sorted(bookings)
        self.longest = max((e - s for s, e, _ in self.bookings), default=timedelta(0))

    def __len__(self) -> int:
        return len(self.bookings)

    def add(self, booking: Booking) -> None:
        insort(self.bookings, booking)
        duration = booking[1] - booking[0]
        if duration > self.longest:
            self.longest = duration

    def remove(self, booking: Booking) -> None:
        index = bisect_left(self.bookings, booking)
        if index < len(self.bookings) and self.bookings[index] == booking:
            del self.bookings[index]

    def overlapping(self, start: datetime, end: datetime) -> Iterator[Booking]:
        """Bookings that share time with [start, end); touching ones do not."""
        bookings = self.bookings
        index = bisect_left(bookings, (start - self.longest,))
        count = len(bookings)
        while index < count:
            booking = bookings[index]
            if booking[0] >= end:
                break
            if booking[1] > start:
                yield booking
            index += 1

    def is_free(self, start: datetime, end: datetime) -> bool:
        return next(self.overlapping(start, end), None) is None


def occupies_time(event: EventData) -> bool:
    return event.end > event.start and not event.cancelled


class BookingIndex:
    """Timelines of every instructor, venue and unit of a plan."""

    __slots__ = ("instructors", "units", "venues")

    def __init__(self, events: Iterable[EventData] = ()) -> None:
        instructors: dict[int, list[Booking]] = {}
        venues: dict[int, list[Booking]] = {}
        units: dict[int, list[Booking]] = {}
        for event in events:
            if not occupies_time(event):
                continue
            for kind, ident, booking in bookings_of(event):
                table = (
                    venues if kind == "venue" else instructors if kind == "instructor" else units
                )
                table.setdefault(ident, []).append(booking)
        self.instructors = {k: Timeline(v) for k, v in instructors.items()}
        self.venues = {k: Timeline(v) for k, v in venues.items()}
        self.units = {k: Timeline(v) for k, v in units.items()}

    def timeline(self, kind: str, ident: int) -> Timeline:
        table = (
            self.venues
            if kind == "venue"
            else self.instructors
            if kind == "instructor"
            else self.units
        )
        return table.setdefault(ident, Timeline())

    def timelines_of(self, event: EventData) -> Iterator[tuple[str, int, Timeline]]:
        """Each resource the event books, once, with its timeline."""
        seen: set[tuple[str, int]] = set()
        for kind, ident, _booking in bookings_of(event):
            if (kind, ident) not in seen:
                seen.add((kind, ident))
                yield kind, ident, self.timeline(kind, ident)

    def add(self, event: EventData) -> None:
        if occupies_time(event):
            for kind, ident, booking in bookings_of(event):
                self.timeline(kind, ident).add(booking)

    def remove(self, event: EventData) -> None:
        if occupies_time(event):
            for kind, ident, booking in bookings_of(event):
                self.timeline(kind, ident).remove(booking)


def bookings_of(event: EventData) -> Iterator[tuple[str, int, Booking]]:
    """(kind, resource id, booking) of each resource the event holds: its venue
    and people per piece (the whole event, or each module), its units for
    the whole event. A resource in two pieces has two bookings."""
    whole = (event.start, event.end, event.id)  # one tuple for all the event's own bookings
    for piece in event.pieces():
        is_whole = piece.start == event.start and piece.end == event.end
        booking = whole if is_whole else (piece.start, piece.end, event.id)
        if piece.venue_id is not None:
            yield "venue", piece.venue_id, booking
        for assignment in piece.staff:
            yield "instructor", assignment.instructor_id, booking
    for seat in event.audience:
        yield "unit", seat.unit_id, whole


class SpanIndex:
    """Inclusive day spans (leave, closures) searchable by bisection.

    A person's leave list grows with every year the plan covers; scanning it
    for each event would make a long plan's check grow faster than its size.
    """

    __slots__ = ("firsts", "longest", "spans")

    def __init__(self, spans: Iterable[DateSpan]) -> None:
        self.spans = sorted(spans)
        self.firsts = [s.first for s in self.spans]
        self.longest = max((s.last - s.first for s in self.spans), default=timedelta(0))

    def overlapping(self, first: date, last: date) -> list[DateSpan]:
        """Spans sharing at least one day with [first, last]."""
        if not self.spans:
            return []
        index = bisect_left(self.firsts, first - self.longest)
        found = []
        for span in self.spans[index:]:
            if span.first > last:
                break
            if span.last >= first:
                found.append(span)
        return found
