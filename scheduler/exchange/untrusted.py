"""Reading a spreadsheet someone else made, without trusting it.

An .xlsx file is a zip of XML parts. Before openpyxl opens one, the zip
itself is checked: how many entries, how large each one claims to be when
unpacked (``zipfile`` will not unpack more than the size an entry declares,
so checking declared sizes bounds the real work), and how much it expands.
The XML prologues are checked for DTDs and entity declarations (the
"billion laughs" family), the workbook for links to other files, and each
sheet's declared dimension for absurd sizes. The work as a whole is bounded
too: the XML parts together (sheets and shared strings, which openpyxl reads
in full when it opens a workbook) may not unpack to more than a schedule of
``MAX_ROWS`` rows needs, however well each compresses. A damaged archive
(bad checksum, sizes that lie, an unknown compression) is refused in words.
openpyxl then parses with defusedxml, which refuses entities on its own as a
second line.

Cells are read with the number format they carry, because that is what the
person saw: a date typed into a cell shows as a date, and reaches the
importer as a ``date`` (not midnight of that day), so the importer can give
it the documented time of day.

CSV files are read with a size limit and must be UTF-8 (Excel's "CSV UTF-8").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, time
from pathlib import Path
from typing import Any

from scheduler.errors import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_ENTRY_BYTES = 300 * 1024 * 1024
MAX_TOTAL_BYTES = 600 * 1024 * 1024
MAX_RATIO = 150  # unpacked / packed, for entries larger than a few MB
# What openpyxl parses: a 100,000-event template is about 90 MB of sheet XML.
MAX_XML_BYTES = 256 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024  # held in memory whole, several times over
MAX_ROWS = 200_000
MAX_COLUMNS = 200
_PROLOGUE_BYTES = 64 * 1024
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})?(\d+)?:?([A-Z]{1,3})?(\d+)?"')


class UnsavedFormula:
    """A formula cell without its result: it means nothing until it is worked out."""

    def __str__(self) -> str:
        return "(a formula)"


UNSAVED_FORMULA = UnsavedFormula()
UNSAVED_FORMULA_MESSAGE = (
    "holds a formula whose result was never saved; type the value itself, or open "
    "and save the file in Excel or LibreOffice first"
)


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


# What zipfile raises on a damaged or unusual archive: a bad checksum
# (BadZipFile), a compression it does not know (NotImplementedError), a
# broken deflate stream (zlib.error), a size that lies (EOFError), an
# encrypted entry (RuntimeError).
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    zlib.error,
    EOFError,
    RuntimeError,
    ValueError,
    OSError,
)


def check_xlsx(path: Path) -> None:
    """Refuse a hostile or broken workbook before any XML parser sees it."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _refuse(path, f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED_ZIP as exc:
        raise _refuse(path, f"it is not an Excel workbook (.xlsx) ({exc})") from None
    with archive:
        try:
            _check_archive(path, archive)
        except _DAMAGED_ZIP as exc:
            raise _refuse(path, f"it is damaged ({_zip_fault(exc)})") from None


def _zip_fault(exc: BaseException) -> str:
    if isinstance(exc, NotImplementedError):
        return "it is packed with a compression spreadsheets do not use"
    if isinstance(exc, RuntimeError):
        return "part of it is encrypted"
    return str(exc) or type(exc).__name__


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
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
    xml = sum(e.file_size for e in entries if e.filename.endswith((".xml", ".rels", ".vml")))
    if xml > MAX_XML_BYTES:
        raise _refuse(
            path,
            f"its sheets unpack to {xml // (1024 * 1024):,} MB, more than "
            f"{MAX_XML_BYTES // (1024 * 1024)} MB ({MAX_ROWS:,} rows of a schedule need "
            "less); split it or remove what is not part of the schedule",
        )
    strings = sum(e.file_size for e in entries if e.filename.endswith("sharedStrings.xml"))
    if strings > MAX_SHARED_STRINGS_BYTES:
        raise _refuse(
            path,
            f"its texts unpack to {strings // (1024 * 1024):,} MB, more than a schedule "
            "holds (zip bomb?)",
        )
    if any(n.startswith("xl/externalLinks/") for n in names):
        raise _refuse(path, "it links to other files (external links); save a copy without them")
    for entry in entries:
        if not entry.filename.endswith((".xml", ".rels", ".vml")):
            continue
        prologue = _prologue(archive, entry)
        if prologue.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise _refuse(path, f"part {entry.filename} is not UTF-8 XML")
        upper = prologue.upper()
        if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
            raise _refuse(path, "it declares XML entities (a DTD), which spreadsheets never need")
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


