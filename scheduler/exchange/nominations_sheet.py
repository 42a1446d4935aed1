"""The Nominations sheet of a partner workbook: the half of it that comes back.

Per event, one line the cell fills (its Ref, course, days and the partner's
seats) with two cells the partner answers (confirmed seats, remarks), then
one line per seat for the people it sends: name in its script and in Latin
letters, rank, unit (a drop-down of its own units), status (a drop-down)
and service number. People already enrolled are filled in. Every other
cell is locked (sheet protection without a password: a guard against slips,
not a secret) and the cells to fill are yellow, with data validation.

A very hidden "Reply key" sheet says which release the file belongs to, to
which partner, and what each line of the Nominations sheet held when it was
sent; ``partner_reply`` holds a returned file against it, so an edited
locked cell, an added or removed line, a file from another partner or an
older release is reported instead of imported.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.styles import Alignment, Border, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from scheduler.exchange.cells import CellStyle, font, solid, streaming_sheet, text_value
from scheduler.exchange.page_setup import apply_page_setup
from scheduler.exchange.partner_language import Wording
from scheduler.exchange.rows import EventRow
from scheduler.exchange.schedule_sheet import bilingual_columns
from scheduler.exchange.sheets import NUMBER, WRAP, Column, PageInfo, TableSheet, wrapped_lines

NOMINATIONS_SHEET = "Nominations"
KEY_SHEET = "Reply key"
KEY_TITLE = "Training Scheduler reply key"
KEY_VERSION = 1
EVENT_LINE, PERSON_LINE = "event", "person"
# The statuses a partner may give, as its drop-down lists them.
REPLY_STATUSES = (
    "nominated",
    "confirmed",
    "withdrawn",
    "attended",
    "passed",
    "failed",
    "no show",
)
MAX_LINES_PER_EVENT = 200
OPEN_FILL = "FFF2CC"  # the cells to fill in: light yellow
OPEN_EDGE = "BFBFBF"

COLUMNS = [
    Column("Ref", 12),
    Column("Course", 24, WRAP),
    Column("Name", 19, WRAP),
    Column("Name in Latin letters", 19, WRAP),
    Column("Rank", 10, WRAP),
    Column("Unit", 12),
    Column("Status", 11),
    Column("Service number", 12),
    Column("Confirmed seats", 11, NUMBER),
    Column("Remarks", 22, WRAP),
]
# Column positions (0-based) of what each kind of line lets the partner fill.
NAME, LATIN, RANK, UNIT, STATUS, SERVICE, SEATS, REMARKS = range(2, 10)
PERSON_CELLS = (NAME, LATIN, RANK, UNIT, STATUS, SERVICE)
EVENT_CELLS = (SEATS, REMARKS)
# Key sheet: its first rows say what the file is; lines start at KEY_FIRST_LINE.
KEY_FIRST_LINE = 8
KEY_UNITS_COLUMN = "M"  # right of the widest key row
_UNITS_INDEX = ord(KEY_UNITS_COLUMN) - ord("A")


@dataclass(frozen=True, slots=True)
class Nominee:
    """A person already on an event, as the partner's line shows them."""

    trainee_uuid: str
    name: str
    name_latin: str | None
    rank: str | None
    unit_code: str | None
    status: str  # a REPLY_STATUSES word
    service_number: str | None


@dataclass(frozen=True, slots=True)
class EventAnswers:
    """What the plan holds of a partner's answers on one event."""

    confirmed_seats: int | None = None
    remarks: str | None = None
    nominees: tuple[Nominee, ...] = ()


# What each line holds, by the names ``partner_reply`` reads it under.
PERSON_FIELDS = ("name", "name_latin", "rank", "unit", "status", "service")
# The longest a person's cell may be: what the plan stores (trainee columns).
PERSON_LIMITS = {"name": 200, "name_latin": 200, "rank": 60, "service": 40}
SENT_MARK = "sent"  # column A of a key row holding a filled person line as sent


@dataclass(frozen=True, slots=True)
class KeyLine:
    """One line of the Nominations sheet as it was sent."""

    row: int  # its row on the Nominations sheet
    ref: str
    kind: str  # EVENT_LINE or PERSON_LINE
    course: str  # the Course cell's text (event lines)
    trainee_uuid: str  # the person filled in, if any
    # What its cells held when sent (PERSON_FIELDS, or seats and remarks; None: blank).
    sent: tuple[Any, ...] = ()


