"""The ``Schedule`` sheet: one row per event (each occurrence of a series too).

The master copy shows everything, internal notes included; a partner copy
shows only partner-facing fields, the partner's own units and seats, and
only the instructors whose names may be released.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from scheduler.exchange.cells import font, solid
from scheduler.exchange.rows import EventRow, join_staff, join_units, working_days
from scheduler.exchange.sheets import DATETIME, NUMBER, WRAP, Column, PageInfo, TableSheet
from scheduler.planning.workdays import PlanCalendars
from scheduler.progress import Progress

SCHEDULE_SHEET = "Schedule"

STATUS_COLOURS: dict[str, str] = {
    "draft": "EDEDED",
    "planned": "DDEBF7",
    "confirmed": "C6EFCE",
    "delivered": "A9D08E",
    "cancelled": "F8CBAD",
}
STATUS_MEANING: dict[str, str] = {
    "draft": "Proposed inside the cell, not yet agreed",
    "planned": "Agreed in principle; dates may still move",
    "confirmed": "Dates, venue and instructors confirmed",
    "delivered": "Training has taken place",
    "cancelled": "Will not take place",
}

_COMMON = [
    Column("Ref", 12.5),
    Column("Course code", 8),
    Column("Course title", 26, WRAP),
    Column("Category", 14, WRAP),
    Column("Start", 15.5, DATETIME),
    Column("End", 15.5, DATETIME),
    Column("Working days", 9, NUMBER),
    Column("Venue", 22, WRAP),
]
MASTER_COLUMNS = [
    *_COMMON,
    Column("Nation", 7),
    Column("Units", 32, WRAP),
    Column("Seats", 6, NUMBER),
    Column("Instructors", 26, WRAP),
    Column("Status", 10),
    Column("Partner remarks", 28, WRAP),
    Column("Internal notes", 28, WRAP),
]
PARTNER_COLUMNS = [
    *_COMMON,
    Column("Location", 12, WRAP),
    Column("Nation", 7),
    Column("Units", 32, WRAP),
    Column("Seats", 6, NUMBER),
    Column("Instructors", 26, WRAP),
    Column("Status", 10),
    Column("Remarks", 30, WRAP),
]


class ScheduleSheet:
    """Writes Schedule rows for the master (``partner=False``) or a partner copy."""

    def __init__(
        self, workbook: Any, page: PageInfo, calendars: PlanCalendars, *, partner: bool
    ) -> None:
        self.partner = partner
        columns = PARTNER_COLUMNS if partner else MASTER_COLUMNS
        self.sheet = TableSheet(
            workbook, SCHEDULE_SHEET, columns, page, table_name="Schedule", freeze="B2"
        )
        self.calendars = calendars
        self._status = {
            status: self.sheet.style(fill=solid(colour))
            for status, colour in STATUS_COLOURS.items()
        }
        self._cancelled = self.sheet.style(
            fill=solid(STATUS_COLOURS["cancelled"]), font=font(strike=True)
        )

    def _status_cell(self, status: str) -> Any:
        style = self._status.get(status)
        label = status.capitalize()
        return style.constant(label) if style is not None else label

    def add(self, row: EventRow) -> None:
        common = [
            row.ref,
            row.course_code,
            row.course_title,
            row.category,
            row.start,
            row.end,
            working_days(self.calendars, row),
            row.venue_name,
        ]
        if self.partner:
            values = [
                *common,
                row.venue_location,
                row.nation_code,
                join_units(row.audience, with_seats=False, separator="\n"),
                row.seats,
                join_staff(row.staff, releasable_only=True, separator="\n"),
                self._status_cell(row.status),
                row.partner_remarks,
            ]
        else:
            values = [
                *common,
                row.nation_code,
                join_units(row.audience, separator="\n"),
                row.seats,
                join_staff(row.staff, releasable_only=False, separator="\n"),
                self._status_cell(row.status),
                row.partner_remarks,
                row.notes,
            ]
        if row.status == "cancelled":
            values[2] = self._cancelled.cell(row.course_title)
        self.sheet.append(values)

    def write(self, rows: Iterable[EventRow], progress: Progress) -> list[EventRow] | None:
        for row in rows:
            self.add(row)
            progress.advance()
        self.sheet.close()
        return None