def read_xlsx(
    path: Path,
    wanted: Callable[[str], bool] = lambda _name: True,
    max_columns: int = MAX_COLUMNS,
) -> list[RawSheet]:
    """Every sheet's values (first ``max_columns`` columns), after ``check_xlsx``."""
    return list(iter_xlsx(path, wanted, max_columns))


def iter_xlsx(
    path: Path,
    wanted: Callable[[str], bool] = lambda _name: True,
    max_columns: int = MAX_COLUMNS,
) -> Iterator[RawSheet]:
    """``read_xlsx`` a sheet at a time, so a caller may let go of one before the next.

    A sheet ``wanted`` refuses is read only up to its first value: enough to
    tell an empty stray sheet from one whose data would be left out.
    """
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
    try:
        day_styles = _date_only_styles(workbook)
        for worksheet in workbook.worksheets:
            try:
                sheet = _read_sheet(path, workbook, worksheet, day_styles, max_columns, wanted)
            except UnsafeFileError:
                raise
            except Exception as exc:
                raise _refuse(path, f"it is damaged ({type(exc).__name__}: {exc})") from None
            yield sheet
    finally:
        workbook.close()


def _read_sheet(
    path: Path,
    workbook: Any,
    worksheet: Any,
    day_styles: frozenset[int],
    max_columns: int,
    wanted: Callable[[str], bool],
) -> RawSheet:
    whole = wanted(worksheet.title)
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in _sheet_rows(workbook, worksheet, day_styles, max_columns):
        if number > MAX_ROWS:
            raise _refuse(path, f"sheet “{worksheet.title}” has more than {MAX_ROWS:,} rows")
        rows.append((number, values))
        if not whole and any(v is not None and v != "" for v in values):
            break
    return RawSheet(worksheet.title, rows)


_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETS = re.compile(r"\[([^\]]*)\]")
_TIME_TOKENS = re.compile(r"[hs]|am/pm|a/p", re.IGNORECASE)


def format_has_time(number_format: str) -> bool:
    """Whether an Excel number format shows a time of day ("yyyy-mm-dd hh:mm" does,
    "dd/mm/yyyy" and LibreOffice's "YYYY\\-MM\\-DD" do not)."""
    text = _QUOTED.sub("", number_format.split(";")[0])

    def bracket(match: re.Match[str]) -> str:
        inner = match.group(1).lower()
        return "h" if inner.strip("hms") == "" and inner else ""

    text = _BRACKETS.sub(bracket, text)
    return _TIME_TOKENS.search(text) is not None


def _date_only_styles(workbook: Any) -> frozenset[int]:
    """Cell style ids whose number format is a date without a time of day."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    found = set()
    for style_id in workbook._date_formats:
        number_format_id = workbook._cell_styles[style_id].numFmtId
        if number_format_id < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(number_format_id, "General")
        else:
            number_format = workbook._number_formats[number_format_id - BUILTIN_FORMATS_MAX_SIZE]
        if not format_has_time(number_format):
            found.add(style_id)
    return frozenset(found)


def _sheet_rows(
    workbook: Any, worksheet: Any, day_styles: frozenset[int], max_columns: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(row number, values) of the rows a sheet holds, dates in date-only cells as dates.

    openpyxl's own reader turns every date cell into a datetime at midnight
    and forgets the format; this walks its parser and keeps that one fact.
    """
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    with worksheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        read_cell = parser.parse_cell

        def parse_cell(element: Any) -> Any:
            # A formula whose result was never saved (a file made by a program,
            # not by Excel or LibreOffice) reads as empty: say so instead.
            cell = read_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["value"] = UNSAVED_FORMULA
            return cell

        parser.parse_cell = parse_cell
        for number, cells in parser.parse():
            values: list[Any] = []
            for cell in cells:
                column = cell["column"]
                if column > max_columns:
                    continue
                value = cell["value"]
                if (
                    isinstance(value, datetime)
                    and cell["style_id"] in day_styles
                    and value.time() == time(0)
                ):
                    value = value.date()
                if column > len(values):
                    values.extend([None] * (column - len(values)))
                values[column - 1] = value
            yield number, _trimmed(tuple(values))


def _trimmed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    """Row values without trailing empty cells."""
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
