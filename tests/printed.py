"""A workbook as a partner prints it: LibreOffice's PDF, read back page by page.

Each page's text comes from ``pdftotext`` (the words as printed, layout
kept) and the size of every piece of text from the PDF's own text matrices
(pypdf), so a test can say "every page is marked" and "nothing prints under
7 pt" about what comes out of the printer, not about the cells.
"""

from __future__ import annotations

import math
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from tests.workbooks import resaved_by_libreoffice


@dataclass(frozen=True, slots=True)
class PrintedPage:
    number: int
    text: str  # as pdftotext lays it out
    sizes: tuple[float, ...]  # of each run of text, in points as printed

    @property
    def smallest(self) -> float:
        return min(self.sizes, default=0.0)

    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def _product(a: list[float], b: list[float]) -> list[float]:
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def printed_pages(workbook: Path, folder: Path) -> list[PrintedPage]:
    """``workbook`` printed to PDF by LibreOffice, page by page."""
    return pdf_pages(resaved_by_libreoffice(workbook, folder, kind="pdf"))


def pdf_pages(pdf: Path) -> list[PrintedPage]:
    """A PDF's pages: their text (pdftotext) and the printed size of each text run."""
    reader = PdfReader(pdf)
    pages = []
    for number, page in enumerate(reader.pages, start=1):
        sizes = _SizeCollector()
        fallback = page.extract_text(visitor_text=sizes)
        pages.append(PrintedPage(number, _pdftotext(pdf, number) or fallback, tuple(sizes.found)))
    return pages


class _SizeCollector:
    """pypdf's text visitor: the printed size of each run of text on a page."""

    def __init__(self) -> None:
        self.found: list[float] = []

    def __call__(
        self, text: str, cm: list[float], tm: list[float], _font: object, size: float
    ) -> None:
        if text.strip():
            m = _product(tm, cm)
            self.found.append(round(size * math.sqrt(abs(m[0] * m[3] - m[1] * m[2])), 2))


def _pdftotext(pdf: Path, number: int) -> str:
    program = shutil.which("pdftotext")
    if program is None:
        return ""
    done = subprocess.run(
        [program, "-layout", "-f", str(number), "-l", str(number), str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return done.stdout
