"""Reading an import file: its sheets, their rows as typed values, and the
problems that need no plan to see.

All or nothing starts here: a sheet this program does not read, a sheet of
the template missing from a workbook, or one given twice is an error, not a
skipped sheet, since its rows would otherwise silently stay out. What the
rows mean for a plan is ``services.importing``'s to decide.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from scheduler.errors import UserError
from scheduler.exchange.import_rows import (
    ERROR,
    WARNING,
    ParsedSheet,
    Problem,
    expected_sheets,
    holds_data,
    is_instructions,
    parse_sheet,
    sheet_spec,
)
from scheduler.exchange.import_schema import SHEETS
from scheduler.exchange.untrusted import RawSheet, iter_xlsx, read_csv


@dataclass(slots=True)
class ImportReport:
    """What an import found and did. ``imported`` is False on errors or a dry run."""

    files: list[str]
    problems: list[Problem] = field(default_factory=list)
    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    imported: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def changes_anything(self) -> bool:
        return any(self.added.values()) or any(self.changed.values())

    def summary(self) -> str:
        parts = []
        for spec in SHEETS:
            counts = (
                (self.added.get(spec.name, 0), "new"),
                (self.changed.get(spec.name, 0), "changed"),
                (self.unchanged.get(spec.name, 0), "unchanged"),
            )
            said = [f"{n} {word}" for n, word in counts if n]
            if said:
                parts.append(f"{spec.name}: {', '.join(said)}")
        if not parts:
            return "nothing to import"
        text = "; ".join(parts)
        return text if self.changes_anything else f"{text} (nothing changes)"

    def text(self) -> str:
        lines = [str(p) for p in self.problems]
        if self.errors:
            lines.append(
                f"{len(self.errors)} error(s): nothing was imported. Fix them and import again."
            )
        elif self.dry_run:
            lines.append(f"Checked, nothing written (dry run). Would import: {self.summary()}.")
        elif not self.changes_anything:
            lines.append(f"Nothing to change: the plan already holds this. {self.summary()}.")
        else:
            lines.append(f"Imported: {self.summary()}.")
        return "\n".join(lines)


def read_sheets(paths: Sequence[Path]) -> Iterator[tuple[Path, RawSheet]]:
    """The raw sheets of .xlsx files, or of CSV files named after their sheets,
    one at a time (a parsed sheet need not wait beside the raw rows of the next)."""
    for path in paths:
        if not path.is_file():
            raise UserError(f"“{path}” does not exist or is not a file.")
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            yield from ((path, raw) for raw in iter_xlsx(path, _wanted_sheet))
        elif suffix == ".csv":
            yield path, read_csv(path)
        else:
            raise UserError(
                f"“{path.name}” is neither an Excel workbook (.xlsx) nor a CSV file (.csv)."
            )


def _wanted_sheet(name: str) -> bool:
    return sheet_spec(name) is not None


def parse_files(paths: Sequence[Path], report: ImportReport) -> dict[str, ParsedSheet]:
    """Every sheet's rows as typed values; problems go into ``report``."""
    sheets: dict[str, ParsedSheet] = {}
    workbooks: dict[Path, set[str]] = {}
    for path, raw in read_sheets(paths):
        _take_sheet(path, raw, sheets, workbooks, report)
        del raw  # the raw rows go before the next sheet is read
    for path, present in workbooks.items():
        missing = [spec.name for spec in SHEETS if spec.core and spec.name not in present]
        if missing:
            report.problems.append(
                Problem(
                    path.name,
                    None,
                    None,
                    "the workbook has no sheet "
                    + ", ".join(f"“{name}”" for name in missing)
                    + "; an import workbook keeps every sheet of the template (empty ones "
                    "are fine) so that a renamed or deleted sheet is not silently left out",
                )
            )
    if not sheets and not report.errors:
        report.problems.append(
            Problem(
                ", ".join(report.files),
                None,
                None,
                f"no sheet to import (expected {expected_sheets()})",
            )
        )
    return sheets


def _take_sheet(
    path: Path,
    raw: RawSheet,
    sheets: dict[str, ParsedSheet],
    workbooks: dict[Path, set[str]],
    report: ImportReport,
) -> None:
    spec = sheet_spec(raw.name)
    is_csv = path.suffix.lower() == ".csv"
    if not is_csv:
        workbooks.setdefault(path, set())
        if spec is not None:
            workbooks[path].add(spec.name)
    if spec is None:
        if not is_instructions(raw.name) and holds_data(raw):
            report.problems.append(
                Problem(
                    path.name if is_csv else raw.name,
                    None,
                    None,
                    "not a sheet this program reads, so its rows would be left out; "
                    f"name it as one of {expected_sheets()} (or move its rows there)",
                )
            )
        return
    if spec.name in sheets:
        report.problems.append(
            Problem(raw.name, None, None, f"“{spec.name}” is given twice; keep one")
        )
        return
    parsed = parse_sheet(raw, report.problems)
    if parsed is not None:
        sheets[spec.name] = parsed


def sheet_order(name: str) -> int:
    for index, spec in enumerate(SHEETS):
        if spec.name == name:
            return index
    return len(SHEETS)


__all__ = ["ImportReport", "Problem", "parse_files", "read_sheets", "sheet_order"]
