"""``By instructor`` and ``By venue``: the schedule seen from each resource.

Master workbook only: they name every instructor, releasable or not, and
every unit. Each is written from a stream of rows in the sheet's order, as
``scheduler.services.export_rows`` reads them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scheduler.exchange.rows import AssignmentRow, EventRow, join_units
from scheduler.exchange.sheets import DATETIME, NUMBER, WRAP, Column, PageInfo, TableSheet
from scheduler.progress import Progress

BY_INSTRUCTOR_SHEET = "By instructor"
BY_VENUE_SHEET = "By venue"

# Long names wrap (the row grows) so nothing is cut where a cell ends and
# the page still prints at a readable size (page_setup).
INSTRUCTOR_COLUMNS = [
    Column("Instructor", 22, WRAP),
    Column("Role", 11),
    Column("Ref", 12),
    Column("Course code", 8.5),
    Column("Course title", 24, WRAP),
    Column("Start", 15, DATETIME),
    Column("End", 15, DATETIME),
    Column("Venue", 24, WRAP),
    Column("Status", 10),
]
VENUE_COLUMNS = [
    Column("Venue", 20, WRAP),
    Column("Nation", 7),
    Column("Ref", 12),
    Column("Course code", 8.5),
    Column("Course title", 20, WRAP),
    Column("Start", 15, DATETIME),
    Column("End", 15, DATETIME),
    Column("Units", 30, WRAP),
    Column("Seats", 6, NUMBER),
    Column("Status", 10),
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
                join_units(row.audience, separator="\n"),
                row.seats,
                row.status.capitalize(),
            ]
        )
        progress.advance()
    sheet.close()
