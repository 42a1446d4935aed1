"""Reading a spreadsheet someone else made, without trusting it.

An .xlsx file is a zip of XML parts. Before openpyxl opens one, the zip
itself is checked: how many entries, how large each one claims to be when
unpacked (``zipfile`` will not unpack more than the size an entry declares,
so checking declared sizes bounds the real work), and how much it expands.
The XML prologues are checked for DTDs and entity declarations (the
"billion laughs" family), the workbook for links to other files, and each
sheet's declared dimension for absurd sizes. openpyxl then parses with
defusedxml, which refuses entities on its own as a second line.

CSV files are read with a size limit and must be UTF-8 (Excel's "CSV UTF-8").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scheduler.errors import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 300 * 1024 * 1024
MAX_TOTAL_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150  # unpacked / packed, for entries larger than a few MB
MAX_ROWS = 200_000
MAX_COLUMNS = 200
_PROLOGUE_BYTES = 64 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?:?([A-Z]{1,3})?(\d+)?"')


class UnsafeFileError(UserError):
    """The file cannot be read safely; nothing was imported."""


@dataclass(frozen=True, slots=True)
class RawSheet:
    """A sheet's cell values as read, rows numbered as the spreadsheet numbers them."""

    name: str
    rows: list[tuple[int, tuple[Any, ...]]]


def _refuse(path: Path, why: str) -> UnsafeFileError:
    return UnsafeFileError(f"“{path.name}” cannot be imported: {why}. Nothing was imported.")


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.decode("ascii"):
        number = number * 26 + (ord(char) - 64)
    return number


def check_xlsx(path: Path) -> None:
    """Refuse a hostile or broken workbook before any XML parser sees it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(path, f"it is not an Excel workbook (.xlsx) ({exc})") from None
    with archive:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise _refuse(path, f"it holds {len(entries)} parts, far more than a workbook has")
        total = 0
        names = set()
        for entry in entries:
            names.add(entry.filename)
            total += entry.file_size
            if entry.file_size > MAX_ENTRY_BYTES or total > MAX_TOTAL_BYTES:
                raise _refuse(path, "it unpacks to far more data than a schedule holds (zip bomb?)")
            if entry.file_size > 8 * 1024 * 1024 and entry.file_size > MAX_RATIO * max(
                entry.compress_size, 1
            ):
                raise _refuse(path, "it is compressed suspiciously well (zip bomb?)")
        if "xl/workbook.xml" not in names:
            raise _refuse(path, "it is not an Excel workbook (no workbook part)")
        if any(n.startswith("xl/externalLinks/") for n in names):
            raise _refuse(
                path, "it links to other files (external links); save a copy without them"
            )
        for entry in entries:
            if not entry.filename.endswith((".xml", ".rels", ".vml")):
                continue
            prologue = _prologue(archive, entry)
            if prologue.startswith((b"\xff\xfe", b"\xfe\xff")):
                raise _refuse(path, f"part {entry.filename} is not UTF-8 XML")
            upper = prologue.upper()
            if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
                raise _refuse(
                    path, "it declares XML entities (a DTD), which spreadsheets never need"
                )
            if entry.filename.endswith(".rels") and b"externalLink" in prologue:
                raise _refuse(
                    path, "it links to other files (external links); save a copy without them"
                )
            if entry.filename.startswith("xl/worksheets/"):
                _check_dimension(path, prologue)


def _prologue(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bytes:
    """The part up to its root element (where a DTD must be), and a little more."""
    with archive.open(entry) as handle:
        data = handle.read(_PROLOGUE_BYTES)
    if entry.filename.endswith(".rels"):
        return data
    return data


def _check_dimension(path: Path, prologue: bytes) -> None:
    match = _DIMENSION.search(prologue)
    if match is None:
        return
    last_col, last_row = match.group(3) or match.group(1), match.group(4) or match.group(2)
    rows = int(last_row) if last_row else 0
    cols = _column_number(last_col) if last_col else 0
    if rows > MAX_ROWS or cols > MAX_COLUMNS * 80:
        raise _refuse(
            path, f"a sheet claims {rows:,} rows and {cols:,} columns, more than this program reads"
        )


def read_xlsx(path: Path, max_columns: int = MAX_COLUMNS) -> list[RawSheet]:
    """All sheets' values (first ``max_columns`` columns), after ``check_xlsx``."""
    check_xlsx(path)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _refuse(
            path, f"it is damaged or not an Excel workbook ({type(exc).__name__})"
        ) from None
    sheets: list[RawSheet] = []
    try:
        for worksheet in workbook.worksheets:
            rows: list[tuple[int, tuple[Any, ...]]] = []
            worksheet.reset_dimensions()  # ignore the declared size; read what is there
            # No max_col: openpyxl would pad every row to that width.
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS:
                    raise _refuse(
                        path, f"sheet “{worksheet.title}” has more than {MAX_ROWS:,} rows"
                    )
                rows.append((number, _trimmed(values[:max_columns])))
            sheets.append(RawSheet(worksheet.title, rows))
    except UnsafeFileError:
        raise
    except Exception as exc:
        raise _refuse(path, f"it is damaged ({type(exc).__name__}: {exc})") from None
    finally:
        workbook.close()
    return sheets


def _trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Row values without the empty cells openpyxl pads to the sheet's width."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return tuple(values[:end])


def read_csv(path: Path) -> RawSheet:
    """One sheet from a CSV file named after it (``Events.csv``); ``,`` or ``;`` separated."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise _refuse(path, f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse(path, "it is not UTF-8 text; in Excel choose “Save as: CSV UTF-8”") from None
    if "\x00" in text:
        raise _refuse(path, "it is not a text (CSV) file")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    try:
        for number, values in enumerate(_limited(reader, path), start=1):
            rows.append((number, tuple(values[:MAX_COLUMNS])))
    except csv.Error as exc:
        raise _refuse(path, f"it is not valid CSV ({exc})") from None
    return RawSheet(path.stem, rows)


def _limited(reader: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    for number, values in enumerate(reader, start=1):
        if number > MAX_ROWS:
            raise _refuse(path, f"it has more than {MAX_ROWS:,} rows")
        yield values
