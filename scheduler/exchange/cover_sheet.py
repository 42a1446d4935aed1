"""The ``Cover`` sheet: what the file is, for whom, which period, what it means.

A partner's staff officer opens the file and should know at once whose
schedule it is, how current, how it is marked, and what the colours mean.
"""

from __future__ import annotations

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
from scheduler.exchange.page_setup import apply_page_setup
from scheduler.exchange.schedule_sheet import STATUS_COLOURS, STATUS_MEANING
from scheduler.exchange.sheets import PageInfo

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


def write_cover(workbook: Any, page: PageInfo, facts: CoverFacts) -> None:
    ws = streaming_sheet(workbook, COVER_SHEET)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 72
    apply_page_setup(
        ws,
        marking=page.marking,
        title=page.title,
        footer_note=page.footer_note,
        header_rows=None,
        fit_height=1,
    )
    wrap = Alignment(wrap_text=True, vertical="top")
    title = CellStyle(ws, font=font(bold=True, size=16))
    marking = CellStyle(ws, font=font(bold=True, size=12, color="C00000"))
    label = CellStyle(ws, font=font(bold=True), alignment=Alignment(vertical="top"))
    value = CellStyle(ws, alignment=wrap)
    stamp = CellStyle(ws, number_format=TIMESTAMP_FORMAT, alignment=Alignment(horizontal="left"))
    day = CellStyle(ws, number_format="yyyy-mm-dd", alignment=Alignment(horizontal="left"))
    left = CellStyle(ws, alignment=Alignment(horizontal="left"))
    section = CellStyle(ws, font=font(bold=True, size=12))
    note = CellStyle(ws, font=NOTE_FONT, alignment=wrap)

    ws.append([title.cell(facts.heading)])
    ws.append([marking.cell(facts.marking)])
    ws.append([])
    ws.append([label.cell("Plan"), value.cell(facts.plan_name)])
    if facts.partner:
        ws.append([label.cell("For"), value.cell(facts.partner)])
    if facts.period is not None:
        ws.append([label.cell("Period from"), day.cell(facts.period[0])])
        ws.append([label.cell("Period to"), day.cell(facts.period[1])])
    ws.append([label.cell("Generated"), stamp.cell(facts.generated)])
    ws.append([label.cell("Protective marking"), value.cell(facts.marking)])
    ws.append([label.cell("Events"), left.cell(facts.events)])
    ws.append([])
    ws.append([section.cell("Sheets")])
    for name, meaning in facts.sheets:
        ws.append([label.cell(name), value.cell(meaning)])
    ws.append([])
    ws.append([section.cell("Status colours")])
    for status in facts.statuses:
        colour = STATUS_COLOURS[status]
        ws.append(
            [
                CellStyle(ws, fill=solid(colour)).cell(status.capitalize()),
                value.cell(STATUS_MEANING[status]),
            ]
        )
    if facts.courses:
        ws.append([])
        ws.append([section.cell("Course colours (Calendar bars)")])
        for code, course_title, course_colour in facts.courses:
            fill = hex_colour(course_colour)
            ws.append(
                [
                    CellStyle(ws, fill=solid(fill), font=font(color=readable_on(fill))).cell(code),
                    value.cell(course_title),
                ]
            )
    ws.append([])
    ws.append(
        [
            note.cell("Times are local to the venue."),
        ]
    )
