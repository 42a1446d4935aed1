"""Moving, resizing and reassigning events: what drag and drop in the
calendar and the timeline does, one transaction each.

A moved course keeps its number of working days in its host nation: five
days starting on the Thursday before a Monday holiday end on the next
Thursday, not the Wednesday. Times of day are kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import (
    EventInstructor,
    Instructor,
    Nation,
    TrainingEvent,
    Unit,
    Venue,
    utc_now,
)
from scheduler.planning.workdays import WorkingCalendar
from scheduler.services.changes import Changes
from scheduler.services.event_modules import shift_modules
from scheduler.services.plan_calendars import place_calendar


def _event(session: Session, uuid: str) -> TrainingEvent:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    if event is None:
        raise UserError("This event no longer exists (another planner may have deleted it).")
    return event


def host_calendar(session: Session, event: TrainingEvent) -> WorkingCalendar:
    """Working days where the event takes place (the venue's nation and holiday
    region, else its units' nation)."""
    code: str | None = None
    region: str | None = None
    if event.venue is not None:
        code, region = event.venue.nation.code, event.venue.holiday_region
    elif event.audience:
        code = session.scalar(
            select(Nation.code).join(Unit).where(Unit.id == event.audience[0].unit_id)
        )
    return place_calendar(session, code, region)


def _changed(event: TrainingEvent) -> Changes:
    return Changes.of("event", event_ids=frozenset({event.id}))


@dataclass(frozen=True, slots=True)
class Landing:
    """Where a moved event lands: its host nation's working days, and how many it keeps.

    Read once when a drag starts, so the drag's preview shows the days the
    drop will give (holidays skipped), by the same rule as ``move_event``.
    """

    calendar: WorkingCalendar
    working_days: int

    def span(self, first_day: date) -> tuple[date, date]:
        first = self.calendar.next_working_day(first_day)
        return first, self.calendar.end_date(first, self.working_days)


def landing_of(session: Session, uuid: str) -> Landing:
    event = _event(session, uuid)
    calendar = host_calendar(session, event)
    days = calendar.working_days_in(event.start.date(), event.end.date())
    return Landing(calendar, max(len(days), 1))


def move_event(session: Session, uuid: str, first_day: date) -> Changes:
    """Start the event on ``first_day`` (its next working day), keeping its working days."""
    event = _event(session, uuid)
    new_first, new_last = landing_of(session, uuid).span(first_day)
    start = datetime.combine(new_first, event.start.time())
    shift_modules(event, start - event.start)
    event.start = start
    event.end = datetime.combine(new_last, event.end.time())
    if event.series_id is not None:
        event.is_override = True  # moved on its own: keep it when the series is regenerated
    session.flush()
    return _changed(event)


def resize_event(session: Session, uuid: str, last_day: date) -> Changes:
    """End the event on ``last_day`` (same time of day); it keeps at least one day."""
    event = _event(session, uuid)
    if last_day < event.start.date():
        raise UserError(f"{event.ref} cannot end before it starts ({event.start:%d %b %Y}).")
    end = datetime.combine(last_day, event.end.time())
    if end <= event.start:
        end = event.start + timedelta(hours=1)
    late = [m for m in event.modules if m.end > end]
    if late:
        raise UserError(
            f"{event.ref} has a module until {late[-1].end:%d %b %Y}: "
            "shorten or remove the module first (in the event's Modules)."
        )
    event.end = end
    if event.series_id is not None:
        event.is_override = True
    session.flush()
    return _changed(event)


def reassign_instructor(
    session: Session, uuid: str, from_instructor: str, to_instructor: str
) -> Changes:
    """Give ``from_instructor``'s place on the event (same role) to ``to_instructor``."""
    event = _event(session, uuid)
    new = session.scalar(select(Instructor).where(Instructor.uuid == to_instructor))
    if new is None:
        raise UserError("That instructor no longer exists.")
    assignment = next((a for a in event.instructors if a.instructor.uuid == from_instructor), None)
    if assignment is None:
        raise UserError(f"That instructor is no longer on {event.ref}.")
    if any(a.instructor_id == new.id for a in event.instructors):
        raise UserError(f"{new.name} is already on {event.ref}.")
    role = assignment.role
    event.instructors.remove(assignment)
    session.flush()
    event.instructors.append(EventInstructor(instructor=new, role=role))
    # The event row itself changes too (a new version and time), so that
    # its .ics SEQUENCE rises and a partner's calendar takes the new staff.
    event.updated_at = utc_now()
    session.flush()
    return _changed(event)


def set_venue(session: Session, uuid: str, venue_uuid: str | None) -> Changes:
    event = _event(session, uuid)
    venue = session.scalar(select(Venue).where(Venue.uuid == venue_uuid)) if venue_uuid else None
    if venue_uuid and venue is None:
        raise UserError("That venue no longer exists.")
    event.venue = venue
    session.flush()
    return _changed(event)
