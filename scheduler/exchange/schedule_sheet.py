"""The ``Schedule`` sheet: one row per event (each occurrence of a series too).

The master copy shows everything, internal notes included; a partner copy
shows only partner-facing fields, the partner's own units and seats, and
only the instructors whose names may be released.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from openpyxl.styles import Alignment

from scheduler.exchange.cells import font, solid
from scheduler.exchange.partner_language import ENGLISH, Wording
from scheduler.exchange.rows import EventRow, join_staff, join_units, working_days
from scheduler.exchange.sheets import (
    DATETIME,
    NUMBER,
    WRAP,
    Column,
    PageInfo,
    TableSheet,
    wrapped_lines,
)
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

# Widths add up to what prints one page wide at 7 pt or more (page_setup):
# long texts wrap in narrow columns and the row grows, rather than the page
# shrinking. The venue's nation is in brackets after the place it names.
_COMMON = [
    Column("Ref", 12),
    Column("Course code", 8),
    Column("Course title", 14, WRAP),
    Column("Category", 14, WRAP),  # "Communications" whole
    Column("Start", 15, DATETIME),
    Column("End", 15, DATETIME),
    Column("Work days", 6, NUMBER),
    Column("Venue", 14, WRAP),
]
MASTER_COLUMNS = [
    *_COMMON,
    Column("Units", 16, WRAP),
    Column("Seats", 6, NUMBER),
    Column("Instructors", 14, WRAP),
    Column("Status", 10),
    Column("Partner remarks", 13, WRAP),
    Column("Internal notes", 13, WRAP),
]
PARTNER_COLUMNS = [
    *_COMMON,
    Column("Location", 10, WRAP),
    Column("Units", 15, WRAP),
    Column("Seats", 6, NUMBER),
    Column("Instructors", 15, WRAP),
    Column("Status", 11),
    Column("Remarks", 15, WRAP),
]


def with_nation(place: str | None, nation: str | None) -> str | None:
    """``Skopje (MK)``: a place and the nation it is in, as one cell shows them."""
    if not nation:
        return place
    return f"{place} ({nation})" if place else f"({nation})"


def bilingual_columns(columns: list[Column], wording: Wording) -> list[Column]:
    """``columns`` headed in English and, under it, the partner's language."""
    return [replace(column, title=wording.both(column.title)) for column in columns]


class ScheduleSheet:
    """Writes Schedule rows for the master (``partner=False``) or a partner copy;
    a partner copy's headings and statuses are also in its language (``wording``)."""

    def __init__(
        self,
        workbook: Any,
        page: PageInfo,
        calendars: PlanCalendars,
        *,
        partner: bool,
        wording: Wording = ENGLISH,
    ) -> None:
        self.partner = partner
        self.wording = wording
        columns = PARTNER_COLUMNS if partner else MASTER_COLUMNS
        bilingual = wording.language is not None
        self.sheet = TableSheet(
            workbook,
            SCHEDULE_SHEET,
            bilingual_columns(columns, wording),
            page,
            # An Excel table's column names cannot hold a line break; a
            # bilingual sheet gets the filter buttons without the table.
            table_name=None if bilingual else "Schedule",
            freeze="B2",
        )
        self.calendars = calendars
        self._status_lines = 2 if bilingual else 1
        wrap = Alignment(wrap_text=True, vertical="top")
        self._status = {
            status: self.sheet.style(fill=solid(colour), alignment=wrap)
            for status, colour in STATUS_COLOURS.items()
        }
        # Worded once, not on each of 100,000 rows.
        self._labels = {status: wording.both(status.capitalize()) for status in STATUS_COLOURS}
        self._cancelled = self.sheet.style(
            fill=solid(STATUS_COLOURS["cancelled"]), font=font(strike=True), alignment=wrap
        )

    def _status_cell(self, status: str) -> Any:
        style = self._status.get(status)
        label = self._labels.get(status) or self.wording.both(status.capitalize())
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
            row.venue_name if self.partner else with_nation(row.venue_name, row.nation_code),
        ]
        if self.partner:
            values = [
                *common,
                with_nation(row.venue_location, row.nation_code),
                join_units(row.audience, with_seats=False, separator="\n"),
                row.seats,
                join_staff(row.staff, releasable_only=True, separator="\n"),
                self._status_cell(row.status),
                row.partner_remarks,
            ]
        else:
            values = [
                *common,
                join_units(row.audience, separator="\n"),
                row.seats,
                join_staff(row.staff, releasable_only=False, separator="\n"),
                self._status_cell(row.status),
                row.partner_remarks,
                row.notes,
            ]
        if row.status == "cancelled":
            values[2] = self._cancelled.cell(row.course_title)
            lines = wrapped_lines(row.course_title, self.sheet.columns[2].width)
            self.sheet.append(values, min_lines=max(lines, self._status_lines))
            return
        self.sheet.append(values, min_lines=self._status_lines)

    def write(self, rows: Iterable[EventRow], progress: Progress) -> list[EventRow] | None:
        for row in rows:
            self.add(row)
            progress.advance()
        self.sheet.close()
        return None
