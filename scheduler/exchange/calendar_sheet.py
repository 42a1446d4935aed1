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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
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
from scheduler.exchange.progress import Progress
from scheduler.exchange.rows import EventFilter, EventRow
from scheduler.exchange.sheets import PageInfo
from scheduler.planning.workdays import PlanCalendars

CALENDAR_SHEET = "Calendar"
# Above this many events in a month, rows are units instead of events.
MAX_EVENT_ROWS = 120
DAY_COLUMNS = 31
WEEKDAY_LETTERS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")
OFF_DAY = "D9D9D9"
CANCELLED = "BFBFBF"
BUSY = "404040"

EventSource = Callable[[EventFilter], Iterator[EventRow]]
Counter = Callable[[EventFilter], int]


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
    """Writes the month blocks; ``home_nation`` shades a partner's own holidays
    on unit rows (the master uses each unit's nation)."""

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
        self._off_cache: dict[tuple[str | None, date], frozenset[date]] = {}
        self._row = 0
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

    def write(
        self,
        period: tuple[date, date] | None,
        base: EventFilter,
        events: EventSource,
        count: Counter,
        progress: Progress,
    ) -> None:
        if period is None:
            self._append([text_value(self.ws, "No events in this selection.")])
            return
        for number, block in enumerate(months(*period)):
            if number:
                self.ws.row_breaks.append(Break(id=self._row))
            month_filter = replace(
                base,
                date_from=max(block.first, base.date_from or block.first),
                date_to=min(block.last, base.date_to or block.last),
            )
            self._heading_rows(block)
            if count(month_filter) <= MAX_EVENT_ROWS:
                self._event_rows(block, events(month_filter))
            else:
                self._unit_rows(block, events(month_filter))
            self._append([])
            progress.advance()

    def _heading_rows(self, block: MonthBlock) -> None:
        days = (block.last - block.first).days + 1
        numbers: list[Any] = [self._heading_left.cell(f"{block.first:%B %Y}")]
        letters: list[Any] = [self._heading_left.cell("")]
        for offset in range(days):
            day = block.first + timedelta(days=offset)
            style = self._heading_off if day.weekday() >= 5 else self._heading
            numbers.append(style.cell(day.day))
            letters.append(style.cell(WEEKDAY_LETTERS[day.weekday()]))
        self._append(numbers)
        self._append(letters)

    def _day_cells(
        self, block: MonthBlock, nation: str | None, marks: dict[date, tuple[str, str]]
    ) -> list[Any]:
        """Cells for the month's days: ``marks`` maps a day to (text, fill colour)."""
        cells: list[Any] = []
        off_days = self._off_days(nation, block)
        day = block.first
        while day <= block.last:
            mark = marks.get(day)
            if mark is not None:
                cells.append(self._bar(mark[1]).cell(mark[0]))
            elif day in off_days:
                cells.append(self._off.cell(None))
            else:
                cells.append(None)  # the printed grid lines draw the box
            day += timedelta(days=1)
        return cells

    def _off_days(self, nation: str | None, block: MonthBlock) -> frozenset[date]:
        """A nation's days off in a month, worked out once per month, not per row."""
        key = (nation, block.first)
        found = self._off_cache.get(key)
        if found is None:
            days = (block.last - block.first).days + 1
            found = frozenset(
                d
                for d in (block.first + timedelta(days=i) for i in range(days))
                if self._off_day(nation, d)
            )
            self._off_cache[key] = found
        return found

    def _event_rows(self, block: MonthBlock, rows: Iterator[EventRow]) -> None:
        for row in rows:
            colour = CANCELLED if row.status == "cancelled" else hex_colour(row.colour)
            marks: dict[date, tuple[str, str]] = {}
            day = max(row.start.date(), block.first)
            last = min(row.last_day, block.last)
            label_day = day
            while day <= last:
                marks[day] = (row.course_code if day == label_day else "", colour)
                day += timedelta(days=1)
            label = f"{row.ref}  {row.course_code}  {row.course_title}"
            if row.status == "cancelled":
                label += " (cancelled)"
            self._append([self._label.cell(label), *self._day_cells(block, row.nation_code, marks)])

    def _unit_rows(self, block: MonthBlock, rows: Iterator[EventRow]) -> None:
        per_unit: dict[tuple[str, str, str], dict[date, list[tuple[str, str]]]] = {}
        for row in rows:
            if row.status == "cancelled":
                continue
            colour = hex_colour(row.colour)
            first = max(row.start.date(), block.first)
            last = min(row.last_day, block.last)
            for audience in row.audience:
                days = per_unit.setdefault((audience.code, audience.name, audience.nation_code), {})
                day = first
                while day <= last:
                    days.setdefault(day, []).append((row.course_code, colour))
                    day += timedelta(days=1)
        for (code, name, nation), days in sorted(per_unit.items()):
            marks = {
                day: (found[0] if len(found) == 1 else (str(len(found)), found[0][1]))
                for day, found in days.items()
            }
            marks = {
                day: (text, BUSY if len(days[day]) > 1 else colour)
                for day, (text, colour) in marks.items()
            }
            self._append(
                [self._label.cell(f"{code}  {name}"), *self._day_cells(block, nation, marks)]
            )
