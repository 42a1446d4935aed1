"""The one query every list of events starts from: an event with its course,
venue and host nation, as plain columns.

The calendar, the events table, the dashboard's "coming up" and the
releases-due check show the same facts of an event; they read them here so
a new column (or a fix to a join) reaches all of them. Plain column rows,
not ORM objects: about 4 µs a row instead of 20+, which matters at 100,000
events. The exports add their own columns to ``event_join``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Select, String, select, type_coerce

from scheduler.model import Course, Nation, TrainingEvent, Venue

# The status as its stored text ("planned"): no Enum conversion per row.
STATUS_TEXT = type_coerce(TrainingEvent.status, String)


class ListedEvent(NamedTuple):
    """What a list shows of one event (the first columns of ``event_listing``'s rows)."""

    id: int
    uuid: str
    ref: str
    course_code: str
    course_title: str
    category: str | None
    start: datetime
    end: datetime
    status: str
    venue: str | None
    nation: str | None  # the venue's (host) nation
    version_id: int


_LISTED = (
    TrainingEvent.id,
    TrainingEvent.uuid,
    TrainingEvent.ref,
    Course.code,
    Course.title,
    Course.category,
    TrainingEvent.start,
    TrainingEvent.end,
    STATUS_TEXT,
    Venue.name,
    Nation.code,
    TrainingEvent.version_id,
)
LISTED_WIDTH = len(_LISTED)


def event_join(*columns: Any) -> Select[Any]:
    """``columns`` of events joined to their course, venue and host nation
    (outer joins: an event may have no venue yet)."""
    return (
        select(*columns)
        .select_from(TrainingEvent)
        .join(Course, Course.id == TrainingEvent.course_id)
        .outerjoin(Venue, Venue.id == TrainingEvent.venue_id)
        .outerjoin(Nation, Nation.id == Venue.nation_id)
    )


def event_listing(*extra: Any, where: ColumnElement[bool] | None = None) -> Select[Any]:
    """The ``ListedEvent`` columns, then ``extra`` ones (row[LISTED_WIDTH:])."""
    query = event_join(*_LISTED, *extra)
    return query if where is None else query.where(where)


def listed(row: Any) -> ListedEvent:
    """The ``ListedEvent`` part of an ``event_listing`` row."""
    return ListedEvent._make(row[:LISTED_WIDTH])
