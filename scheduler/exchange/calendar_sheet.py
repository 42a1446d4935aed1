"""The ``Calendar`` sheet: a month-by-month grid with days across.

Each month is its own block (and its own printed page): one row per event
with a bar in the course colour on the days it runs, or, when a month holds
too many events for that to be readable, one row per unit with the course
code on each day the unit is in training. Weekends, public holidays and
closure days of the row's nation are shaded. Days go across in fixed
columns (1 to 31), so every month fits one page wide.
"""

from __future__ import annotations

import calendar as calendar_lib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

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
from scheduler.exchange.page_setup import apply_page_setup
from scheduler.exchange.rows import EventFilter, EventRow
from scheduler.exchange.sheets import PageInfo
from scheduler.planning.workdays import PlanCalendars
from scheduler.progress import Progress

CALENDAR_SHEET = "Calendar"
# Above this many events in a month, rows are units instead of events.
MAX_EVENT_ROWS = 120
DAY_COLUMNS = 31
WEEKDAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OFF_DAY = "D9D9D9"
CANCELLED = "BFBFBF"
BUSY = "404040"


@dataclass(frozen=True, slots=True)
class MonthBlock:
    first: date
    last: date


def months(first: date, last: date) -> list[MonthBlock]:
    found = []
    day = first.replace(day=1)
    while day <= last:
        days = calendar_lib.monthrange(day.year, day.month)[1]
        found.append(MonthBlock(day, day.replace(day=days)))
        day = day.replace(day=days) + timedelta(days=1)
    return found


class CalendarSheet:
    """Writes the month blocks from the same pass over the events as the
    Schedule sheet: ``begin``, ``add`` each event in start order, ``finish``.
    Days off are shaded by the nation of the row's venue (event rows) or unit
    (unit rows). Holds at most the events of the month being written."""

    def __init__(
        self,
        workbook: Any,
        page: PageInfo,
        calendars: PlanCalendars,
    ) -> None:
        self.ws = streaming_sheet(workbook, CALENDAR_SHEET)
        self.calendars = calendars
        self.ws.column_dimensions["A"].width = 50
        for index in range(DAY_COLUMNS):
            self.ws.column_dimensions[get_column_letter(index + 2)].width = 4.2
        apply_page_setup(
            self.ws,
            marking=page.marking,
            title=page.title,
            footer_note=page.footer_note,
            header_rows="1:1",
            freeze="B2",
        )
        self.ws.print_options.gridLines = True
        centre = Alignment(horizontal="center", vertical="center")
        self._heading = CellStyle(self.ws, font=HEADER_FONT, fill=HEADER_FILL, alignment=centre)
        self._heading_left = CellStyle(self.ws, font=HEADER_FONT, fill=HEADER_FILL)
        self._heading_off = CellStyle(
            self.ws, font=font(bold=True), fill=solid(OFF_DAY), alignment=centre
        )
        self._off = CellStyle(self.ws, fill=solid(OFF_DAY), border=GRID)
        self._label = CellStyle(self.ws, font=font(size=10))
        self._note = CellStyle(self.ws, font=NOTE_FONT)
        self._bars: dict[str, CellStyle] = {}
        self._row = 0
        self._months: Iterator[MonthBlock] = iter(())
        self._base = EventFilter()
        self._block: MonthBlock | None = None
        self._window = (datetime.min, datetime.min)  # the block's [start, end)
        self._waiting: list[EventRow] = []
        self._backgrounds: dict[str | None, list[Any]] = {}
        self._blocks_written = 0
        self._append(
            [
                self._note.cell(
                    "Bars: the days each event runs, in its course colour (grey: cancelled). "
                    "Shaded: weekend, public holiday or closure. A number: that many events "
                    "on the day."
                )
            ]
        )

    def _append(self, row: list[Any]) -> None:
        self.ws.append(row)
        self._row += 1

    def _bar(self, colour: str) -> CellStyle:
        style = self._bars.get(colour)
        if style is None:
            style = CellStyle(
                self.ws,
                fill=solid(colour),
                font=font(color=readable_on(colour), size=8),
                border=GRID,
                alignment=Alignment(horizontal="left", shrink_to_fit=False),
            )
            self._bars[colour] = style
        return style

    def _off_day(self, nation: str | None, day: date) -> bool:
        return not self.calendars.for_nation(nation).is_working_day(day)

    def begin(self, period: tuple[date, date] | None, base: EventFilter) -> None:
        """Start the month blocks of ``period``; ``base`` is the export's selection."""
        self._months = iter(months(*period)) if period is not None else iter(())
        self._base = base
        self._waiting = []
        self._blocks_written = 0
        if period is None:
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
        if self._blocks_written:
            self.ws.row_breaks.append(Break(id=self._row))
        self._heading_rows(block)
        if len(rows) <= MAX_EVENT_ROWS:
            self._event_rows(block, rows)
        else:
            self._unit_rows(block, rows)
        self._append([])
        progress.advance()
        self._blocks_written += 1
        self._next_block()

    def _heading_rows(self, block: MonthBlock) -> None:
        days = (block.last - block.first).days + 1
        numbers: list[Any] = [self._heading_left.cell(f"{block.first:%B %Y}")]
        letters: list[Any] = [self._heading_left.cell("")]
        for offset in range(days):
            day = block.first + timedelta(days=offset)
            style = self._heading_off if day.weekday() >= 5 else self._heading
            numbers.append(style.constant(day.day))
            letters.append(style.constant(WEEKDAY_LETTERS[day.weekday()]))
        self._append(numbers)
        self._append(letters)

    def _background(self, nation: str | None, block: MonthBlock) -> list[Any]:
        """A row's day cells before its bars: a nation's days off shaded (the
        printed grid lines draw the other boxes), worked out once per month."""
        found = self._backgrounds.get(nation)
        if found is None:
            off = self._off.constant(None)
            days = (block.last - block.first).days + 1
            found = [
                off if self._off_day(nation, block.first + timedelta(days=i)) else None
                for i in range(days)
            ]
            self._backgrounds[nation] = found
        return found

    def _event_rows(self, block: MonthBlock, rows: Iterable[EventRow]) -> None:
        for row in rows:
            colour = CANCELLED if row.status == "cancelled" else hex_colour(row.colour)
            cells = list(self._background(row.nation_code, block))
            first = (max(row.start.date(), block.first) - block.first).days
            last = (min(row.last_day, block.last) - block.first).days
            if first <= last:
                bar = self._bar(colour)
                cells[first] = bar.constant(row.course_code)
                cells[first + 1 : last + 1] = [bar.constant("")] * (last - first)
            label = f"{row.ref}  {row.course_code}  {row.course_title}"
            if row.status == "cancelled":
                label += " (cancelled)"
            self._append([self._label.cell(label), *cells])

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
            for offset in sorted(days):
                found = days[offset]
                if len(found) == 1:
                    cells[offset] = self._bar(found[0][1]).constant(found[0][0])
                else:
                    cells[offset] = self._bar(BUSY).constant(str(len(found)))
            self._append([self._label.cell(f"{code}  {name}"), *cells])