@dataclass(frozen=True, slots=True)
class KeyBlock:
    """One event's block as the key sheet keeps it: a row for the event and one
    for each person line that went out filled in (so the key of a 20,000-event
    workbook stays small), the values sent included: a reply is judged by what
    the partner changed, never against what the plan has become since."""

    row: int  # the event line's row on the Nominations sheet
    ref: str
    course: str
    people: int  # person lines under it
    answers: tuple[Any, ...]  # the event line's seats and remarks as sent
    filled: dict[int, tuple[str, tuple[Any, ...]]]  # line index -> (uuid, PERSON_FIELDS)

    def cells(self) -> list[list[Any]]:
        rows: list[list[Any]] = [[self.row, self.ref, self.course, self.people, *self.answers]]
        for index, (uuid, values) in sorted(self.filled.items()):
            rows.append([SENT_MARK, self.row, index, uuid, *values])
        return rows

    @classmethod
    def read(cls, rows: Sequence[Sequence[Any]]) -> list[KeyBlock]:
        """The blocks of the key's rows (an event row, then its people's)."""
        blocks: list[KeyBlock] = []
        for values in rows:
            cells = list(values) + [None] * 12
            if cells[0] == SENT_MARK:
                if blocks and cells[1] == blocks[-1].row:
                    blocks[-1].filled[int(cells[2])] = (str(cells[3]), tuple(cells[4:10]))
                continue
            row, ref, course, people, seats, remarks = cells[:6]
            blocks.append(
                cls(int(row), str(ref), str(course or ""), int(people or 0), (seats, remarks), {})
            )
        return blocks

    def lines(self) -> list[KeyLine]:
        first = KeyLine(self.row, self.ref, EVENT_LINE, self.course, "", self.answers)
        people = []
        for index in range(self.people):
            uuid, values = self.filled.get(index, ("", (None,) * len(PERSON_FIELDS)))
            people.append(KeyLine(self.row + 1 + index, self.ref, PERSON_LINE, "", uuid, values))
        return [first, *people]


def event_text(row: EventRow) -> str:
    """The Course cell of an event line: course, days and the partner's seats."""
    first, last = row.start.date(), row.last_day
    days = f"{first:%d.%m.%Y}" if first == last else f"{first:%d.%m.%Y}–{last:%d.%m.%Y}"
    seats = "; ".join(f"{a.code}: {a.seats}" for a in row.audience)
    return f"{row.course_code} — {row.course_title}\n{days}" + (f"\n{seats}" if seats else "")


