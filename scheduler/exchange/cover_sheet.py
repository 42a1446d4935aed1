"""The ``Cover`` sheet: what the file is, for whom, which period, what it means.

A partner's staff officer opens the file and should know at once whose
schedule it is, how current, how it is marked, and what the colours mean.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl.styles import Alignment

from scheduler.exchange.cells import (
    NOTE_FONT,
    TIMESTAMP_FORMAT,
    CellStyle,
    font,
    hex_colour,
    readable_on,
    solid,
    streaming_sheet,
)
from scheduler.exchange.page_setup import PageFlow, apply_page_setup
from scheduler.exchange.partner_language import ENGLISH, Wording
from scheduler.exchange.schedule_sheet import STATUS_COLOURS, STATUS_MEANING
from scheduler.exchange.sheets import ROW_HEIGHT, PageInfo, row_height, wrapped_lines

COVER_SHEET = "Cover"


@dataclass(frozen=True, slots=True)
class CoverFacts:
    heading: str
    plan_name: str
    partner: str | None
    period: tuple[date, date] | None
    generated: datetime
    marking: str
    events: int
    courses: Sequence[tuple[str, str, str | None]]  # code, title, colour
    sheets: Sequence[tuple[str, str]]  # sheet name, what it holds
    statuses: Sequence[str] = tuple(STATUS_COLOURS)


LABEL_WIDTH = 30
VALUE_WIDTH = 66
# A 12-point bold marking line: about this many characters fit the cover's width.
MARKING_LINE = 70
SECTION_HEIGHT = 18.0  # a row of 12-point bold text


class _CoverRows:
    """Appends the cover's rows (``PageFlow``), growing a row whose label or
    value wraps."""

    def __init__(self, ws: Any) -> None:
        self.pages = PageFlow(ws)

    def append(self, cells: list[Any], *, texts: Sequence[str] = (), height: float = 0) -> None:
        if texts and not height:
            # Bold labels are about a tenth wider than the column's units.
            lines = max(
                wrapped_lines(texts[0], LABEL_WIDTH * 0.9),
                wrapped_lines(texts[1], VALUE_WIDTH) if len(texts) > 1 else 1,
            )
            height = row_height(lines)
        self.pages.append(cells, height or ROW_HEIGHT)


def write_cover(
    workbook: Any, page: PageInfo, facts: CoverFacts, wording: Wording = ENGLISH
) -> None:
    """The cover; a partner's also in its language (``wording``), under the English."""
    ws = streaming_sheet(workbook, COVER_SHEET)
    ws.column_dimensions["A"].width = LABEL_WIDTH
    ws.column_dimensions["B"].width = VALUE_WIDTH
    # At full size: a long course legend runs on to a second (marked) page
    # rather than shrinking the whole cover under a readable size.
    apply_page_setup(
        ws,
        marking=page.marking,
        title=page.title,
        width=LABEL_WIDTH + VALUE_WIDTH,
        footer_note=page.footer_note,
        header_rows=None,
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    title = CellStyle(ws, font=font(bold=True, size=16), alignment=Alignment(vertical="center"))
    marking = CellStyle(ws, font=font(bold=True, size=12, color="C00000"))
    label = CellStyle(ws, font=font(bold=True), alignment=wrap)
    value = CellStyle(ws, alignment=wrap)
    top_left = Alignment(horizontal="left", vertical="top")
    stamp = CellStyle(ws, number_format=TIMESTAMP_FORMAT, alignment=top_left)
    day = CellStyle(ws, number_format="yyyy-mm-dd", alignment=top_left)
    left = CellStyle(ws, alignment=top_left)
    section = CellStyle(ws, font=font(bold=True, size=12))
    note = CellStyle(ws, font=NOTE_FONT, alignment=wrap)
    rows = _CoverRows(ws)

    both = wording.both

    def pair(name: str, text: str, style: CellStyle = label) -> None:
        rows.append([style.cell(name), value.cell(text)], texts=(name, text))

    def labelled(name: str, cell: Any) -> None:
        rows.append([label.cell(both(name)), cell], texts=(both(name),))

    # The heading's row is as tall as its 16-point text, so it does not
    # touch the red marking under it; a long marking takes several lines.
    rows.append([title.cell(both(facts.heading, "  ·  "))], height=28)
    for line in textwrap.wrap(facts.marking, MARKING_LINE) or [""]:
        rows.append([marking.cell(line)], height=18)
    rows.append([])
    pair(both("Plan"), facts.plan_name)
    if facts.partner:
        pair(both("For"), facts.partner)
    if facts.period is not None:
        labelled("Period from", day.cell(facts.period[0]))
        labelled("Period to", day.cell(facts.period[1]))
    labelled("Generated", stamp.cell(facts.generated))
    pair(both("Protective marking"), facts.marking)
    labelled("Events", left.cell(facts.events))
    notes = both("Times are local to the venue.")
    rows.append([None, note.cell(notes)], texts=("", notes))
    rows.append([])
    rows.append([section.cell(both("Sheets", "  ·  "))], height=SECTION_HEIGHT)
    for name, meaning in facts.sheets:
        pair(name, both(meaning))
    rows.append([])
    rows.append([section.cell(both("Status colours", "  ·  "))], height=SECTION_HEIGHT)
    for status in facts.statuses:
        colour = STATUS_COLOURS[status]
        swatch = CellStyle(ws, fill=solid(colour), alignment=wrap)
        pair(both(status.capitalize()), both(STATUS_MEANING[status]), swatch)
    if facts.courses:
        rows.append([])
        heading = both("Course colours (Calendar bars)", "  ·  ")
        rows.append([section.cell(heading)], height=SECTION_HEIGHT)
        for code, course_title, course_colour in facts.courses:
            fill = hex_colour(course_colour)
            swatch = CellStyle(ws, fill=solid(fill), font=font(color=readable_on(fill)))
            pair(code, course_title, swatch)
