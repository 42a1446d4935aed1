"""The plain rows an export is written from: events, their audience and staff.

Formats only: these are filled by ``scheduler.services.export_rows`` (the
one place that reads the plan for an export) and handed to the writers here
as iterators, a chunk of rows read at a time, so memory stays flat however
large the plan is. Nothing here touches a database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from scheduler.planning.data import last_day_of

if TYPE_CHECKING:  # the holidays library loads only when a calendar is built
    from scheduler.planning.workdays import PlanCalendars

# Statuses a partner sees: drafts are the cell's own proposals; cancelled
# events stay listed (as cancelled) so a partner's calendar learns of them.
PARTNER_STATUSES = frozenset({"planned", "confirmed", "delivered", "cancelled"})


class AudienceRow(NamedTuple):
    unit_id: int
    code: str
    name: str
    seats: int
    nation_code: str


class StaffRow(NamedTuple):
    name: str
    role: str
    releasable: bool


class ModuleRow(NamedTuple):
    """A module of an event as exports show it: its own days, place and
    people, or the event's where it has none of its own."""

    title: str
    start: datetime
    end: datetime
    venue_name: str | None
    venue_location: str | None
    nation_code: str | None
    staff: tuple[StaffRow, ...]


def modules_text(modules: Iterable[ModuleRow]) -> str:
    """Where and when of each module, compared between releases: a module
    moved or sent elsewhere is news to the partner."""
    return " | ".join(
        f"{m.start:%Y-%m-%d %H:%M}–{m.end:%Y-%m-%d %H:%M} {m.venue_name or ''}".rstrip()
        for m in modules
    )


class EventRow(NamedTuple):
    """One event with what any export may show; a partner export shows less."""

    id: int
    uuid: str
    ref: str
    course_code: str
    course_title: str
    category: str
    colour: str | None
    start: datetime
    end: datetime
    status: str
    venue_name: str | None
    venue_location: str | None
    nation_code: str | None
    time_zone: str | None
    notes: str | None
    partner_remarks: str | None
    series_id: int | None
    recurrence_id: datetime | None
    is_override: bool
    audience: tuple[AudienceRow, ...]
    staff: tuple[StaffRow, ...]
    holiday_region: str | None = None  # the venue's, for its holidays
    modules: tuple[ModuleRow, ...] = ()

    @property
    def last_day(self) -> date:
        """The last calendar day the event occupies (an end at midnight is the day before)."""
        return last_day_of(self.start, self.end)

    @property
    def seats(self) -> int:
        return sum(a.seats for a in self.audience)


@dataclass(frozen=True, slots=True)
class Partner:
    """Who a partner file is for: a nation (all its units) or one unit and those below it."""

    code: str
    name: str
    nation_code: str
    releasability: str | None
    unit_ids: frozenset[int]
    # The nation's language its workbook prints beside the English (None: English only).
    language: str | None = None


@dataclass(frozen=True, slots=True)
class EventFilter:
    """Which events an export holds. ``date_to`` is inclusive (a whole day).

    Plain values: ``services.export_rows.event_conditions`` turns them into
    SQL, and the Calendar sheet cuts its months by the same dates.
    """

    date_from: date | None = None
    date_to: date | None = None
    unit_ids: frozenset[int] | None = None
    instructor_id: int | None = None
    venue_id: int | None = None
    statuses: frozenset[str] | None = None


class AssignmentRow(NamedTuple):
    """One instructor on one event, for the ``By instructor`` sheet."""

    instructor: str
    role: str
    ref: str
    course_code: str
    course_title: str
    start: datetime
    end: datetime
    venue_name: str | None
    status: str


# code, title and colour of a course, for a workbook's colour legend
CourseColour = tuple[str, str, str | None]


@dataclass(frozen=True, slots=True)
class PreviousRelease:
    """What the partner holds: when it was last sent a schedule, and of each
    event what the last release that included it said (``release_changes.
    known_to_partner``); ``periods`` are the earlier releases' (when, first
    day, last day), None for an open end."""

    released_at: datetime
    snapshot: list[dict[str, str]]
    periods: tuple[tuple[datetime, date | None, date | None], ...] = ()


class RecordTimes(NamedTuple):
    """When an event's record was created and last changed, and its version
    (a calendar's SEQUENCE, CREATED and LAST-MODIFIED come from these)."""

    version: int
    created: datetime
    updated: datetime


class SeriesRow(NamedTuple):
    """A repeating course's rule; ``modified`` is the latest change of the
    series or of any of its occurrences, exported or not."""

    id: int
    uuid: str
    rrule: str
    dtstart: datetime
    created: datetime
    modified: datetime


class ZoneSpan(NamedTuple):
    """A time zone the selected events' venues use, and the events' span in it."""

    name: str | None
    first_start: datetime
    last_end: datetime


def working_days(calendars: PlanCalendars, row: EventRow) -> int:
    return calendars.for_nation(row.nation_code, row.holiday_region).working_days_between(
        row.start.date(), row.last_day
    )


def join_units(
    audience: Iterable[AudienceRow], *, with_seats: bool = True, separator: str = "; "
) -> str:
    if with_seats:
        return separator.join(f"{a.code} {a.name} ({a.seats})" for a in audience)
    return separator.join(f"{a.code} {a.name}" for a in audience)


def join_staff(staff: Iterable[StaffRow], *, releasable_only: bool, separator: str = "; ") -> str:
    """Instructor names; a partner sees only names cleared for release."""
    names: list[str] = []
    withheld = 0
    for person in staff:
        if releasable_only and not person.releasable:
            withheld += 1
            continue
        names.append(
            person.name if person.role == "instructor" else f"{person.name} ({person.role})"
        )
    if withheld:
        names.append(f"{withheld} more (name not released)")
    return separator.join(names)
