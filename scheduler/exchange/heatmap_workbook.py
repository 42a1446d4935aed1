"""The utilisation heatmap as a workbook: people, venues or kit down, weeks across.

What the page shows, as numbers a team lead can add up: each week cell holds
what was booked (days, or hours), shaded by its share of what was available
and red when over-booked or double-booked; each row has its period totals
and the share; a last row totals each week. Marked and printed as every
sheet of the program is (``page_setup``): the name column repeats on each
page across, the heading row on each page down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from openpyxl.styles import Alignment

from scheduler.exchange.cells import font, readable_on, solid
from scheduler.exchange.output import PendingFile
from scheduler.exchange.sheets import NUMBER, WRAP, Column, PageInfo, TableSheet
from scheduler.exchange.workbook_common import generated_note, save_workbook, streamed_workbook

HEATMAP_SHEET = "Utilisation"
# The page's shades, lightest to darkest: a week's share of what was available.
SHADES = ("DCE8F5", "B7D1EB", "8DB4E2", "5B8FCC", "2F6DB5")
OVER = "E53935"
IDLE = "8C8C8C"
SHARE_FORMAT = "0%"
NUMBER_FORMAT = "0.##"


@dataclass(frozen=True, slots=True)
class HeatmapCell:
    booked: float
    available: float
    over: bool = False


@dataclass(frozen=True, slots=True)
class HeatmapRow:
    name: str
    nation: str
    cells: tuple[HeatmapCell, ...]
    over: bool = False

    @property
    def booked(self) -> float:
        return sum(c.booked for c in self.cells)

    @property
    def available(self) -> float:
        return sum(c.available for c in self.cells)


@dataclass(frozen=True, slots=True)
class Heatmap:
    """``unit`` is "days" or "hours"; ``scope`` says the period and filter."""

    title: str
    unit: str
    scope: str
    weeks: tuple[str, ...]
    rows: tuple[HeatmapRow, ...]


def _share(booked: float, available: float) -> float | None:
    return booked / available if available else None


def write_heatmap(
    target: Path, heatmap: Heatmap, *, marking: str, plan_name: str, now: datetime
) -> None:
    """Write ``heatmap`` to ``target`` (an .xlsx) whole, or leave nothing."""
    page = PageInfo(marking, f"{heatmap.title} — {plan_name}", generated_note(now))
    unit = heatmap.unit
    columns = [
        Column("Name", 26, WRAP),
        Column("Nation", 8),
        Column(f"Booked ({unit})", 9, NUMBER),
        Column(f"Available ({unit})", 10, NUMBER),
        Column("Share", 7, NUMBER),
        *(Column(week, 7, NUMBER) for week in heatmap.weeks),
    ]
    with PendingFile(target) as pending, streamed_workbook() as workbook:
        sheet = TableSheet(workbook, HEATMAP_SHEET, columns, page, table_name=None, freeze="F2")
        centre = Alignment(horizontal="center", vertical="top")
        plain = sheet.style(alignment=centre, number_format=NUMBER_FORMAT)
        # An idle week recedes, as on the page, so the busy ones stand out.
        idle = sheet.style(font=font(color=IDLE), alignment=centre, number_format=NUMBER_FORMAT)
        share = sheet.style(alignment=centre, number_format=SHARE_FORMAT)
        over = sheet.style(
            fill=solid(OVER),
            font=font(color=readable_on(OVER), bold=True),
            alignment=centre,
            number_format=NUMBER_FORMAT,
        )
        shades = [
            sheet.style(
                fill=solid(colour),
                font=font(color=readable_on(colour)),
                alignment=centre,
                number_format=NUMBER_FORMAT,
            )
            for colour in SHADES
        ]

        def shaded(cell: HeatmapCell) -> object:
            if cell.over:
                return over.cell(cell.booked)
            ratio = _share(cell.booked, cell.available)
            if ratio is None:
                return plain.cell(None)
            if not cell.booked:
                return idle.cell(0)
            level = min(int(min(ratio, 1.0) * len(SHADES)), len(SHADES) - 1)
            return shades[level].cell(cell.booked)

        for row in heatmap.rows:
            ratio = _share(row.booked, row.available)
            sheet.append(
                [
                    row.name,
                    row.nation,
                    (over if row.over else plain).cell(row.booked),
                    plain.cell(row.available),
                    share.cell(ratio),
                    *(shaded(cell) for cell in row.cells),
                ]
            )
        sheet.close()  # the filter covers the rows above, not the totals below
        if not heatmap.rows:
            save_workbook(workbook, pending)
            pending.publish()
            return
        bold = sheet.style(font=font(bold=True), alignment=centre, number_format=NUMBER_FORMAT)
        weeks = range(len(heatmap.weeks))
        booked = [sum(r.cells[w].booked for r in heatmap.rows) for w in weeks]
        available = [sum(r.cells[w].available for r in heatmap.rows) for w in weeks]
        total_booked, total_available = sum(booked), sum(available)
        sheet.append(
            [
                sheet.style(font=font(bold=True)).cell("All"),
                None,
                bold.cell(total_booked),
                bold.cell(total_available),
                share.cell(_share(total_booked, total_available)),
                *(bold.cell(value) for value in booked),
            ]
        )
        # One line, running on over the empty cells beside it.
        note = sheet.style(alignment=Alignment(wrap_text=False, vertical="top"))
        sheet.append([note.cell(heatmap.scope), *([None] * (len(columns) - 1))])
        save_workbook(workbook, pending)
        pending.publish()
