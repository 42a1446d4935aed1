"""``By instructor`` and ``By venue``: the schedule seen from each resource.

Master workbook only: they name every instructor, releasable or not, and
every unit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.progress import Progress
from scheduler.exchange.rows import (
    EventFilter,
    iter_events_by_id,
    join_units,
)
from scheduler.exchange.sheets import DATETIME, NUMBER, Column, PageInfo, TableSheet
from scheduler.model import Course, EventInstructor, Instructor, TrainingEvent, Venue

BY_INSTRUCTOR_SHEET = "By instructor"
BY_VENUE_SHEET = "By venue"

INSTRUCTOR_COLUMNS = [
    Column("Instructor", 28),
    Column("Role", 11),
    Column("Ref", 14),
    Column("Course code", 11),
    Column("Course title", 38),
    Column("Start", 17, DATETIME),
    Column("End", 17, DATETIME),
    Column("Venue", 30),
    Column("Status", 11),
]
VENUE_COLUMNS = [
    Column("Venue", 30),
    Column("Nation", 8),
    Column("Ref", 14),
    Column("Course code", 11),
    Column("Course title", 38),
    Column("Start", 17, DATETIME),
    Column("End", 17, DATETIME),
    Column("Units", 44),
    Column("Seats", 7, NUMBER),
    Column("Status", 11),
]


def assignment_count(session: Session, event_filter: EventFilter) -> int:
    from sqlalchemy import func

    stmt = (
        select(func.count())
        .select_from(EventInstructor)
        .join(TrainingEvent, EventInstructor.event_id == TrainingEvent.id)
        .where(*event_filter.conditions())
    )
    return int(session.scalar(stmt) or 0)


def write_by_instructor(
    workbook: Any, page: PageInfo, session: Session, event_filter: EventFilter, progress: Progress
) -> None:
    sheet = TableSheet(
        workbook,
        BY_INSTRUCTOR_SHEET,
        INSTRUCTOR_COLUMNS,
        page,
        table_name="ByInstructor",
        freeze="B2",
    )
    stmt = (
        select(
            Instructor.name,
            EventInstructor.role,
            TrainingEvent.ref,
            Course.code,
            Course.title,
            TrainingEvent.start,
            TrainingEvent.end,
            Venue.name,
            TrainingEvent.status,
        )
        .join(EventInstructor, EventInstructor.instructor_id == Instructor.id)
        .join(TrainingEvent, EventInstructor.event_id == TrainingEvent.id)
        .join(Course, TrainingEvent.course_id == Course.id)
        .outerjoin(Venue, TrainingEvent.venue_id == Venue.id)
        .where(*event_filter.conditions())
        .order_by(Instructor.name, TrainingEvent.start, TrainingEvent.ref)
        .execution_options(yield_per=2000)
    )
    # One streamed query: nothing else runs on the connection meanwhile.
    for name, role, ref, code, title, start, end, venue, status in session.execute(stmt):
        sheet.append(
            [name, str(role), ref, code, title, start, end, venue, str(status).capitalize()]
        )
        progress.advance()
    sheet.close()


def write_by_venue(
    workbook: Any, page: PageInfo, session: Session, event_filter: EventFilter, progress: Progress
) -> None:
    sheet = TableSheet(
        workbook, BY_VENUE_SHEET, VENUE_COLUMNS, page, table_name="ByVenue", freeze="B2"
    )
    ids = list(
        session.scalars(
            select(TrainingEvent.id)
            .join(Venue, TrainingEvent.venue_id == Venue.id)
            .where(*event_filter.conditions())
            .order_by(Venue.name, TrainingEvent.start, TrainingEvent.ref)
        )
    )
    for row in iter_events_by_id(session, ids, with_staff=False):
        sheet.append(
            [
                row.venue_name,
                row.nation_code,
                row.ref,
                row.course_code,
                row.course_title,
                row.start,
                row.end,
                join_units(row.audience),
                row.seats,
                row.status.capitalize(),
            ]
        )
        progress.advance()
    sheet.close()
