"""The timeline's data: rows of one kind, and bars cached by date chunk.

Bars are kept in chunks of ``CHUNK_DAYS`` days, each chunk holding the
bars that *start* in it, grouped by resource. Painting a window asks only
the chunks from ``first - longest`` to ``last``, so no bar is read twice
and nothing is merged; scrolling loads just the chunks it has not seen,
and after each paint the next viewport on either side is read ahead on a
worker thread. Any edit to events drops the chunks (the visible ones are
read again at once, a few milliseconds). GUI thread only, apart from the
read-ahead jobs it starts.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from scheduler.planning.workdays import DEFAULT_WORKING_WEEKDAYS, PlanCalendars, WorkingCalendar
from scheduler.services.timeline_rows import (
    ResourceKind,
    TimelineBar,
    TimelineResource,
    TimelineResources,
    booked_days,
)
from scheduler.ui.calendar.colours import ColourScheme

if TYPE_CHECKING:
    from scheduler.ui.document import PlanDocument

log = logging.getLogger(__name__)
CHUNK_DAYS = 32
MAX_CHUNKS = 480
_EPOCH = date(2000, 1, 3)  # a Monday
Chunk = dict[int, list[TimelineBar]]


def chunk_of(day: date) -> int:
    return (day - _EPOCH).days // CHUNK_DAYS


def chunk_first(index: int) -> date:
    return _EPOCH + timedelta(days=index * CHUNK_DAYS)


class TimelineSource(QObject):
    """Owns one kind's resources (``data``) and its bar chunks.

    ``load_data(kind)`` reads the resources; ``bars(resource_id, first,
    last)`` yields the bars sharing a day with the window, after
    ``ensure(first, last)`` made sure the chunks are there.
    """

    def __init__(
        self,
        document: PlanDocument,
        today: date,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.today = today
        # The weekdays some nation of the plan works: the others are dimmed
        # on every row (one strip for all rows keeps scrolling cheap).
        self.working_weekdays = DEFAULT_WORKING_WEEKDAYS
        self.data: TimelineResources | None = None
        self.colours = ColourScheme([])
        self.calendars = PlanCalendars()
        self._chunks: OrderedDict[int, Chunk] = OrderedDict()
        self._generation = 0
        self._prefetching = False
        self._longest_days = 0
        self._days_off: dict[tuple[str | None, str | None, date, date], dict[date, str]] = {}
        self._use: dict[tuple[int, date, date], tuple[int, int]] = {}
        self.loads = 0  # chunk runs read on the GUI thread (tests and benchmarks look)

    # --- resources
    def load_data(self, kind: ResourceKind) -> TimelineResources:
        from scheduler.services.timeline_rows import load_resources

        data = self.document.read(lambda session: load_resources(session, kind, self.today))
        self.data = data
        self.calendars = data.calendars
        self.working_weekdays = data.calendars.any_working_weekdays()
        # The calendar's scheme, with the categories in the order it uses.
        categories = {c.category for c in data.courses.values() if c.category}
        self.colours = ColourScheme(sorted(categories, key=str.casefold))
        self._days_off.clear()
        self.invalidate()
        return data

    def calendar(self, resource: TimelineResource) -> WorkingCalendar:
        """The calendar a row keeps: its nation's, and a venue's region's holidays."""
        return self.calendars.for_nation(resource.nation_code, resource.holiday_region)

    def days_off(self, resource: TimelineResource, first: date, last: date) -> dict[date, str]:
        """Public holidays and plan closures on working weekdays of [first, last],
        with their names."""
        key = (resource.nation_code, resource.holiday_region, first, last)
        found = self._days_off.get(key)
        if found is None:
            calendar = self.calendar(resource)
            found = {}
            day = first
            while day <= last:
                if day.weekday() in calendar.working_weekdays:
                    reason = calendar.day_off_reason(day)
                    if reason is not None:
                        found[day] = reason
                day += timedelta(days=1)
            if len(self._days_off) > 256:
                self._days_off.clear()
            self._days_off[key] = found
        return found

    # --- bars
    def invalidate(self) -> None:
        """Forget every bar (events changed); read-ahead jobs under way are ignored."""
        self._generation += 1
        self._chunks.clear()
        self._use.clear()
        self._prefetching = False
        data = self.data
        self._longest_days = data.longest.days + 1 if data is not None else 0

    def _reader(self, low: int, high: int) -> Callable[..., Chunk]:
        from scheduler.services.timeline_rows import load_bars

        data = self.data
        assert data is not None
        first, last = chunk_first(low), chunk_first(high + 1) - timedelta(days=1)
        kind, courses = data.kind, data.courses

        def read(session: object) -> Chunk:
            return load_bars(
                session,  # type: ignore[arg-type]
                kind,
                first,
                last,
                timedelta(0),
                courses,
                starting_only=True,
            )

        return read

    def _store(self, low: int, high: int, found: Chunk) -> None:
        chunks = {index: {} for index in range(low, high + 1)}  # type: dict[int, Chunk]
        longest = self._longest_days
        for resource, bars in found.items():
            for bar in bars:
                chunks[chunk_of(bar.first)].setdefault(resource, []).append(bar)
                longest = max(longest, (bar.last - bar.first).days + 1)
        self._longest_days = longest
        for index, chunk in chunks.items():
            self._chunks[index] = chunk
            self._chunks.move_to_end(index)
        while len(self._chunks) > MAX_CHUNKS:
            self._chunks.popitem(last=False)

    def _span(self, first: date, last: date) -> tuple[int, int]:
        return chunk_of(first - timedelta(days=self._longest_days)), chunk_of(last)

    def _missing_runs(self, low: int, high: int) -> list[tuple[int, int]]:
        runs: list[tuple[int, int]] = []
        for index in range(low, high + 1):
            if index in self._chunks:
                self._chunks.move_to_end(index)
                continue
            if runs and runs[-1][1] == index - 1:
                runs[-1] = (runs[-1][0], index)
            else:
                runs.append((index, index))
        return runs

    def ensure(self, first: date, last: date) -> None:
        """Read the chunks [first, last] needs that are not cached (GUI thread, at once)."""
        if self.data is None:
            return
        for low, high in self._missing_runs(*self._span(first, last)):
            self.loads += 1
            self._store(low, high, self.document.read(self._reader(low, high)))

    def prefetch(self, first: date, last: date) -> None:
        """Read [first, last]'s missing chunks on a worker thread (one job at a time)."""
        if self.data is None or self._prefetching:
            return
        runs = self._missing_runs(*self._span(first, last))
        if not runs:
            return
        low, high = runs[0][0], runs[-1][1]
        generation = self._generation
        self._prefetching = True

        def done(found: Chunk) -> None:
            if generation != self._generation:
                return
            self._prefetching = False
            self._store(low, high, found)

        def failed(error: BaseException) -> None:
            self._prefetching = False
            log.warning("reading timeline bars ahead failed", exc_info=error)

        self.document.read_async(self._reader(low, high), done, failed=failed, owner=self)

    @property
    def prefetching(self) -> bool:
        return self._prefetching

    @property
    def version(self) -> int:
        """Changes whenever the bars or the resources may have changed (``invalidate``)."""
        return self._generation

    def covers(self, first: date, last: date) -> bool:
        """Whether ``bars`` over [first, last] needs no chunk that is not read yet."""
        if self.data is None:
            return False
        low, high = self._span(first, last)
        chunks = self._chunks
        return all(index in chunks for index in range(low, high + 1))

    def bars(self, resource_id: int, first: date, last: date) -> Iterator[TimelineBar]:
        """Bars of one resource sharing a day with [first, last], by start (chunks cached)."""
        low, high = self._span(first, last)
        chunks = self._chunks
        for index in range(low, high + 1):
            chunk = chunks.get(index)
            if chunk is None:
                continue
            for bar in chunk.get(resource_id, ()):
                if bar.first <= last and bar.last >= first:
                    yield bar

    def utilisation(self, resource: TimelineResource, first: date, last: date) -> tuple[int, int]:
        """(working days booked, working days) of one row in [first, last]."""
        key = (resource.id, first, last)
        found = self._use.get(key)
        if found is None:
            calendar = self.calendar(resource)
            working = calendar.working_days_between(first, last)
            booked = booked_days(self.bars(resource.id, first, last), calendar, first, last)
            found = (booked, working)
            if len(self._use) > 20_000:
                self._use.clear()
            self._use[key] = found
        return found
