"""Import files made as people make them: the program's own template, filled in
with openpyxl the way Excel stores what is typed (a typed date is a date cell
in a date-only format), and, where LibreOffice is installed, saved again by
LibreOffice Calc, as a partner's office would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from scheduler.services.imports import write_template

# What Excel shows for a date typed on a British or Balkan machine.
TYPED_DATE = "dd/mm/yyyy"
TYPED_DATETIME = "dd/mm/yyyy hh:mm"


def filled_template(path: Path, sheets: dict[str, list[dict[str, Any]]]) -> Path:
    """The program's empty template with ``sheets``' rows typed under their headings.

    A ``date`` is typed as Excel stores a typed date (a date cell shown as
    dd/mm/yyyy), a ``datetime`` as a typed date and time.
    """
    write_template(path, marking="OFFICIAL")
    workbook = load_workbook(path)
    for name, rows in sheets.items():
        sheet = workbook[name]
        headers = {cell.value: cell.column for cell in sheet[1] if cell.value}
        for offset, row in enumerate(rows, start=2):
            for header, value in row.items():
                cell = sheet.cell(row=offset, column=headers[header])
                if isinstance(value, datetime):
                    cell.value = value
                    cell.number_format = TYPED_DATETIME
                elif isinstance(value, date):
                    cell.value = datetime.combine(value, datetime.min.time())
                    cell.number_format = TYPED_DATE
                else:
                    cell.value = value
    workbook.save(path)
    return path


def libreoffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _libreoffice_or_skip() -> str:
    program = libreoffice()
    if program is None:
        if os.environ.get("REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required here (REQUIRE_LIBREOFFICE=1) but not installed")
        pytest.skip("LibreOffice is not installed")
    return program


def resaved_by_libreoffice(path: Path, folder: Path, kind: str = "xlsx") -> Path:
    """``path`` opened and saved again by LibreOffice Calc: as .xlsx, or as
    .pdf (``kind="pdf"``), which is what a partner's printer gets."""
    program = _libreoffice_or_skip()
    folder.mkdir(parents=True, exist_ok=True)
    profile = folder / "lo-profile"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            str(folder),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    result = folder / path.with_suffix(f".{kind}").name
    assert result.exists(), f"LibreOffice wrote no {result.name}"
    return result
