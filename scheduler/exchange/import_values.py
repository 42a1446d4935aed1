"""One cell as typed -> the value it means, or the reason it means nothing.

A spreadsheet cell reaches us as text, a number, a boolean, a date (a date
cell in a date-only number format, read by ``untrusted.read_xlsx``) or a
date and time. Each column kind accepts the forms a person types in Excel,
LibreOffice or a CSV file, the same forms in every column of that kind, and
refuses anything else with the accepted forms in the message (``CellError``).
Nothing here is guessed: "07/06/2027" is the 7th of June (day first, as the
region writes it), a date without a time gets the documented time, and a
language is one of the plan's languages or it is refused.
"""

from __future__ import annotations

import re
import uuid as uuid_module
from datetime import date, datetime, time, timedelta
from typing import Any

from scheduler.exchange.import_schema import (
    BOOL,
    CHOICE,
    CLEAR,
    CODES,
    DATE,
    DATE_FORMS,
    DATES,
    DATETIME,
    HELD,
    INT,
    KIT_NEEDS,
    LANGUAGE,
    LANGUAGES,
    LIST,
    MAX_TEXT,
    NUMBER,
    POSTINGS,
    SEATS,
    STAFF,
    UID,
    WEEKDAYS,
    Field,
)
from scheduler.exchange.untrusted import UNSAVED_FORMULA, UNSAVED_FORMULA_MESSAGE
from scheduler.model.enums import InstructorRole
from scheduler.model.languages import accepted_languages, language_code
from scheduler.planning.weekdays import parse_weekdays

DEFAULT_START = time(9, 0)
DEFAULT_END = time(17, 0)
_DATE_PATTERNS = (
    re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"),
    re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\.?"),
    re.compile(r"^(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"),
)
_TIME_PATTERN = re.compile(r"[T ]\s*(?P<h>\d{1,2}):(?P<min>\d{2})(?::(?P<s>\d{2}))?\s*$")
# Characters XML 1.0 cannot hold (so no workbook can carry them back out).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_YES = frozenset({"yes", "y", "true", "1", "x"})
_NO = frozenset({"no", "n", "false", "0"})
_ROLES = tuple(role.value for role in InstructorRole)
_ROLE_IN_BRACKETS = re.compile(r"^(?P<name>.*\S)\s*\((?P<role>[^()]*)\)$")


class CellError(ValueError):
    """The cell cannot be read as its column needs; the message says why."""


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_clear(value: object) -> bool:
    return isinstance(value, str) and value.strip() == CLEAR


