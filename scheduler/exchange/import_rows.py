"""From raw spreadsheet rows to typed values, with a problem per bad cell.

Header matching ignores case and surrounding (and doubled) spaces; unknown
columns are reported as warnings and ignored; empty rows are skipped. What
a row says is kept apart from what it leaves out: a blank cell is absent
from ``ParsedRow.values`` (the plan keeps what it holds), a cell holding only
the clear marker is ``None`` (the field is emptied), anything else is the
value ``import_values.read_cell`` made of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter

from scheduler.exchange.import_schema import (
    CLEAR,
    INSTRUCTIONS_SHEET,
    SHEETS,
    SHEETS_BY_KEY,
    SheetSpec,
)
from scheduler.exchange.import_values import CellError, is_blank, is_clear, read_cell
from scheduler.exchange.untrusted import RawSheet

ERROR, WARNING = "error", "warning"
_HEADER_SEARCH_ROWS = 5


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the file, placed so the planner can find it."""

    sheet: str
    row: int | None
    column: str | None
    message: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        label = "Warning" if self.severity == WARNING else "Error"
        return f"{label}: {', '.join(where)}: {self.message}"


@dataclass(slots=True)
class ParsedRow:
    """A data row: its number in the sheet and the cells it fills (see module doc)."""

    number: int
    values: dict[str, Any]
    # Cells reported as unreadable; absent from ``values`` so later checks skip them.
    unreadable: frozenset[str] = frozenset()

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def given(self, key: str) -> bool:
        """Whether the row says something about ``key`` (a value or the clear marker)."""
        return key in self.values


@dataclass(slots=True)
class ParsedSheet:
    spec: SheetSpec
    source: str
    rows: list[ParsedRow] = field(default_factory=list)


def normalise_header(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def sheet_spec(name: str) -> SheetSpec | None:
    return SHEETS_BY_KEY.get(" ".join(name.split()).casefold())


def is_instructions(name: str) -> bool:
    return normalise_header(name) == INSTRUCTIONS_SHEET.casefold()


def holds_data(raw: RawSheet) -> bool:
    return any(not all(is_blank(v) for v in values) for _, values in raw.rows)


def expected_sheets() -> str:
    return ", ".join(f"“{spec.name}”" for spec in SHEETS)


def _find_header(spec: SheetSpec, raw: RawSheet) -> tuple[int, dict[int, str], list[str]] | None:
    """The header row: (index into raw.rows, column index -> field key, unknown headers)."""
    known: dict[str, str] = {}
    for spec_field in spec.fields:
        for name in (spec_field.header, *spec_field.aliases):
            known[normalise_header(name)] = spec_field.key
    for index, (_, values) in enumerate(raw.rows[:_HEADER_SEARCH_ROWS]):
        names = [normalise_header(v) for v in values]
        matches = {i: known[n] for i, n in enumerate(names) if n in known}
        if len(matches) >= max(1, min(2, len(spec.fields))):
            unknown = [str(values[i]).strip() for i, n in enumerate(names) if n and n not in known]
            return index, matches, unknown
    return None


def parse_sheet(raw: RawSheet, problems: list[Problem]) -> ParsedSheet | None:
    """The sheet's rows as typed values; None for a sheet this program does not read."""
    spec = sheet_spec(raw.name)
    if spec is None:
        return None
    parsed = ParsedSheet(spec, raw.name)
    if not holds_data(raw):
        return parsed
    found = _find_header(spec, raw)
    if found is None:
        problems.append(
            Problem(
                spec.name,
                1,
                None,
                "no row of column names found (expected "
                + ", ".join(f.header for f in spec.fields)
                + ")",
            )
        )
        return parsed
    header_index, columns, unknown = found
    header_row = raw.rows[header_index][0]
    for name in unknown:
        problems.append(Problem(spec.name, header_row, name, "unknown column; ignored", WARNING))
    fields = {f.key: f for f in spec.fields}
    seen: dict[str, int] = {}
    for index, key in sorted(columns.items()):
        if key in seen:
            problems.append(
                Problem(
                    spec.name,
                    header_row,
                    fields[key].header,
                    f"appears twice (columns {get_column_letter(seen[key] + 1)} and "
                    f"{get_column_letter(index + 1)}); keep one",
                )
            )
        seen[key] = index
    missing = [f for f in spec.fields if f.required and f.key not in seen]
    for spec_field in missing:
        problems.append(
            Problem(spec.name, header_row, spec_field.header, "required column is missing")
        )
    if missing or len(seen) < len(columns):
        return parsed
    for number, values in raw.rows[header_index + 1 :]:
        if all(is_blank(v) for v in values):
            continue
        row: dict[str, Any] = {}
        bad: set[str] = set()
        for index, key in columns.items():
            spec_field = fields[key]
            value = values[index] if index < len(values) else None
            if is_blank(value):
                if spec_field.required:
                    problems.append(Problem(spec.name, number, spec_field.header, "is empty"))
                continue
            if is_clear(value):
                if spec_field.required:
                    problems.append(
                        Problem(
                            spec.name,
                            number,
                            spec_field.header,
                            f"“{CLEAR}” would empty it, but it is needed",
                        )
                    )
                    continue
                row[key] = None
                continue
            try:
                row[key] = read_cell(spec_field, value)
            except CellError as exc:
                problems.append(Problem(spec.name, number, spec_field.header, str(exc)))
                bad.add(key)
        parsed.rows.append(ParsedRow(number, row, frozenset(bad)))
    return parsed
