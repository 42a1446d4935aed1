"""What a printed report reads from the plan: plain rows for ``scheduler.reports``.

The report modules build pages from what they are handed and never read the
plan; every query a report makes is here (or in the read models it reuses:
the calendar's, the timeline's and the readiness pathway's, so a printout
shows what the page on screen shows). Each function reads in the caller's
session: ``services.reports`` opens one snapshot for a whole report.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.exchange.rows import EventFilter, EventRow, Partner
from scheduler.model import Instructor, Nation, Unavailability
from scheduler.planning.periods import month_end, months_between
from scheduler.planning.readiness import ReadinessRow
from scheduler.planning.workdays import PlanCalendars
from scheduler.progress import Progress, ProgressCallback
from scheduler.reports import periods
from scheduler.services.calendar_rows import CalendarRow, DayMarks, calendar_rows, day_marks
from scheduler.services.event_extent import event_times, longest_event
from scheduler.services.export_rows import (
    iter_events_by_id,
    ordered_ids,
    partner_choices,
    resolve_instructor,
    resolve_partner,
)
from scheduler.services.plan_calendars import load_calendars
from scheduler.services.readiness_rows import load_readiness
from scheduler.services.timeline_rows import (
    GROUPINGS,
    ResourceKind,
    TimelineBar,
    TimelineResources,
    TimelineRow,
    arrange_rows,
    load_bars,
    load_resources,
)


@dataclass(frozen=True, slots=True)
class ReportChoices:
    """What File ▸ Print… offers, read from the plan's small tables."""

    partners: list[tuple[str, str]] = field(default_factory=list)
    instructors: list[str] = field(default_factory=list)
    period: tuple[date, date] = (date(2027, 1, 1), date(2027, 12, 31))


def report_choices(session: Session) -> ReportChoices:
    """Partners, instructors (by name, case aside) and the default period."""
    people = sorted(session.scalars(select(Instructor.name)), key=str.casefold)
    return ReportChoices(partner_choices(session), people, report_period(session, None, None))


def report_period(
    session: Session, first: date | None, last: date | None, today: date | None = None
) -> tuple[date, date]:
    """The days to report on: as given, or the defaults of ``reports.periods``
    (which need the events' span, read only when neither end is given)."""
    events = event_times(session) if first is None and last is None else None
    return periods.report_period(first, last, events, today)


# --- the month calendar ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarMonths:
    """Each month's first day with the events sharing a day with it, and the
    holidays and closures of the nations hosting them over the whole span."""

    months: tuple[tuple[date, list[CalendarRow]], ...]
    marks: DayMarks


def calendar_months(
    session: Session, first: date, last: date, progress: ProgressCallback | None = None
) -> CalendarMonths:
    """The whole months touching ``first``..``last``, read a month at a time
    (``progress`` hears of each; the counter finishes when the marks are read)."""
    months = months_between(first, last)
    counter = Progress(progress, len(months), step=1)
    longest = longest_event(session)
    per_month: list[tuple[date, list[CalendarRow]]] = []
    nations: set[str] = set()
    for month in months:
        rows = calendar_rows(session, month, month_end(month), longest)
        nations.update(row.nation for row in rows if row.nation)
        per_month.append((month, rows))
        counter.advance()
    marks = (
        day_marks(session, months[0], month_end(months[-1]), nations, venue_closures=False)
        if months
        else DayMarks()
    )
    counter.finish()
    return CalendarMonths(tuple(per_month), marks)


# --- the resource timeline ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PrintTimeline:
    """The rows of one kind in the timeline page's default grouping, with
    each resource's bars of the period (by resource id)."""

    resources: TimelineResources
    layout: list[TimelineRow]
    bars: dict[int, list[TimelineBar]]


def timeline_for_print(
    session: Session, kind: ResourceKind, first: date, last: date, today: date
) -> PrintTimeline:
    """What the printed timeline of ``kind`` shows over ``first``..``last``."""
    data = load_resources(session, kind, today)
    bars = load_bars(session, kind, first, last, data.longest, data.courses)
    return PrintTimeline(data, arrange_rows(data, GROUPINGS[kind][0]), bars)


# --- an instructor's schedule -----------------------------------------------------


class Absence(NamedTuple):
    """Leave, deployment or travel: inclusive days, its kind and reason."""

    start: date
    end: date
    kind: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class InstructorSchedule:
    """One instructor and what they do over a period.

    ``rows`` is a stream (read a chunk at a time as the report consumes it,
    in the caller's session) of ``events`` export rows in start order.
    """

    name: str
    organisation: str | None
    role: str | None
    nation: str | None
    events: int
    rows: Iterator[EventRow]
    absences: tuple[Absence, ...]
    calendars: PlanCalendars


def instructor_schedule(session: Session, name: str, first: date, last: date) -> InstructorSchedule:
    """The instructor called ``name`` (case aside; a UserError when there is
    none), their events and absences overlapping ``first``..``last``."""
    instructor_id = resolve_instructor(session, name)
    real_name, organisation, role, nation = session.execute(
        select(
            Instructor.name,
            Instructor.organisation,
            type_coerce(Instructor.role, String),
            Nation.name,
        )
        .outerjoin(Nation, Nation.id == Instructor.nation_id)
        .where(Instructor.id == instructor_id)
    ).one()
    calendars = load_calendars(session)
    ids = ordered_ids(
        session, EventFilter(date_from=first, date_to=last, instructor_id=instructor_id)
    )
    absences = tuple(
        Absence(start, end, kind, reason)
        for start, end, kind, reason in session.execute(
            select(
                Unavailability.start_date,
                Unavailability.end_date,
                type_coerce(Unavailability.kind, String),
                Unavailability.reason,
            ).where(
                Unavailability.instructor_id == instructor_id,
                Unavailability.start_date <= last,
                Unavailability.end_date >= first,
            )
        )
    )
    return InstructorSchedule(
        real_name,
        organisation,
        role,
        nation,
        len(ids),
        iter_events_by_id(session, ids),
        absences,
        calendars,
    )


# --- a partner's readiness --------------------------------------------------------


def partner_readiness(session: Session, partner_code: str) -> tuple[Partner, list[ReadinessRow]]:
    """The partner (a nation or a unit code; a UserError when unknown) and the
    readiness rows of its units' requirements."""
    partner = resolve_partner(session, partner_code)
    return partner, load_readiness(session, partner_code)