def as_text(value: object) -> str:
    """A cell as the text it shows: 12 not 12.0; line breaks as LF; no XML-illegal chars."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.isoformat(sep=" ", timespec="minutes" if not value.second else "seconds")
    elif isinstance(value, date):
        value = value.isoformat()
    text = str(value)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_ILLEGAL.sub("", text).strip()


def _quoted(value: object) -> str:
    text = as_text(value)
    return f"“{text if len(text) <= 60 else text[:57] + '…'}”"


def parse_date_text(text: str) -> tuple[date, time | None]:
    """A date typed as text, with its time if one follows; ValueError otherwise."""
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
                raise ValueError(text)
            return day, time(int(found["h"]), int(found["min"]), int(found["s"] or 0))
    raise ValueError(text)


def _whole_seconds(moment: datetime) -> datetime:
    """Excel keeps times as fractions of a day; round away the float dust."""
    moment = moment.replace(tzinfo=None)
    if moment.microsecond:
        moment = moment.replace(microsecond=0) + timedelta(
            seconds=1 if moment.microsecond >= 500_000 else 0
        )
    return moment


def read_date(value: object) -> date:
    """A day. A date cell, a date-and-time cell at midnight, or text."""
    if isinstance(value, datetime):
        whole = _whole_seconds(value)
        if whole.time() != time(0):
            raise CellError(f"{_quoted(value)} has a time; this column takes a day only")
        return whole.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"{_quoted(value)} is a number, not a date ({DATE_FORMS})")
    try:
        day, moment = parse_date_text(as_text(value))
    except ValueError:
        raise CellError(f"{_quoted(value)} is not a date ({DATE_FORMS})") from None
    if moment is not None and moment != time(0):
        raise CellError(f"{_quoted(value)} has a time; this column takes a day only")
    return day


def read_datetime(value: object, default: time) -> datetime:
    """A date and time; a date alone (cell or text) takes ``default``."""
    if isinstance(value, datetime):
        return _whole_seconds(value)
    if isinstance(value, date):
        return datetime.combine(value, default)
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise CellError(f"{_quoted(value)} is a number, not a date ({DATE_FORMS})")
    try:
        day, moment = parse_date_text(as_text(value))
    except ValueError:
        raise CellError(
            f"{_quoted(value)} is not a date and time (write it as 2027-03-01 08:30, "
            "01.03.2027 08:30 or 01/03/2027 08:30; a date alone is fine)"
        ) from None
    return datetime.combine(day, moment if moment is not None else default)


def read_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = as_text(value).replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?\d+", text):
        return int(text)
    if re.fullmatch(r"[+-]?\d+[.,]0+", text):
        return int(text.replace(",", ".").split(".")[0])
    raise CellError(f"{_quoted(value)} is not a whole number")


def read_number(value: object) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = as_text(value).replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)", text):
        return float(text.replace(",", "."))
    raise CellError(f"{_quoted(value)} is not a number (e.g. 7 or 3.5)")


def read_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    word = as_text(value).casefold()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise CellError(f"{_quoted(value)} is neither yes nor no")


def read_choice(value: object, choices: tuple[str, ...]) -> str:
    word = " ".join(as_text(value).replace("_", " ").replace("-", " ").split()).casefold()
    for choice in choices:
        if word == choice.replace("_", " ").casefold():
            return choice
    listing = ", ".join(c.replace("_", " ") for c in choices)
    raise CellError(f"{_quoted(value)} is not one of: {listing}")


def read_language(text: str) -> str:
    code = language_code(text)
    if code is None:
        raise CellError(
            f"{_quoted(text)} is not a language of the plan; write a code or a name: "
            f"{accepted_languages()}"
        )
    return code


def split_list(value: object) -> list[str]:
    return [part.strip() for part in as_text(value).split(";") if part.strip()]


_KIT_FORMS = "Name, Name:how many or Name:how many/per trainees (e.g. Rifles M70:12/6)"


def _kit_needs(value: object) -> list[tuple[str, int, int | None]]:
    """Items ``Name``, ``Name:12`` or ``Name:12/6``: (name, how many, per trainees)."""
    found: list[tuple[str, int, int | None]] = []
    for item in split_list(value):
        name, colon, amount = item.rpartition(":")
        if not colon:
            found.append((item, 1, None))
            continue
        count, slash, per = amount.partition("/")
        try:
            quantity = int(count.strip())
            every = int(per.strip()) if slash else None
        except ValueError:
            raise CellError(f"“{item}” is not {_KIT_FORMS}") from None
        if not name.strip() or quantity < 1 or (every is not None and every < 1):
            raise CellError(f"“{item}” is not {_KIT_FORMS}")
        found.append((name.strip(), quantity, every))
    return found


def kit_need_text(name: str, quantity: int, per_trainees: int | None) -> str:
    """An item as ``_kit_needs`` reads it back."""
    if per_trainees:
        return f"{name}:{quantity}/{per_trainees}"
    return name if quantity == 1 else f"{name}:{quantity}"


def _seats(value: object) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []
    for item in split_list(value):
        code, colon, seats = item.rpartition(":")
        if not colon:
            raise CellError(
                f"“{item}” has no seats: write the unit's code and its seats, as {item}:12"
            )
        code, seats = code.strip(), seats.strip()
        if not code:
            raise CellError(f"“{item}” has no unit code before the ‘:’")
        if not re.fullmatch(r"\d+", seats):
            raise CellError(f"seats “{seats}” for {code} are not a whole number")
        found.append((code, int(seats)))
    return found


def split_role(item: str) -> tuple[str, str | None]:
    """``Name (interpreter)`` or ``Name:interpreter`` -> (name, role); a bare name has None."""
    item = item.strip()
    match = _ROLE_IN_BRACKETS.match(item)
    if match and match["role"].strip().casefold() in _ROLES:
        return match["name"].strip(), match["role"].strip().casefold()
    name, colon, role = item.rpartition(":")
    if colon and name.strip():
        if role.strip().casefold() in _ROLES:
            return name.strip(), role.strip().casefold()
        raise CellError(
            f"“{item}”: “{role.strip()}” is not a role (instructor, interpreter or support)"
        )
    return item, None


def _staff(value: object) -> list[tuple[str, str | None]]:
    return [split_role(item) for item in split_list(value)]


def _coded_dates(
    value: object, labels: tuple[str, str], forms: str
) -> list[tuple[str, date | None, date | None]]:
    """Items ``CODE``, ``CODE:date`` or ``CODE:date:date`` (either date may be empty)."""
    found: list[tuple[str, date | None, date | None]] = []
    for item in split_list(value):
        parts = [part.strip() for part in item.split(":")]
        if len(parts) > 3 or not parts[0]:
            raise CellError(f"“{item}” is not {forms}")
        dates: list[date | None] = []
        for label, text in zip(labels, parts[1:], strict=False):
            if not text:
                dates.append(None)
                continue
            try:
                dates.append(read_date(text))
            except CellError:
                raise CellError(
                    f"{label} “{text}” of {parts[0]} is not a date ({DATE_FORMS})"
                ) from None
        dates += [None] * (2 - len(dates))
        found.append((parts[0], dates[0], dates[1]))
    return found


def coded_dates_text(code: str, first: date | None, second: date | None) -> str:
    """``CODE``, ``CODE:date`` or ``CODE:date:date`` as ``_coded_dates`` reads it back."""
    if second is not None:
        return f"{code}:{first.isoformat() if first else ''}:{second.isoformat()}"
    return f"{code}:{first.isoformat()}" if first else code


def _held(value: object) -> list[tuple[str, date | None, date | None]]:
    return _coded_dates(
        value,
        ("expiry", "award date"),
        "CODE, CODE:expiry or CODE:expiry:awarded (e.g. FA:2028-06-30:2025-07-01)",
    )


def _postings(value: object) -> list[tuple[str, date | None, date | None]]:
    return _coded_dates(
        value,
        ("first day", "last day"),
        "CODE, CODE:first day or CODE:first day:last day (e.g. MK-1BN:2026-01-01:2027-06-30)",
    )


def _dates(value: object) -> list[date | datetime]:
    if isinstance(value, datetime):
        return [_whole_seconds(value)]
    if isinstance(value, date):
        return [value]
    found: list[date | datetime] = []
    for item in split_list(value):
        try:
            day, moment = parse_date_text(item.replace("T", " ", 1) if "T" in item else item)
        except ValueError:
            raise CellError(f"“{item}” is not a date ({DATE_FORMS})") from None
        found.append(day if moment is None else datetime.combine(day, moment))
    return found


def read_uid(value: object) -> str:
    """A record's UID in the form the plan keeps it (lower case, with hyphens)."""
    text = as_text(value)
    try:
        found = str(uuid_module.UUID(text))
    except ValueError:
        found = ""
    if len(text) != 36 or not found:
        raise CellError(f"{_quoted(value)} is not a UID; leave it empty for a new record")
    return found


