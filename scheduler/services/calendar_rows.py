"""What the calendar shows: plain rows for the events of the visible range.

A calendar page asks for one month (or week, or day) at a time, so it must
cost what that range holds, not what the plan holds. Events overlapping
[a, b) are ``start < b and end > a``; with the (start, end) index alone that
predicate still scans every event that started before ``b``. A lower bound
``start >= a - longest`` (``longest`` being the longest event of the plan,
read once and kept) turns it into a short index range (DESIGN.md, range
queries: ~3 ms at 100k events). Rows are plain tuples of columns, never ORM
objects, and the filters are applied to those few rows in Python.

Also the shading of the range: public holidays of chosen nations, plan
closure days and venue closures, each with its name for a tooltip.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from scheduler.model import (
    ClosureDay,
    Course,
    EventAudience,
    EventInstructor,
    Instructor,
    Nation,
    Provider,
    TrainingEvent,
    Unit,
    Venue,
    VenueClosure,
)
from scheduler.planning.data import MONDAY_TO_FRIDAY, last_day_of
from scheduler.planning.holiday_regions import region_name
from scheduler.planning.wording import WEEKDAY_DATE, date_format
from scheduler.planning.workdays import public_holidays
from scheduler.services.event_extent import MIN_SPAN
from scheduler.services.event_listing import LISTED_WIDTH, event_listing, listed
from scheduler.services.plan_calendars import working_week


@dataclass(frozen=True, slots=True)
class CalendarRow:
    """One event as the calendar draws it. ``units``/``instructors`` are display names."""

    id: int
    uuid: str
    ref: str
    course_code: str
    title: str
    category: str
    colour: str | None
    start: datetime
    end: datetime
    status: str
    venue: str
    nation: str  # host nation code (the venue's), "" if no venue
    units: tuple[str, ...] = ()
    unit_nations: tuple[str, ...] = ()
    instructors: tuple[str, ...] = ()
    series_id: int | None = None
    is_override: bool = False
    # The version shown: a drag of it is refused if another planner changed it since.
    version_id: int | None = None
    # "Field week: Mon 14 Jun – Fri 18 Jun, Krivolak": where its modules are held.
    modules: tuple[str, ...] = ()
    # Who delivers it when not the cell: drawn faint, named in the tooltip.
    provider: str = ""

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last day the event occupies (an end at midnight belongs to the day before)."""
        return last_day_of(self.start, self.end)

    @property
    def haystack(self) -> str:
        return " ".join(
            (
                self.ref,
                self.course_code,
                self.title,
                self.category,
                self.venue,
                self.nation,
                self.status,
                *self.units,
                *self.instructors,
            )
        ).casefold()


@dataclass(frozen=True, slots=True)
class CalendarFilters:
    """What the planner narrowed the calendar to; empty values mean "any"."""

    nation: str = ""
    unit: str = ""
    instructor: str = ""
    venue: str = ""
    category: str = ""
    status: str = ""
    search: str = ""

    def matches(self, row: CalendarRow) -> bool:
        if self.nation and self.nation != row.nation and self.nation not in row.unit_nations:
            return False
        if self.unit and self.unit not in row.units:
            return False
        if self.instructor and self.instructor not in row.instructors:
            return False
        if self.venue and self.venue != row.venue:
            return False
        if self.category and self.category != row.category:
            return False
        if self.status and self.status != row.status:
            return False
        words = self.search.casefold().split()
        if words:
            haystack = row.haystack
            return all(word in haystack for word in words)
        return True

    @property
    def active(self) -> bool:
        return any(getattr(self, name) for name in self.__dataclass_fields__)


@dataclass(slots=True)
class Longest:
    """The kept lower bound; grows when edited events are longer than it."""

    span: timedelta = MIN_SPAN

    def note(self, session: Session, event_ids: Iterable[int]) -> None:
        ids = list(event_ids)
        if not ids:
            return
        for start, end in session.execute(
            select(TrainingEvent.start, TrainingEvent.end).where(TrainingEvent.id.in_(ids))
        ):
            if end - start >= self.span:
                self.span = end - start + timedelta(seconds=1)


