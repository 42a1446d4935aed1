"""Cells built for speed read back as the values and styles they stand for.

Table sheets refill one cell per column for each row, a ``CellStyle`` shares
its style with all its cells, a constant cell stands in many places, and the
Calendar is written from the Schedule's single pass over the events. None of
that may show in the file: each cell must read back with its own value and
style, and each month block with the events that overlap it.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from scheduler.exchange.calendar_sheet import MAX_EVENT_ROWS, CalendarSheet
from scheduler.exchange.cells import CellStyle, as_stored, font, solid, streaming_sheet
from scheduler.exchange.rows import AudienceRow, EventFilter, EventRow
from scheduler.exchange.sheets import (
    DATE,
    DATETIME,
    LINE_HEIGHT,
    NUMBER,
    ROW_HEIGHT,
    TEXT,
    WRAP,
    Column,
    PageInfo,
    TableSheet,
    wrapped_lines,
)
from scheduler.planning.workdays import PlanCalendars
from scheduler.progress import Progress

PAGE = PageInfo("OFFICIAL", "Plan", "Generated now")
LONG = "A remark long enough to need a second line in a narrow column, and a third."
HOSTILE = ["=1+1", "+1", "-2", "@SUM(A1)", "\t=1", "#N/A"]


def _fill(cell: Any) -> str:
    return str(cell.fill.fgColor.rgb)[-6:] if cell.fill.fill_type == "solid" else ""


def test_table_cells_read_back_with_their_values_and_styles(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    sheet = TableSheet(
        wb,
        "Table",
        [
            Column("Name", 12, TEXT),
            Column("Remark", 20, WRAP),
            Column("When", 16, DATETIME),
            Column("Day", 12, DATE),
            Column("Seats", 6, NUMBER),
            Column("Status", 10),
        ],
        PAGE,
        table_name="Table",
    )
    planned = sheet.style(fill=solid("DDEBF7"))
    cancelled = sheet.style(fill=solid("F8CBAD"), font=font(strike=True))
    rows: list[list[Any]] = []
    for number in range(40):
        rows.append(
            [
                f"Name {number % 3}",
                LONG if number % 4 == 0 else "short",
                datetime(2027, 3, 1 + number % 28, 8, 30),
                date(2027, 4, 1 + number % 28),
                number,
                planned.constant("Planned") if number % 2 else cancelled.cell("Cancelled"),
            ]
        )
    rows.append([*HOSTILE[:2], None, None, None, HOSTILE[2]])
    rows.append([HOSTILE[3], HOSTILE[4], None, None, 7, planned.cell(HOSTILE[5])])
    for row in rows:
        sheet.append(row)
    sheet.close()
    path = tmp_path / "table.xlsx"
    wb.save(path)

    ws = load_workbook(path)["Table"]
    read = list(ws.iter_rows(min_row=2))
    assert len(read) == len(rows)
    for number, cells in enumerate(read[:40]):
        name, remark, when, day, seats, status = cells
        assert (name.value, name.data_type) == (f"Name {number % 3}", "s")
        assert remark.value == (LONG if number % 4 == 0 else "short")
        assert remark.alignment.wrap_text is (True if number % 4 == 0 else None)
        assert when.value == datetime(2027, 3, 1 + number % 28, 8, 30)
        assert when.number_format == "yyyy-mm-dd hh:mm"
        assert when.is_date and day.is_date and day.number_format == "yyyy-mm-dd"
        assert day.value == datetime(2027, 4, 1 + number % 28)
        assert seats.value == number and seats.data_type == "n"
        if number % 2:
            assert (status.value, _fill(status), status.font.strike) == ("Planned", "DDEBF7", None)
        else:
            assert (status.value, _fill(status), status.font.strike) == (
                "Cancelled",
                "F8CBAD",
                True,
            )
        height = ws.row_dimensions[name.row].height
        assert height == (wrapped_lines(LONG, 20) * LINE_HEIGHT if number % 4 == 0 else ROW_HEIGHT)
    hostile_cells = [c for row in read[40:] for c in row if c.value is not None]
    assert [c.value for c in hostile_cells] == [
        as_stored(v) for v in [*HOSTILE[:2], HOSTILE[2]]
    ] + [
        as_stored(HOSTILE[3]),
        as_stored(HOSTILE[4]),
        7,
        as_stored(HOSTILE[5]),
    ]
    for cell in hostile_cells:
        if isinstance(cell.value, str):
            assert cell.data_type == "s" and cell.quotePrefix, cell.value
    assert _fill(read[41][5]) == "DDEBF7"  # a risky value keeps its style
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_one_constant_cell_stands_in_many_places(tmp_path: Path) -> None:
    wb = Workbook(write_only=True)
    ws = streaming_sheet(wb, "Grid")
    shaded = CellStyle(ws, fill=solid("D9D9D9"))
    bar = CellStyle(ws, fill=solid("1F77B4"), font=font(color="FFFFFF"))
    for _ in range(3):
        ws.append(["label", shaded.constant(None), bar.constant("X"), None, bar.constant("X")])
    wb.save(tmp_path / "grid.xlsx")

    grid = load_workbook(tmp_path / "grid.xlsx")["Grid"]
    for row in grid.iter_rows(min_row=1, max_row=3):
        assert [c.value for c in row] == ["label", None, "X", None, "X"]
        assert [_fill(c) for c in row] == ["", "D9D9D9", "1F77B4", "", "1F77B4"]
        assert row[2].font.color.rgb.endswith("FFFFFF") and row[4].font.color.rgb.endswith("FFFFFF")


def _event(ref: str, start: datetime, end: datetime, units: tuple[str, ...] = ()) -> EventRow:
    return EventRow(
        id=hash(ref),
        uuid=ref,
        ref=ref,
        course_code="C" + ref[-2:],
        course_title="Course",
        category="Cat",
        colour="#1F77B4",
        start=start,
        end=end,
        status="planned",
        venue_name="Venue",
        venue_location=None,
        nation_code=None,
        time_zone=None,
        notes=None,
        partner_remarks=None,
        series_id=None,
        recurrence_id=None,
        is_override=False,
        audience=tuple(AudienceRow(i, code, code, 10, "MK") for i, code in enumerate(units)),
        staff=(),
    )


def _blocks(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Month heading -> the rows under it (label cell first, then one cell per day)."""
    blocks: dict[str, list[tuple[Any, ...]]] = {}
    for ws in load_workbook(path).worksheets:  # one per month: "Calendar Mar 2027"
        heading = ws["A2"].value  # "March 2027", then the day numbers
        assert ws.title == f"Calendar {heading[:3]} {heading[-4:]}"
        assert ws.print_title_rows == "$2:$3" and ws.freeze_panes == "B4"
        blocks[heading] = [
            row
            for row in ws.iter_rows(min_row=4)
            if row[0].value and row[0].value != "No events this month."
        ]
    return blocks