def read_cell(field: Field, value: object) -> Any:
    """The value ``value`` means in ``field``'s column; CellError if none."""
    if value is UNSAVED_FORMULA:
        raise CellError(UNSAVED_FORMULA_MESSAGE)
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise CellError(
            f"is {len(value):,} characters long, more than a cell holds ({MAX_TEXT:,}); shorten it"
        )
    kind = field.kind
    if kind == INT:
        return read_int(value)
    if kind == NUMBER:
        return read_number(value)
    if kind == DATE:
        return read_date(value)
    if kind == DATETIME:
        return read_datetime(value, DEFAULT_END if field.key == "end" else DEFAULT_START)
    if kind == BOOL:
        return read_bool(value)
    if kind == CHOICE:
        return read_choice(value, field.choices)
    if kind == LANGUAGE:
        return read_language(as_text(value))
    if kind == LANGUAGES:
        return [read_language(part) for part in split_list(value)]
    if kind == KIT_NEEDS:
        return _kit_needs(value)
    if kind == WEEKDAYS:
        try:
            return parse_weekdays(as_text(value))
        except ValueError as exc:
            raise CellError(str(exc)) from None
    if kind in (LIST, CODES):
        return split_list(value)
    if kind == SEATS:
        return _seats(value)
    if kind == STAFF:
        return _staff(value)
    if kind == HELD:
        return _held(value)
    if kind == POSTINGS:
        return _postings(value)
    if kind == DATES:
        return _dates(value)
    if kind == UID:
        return read_uid(value)
    text = as_text(value)
    if len(text) > field.limit:
        if field.limit >= MAX_TEXT:
            raise CellError(
                f"is {len(text):,} characters long, more than a cell holds "
                f"({MAX_TEXT:,}); shorten it"
            )
        raise CellError(f"is {len(text)} characters long; at most {field.limit} fit")
    return text
