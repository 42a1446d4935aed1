"""An instructor booked for more training days than their limit in a period.

A training day is a working day (in the event's host nation) on which the
instructor has at least one event; two events on the same day count once.
Periods are calendar months, quarters or years, as the instructor's record
says.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta

from scheduler.planning.conflicts import Conflict, RuleContext, conflict_key
from scheduler.planning.data import EventData, InstructorData, last_day_of
from scheduler.planning.periods import month_end, month_start, quarter_of, year_of
from scheduler.planning.timeline import Booking, Timeline
from scheduler.planning.wording import MONTHS

Period = tuple[str, date, date, str]  # key, first day, last day, label


_PERIODS: dict[tuple[str, int, int], Period] = {}


def period_of(day: date, kind: str) -> Period:
    """The period holding ``day`` (remembered: asked once per day of every event)."""
    key = (kind, day.year, day.month)
    period = _PERIODS.get(key)
    if period is None:
        period = _PERIODS[key] = _make_period(day, kind)
    return period


def _make_period(day: date, kind: str) -> Period:
    if kind == "year":
        first, last = year_of(day)
        return str(day.year), first, last, str(day.year)
    if kind == "quarter":
        quarter = (day.month - 1) // 3
        first, last = quarter_of(day)
        return f"{day.year}-Q{quarter + 1}", first, last, f"Q{quarter + 1} {day.year}"
    return (
        f"{day.year}-{day.month:02d}",
        month_start(day),
        month_end(day),
        f"{MONTHS[day.month - 1]} {day.year}",
    )


def working_days_of(
    ctx: RuleContext, event: EventData, start: datetime, end: datetime
) -> tuple[date, ...]:
    """The working days [start, end) of ``event`` (all of it, or one of its
    modules) occupies in its host nation."""
    if end <= start or event.cancelled:
        return ()
    calendar = ctx.calendars.for_event(ctx.plan, event)
    return calendar.working_days_in(start.date(), last_day_of(start, end))


class WorkdayCache:
    """Working days per booking (an event, or a module of it), remembered
    because each is asked for often.

    Flat, not a dict per event: at 100,000 events the nested dicts alone
    held some 25 MB. The whole event's days are kept by its id, a module's
    by its booking.
    """

    def __init__(self, ctx: RuleContext) -> None:
        self._ctx = ctx
        self._whole: dict[int, tuple[date, ...]] = {}
        self._pieces: dict[Booking, tuple[date, ...]] = {}

    def __call__(self, booking: Booking) -> tuple[date, ...]:
        start, end, event_id = booking
        event = self._ctx.plan.events.get(event_id)
        if event is None:  # taken out of the plan meanwhile: what was known of it
            return self._whole.get(event_id) or self._pieces.get(booking, ())
        whole = start == event.start and end == event.end
        days = self._whole.get(event_id) if whole else self._pieces.get(booking)
        if days is None:
            days = working_days_of(self._ctx, event, start, end)
            if whole:
                self._whole[event_id] = days
            else:
                self._pieces[booking] = days
        return days

    def of_person(self, event: EventData, instructor_id: int) -> set[date]:
        """The working days one person is on the event (on their modules only)."""
        days: set[date] = set()
        for piece in event.pieces():
            if any(a.instructor_id == instructor_id for a in piece.staff):
                days.update(self((piece.start, piece.end, event.id)))
        return days

    def forget(self, event_id: int) -> None:
        self._whole.pop(event_id, None)
        if self._pieces:
            self._pieces = {b: days for b, days in self._pieces.items() if b[2] != event_id}


def periods_touched(instructor: InstructorData, days: Iterable[date]) -> dict[str, Period]:
    found: dict[str, Period] = {}
    for day in days:
        period = period_of(day, instructor.workload_period)
        found.setdefault(period[0], period)
    return found


def hours_a_day(ctx: RuleContext, event_id: int) -> float:
    """The hours a day of an event's course (a half-day course 3.5)."""
    course = ctx.plan.courses.get(ctx.plan.events[event_id].course_id)
    return course.daily_hours if course is not None else 0.0


def workload_conflict(
    ctx: RuleContext, instructor: InstructorData, period: Period, days: Mapping[int, set[date]]
) -> Conflict | None:
    """``days``: per event id, the counted days inside ``period``. Over the
    limit of days (a day with two events counts once) or of hours (each
    event's days at its course's hours a day: two half-day courses are a day)."""
    max_days, max_hours = instructor.max_training_days, instructor.max_training_hours
    counted: set[date] = set()
    for event_days in days.values():
        counted |= event_days
    hours = sum(len(d) * hours_a_day(ctx, i) for i, d in days.items())
    over: list[tuple[str, str]] = []  # (what was counted, its maximum)
    if max_days is not None and len(counted) > max_days:
        over.append((f"{len(counted)} training days", f"{max_days}"))
    if max_hours is not None and hours > max_hours + 1e-9:
        over.append((f"{hours:g} training hours", f"{max_hours:g}"))
    if not over:
        return None
    key, _first, _last, label = period
    events = [ctx.plan.events[i] for i, d in days.items() if d]
    return ctx.conflict(
        "instructor_workload",
        conflict_key("instructor_workload", instructor.uuid, key),
        f"{instructor.name} has {over[0][0]} in {label}, more than the maximum of {over[0][1]}"
        + "".join(f", and {what}, more than the maximum of {most}" for what, most in over[1:]),
        events,
        [instructor.name],
        min(counted),
        max(counted),
    )


def full_workload_conflicts(
    ctx: RuleContext, instructor_id: int, timeline: Timeline, workdays: WorkdayCache
) -> Iterator[Conflict]:
    """Count each period's distinct working days and its hours; judge in
    detail only the periods over a limit (few), the same way an edit
    re-judges one. (Hours are summed per booking here, which can only count
    more than the detail does: a period is never missed.)"""
    instructor = ctx.plan.instructors.get(instructor_id)
    if instructor is None or not instructor.has_workload_limit:
        return
    kind = instructor.workload_period
    max_days = instructor.max_training_days
    max_hours = instructor.max_training_hours
    days: set[date] = set()
    hours: dict[Period, float] = {}
    for booking in timeline.bookings:
        booked = workdays(booking)
        days.update(booked)
        if max_hours is not None:
            rate = hours_a_day(ctx, booking[2])
            for day in booked:
                period = period_of(day, kind)
                hours[period] = hours.get(period, 0.0) + rate
    counts: dict[Period, int] = {}
    for day in days:
        period = period_of(day, kind)
        counts[period] = counts.get(period, 0) + 1
    for period in counts:
        over_days = max_days is not None and counts[period] > max_days
        over_hours = max_hours is not None and hours.get(period, 0.0) > max_hours + 1e-9
        if over_days or over_hours:
            conflict = period_conflict(ctx, instructor, timeline, period, workdays)
            if conflict is not None:
                yield conflict


def period_conflict(
    ctx: RuleContext,
    instructor: InstructorData,
    timeline: Timeline,
    period: Period,
    workdays: WorkdayCache,
) -> Conflict | None:
    """Re-judge one period of one instructor (after an edit)."""
    _key, first, last, _label = period
    days: dict[int, set[date]] = {}
    window_start = datetime.combine(first, datetime.min.time())
    window_end = datetime.combine(last + timedelta(days=1), datetime.min.time())
    for booking in timeline.overlapping(window_start, window_end):
        inside = {d for d in workdays(booking) if first <= d <= last}
        if inside:
            days.setdefault(booking[2], set()).update(inside)
    return workload_conflict(ctx, instructor, period, days)
