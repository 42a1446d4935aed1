"""Instructor schedule pages: who, the totals, then the events and absences in date order."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush

from scheduler.planning.wording import count_text, days_text
from scheduler.reports.instructor_schedule import InstructorReport, ScheduleLine
from scheduler.reports.render.canvas import (
    ABSENCE,
    GRID,
    INK,
    MUTED,
    RIGHT,
    RULE,
    Canvas,
    font,
    tint,
)
from scheduler.reports.render.flow import Block, column_rects, paint_blocks, pour

COLUMNS = (
    ("Dates", 0.17),
    ("Course", 0.33),
    ("Venue", 0.22),
    ("Role", 0.1),
    ("Units", 0.12),
    ("Days", 0.06),
)


class InstructorPages:
    def __init__(self, report: InstructorReport) -> None:
        self.report = report
        self.pages: list[list[Block]] = []

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        mm = canvas.mm
        heading = Block(mm(6), self._table_heading)
        blocks = [
            Block(mm(16), self._about, keep_with_next=True),
            Block(mm(6), self._table_heading, keep_with_next=True),
        ]
        for line in self.report.lines:
            blocks.append(Block(mm(8.5), partial(self._line, line), repeat=heading))
        blocks.append(Block(mm(9), self._total))
        self.pages = pour(blocks, body.height())
        return len(self.pages)

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        paint_blocks(canvas, body, self.pages[index])

    def _about(self, canvas: Canvas, rect: QRectF) -> None:
        mm = canvas.mm
        report = self.report
        canvas.text(
            QRectF(rect.left(), rect.top(), rect.width(), mm(6)), report.name, font(12, bold=True)
        )
        canvas.text(
            QRectF(rect.left(), rect.top() + mm(6), rect.width(), mm(4.5)),
            report.about,
            font(8),
            pen=MUTED,
        )
        canvas.text(
            QRectF(rect.left(), rect.top() + mm(10.5), rect.width(), mm(4.5)),
            self._totals(),
            font(8.5),
        )

    def _totals(self) -> str:
        report = self.report
        return (
            f"{count_text(report.events, 'event')}, "
            f"{count_text(report.booked_days, 'working day')} booked, "
            f"{count_text(report.absent_days, 'day')} away in this period."
        )

    def _table_heading(self, canvas: Canvas, rect: QRectF) -> None:
        for (name, _share), cell in zip(COLUMNS, column_rects(rect, COLUMNS), strict=True):
            align = (
                RIGHT
                if name == "Days"
                else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            )
            canvas.text(cell, name, font(7.5, bold=True), align=align)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), RULE, 0.25)

    def _line(self, line: ScheduleLine, canvas: Canvas, rect: QRectF) -> None:
        mm = canvas.mm
        cells = column_rects(rect, COLUMNS)

        def upper(cell: QRectF) -> QRectF:
            return QRectF(cell.left(), cell.top() + mm(0.4), cell.width(), mm(4))

        def lower(cell: QRectF) -> QRectF:
            return QRectF(cell.left(), cell.top() + mm(4.2), cell.width(), mm(3.8))

        small = font(6.5)
        when = days_text(line.first, line.last)
        if line.kind != "event":
            canvas.fill(rect.adjusted(0, mm(0.3), 0, -mm(0.3)), tint(ABSENCE, 0.85))
            canvas.fill(
                QRectF(rect.left(), rect.top() + mm(0.3), mm(1.2), rect.height() - mm(0.6)),
                QBrush(ABSENCE, Qt.BrushStyle.BDiagPattern),
            )
            canvas.text(upper(cells[0]), when, font(7.5))
            canvas.text(upper(cells[1]), line.title, font(7.5, bold=True))
            if line.note:
                canvas.text(lower(cells[1]), line.note, small, pen=MUTED)
            days = (line.last - line.first).days + 1
            canvas.text(upper(cells[5]), f"({days})", font(7.5), align=RIGHT, pen=MUTED)
            return
        main = font(7.5)
        main.setStrikeOut(line.cancelled)
        bold = font(7.5, bold=True)
        bold.setStrikeOut(line.cancelled)
        pen = MUTED if line.cancelled else INK
        canvas.text(upper(cells[0]), when, main, pen=pen)
        canvas.text(upper(cells[1]), line.title, bold, pen=pen)
        state = line.status + (" — not counted" if line.cancelled else "")
        canvas.text(lower(cells[1]), f"{line.ref} · {state}", small, pen=MUTED)
        canvas.text(upper(cells[2]), line.venue, main, pen=pen)
        canvas.text(upper(cells[3]), line.role, main, pen=pen)
        canvas.text(upper(cells[4]), line.units, main, pen=pen)
        canvas.text(upper(cells[5]), str(line.working_days), main, align=RIGHT, pen=pen)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), GRID, 0.1)

    def _total(self, canvas: Canvas, rect: QRectF) -> None:
        canvas.line(
            rect.left(),
            rect.top() + canvas.mm(1),
            rect.right(),
            rect.top() + canvas.mm(1),
            RULE,
            0.3,
        )
        canvas.text(
            rect.adjusted(0, canvas.mm(2), 0, 0),
            f"Total: {self._totals()}",
            font(8.5, bold=True),
        )
