"""The calendar sheets: one per month, days across, one row per event.

Each month is its own sheet (tab "Calendar Mar 2027"), so its month and day
headings are the sheet's print titles and head every printed page of it,
however many rows the month holds; they also stay in view on screen. A row
is an event with a bar in the course colour on the days it runs, or, when a
month holds too many events for that to be readable, a unit with the course
code on each day it is in training. Weekends, public holidays and closure
days of the row's nation are shaded. Days go across in fixed columns (1 to
31), so every month prints one page wide at a readable size.
"""

from __future__ import annotations

import calendar as calendar_lib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from scheduler.exchange.cells import (
    GRID,
    HEADER_FILL,
    HEADER_FONT,
    NOTE_FONT,
    CellStyle,
    font,
    hex_colour,
    readable_on,
    solid,
    streaming_sheet,
    text_value,
)
from scheduler.exchange.page_setup import PageFlow, apply_page_setup
from scheduler.exchange.partner_language import ENGLISH, Wording
from scheduler.exchange.rows import EventFilter, EventRow
from scheduler.exchange.sheets import ROW_HEIGHT, PageInfo, wrapped_lines
from scheduler.planning.workdays import PlanCalendars
from scheduler.progress import Progress

CALENDAR_SHEET = "Calendar"  # the one sheet of an export without events
# Above this many events in a month, rows are units instead of events.
MAX_EVENT_ROWS = 120
DAY_COLUMNS = 31
LABEL_WIDTH = 36
DAY_WIDTH = 3.6  # holds "31" and "We" in bold
CELL_FONT = 10  # labels and bars; the headings are 11
LABEL_LINE = 13.0  # points per line of a 10-point label
LEGEND = (
    "Bars: the days each event runs, in its course colour (grey: cancelled). "
    "Shaded: weekend, holiday or closure. A number: events that day."
)
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
MONTH_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
WEEKDAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OFF_DAY = "D9D9D9"
CANCELLED = "BFBFBF"
BUSY = "404040"


@dataclass(frozen=True, slots=True)
class MonthBlock:
    first: date
    last: date


def _code_that_fits(code: str, days: int) -> str | None:
    """A bar's course code, or nothing where the bar is too short to hold it.

    The code is written in the bar's first day and reads on across the
    (empty) days after it; a longer code would be cut off, or run on in
    white over the white days after the bar. The row's label and the
    cover's colour legend name the course either way.
    """
    # A 10-point character is about 0.85 of a column unit (bold digits more).
    return code if len(code) * 0.85 + 0.5 <= days * DAY_WIDTH else None


def month_sheet_name(block: MonthBlock) -> str:
    """The tab of a month: in English whatever the machine's locale."""
    return f"{CALENDAR_SHEET} {MONTH_ABBREVIATIONS[block.first.month - 1]} {block.first.year}"


def calendar_sheet_names(period: tuple[date, date] | None) -> list[str]:
    """The calendar tabs an export of ``period`` writes, in order."""
    if period is None:
        return [CALENDAR_SHEET]
    return [month_sheet_name(block) for block in months(*period)]


def months(first: date, last: date) -> list[MonthBlock]:
    found = []
    day = first.replace(day=1)
    while day <= last:
        days = calendar_lib.monthrange(day.year, day.month)[1]
        found.append(MonthBlock(day, day.replace(day=days)))
        day = day.replace(day=days) + timedelta(days=1)
    return found


