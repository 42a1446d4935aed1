"""``By instructor`` and ``By venue``: the schedule seen from each resource.

Master workbook only: they name every instructor, releasable or not, and
every unit. Each is written from a stream of rows in the sheet's order, as
``scheduler.services.export_rows`` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scheduler.exchange.rows import AssignmentRow, EventRow, join_units
from scheduler.exchange.sheets import DATETIME, NUMBER, Column, PageInfo, TableSheet
from scheduler.progress import Progress

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


def write_by_instructor(
    workbook: Any, page: PageInfo, rows: Iterable[AssignmentRow], progress: Progress
) -> None:
    """One row per instructor and event, by instructor name then start."""
    sheet = TableSheet(
        workbook,
        BY_INSTRUCTOR_SHEET,
        INSTRUCTOR_COLUMNS,
        page,
        table_name="ByInstructor",
        freeze="B2",
    )
    for name, role, ref, code, title, start, end, venue, status in rows:
        sheet.append(
            [name, str(role), ref, code, title, start, end, venue, str(status).capitalize()]
        )
        progress.advance()
    sheet.close()


def write_by_venue(
    workbook: Any, page: PageInfo, rows: Iterable[EventRow], progress: Progress
) -> None:
    """One row per event with a venue, by venue name then start."""
    sheet = TableSheet(
        workbook, BY_VENUE_SHEET, VENUE_COLUMNS, page, table_name="ByVenue", freeze="B2"
    )
    for row in rows:
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
