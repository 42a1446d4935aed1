"""Listing pages: the view's columns as a table, headings repeated on every page.

The font shrinks (down to ``MIN_POINTS``) when the columns' natural widths
do not fit the page, so a wide list stays on one page across; a text too
long for its column wraps onto up to ``MAX_LINES`` lines, then is elided,
so a conflict's message or a course title stays readable on paper.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF

from scheduler.reports.listing import ListingReport, share_out
from scheduler.reports.render.canvas import (
    BAND,
    GRID,
    INK,
    LEFT,
    OUTSIDE,
    RIGHT,
    RULE,
    Canvas,
    font,
)
from scheduler.reports.render.flow import Block, paint_blocks, pour

BASE_POINTS = 7.5
MIN_POINTS = 5.5
MAX_LINES = 3
HEADING_LINES = 3
PADDING_MM = 0.8
SAMPLE_ROWS = 2000
WIDE_LETTERS = "WMЖШЩЮЫ@%—"
# A column is never planned wider than this many average characters: a
# longer text wraps (a title, a message), then is elided.
MAX_CHARS = 48


def wrap(metrics: QFontMetricsF, text: str, width: float, max_lines: int) -> list[str]:
    """``text`` broken at its line breaks, then at spaces, into lines no wider
    than ``width``; the last of ``max_lines`` lines takes the rest (the
    painter elides it)."""
    lines: list[str] = []
    paragraphs = text.split("\n")
    for number, paragraph in enumerate(paragraphs):
        later = paragraphs[number + 1 :]
        words = paragraph.split()
        current = ""
        for position, word in enumerate(words):
            trial = f"{current} {word}" if current else word
            if current and metrics.horizontalAdvance(trial) > width:
                lines.append(current)
                if len(lines) == max_lines - 1:
                    lines.append(" ".join([*words[position:], *later]))
                    return lines
                current = word
            else:
                current = trial
        lines.append(current)
        if later and len(lines) == max_lines - 1:
            lines.append(" ".join(later))
            return lines
    return lines or [""]


def _has_letters(text: str) -> bool:
    return any(character.isalpha() for character in text)


class ListingPages:
    def __init__(self, report: ListingReport) -> None:
        self.report = report
        self.pages: list[list[Block]] = []
        self.font = font(BASE_POINTS)
        self.bold = font(BASE_POINTS, bold=True)
        self.cells: list[tuple[float, float]] = []  # left offset and width of each column
        self.headings: list[tuple[str, ...]] = []  # each column's heading, fitted
        self.line = 0.0

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        report = self.report
        padding = canvas.mm(PADDING_MM)
        naturals, flexible, floors = self._naturals(canvas, BASE_POINTS)
        # Shrink the font when the columns' natural widths overflow the page
        # (widths grow with the point size; the padding does not), then
        # measure again: small sizes are hinted wider than they scale.
        needed = sum(naturals) + 2 * padding * len(naturals)
        points = BASE_POINTS
        if needed > body.width():
            text_room = body.width() - 2 * padding * len(naturals)
            scale = text_room / max(sum(naturals), 1.0)
            points = max(MIN_POINTS, BASE_POINTS * scale)
            naturals, flexible, floors = self._naturals(canvas, points)
        self.font, self.bold = font(points), font(points, bold=True)
        widths = share_out(
            [natural + 2 * padding for natural in naturals],
            flexible,
            body.width(),
            [floor + 2 * padding for floor in floors],
        )
        left = 0.0
        self.cells = []
        for width in widths:
            self.cells.append((left, width))
            left += width
        metrics = canvas.metrics(self.font)
        self.line = metrics.height()
        bold = canvas.metrics(self.bold)
        self.headings = [
            _Fitter(bold, width - 2 * padding, HEADING_LINES)(text)
            for text, (_left, width) in zip(report.headings, self.cells, strict=True)
        ]
        heading_lines = max((len(lines) for lines in self.headings), default=1)
        heading = Block(self.line * heading_lines + canvas.mm(1.6), self._heading)
        blocks = [Block(heading.height, self._heading, keep_with_next=True)]
        fitters = [_Fitter(metrics, width - 2 * padding) for _left, width in self.cells]
        shaded = False
        for number, row in enumerate(report.rows):
            if number in report.sections:
                blocks.append(
                    Block(
                        self.line + canvas.mm(2.4),
                        partial(self._section, row[0]),
                        keep_with_next=True,
                        repeat=heading,
                    )
                )
                shaded = False
                continue
            texts = [fit(text) for fit, text in zip(fitters, row, strict=True)]
            lines = max(len(cell) for cell in texts)
            blocks.append(
                Block(
                    self.line * lines + canvas.mm(1.2),
                    partial(self._row, texts, shaded),
                    repeat=heading,
                )
            )
            shaded = not shaded
        self.pages = pour(blocks, body.height())
        return len(self.pages)

    def _naturals(
        self, canvas: Canvas, points: float
    ) -> tuple[list[float], list[bool], list[float]]:
        """Each column's width at ``points``, whether it may wrap, and how
        narrow it may become (its longest word, when it wraps).

        A column of words (titles, names, messages) wraps: it is planned for
        the longest of nine in ten of its texts, so one outlier wraps rather
        than widening the column for all. Any other column (refs, codes,
        dates, numbers) must show its texts whole: planned for its longest.
        Either is at least as wide as its heading's longest word.
        """
        report = self.report
        metrics = canvas.metrics(font(points))
        bold = canvas.metrics(font(points, bold=True))
        char = metrics.averageCharWidth()
        body = [row for i, row in enumerate(report.rows) if i not in report.sections]
        sample = body[:: max(1, len(body) // SAMPLE_ROWS)]
        naturals: list[float] = []
        flexible: list[bool] = []
        floors: list[float] = []
        for column, heading in enumerate(report.headings):
            texts = [row[column] for row in sample if row[column]]
            advances = sorted(metrics.horizontalAdvance(text) for text in texts)
            wraps = bool(advances) and advances[len(advances) // 2] > 10 * char
            wraps = wraps and any(" " in text and _has_letters(text) for text in texts)
            word = max((bold.horizontalAdvance(w) for w in heading.split()), default=0.0)
            floor = max(word, 3 * char)
            if not advances:
                wanted = 0.0
            elif wraps:
                # No narrower than its longest word: a word cannot wrap.
                longest = max((max(text.split() or [""], key=len) for text in texts), key=len)
                floor = max(floor, metrics.horizontalAdvance(longest))
                wanted = advances[len(advances) * 9 // 10]
            else:
                wanted = advances[-1]
            # Half a character spare: a text exactly as wide as its box would
            # be elided by the rounding of glyph positions.
            spare = char / 2
            naturals.append(min(max(wanted, floor), MAX_CHARS * char) + spare)
            floors.append(min(floor, MAX_CHARS * char) + spare)
            flexible.append(wraps)
        return naturals, flexible, floors

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        paint_blocks(canvas, body, self.pages[index])

    def _heading(self, canvas: Canvas, rect: QRectF) -> None:
        canvas.fill(rect, BAND)
        self._draw(canvas, rect, self.headings, self.bold)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), RULE, 0.3)

    def _section(self, text: str, canvas: Canvas, rect: QRectF) -> None:
        lower = QRectF(rect.left(), rect.top() + canvas.mm(1.6), rect.width(), self.line)
        canvas.text(lower, text, self.bold)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), RULE, 0.2)

    def _row(
        self, texts: list[tuple[str, ...]], shaded: bool, canvas: Canvas, rect: QRectF
    ) -> None:
        if shaded:
            canvas.fill(rect, OUTSIDE)
        self._draw(canvas, rect, texts, self.font)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), GRID, 0.1)

    def _draw(
        self, canvas: Canvas, rect: QRectF, texts: list[tuple[str, ...]], which: QFont
    ) -> None:
        """Each column's fitted lines, drawn as they are: layout already wrapped
        and elided them (no clipping or measuring here; a long list has
        thousands of pages)."""
        painter = canvas.painter
        painter.save()
        painter.setFont(which)
        painter.setPen(INK)
        padding = canvas.mm(PADDING_MM)
        top = rect.top() + canvas.mm(0.6)
        for column, lines in enumerate(texts):
            left, width = self.cells[column]
            flags = int(RIGHT if self.report.numeric[column] else LEFT)
            y = top
            for text in lines:
                if text:
                    box = QRectF(rect.left() + left + padding, y, width - 2 * padding, self.line)
                    painter.drawText(box, flags, text)
                y += self.line
        painter.restore()


class _Fitter:
    """One column's texts made to fit its width: wrapped at line breaks and
    spaces onto up to ``max_lines`` lines, the last elided. Remembered per
    text, since a list repeats its venues, courses, statuses and names."""

    def __init__(self, metrics: QFontMetricsF, width: float, max_lines: int = MAX_LINES) -> None:
        self.metrics = metrics
        self.width = width
        self.max_lines = max_lines
        # A text of at most this many characters fits on one line, known
        # without measuring it: even if every letter were as wide as these.
        widest = max(metrics.horizontalAdvance(letter) for letter in WIDE_LETTERS)
        self.sure = max(0, int(width / widest))
        self.known: dict[str, tuple[str, ...]] = {}

    def __call__(self, text: str) -> tuple[str, ...]:
        if len(text) <= self.sure and "\n" not in text:
            return (text,)
        found = self.known.get(text)
        if found is None:
            metrics, width = self.metrics, self.width
            if "\n" not in text and metrics.horizontalAdvance(text) <= width:
                found = (text,)
            else:
                lines = wrap(metrics, text, width, self.max_lines)
                found = tuple(
                    metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines
                )
            self.known[text] = found
        return found
