"""A partner's reply workbook read back against what was sent.

The very hidden key sheet says which release and partner the file belongs
to and what each Nominations line held; the Nominations sheet is then read
line by line. A line whose Ref or course no longer matches its key (a line
added, removed or moved), a filled cell the partner was not given to fill,
or a value no drop-down offers is a problem with its sheet, row and column;
what the partner typed in the yellow cells is returned as it was typed.
Nothing here knows the plan: ``services.replies`` compares it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.errors import UserError
from scheduler.exchange.import_rows import ERROR, Problem
from scheduler.exchange.import_values import CellError, as_text, is_blank, read_int
from scheduler.exchange.nominations_sheet import (
    COLUMNS,
    EVENT_CELLS,
    EVENT_LINE,
    KEY_FIRST_LINE,
    KEY_SHEET,
    KEY_TITLE,
    KEY_UNITS_COLUMN,
    NAME,
    NOMINATIONS_SHEET,
    PERSON_CELLS,
    PERSON_FIELDS,
    PERSON_LIMITS,
    PERSON_LINE,
    REMARKS,
    REPLY_STATUSES,
    SEATS,
    STATUS,
    UNIT,
    KeyBlock,
    KeyLine,
)
from scheduler.exchange.untrusted import UNSAVED_FORMULA, UNSAVED_FORMULA_MESSAGE, iter_xlsx


@dataclass(frozen=True, slots=True)
class ReplyLine:
    """One Nominations line: what it was sent as, and what came back in it.

    ``values`` and ``sent`` are read the same way (PERSON_FIELDS or
    seats and remarks; a blank cell is None; a status as stored, ``no_show``), so
    comparing them says exactly which cells the partner changed.
    """

    key: KeyLine
    values: dict[str, Any]
    sent: dict[str, Any]

    def changed(self) -> set[str]:
        return {name for name, value in self.values.items() if value != self.sent.get(name)}

    @property
    def row(self) -> int:
        return self.key.row

    @property
    def filled(self) -> bool:
        return any(v is not None for v in self.values.values())


@dataclass(slots=True)
class ReplyFile:
    release_uuid: str
    partner_code: str
    unit_codes: tuple[str, ...]
    lines: list[ReplyLine] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, row: int, column: int | None, message: str) -> None:
        header = COLUMNS[column].title if column is not None else None
        self.problems.append(Problem(NOMINATIONS_SHEET, row, header, message, ERROR))


def _text(value: Any) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a service number typed as a number
    return " ".join(as_text(value).split()) or None


def _multiline(value: Any) -> str | None:
    if is_blank(value):
        return None
    return as_text(value).strip() or None


def read_reply(path: Path) -> ReplyFile:
    """The reply in ``path``, with every problem found; UserError when it is no reply."""
    if not path.is_file():
        raise UserError(f"“{path}” does not exist or is not a file.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(
            f"“{path.name}” is not an Excel workbook (.xlsx): a reply is the .xlsx sent."
        )
    wanted = {KEY_SHEET.casefold(), NOMINATIONS_SHEET.casefold()}
    sheets = {
        sheet.name.casefold(): sheet
        for sheet in iter_xlsx(path, lambda name: name.casefold() in wanted)
        if sheet.name.casefold() in wanted
    }
    key = sheets.get(KEY_SHEET.casefold())
    head = {number: values for number, values in key.rows} if key is not None else {}
    if key is None or not head.get(1) or head[1][0] != KEY_TITLE:
        raise UserError(
            f"“{path.name}” is not a partner's reply: it was not written by this program's "
            "partner export (or its hidden reply key was removed). Nothing was imported."
        )
    nominations = sheets.get(NOMINATIONS_SHEET.casefold())
    if nominations is None:
        raise UserError(
            f"“{path.name}” has no {NOMINATIONS_SHEET} sheet any more (renamed or deleted): "
            "ask the partner to send back the file as it came, filled in. Nothing was imported."
        )

    def cell(row: int, column: int) -> Any:
        values = head.get(row, ())
        return values[column] if column < len(values) else None

    units_column = ord(KEY_UNITS_COLUMN) - ord("A")
    reply = ReplyFile(
        release_uuid=str(cell(2, 1) or ""),
        partner_code=str(cell(3, 1) or ""),
        unit_codes=tuple(
            str(values[units_column])
            for _, values in sorted(head.items())
            if len(values) > units_column and values[units_column]
        ),
    )
    key_rows = [head[n] for n in sorted(head) if n >= KEY_FIRST_LINE and cell(n, 0) is not None]
    keys = [line for block in KeyBlock.read(key_rows) for line in block.lines()]
    rows = {number: values for number, values in nominations.rows}
    last = keys[-1].row if keys else 1
    for key_line in keys:
        _read_line(reply, key_line, rows.get(key_line.row, ()))
    for number in sorted(rows):
        if number > last and any(not is_blank(v) for v in rows[number]):
            reply.problem(
                number, None, "a line was added below the last event; lines cannot be added"
            )
    return reply


def _read_line(reply: ReplyFile, key: KeyLine, values: tuple[Any, ...]) -> None:
    def at(column: int) -> Any:
        return values[column] if column < len(values) else None

    row = key.row
    for column, value in enumerate(values[: len(COLUMNS)]):
        if value is UNSAVED_FORMULA:
            reply.problem(row, column, UNSAVED_FORMULA_MESSAGE)
            return
    ref = _text(at(0))
    if ref != key.ref:
        reply.problem(
            row,
            0,
            f"this line was sent for {key.ref} and now says {ref or 'nothing'}: lines were "
            "added, removed or moved; send back the file as it came, filled in",
        )
        return
    if key.kind == EVENT_LINE and (_multiline(at(1)) or "") != key.course.strip():
        reply.problem(
            row, 1, "the event's details were changed; they are not the partner's to change"
        )
        return
    if key.kind == PERSON_LINE and not is_blank(at(1)):
        reply.problem(row, 1, "this cell is not for filling in")
    own = EVENT_CELLS if key.kind == EVENT_LINE else PERSON_CELLS
    for column in range(2, len(COLUMNS)):
        if column not in own and not is_blank(at(column)):
            reply.problem(row, column, "this cell is not for filling in")
    found: dict[str, Any] = {}
    if key.kind == EVENT_LINE:
        seats = at(SEATS)
        try:
            found["confirmed_seats"] = None if is_blank(seats) else read_int(seats)
            if found["confirmed_seats"] is not None and not 0 <= found["confirmed_seats"] <= 999:
                raise CellError("is not a number of seats (0 to 999)")
        except CellError as exc:
            reply.problem(row, SEATS, str(exc))
            return
        found["remarks"] = _multiline(at(REMARKS))
        sent = _event_values(key.sent)
    else:
        cells = [at(column) for column in PERSON_CELLS]
        try:
            found = _person_values(cells, reply.unit_codes)
        except _CellProblem as problem:
            reply.problem(row, problem.column, problem.message)
            return
        if any(v is not None for v in found.values()) and not (
            found["name"] or found["name_latin"]
        ):
            reply.problem(row, NAME, "a name is needed (in your script, in Latin letters, or both)")
            return
        try:
            sent = _person_values(list(key.sent), reply.unit_codes)
        except _CellProblem:
            sent = dict(zip(PERSON_FIELDS, key.sent, strict=False))
    reply.lines.append(ReplyLine(key, found, sent))


class _CellProblem(Exception):
    def __init__(self, column: int, message: str) -> None:
        super().__init__(message)
        self.column, self.message = column, message


def _event_values(sent: tuple[Any, ...]) -> dict[str, Any]:
    seats, remarks = [*sent, None, None][:2]
    return {
        "confirmed_seats": None if is_blank(seats) else read_int(seats),
        "remarks": _multiline(remarks),
    }


def _person_values(cells: list[Any], unit_codes: tuple[str, ...]) -> dict[str, Any]:
    """A person line's cells as values (PERSON_FIELDS): texts with their spaces
    tidied, the status as stored, the unit in the plan's own spelling."""
    cells = (cells + [None] * len(PERSON_CELLS))[: len(PERSON_CELLS)]
    found = {name: _text(value) for name, value in zip(PERSON_FIELDS, cells, strict=True)}
    for name, column in zip(PERSON_FIELDS, PERSON_CELLS, strict=True):
        # (The sheet's validation says the same; a file saved elsewhere need not keep it.)
        limit, text = PERSON_LIMITS.get(name), found[name]
        if limit is not None and text is not None and len(text) > limit:
            raise _CellProblem(column, f"is longer than {limit} characters; shorten it")
    status = found["status"]
    if status is not None:
        word = " ".join(status.replace("_", " ").split()).casefold()
        if word not in REPLY_STATUSES:
            raise _CellProblem(STATUS, f"“{status}” is not one of: {', '.join(REPLY_STATUSES)}")
        found["status"] = word.replace(" ", "_")
    unit = found["unit"]
    if unit is not None:
        spelled = {code.casefold(): code for code in unit_codes}
        if unit.casefold() not in spelled:
            raise _CellProblem(UNIT, f"“{unit}” is not one of your units: {', '.join(unit_codes)}")
        found["unit"] = spelled[unit.casefold()]
    return found