def _window(first: date, last: date, longest: timedelta) -> ColumnElement[bool]:
    """Events sharing time with the days ``first``..``last``: the start bound
    first, so the index on ``start`` narrows the scan (``longest`` before)."""
    a = datetime.combine(first, time())
    b = datetime.combine(last + timedelta(days=1), time())
    return (
        (TrainingEvent.start >= a - longest) & (TrainingEvent.start < b) & (TrainingEvent.end > a)
    )


def event_ids_in(session: Session, first: date, last: date, longest: timedelta) -> set[int]:
    """The ids of the events sharing time with those days (an index scan: a
    view that patches its rows after an edit learns what came and went)."""
    return set(session.scalars(select(TrainingEvent.id).where(_window(first, last, longest))))


def calendar_rows(
    session: Session,
    first: date,
    last: date,
    longest: timedelta,
    *,
    only: Collection[int] | None = None,
) -> list[CalendarRow]:
    """Events sharing time with the days ``first``..``last`` (inclusive), by start.

    ``only``: just those of these ids (the events an edit changed).
    """
    window = _window(first, last, longest)
    if only is not None:
        window = window & TrainingEvent.id.in_(list(only))
    ids = select(TrainingEvent.id).where(window).scalar_subquery()
    connection = session.connection()
    units: dict[int, list[str]] = defaultdict(list)
    unit_nations: dict[int, set[str]] = defaultdict(set)
    for event_id, code, nation in connection.execute(
        select(EventAudience.event_id, Unit.code, Nation.code)
        .join(Unit, Unit.id == EventAudience.unit_id)
        .outerjoin(Nation, Nation.id == Unit.nation_id)
        .where(EventAudience.event_id.in_(ids))
    ):
        units[event_id].append(code)
        if nation:
            unit_nations[event_id].add(nation)
    teachers: dict[int, list[str]] = defaultdict(list)
    for event_id, name in connection.execute(
        select(EventInstructor.event_id, Instructor.name)
        .join(Instructor, Instructor.id == EventInstructor.instructor_id)
        .where(EventInstructor.event_id.in_(ids))
    ):
        teachers[event_id].append(name)
    providers = dict(
        connection.execute(
            select(TrainingEvent.id, Provider.name)
            .join(Provider, Provider.id == TrainingEvent.provider_id)
            .where(window)
        ).all()
    )
    query = event_listing(
        Course.colour, TrainingEvent.series_id, TrainingEvent.is_override, where=window
    ).order_by(TrainingEvent.start, TrainingEvent.end.desc(), TrainingEvent.ref)
    rows = []
    for row in connection.execute(query):
        event = listed(row)
        colour, series_id, is_override = row[LISTED_WIDTH:]
        rows.append(
            CalendarRow(
                id=event.id,
                uuid=event.uuid,
                ref=event.ref,
                course_code=event.course_code,
                title=event.course_title,
                category=event.category or "",
                colour=colour,
                start=event.start,
                end=event.end,
                status=event.status,
                venue=event.venue or "",
                nation=event.nation or "",
                units=tuple(sorted(units.get(event.id, ()), key=str.casefold)),
                unit_nations=tuple(sorted(unit_nations.get(event.id, ()))),
                instructors=tuple(sorted(teachers.get(event.id, ()), key=str.casefold)),
                series_id=series_id,
                is_override=bool(is_override),
                version_id=event.version_id,
                provider=providers.get(event.id, ""),
            )
        )
    if rows:
        # Read here, not at import: the calendar opens before the exports' code is needed.
        from scheduler.services.export_rows import modules_by_event

        found = modules_by_event(session, [r.id for r in rows])
        rows = [
            replace(row, modules=_module_lines(found[row.id], row.venue))
            if row.id in found
            else row
            for row in rows
        ]
    return rows


def _module_lines(modules: list[Any], venue: str) -> tuple[str, ...]:
    return tuple(
        f"{title or f'Module {n}'}: {date_format(start, WEEKDAY_DATE)} – "
        f"{date_format(end, WEEKDAY_DATE)}, {own or venue or 'no venue'}"
        for n, (title, start, end, own, _location, _nation, _staff) in enumerate(modules, start=1)
    )