def _labels(blocks: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[str]]:
    return {month: [row[0].value.split()[0] for row in rows] for month, rows in blocks.items()}


def _write_calendar(
    path: Path, events: list[EventRow], period: tuple[date, date], base: EventFilter
) -> None:
    wb = Workbook(write_only=True)
    calendar = CalendarSheet(wb, PAGE, PlanCalendars())
    progress = Progress(None, 1)
    calendar.begin(period, base)
    for event in events:
        calendar.add(event, progress)
    calendar.finish(progress)
    wb.save(path)


def test_calendar_months_hold_the_events_that_overlap_them(tmp_path: Path) -> None:
    events = [
        _event("E-01", datetime(2027, 1, 28, 8), datetime(2027, 2, 3, 17)),  # Jan and Feb
        _event("E-02", datetime(2027, 1, 30, 8), datetime(2027, 4, 2, 17)),  # Jan to Apr
        _event("E-03", datetime(2027, 2, 10, 8), datetime(2027, 2, 11, 17)),
        _event("E-04", datetime(2027, 4, 1, 8), datetime(2027, 4, 1, 17)),
        _event("E-05", datetime(2027, 4, 30, 8), datetime(2027, 5, 1, 0)),  # ends at midnight
    ]
    path = tmp_path / "calendar.xlsx"
    _write_calendar(path, events, (date(2027, 1, 28), date(2027, 4, 30)), EventFilter())
    blocks = _blocks(path)
    assert _labels(blocks) == {
        "January 2027": ["E-01", "E-02"],
        "February 2027": ["E-01", "E-02", "E-03"],
        "March 2027": ["E-02"],  # runs through March without starting in it
        "April 2027": ["E-02", "E-04", "E-05"],
    }
    february = {row[0].value.split()[0]: row[1:] for row in blocks["February 2027"]}
    bar = "1F77B4"
    assert [c.value for c in february["E-01"][:4]] == ["C01", None, None, None]
    assert [_fill(c) for c in february["E-01"][:4]] == [bar, bar, bar, ""]  # to 3 February
    assert february["E-02"][0].value == "C02"
    assert {_fill(c) for c in february["E-02"][:28]} == {bar}  # the whole month
    assert [c.value for c in february["E-03"][9:12]] == ["C03", None, None]
    assert [_fill(c) for c in february["E-03"][8:12]] == ["", bar, bar, ""]
    assert _fill(february["E-03"][5]) == "D9D9D9"  # Saturday 6 February: shaded

    # A period that starts late: months are cut to it, as the selection is.
    late = tmp_path / "late.xlsx"
    _write_calendar(
        late,
        events[2:],
        (date(2027, 2, 5), date(2027, 4, 15)),
        EventFilter(date_from=date(2027, 2, 5), date_to=date(2027, 4, 15)),
    )
    assert _labels(_blocks(late)) == {
        "February 2027": ["E-03"],
        "March 2027": [],
        "April 2027": ["E-04"],
    }


def test_a_busy_month_turns_into_unit_rows(tmp_path: Path) -> None:
    busy = [
        _event(
            f"E-{n:03d}",
            datetime(2027, 3, 1 + n % 20, 8),
            datetime(2027, 3, 2 + n % 20, 17),
            ("U1",),
        )
        for n in range(MAX_EVENT_ROWS + 1)
    ]
    quiet = [_event("Q-01", datetime(2027, 4, 5, 8), datetime(2027, 4, 6, 17), ("U1",))]
    path = tmp_path / "busy.xlsx"
    _write_calendar(path, busy + quiet, (date(2027, 3, 1), date(2027, 4, 30)), EventFilter())
    blocks = _blocks(path)
    assert [row[0].value for row in blocks["March 2027"]] == ["U1  U1"]
    first_day = blocks["March 2027"][0][1]
    assert first_day.value == "7" and _fill(first_day) == "404040"  # 1 March: seven events
    assert _labels(blocks)["April 2027"] == ["Q-01"]