class CalendarSheet:
    """Writes the month sheets from the same pass over the events as the
    Schedule sheet: ``begin``, ``add`` each event in start order, ``finish``.
    Days off are shaded by the nation of the row's venue (event rows) or unit
    (unit rows). Holds at most the events of the month being written."""

    def __init__(
        self,
        workbook: Any,
        page: PageInfo,
        calendars: PlanCalendars,
        wording: Wording = ENGLISH,
    ) -> None:
        self.workbook = workbook
        self.page = page
        self.calendars = calendars
        # A partner's sheets add its language: the legend, the month's name
        # and a row of weekdays under the English ones.
        self.wording = wording
        self._legend = [LEGEND, *filter(None, [wording.local(LEGEND)])]
        self._local_weekdays = wording.weekdays()
        first_heading = len(self._legend) + 1
        self._heading_rows_at = range(
            first_heading, first_heading + (3 if self._local_weekdays else 2)
        )
        self.ws: Any = None
        self._months: Iterator[MonthBlock] = iter(())
        self._base = EventFilter()
        self._block: MonthBlock | None = None
        self._window = (datetime.min, datetime.min)  # the block's [start, end)
        self._waiting: list[EventRow] = []
        self._backgrounds: dict[tuple[str | None, str | None], list[Any]] = {}

    def _new_sheet(self, title: str) -> None:
        """A month's sheet (or the one saying there are no events), set up to print."""
        ws = self.ws = streaming_sheet(self.workbook, title)
        ws.column_dimensions["A"].width = LABEL_WIDTH
        for index in range(DAY_COLUMNS):
            ws.column_dimensions[get_column_letter(index + 2)].width = DAY_WIDTH
        apply_page_setup(
            ws,
            marking=self.page.marking,
            title=self.page.title,
            width=LABEL_WIDTH + DAY_COLUMNS * DAY_WIDTH,
            smallest_font=CELL_FONT,
            footer_note=self.page.footer_note,
            header_rows=f"{self._heading_rows_at[0]}:{self._heading_rows_at[-1]}",
            freeze=f"B{self._heading_rows_at[-1] + 1}",
        )
        ws.print_options.gridLines = True
        centre = Alignment(horizontal="center", vertical="center")
        self._heading = CellStyle(ws, font=HEADER_FONT, fill=HEADER_FILL, alignment=centre)
        self._heading_left = CellStyle(ws, font=HEADER_FONT, fill=HEADER_FILL)
        self._heading_off = CellStyle(
            ws, font=font(bold=True), fill=solid(OFF_DAY), alignment=centre
        )
        self._off = CellStyle(ws, fill=solid(OFF_DAY), border=GRID)
        self._label = CellStyle(
            ws, font=font(size=CELL_FONT), alignment=Alignment(wrap_text=True, vertical="top")
        )
        self._note = CellStyle(ws, font=NOTE_FONT)
        self._bars: dict[str, CellStyle] = {}
        self._pages = PageFlow(ws, title_height=len(self._heading_rows_at) * ROW_HEIGHT)
        for line in self._legend:
            self._append([self._note.cell(line)])

    def _append(self, row: list[Any], lines: int = 1) -> None:
        """A row as tall as its wrapped label; the month and day headings are
        the print titles, counted on every page already."""
        height = ROW_HEIGHT if lines <= 1 else min(lines, 6) * LABEL_LINE + 2
        title = self._pages.rows + 1 in self._heading_rows_at
        self._pages.append(row, height, title=title)

    def _bar(self, colour: str) -> CellStyle:
        style = self._bars.get(colour)
        if style is None:
            style = CellStyle(
                self.ws,
                fill=solid(colour),
                font=font(color=readable_on(colour), size=CELL_FONT),
                border=GRID,
                alignment=Alignment(horizontal="left", vertical="center"),
            )
            self._bars[colour] = style
        return style

    def _off_day(self, nation: str | None, region: str | None, day: date) -> bool:
        return not self.calendars.for_nation(nation, region).is_working_day(day)

    def begin(self, period: tuple[date, date] | None, base: EventFilter) -> None:
        """Start the month blocks of ``period``; ``base`` is the export's selection."""
        self._months = iter(months(*period)) if period is not None else iter(())
        self._base = base
        self._waiting = []
        if period is None:
            self._new_sheet(CALENDAR_SHEET)
            self._append([text_value(self.ws, "No events in this selection.")])
        else:
            self._next_block()

    def add(self, row: EventRow, progress: Progress) -> None:
        """The next selected event, in start order (``services.export_rows.iter_events``).

        The calendar is written from the same pass over the events as the
        Schedule sheet: a month is complete, and written, as soon as an
        event starts after it. Rows that run on into later months wait.
        """
        while self._block is not None and row.start >= self._window[1]:
            self._write_block(progress)
        if self._block is not None:
            self._waiting.append(row)

    def finish(self, progress: Progress) -> None:
        """Write the months still open (the last ones, and months without events)."""
        while self._block is not None:
            self._write_block(progress)

    def _next_block(self) -> None:
        self._block = next(self._months, None)
        if self._block is not None:
            base = self._base
            first = max(self._block.first, base.date_from or self._block.first)
            last = min(self._block.last, base.date_to or self._block.last)
            # The same bounds as EventFilter.conditions for the month alone.
            self._window = (
                datetime.combine(first, time()),
                datetime.combine(last + timedelta(days=1), time()),
            )
            self._backgrounds = {}

    def _write_block(self, progress: Progress) -> None:
        block = self._block
        assert block is not None
        low, high = self._window
        rows = [row for row in self._waiting if row.end > low and row.start < high]
        self._waiting = [row for row in self._waiting if row.end > high]
        self._new_sheet(month_sheet_name(block))
        self._heading_rows(block)
        if not rows:
            self._append([self._note.cell(self.wording.both("No events this month.", "  ·  "))])
        elif len(rows) <= MAX_EVENT_ROWS:
            self._event_rows(block, rows)
        else:
            self._unit_rows(block, rows)
        self.ws.close()
        progress.advance()
        self._next_block()

    def _heading_rows(self, block: MonthBlock) -> None:
        days = (block.last - block.first).days + 1
        # Month names from the program, not the machine's locale.
        name = f"{MONTH_NAMES[block.first.month - 1]} {block.first.year}"
        local = self.wording.month(block.first.month)
        if local:
            name += f"  ·  {local} {block.first.year}"
        numbers: list[Any] = [self._heading_left.cell(name)]
        letters: list[Any] = [self._heading_left.cell("")]
        local_letters: list[Any] = [self._heading_left.cell("")]
        for offset in range(days):
            day = block.first + timedelta(days=offset)
            style = self._heading_off if day.weekday() >= 5 else self._heading
            numbers.append(style.constant(day.day))
            letters.append(style.constant(WEEKDAY_LETTERS[day.weekday()]))
            if self._local_weekdays:
                local_letters.append(style.constant(self._local_weekdays[day.weekday()]))
        self._append(numbers)
        self._append(letters)
        if self._local_weekdays:
            self._append(local_letters)

    def _background(
        self, nation: str | None, block: MonthBlock, region: str | None = None
    ) -> list[Any]:
        """A row's day cells before its bars: a nation's (or its region's) days
        off shaded (the printed grid lines draw the other boxes), worked out
        once per month."""
        key = (nation, region)
        found = self._backgrounds.get(key)
        if found is None:
            off = self._off.constant(None)
            days = (block.last - block.first).days + 1
            found = [
                off if self._off_day(nation, region, block.first + timedelta(days=i)) else None
                for i in range(days)
            ]
            self._backgrounds[key] = found
        return found

    def _event_rows(self, block: MonthBlock, rows: Iterable[EventRow]) -> None:
        for row in rows:
            colour = CANCELLED if row.status == "cancelled" else hex_colour(row.colour)
            cells = list(self._background(row.nation_code, block, row.holiday_region))
            first = (max(row.start.date(), block.first) - block.first).days
            last = (min(row.last_day, block.last) - block.first).days
            if first <= last:
                bar = self._bar(colour)
                cells[first : last + 1] = [bar.constant(None)] * (last - first + 1)
                cells[first] = bar.constant(_code_that_fits(row.course_code, last - first + 1))
            label = f"{row.ref}  {row.course_code}  {row.course_title}"
            if row.status == "cancelled":
                label += " (cancelled)"
            self._labelled_row(label, cells)

    def _unit_rows(self, block: MonthBlock, rows: Iterable[EventRow]) -> None:
        # unit -> day of the month (0-based) -> (course code, colour) of each event
        per_unit: dict[tuple[str, str, str], dict[int, list[tuple[str, str]]]] = {}
        for row in rows:
            if row.status == "cancelled":
                continue
            colour = hex_colour(row.colour)
            first = (max(row.start.date(), block.first) - block.first).days
            last = (min(row.last_day, block.last) - block.first).days
            mark = (row.course_code, colour)
            for audience in row.audience:
                days = per_unit.setdefault((audience.code, audience.name, audience.nation_code), {})
                for offset in range(first, last + 1):
                    days.setdefault(offset, []).append(mark)
        for (code, name, nation), days in sorted(per_unit.items()):
            cells = list(self._background(nation, block))
            run_start, run_length = 0, 0
            previous: tuple[str, str] | None = None
            for offset in sorted(days):
                found = days[offset]
                if len(found) > 1:
                    cells[offset] = self._bar(BUSY).constant(str(len(found)))
                    previous = None
                    continue
                mark = found[0]
                if mark == previous and offset == run_start + run_length:
                    # The same course on the next day: the bar goes on, its
                    # code is written once at its start (see _code_that_fits).
                    run_length += 1
                    cells[offset] = self._bar(mark[1]).constant(None)
                    cells[run_start] = self._bar(mark[1]).constant(
                        _code_that_fits(mark[0], run_length)
                    )
                    continue
                run_start, run_length, previous = offset, 1, mark
                cells[offset] = self._bar(mark[1]).constant(_code_that_fits(mark[0], 1))
            self._labelled_row(f"{code}  {name}", cells)

    def _labelled_row(self, label: str, cells: list[Any]) -> None:
        # A 10-point label holds a tenth more than the column's 11-point width.
        lines = wrapped_lines(label, LABEL_WIDTH * 1.1)
        self._append([self._label.cell(label), *cells], lines)