class NominationsSheet:
    """Writes the Nominations sheet as event rows stream past; ``close`` adds
    the validation, the protection and the key sheet. One per workbook."""

    def __init__(
        self,
        workbook: Any,
        page: PageInfo,
        wording: Wording,
        *,
        release_uuid: str,
        partner_code: str,
        unit_codes: Sequence[str],
        answers: Mapping[int, EventAnswers],
    ) -> None:
        self.workbook = workbook
        self.page = page
        self.table = TableSheet(
            workbook, NOMINATIONS_SHEET, bilingual_columns(COLUMNS, wording), page, freeze="C2"
        )
        ws = self.table.ws
        self.release_uuid = release_uuid
        self.partner_code = partner_code
        self.unit_codes = list(unit_codes)
        self.answers = answers
        self.blocks: list[KeyBlock] = []
        unlocked = Protection(locked=False)
        edge = Side(style="thin", color=OPEN_EDGE)
        box = Border(left=edge, right=edge, top=edge, bottom=edge)
        self._open = CellStyle(ws, fill=solid(OPEN_FILL), protection=unlocked, border=box)
        self._open_wrap = CellStyle(
            ws,
            fill=solid(OPEN_FILL),
            protection=unlocked,
            border=box,
            alignment=Alignment(wrap_text=True, vertical="top"),
        )
        # An event's own line starts its block: in bold.
        self._event = CellStyle(ws, font=font(bold=True))
        self._event_wrap = CellStyle(
            ws, font=font(bold=True), alignment=Alignment(wrap_text=True, vertical="top")
        )

    def _cell(self, column: int, value: Any) -> Any:
        style = self._open_wrap if COLUMNS[column].kind == WRAP else self._open
        # Most of the sheet is empty cells to fill: one cell object serves them all.
        return style.constant(None) if value is None else style.cell(value)

    def add(self, row: EventRow) -> None:
        if row.status == "cancelled":
            return
        answers = self.answers.get(row.id, EventAnswers())
        course = event_text(row)
        values: list[Any] = [self._event.cell(row.ref), self._event_wrap.cell(course)]
        values += [None] * 6
        values += [self._cell(SEATS, answers.confirmed_seats), self._cell(REMARKS, answers.remarks)]
        lines = max(
            wrapped_lines(course, COLUMNS[1].width * 0.9),
            wrapped_lines(answers.remarks or "", COLUMNS[REMARKS].width),
        )
        self.table.append(values, min_lines=lines)
        event_row = self.table.rows + 1
        seats = sum(a.seats for a in row.audience)
        people = list(answers.nominees)
        total = min(max(seats, len(people), 1), max(MAX_LINES_PER_EVENT, len(people)))
        filled: dict[int, tuple[str, tuple[Any, ...]]] = {}
        for index in range(total):
            person = people[index] if index < len(people) else None
            cells = (
                (
                    person.name,
                    person.name_latin,
                    person.rank,
                    person.unit_code,
                    person.status,
                    person.service_number,
                )
                if person is not None
                else (None,) * 6
            )
            if person is not None:
                filled[index] = (person.trainee_uuid, cells)
            line: list[Any] = [row.ref, None]
            line += [self._cell(c, v) for c, v in zip(PERSON_CELLS, cells, strict=True)]
            line += [None, None]
            height = max(
                (
                    wrapped_lines(v, COLUMNS[c].width)
                    for c, v in zip(PERSON_CELLS, cells, strict=True)
                    if v
                ),
                default=1,
            )
            self.table.append(line, min_lines=height)
        sent = (answers.confirmed_seats, answers.remarks)
        self.blocks.append(KeyBlock(event_row, row.ref, course, total, sent, filled))

    def names_sent(self) -> list[str]:
        """The trainees (uuids) whose names the sheet holds."""
        return sorted({uuid for block in self.blocks for uuid, _ in block.filled.values()})

    def close(self) -> None:
        ws = self.table.ws
        last = self.table.rows + 1
        self.table.close()
        if self.blocks:
            self._validate(ws, last)
        protection = ws.protection
        protection.sheet = True
        # Still allowed on the locked sheet: widening columns and rows, filtering.
        protection.formatColumns = False
        protection.formatRows = False
        protection.autoFilter = False
        self._write_key()

    def _validate(self, ws: Any, last: int) -> None:
        def column(index: int) -> str:
            letter = chr(ord("A") + index)
            return f"{letter}2:{letter}{last}"

        units = len(self.unit_codes)
        unit_list = DataValidation(
            type="list",
            formula1=f"'{KEY_SHEET}'!${KEY_UNITS_COLUMN}$1:${KEY_UNITS_COLUMN}${max(units, 1)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Unit",
            error="Choose one of your units from the list.",
        )
        unit_list.add(column(UNIT))
        status = DataValidation(
            type="list",
            formula1='"' + ",".join(REPLY_STATUSES) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Status",
            error="Choose a status from the list.",
        )
        status.add(column(STATUS))
        seats = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="999",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Confirmed seats",
            error="A whole number of seats, 0 to 999.",
        )
        seats.add(column(SEATS))
        for rule in (unit_list, status, seats):
            ws.data_validations.append(rule)
        cells = dict(zip(PERSON_FIELDS, PERSON_CELLS, strict=True))
        for name, limit in PERSON_LIMITS.items():
            length = DataValidation(
                type="textLength",
                operator="lessThanOrEqual",
                formula1=str(limit),
                allow_blank=True,
                showErrorMessage=True,
                error=f"At most {limit} characters.",
            )
            length.add(column(cells[name]))
            ws.data_validations.append(length)

    def _write_key(self) -> None:
        key = streaming_sheet(self.workbook, KEY_SHEET)
        key.sheet_state = "veryHidden"
        # Hidden, but marked like every sheet should someone unhide and print it.
        page = self.page
        apply_page_setup(
            key,
            marking=page.marking,
            title=page.title,
            width=8 * 13,
            footer_note=page.footer_note,
            header_rows=None,
        )
        head: list[list[Any]] = [
            [KEY_TITLE, KEY_VERSION],
            ["release", self.release_uuid],
            ["partner", self.partner_code],
            ["events", len(self.blocks)],
        ]
        units = self.unit_codes
        rows: list[list[Any]] = [*head]
        rows += [[] for _ in range(KEY_FIRST_LINE - 1 - len(head))]
        rows += [cells for block in self.blocks for cells in block.cells()]
        for index in range(max(len(rows), len(units))):
            values = rows[index] if index < len(rows) else []
            values = values + [None] * (_UNITS_INDEX - len(values))
            if index < len(units):
                values.append(units[index])
            key.append([text_value(key, v) if isinstance(v, str) else v for v in values])
