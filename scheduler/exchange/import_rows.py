"""From raw spreadsheet rows to typed values, with a problem per bad cell.

Header matching ignores case and surrounding (and doubled) spaces; unknown
columns are reported as warnings and ignored; empty rows are skipped.
Dates may be Excel dates or ISO text; a date without a time gets the
field's default time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from scheduler.exchange.cells import clean_text
from scheduler.exchange.import_schema import (
    DATE,
    DATETIME,
    INT,
    LIST,
    SHEETS_BY_KEY,
    SheetSpec,
)
from scheduler.exchange.untrusted import RawSheet

ERROR, WARNING = "error", "warning"
_HEADER_SEARCH_ROWS = 5
_DEFAULT_TIMES = {"start": time(9, 0), "end": time(17, 0)}
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
)
_TIME_PATTERN = re.compile(r"[T ]\s*(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}))?\s*$")


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
    number: int
    values: dict[str, Any]


@dataclass(slots=True)
class ParsedSheet:
    spec: SheetSpec
    source: str
    rows: list[ParsedRow] = field(default_factory=list)


def normalise_header(value: object) -> str:
    return " ".join(str(value).split()).casefold() if value is not None else ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return clean_text(str(value)).strip()


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _text(value)
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+\.0+", text):
        return int(float(text))
    raise ValueError


def parse_date_text(text: str) -> tuple[date, time | None]:
    text = text.strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day = date(int(match["y"]), int(match["m"]), int(match["d"]))
            rest = text[match.end() :]
            if not rest.strip():
                return day, None
            found = _TIME_PATTERN.fullmatch(rest)
            if found is None:
                raise ValueError
            return day, time(int(found["h"]), int(found["min"]), int(found["s"] or 0))
    raise ValueError


def _date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return parse_date_text(_text(value))[0]


def _datetime(value: object, default: time) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, default)
    day, moment = parse_date_text(_text(value))
    return datetime.combine(day, moment or default)


def split_list(value: object) -> list[str]:
    return [part.strip() for part in _text(value).split(";") if part.strip()]


def _convert(kind: str, key: str, value: object) -> Any:
    if kind == INT:
        return _int(value)
    if kind == DATE:
        return _date(value)
    if kind == DATETIME:
        return _datetime(value, _DEFAULT_TIMES.get(key, time(9, 0)))
    if kind == LIST:
        return split_list(value)
    return _text(value)


_KIND_WORDS = {
    INT: "is not a whole number",
    DATE: "is not a date (write it as 2027-03-01)",
    DATETIME: "is not a date and time (write it as 2027-03-01 08:30)",
}


def _find_header(spec: SheetSpec, raw: RawSheet) -> tuple[int, dict[int, str], list[str]] | None:
    """The header row: (index into raw.rows, column index -> field key, unknown headers)."""
    known = {normalise_header(f.header): f.key for f in spec.fields}
    for index, (_, values) in enumerate(raw.rows[:_HEADER_SEARCH_ROWS]):
        names = [normalise_header(v) for v in values]
        matches = {i: known[n] for i, n in enumerate(names) if n in known}
        if len(matches) >= max(1, min(2, len(spec.fields))):
            unknown = [str(values[i]).strip() for i, n in enumerate(names) if n and n not in known]
            return index, matches, unknown
    return None


def parse_sheet(raw: RawSheet, problems: list[Problem]) -> ParsedSheet | None:
    spec = SHEETS_BY_KEY.get(" ".join(raw.name.split()).casefold())
    if spec is None:
        if raw.name.strip().casefold() != "instructions" and any(
            not all(_blank(v) for v in values) for _, values in raw.rows
        ):
            problems.append(
                Problem(raw.name, None, None, "not a sheet this program reads; ignored", WARNING)
            )
        return None
    parsed = ParsedSheet(spec, raw.name)
    if not any(not all(_blank(v) for v in values) for _, values in raw.rows):
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
    present = set(columns.values())
    for spec_field in spec.fields:
        if spec_field.required and spec_field.key not in present:
            problems.append(
                Problem(spec.name, header_row, spec_field.header, "required column is missing")
            )
    if any(f.required and f.key not in present for f in spec.fields):
        return parsed
    fields = {f.key: f for f in spec.fields}
    for number, values in raw.rows[header_index + 1 :]:
        if all(_blank(v) for v in values):
            continue
        converted: dict[str, Any] = {}
        for index, key in columns.items():
            value = values[index] if index < len(values) else None
            spec_field = fields[key]
            if _blank(value):
                if spec_field.required:
                    problems.append(Problem(spec.name, number, spec_field.header, "is empty"))
                converted[key] = [] if spec_field.kind == LIST else None
                continue
            try:
                converted[key] = _convert(spec_field.kind, key, value)
            except (ValueError, OverflowError):
                problems.append(
                    Problem(
                        spec.name,
                        number,
                        spec_field.header,
                        f"“{_text(value)}” {_KIND_WORDS.get(spec_field.kind, 'cannot be read')}",
                    )
                )
                converted[key] = None
        for spec_field in spec.fields:
            converted.setdefault(spec_field.key, [] if spec_field.kind == LIST else None)
        parsed.rows.append(ParsedRow(number, converted))
    return parsed
