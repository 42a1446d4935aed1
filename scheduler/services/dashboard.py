"""Facts for the dashboard: what is coming up soon."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import Course, EventStatus, TrainingEvent, Venue


@dataclass(frozen=True, slots=True)
class Upcoming:
    uuid: str
    ref: str
    course: str
    start: datetime
    end: datetime
    venue: str
    status: str


def upcoming_events(
    session: Session, today: date, days: int = 14, at_least: int = 10
) -> list[Upcoming]:
    """Events running in the next ``days`` days (cancelled ones left out).

    When fewer than ``at_least`` fall in that window (a plan for next year,
    seen in November), the next ``at_least`` events are given instead, so
    the dashboard always says what comes next.
    """
    first = datetime.combine(today, time())
    last = first + timedelta(days=days)
    soon = _upcoming(session, first, last, None)
    return soon if len(soon) >= at_least else _upcoming(session, first, None, at_least)


def _upcoming(
    session: Session, first: datetime, last: datetime | None, limit: int | None
) -> list[Upcoming]:
    query = (
        select(
            TrainingEvent.uuid,
            TrainingEvent.ref,
            Course.code,
            Course.title,
            TrainingEvent.start,
            TrainingEvent.end,
            Venue.name,
            TrainingEvent.status,
        )
        .join(Course, Course.id == TrainingEvent.course_id)
        .outerjoin(Venue, Venue.id == TrainingEvent.venue_id)
        .where(TrainingEvent.end > first)
        .where(TrainingEvent.status != EventStatus.CANCELLED)
        .order_by(TrainingEvent.start)
        .limit(limit)
    )
    if last is not None:
        query = query.where(TrainingEvent.start < last)
    return [
        Upcoming(uuid, ref, f"{code} {title}", start, end, venue or "", status.label)
        for uuid, ref, code, title, start, end, venue, status in session.execute(query)
    ]