@dataclass(frozen=True, slots=True)
class FilterChoices:
    """What the calendar's filters offer, from the small tables (never the events)."""

    nations: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    instructors: list[str] = field(default_factory=list)
    venues: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)


def filter_choices(session: Session) -> FilterChoices:
    def names(column: object) -> list[str]:
        values = {v for v in session.scalars(select(column)) if v}  # type: ignore[call-overload]
        return sorted(values, key=str.casefold)

    return FilterChoices(
        nations=names(Nation.code),
        units=names(Unit.code),
        instructors=names(Instructor.name),
        venues=names(Venue.name),
        categories=names(Course.category),
    )


@dataclass(frozen=True, slots=True)
class DayMarks:
    """Why days of the range are special: holidays and closures, with names."""

    holidays: dict[date, list[str]] = field(default_factory=dict)  # "MK: Name"
    closures: dict[date, list[str]] = field(default_factory=dict)  # "Venue: reason"
    # The weekdays some nation of the plan works; the others are dimmed.
    working_weekdays: frozenset[int] = MONDAY_TO_FRIDAY

    def reasons(self, day: date) -> list[str]:
        return [*self.holidays.get(day, ()), *self.closures.get(day, ())]


def day_marks(
    session: Session,
    first: date,
    last: date,
    nations: Iterable[str],
    venue: str = "",
    *,
    venue_closures: bool = True,
) -> DayMarks:
    """Holidays of ``nations`` and closures (plan closure days of those nations
    or all of them, and venue closures, of ``venue`` only when one is chosen)
    on the days ``first``..``last``. The printed month leaves venue closures
    out (``venue_closures=False``): a grid of every venue's closures is noise."""
    codes = sorted(set(nations))
    holidays: dict[date, list[str]] = defaultdict(list)
    found = list(
        session.execute(select(Nation.code, Nation.holiday_calendar, Nation.working_weekdays))
    )
    calendars = {code: calendar or code for code, calendar, _week in found}
    weekdays = frozenset().union(*(working_week(week) for _code, _calendar, week in found))
    # Venues' holiday regions add their own days (Republika Srpska's Orthodox New Year).
    regions = sorted(
        {
            (code, region)
            for code, region in session.execute(
                select(Nation.code, Venue.holiday_region)
                .join(Venue, Venue.nation_id == Nation.id)
                .where(Venue.holiday_region.is_not(None))
            )
            if code in codes and region
        }
    )
    for code in codes:
        for year in range(first.year, last.year + 1):
            calendar = calendars.get(code, code)
            national = public_holidays(calendar, year)
            for day, name in national.items():
                if first <= day <= last:
                    holidays[day].append(f"{code}: {name}")
            for _code, region in (place for place in regions if place[0] == code):
                where = region_name(calendar, region) or region
                for day, name in public_holidays(calendar, year, region).items():
                    if first <= day <= last and national.get(day) != name:
                        holidays[day].append(f"{code} ({where}): {name}")
    closures: dict[date, list[str]] = defaultdict(list)
    for day, name, code in session.execute(
        select(ClosureDay.day, ClosureDay.name, Nation.code)
        .outerjoin(Nation, Nation.id == ClosureDay.nation_id)
        .where(ClosureDay.day >= first, ClosureDay.day <= last)
    ):
        if code is None or code in codes:
            closures[day].append(f"{code or 'All'}: {name} (closed)")
    query = (
        select(VenueClosure.start_date, VenueClosure.end_date, VenueClosure.reason, Venue.name)
        .join(Venue, Venue.id == VenueClosure.venue_id)
        .where(VenueClosure.start_date <= last, VenueClosure.end_date >= first)
    )
    if venue:
        query = query.where(Venue.name == venue)
    for start, end, reason, name in session.execute(query) if venue_closures else ():
        day = max(start, first)
        while day <= min(end, last):
            closures[day].append(f"{name} closed" + (f": {reason}" if reason else ""))
            day += timedelta(days=1)
    return DayMarks(
        {d: sorted(v) for d, v in holidays.items()},
        {d: sorted(v) for d, v in closures.items()},
        weekdays or MONDAY_TO_FRIDAY,
    )
