"""Readiness pages: per capability target, a table of requirements with a progress bar each,
then its NATO evaluation milestones and collective tasks; at the end, the runs
other providers deliver to the partner.

The bar is drawn against the larger of the people required and those
delivered or scheduled: dark green delivered, light green scheduled, a black
tick at the number required. A requirement short by its due date is printed
in red with its reasons, and the missing part of its bar hatched red.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush

from scheduler.planning.wording import count_text, day_text
from scheduler.reports.partner_readiness import (
    MilestoneLine,
    ProviderLine,
    ReadinessReport,
    RequirementLine,
    TargetSection,
    TaskLine,
)
from scheduler.reports.render.canvas import (
    BAND,
    DELIVERED,
    GRID,
    INK,
    MUTED,
    RIGHT,
    RULE,
    SCHEDULED,
    TROUBLE,
    Canvas,
    font,
)
from scheduler.reports.render.flow import Block, column_rects, paint_blocks, pour

# Column widths as shares of the body width: unit, course, required,
# scheduled, delivered, due, status, bar.
COLUMNS = (
    ("Unit", 0.19),
    ("Course", 0.20),
    ("Required", 0.06),
    ("Scheduled", 0.065),
    ("Delivered", 0.065),
    ("Due", 0.075),
    ("Status", 0.205),
    ("Progress", 0.14),
)
NUMBERS = {"Required", "Scheduled", "Delivered"}


class ReadinessPages:
    def __init__(self, report: ReadinessReport) -> None:
        self.report = report
        self.pages: list[list[Block]] = []

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        mm = canvas.mm
        report = self.report
        blocks = [Block(mm(10), self._summary, keep_with_next=True)]
        heading = Block(mm(6), self._table_heading)
        for target in report.targets:
            blocks.append(Block(mm(8), partial(self._target, target), keep_with_next=True))
            blocks.append(Block(mm(6), self._table_heading, keep_with_next=True))
            for line in target.lines:
                blocks.append(Block(mm(9), partial(self._line, line), repeat=heading))
            for milestone in target.readiness.milestones:
                blocks.append(Block(mm(9), partial(self._milestone, milestone)))
            for task in target.readiness.tasks:
                blocks.append(Block(mm(5.5), partial(self._task, task)))
        if report.providers:
            title = f"Other providers training {report.partner_name}"
            blocks.append(Block(mm(8), partial(self._band, title), keep_with_next=True))
            for provider in report.providers:
                blocks.append(Block(mm(5.5), partial(self._provider, provider)))
        blocks.append(Block(mm(8), self._legend))
        self.pages = pour(blocks, body.height())
        return len(self.pages)

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        paint_blocks(canvas, body, self.pages[index])

    def _summary(self, canvas: Canvas, rect: QRectF) -> None:
        report = self.report
        total, trouble = report.requirements, report.in_trouble
        if not total:
            text = f"No training requirements for {report.partner_name} in this period."
        else:
            text = (
                f"{count_text(total, 'requirement')} of {report.partner_name}: "
                f"{total - trouble} done or on track, {trouble} late or at risk."
            )
        canvas.text(
            rect.adjusted(0, 0, 0, -canvas.mm(3)),
            text,
            font(10, bold=True),
            pen=TROUBLE if trouble else INK,
        )

    def _target(self, target: TargetSection, canvas: Canvas, rect: QRectF) -> None:
        band = rect.adjusted(0, canvas.mm(1.5), 0, 0)
        canvas.fill(band, BAND)
        canvas.text(band.adjusted(0, 0, -rect.width() * 0.25, 0), target.name, font(9.5, bold=True))
        canvas.text(
            band.adjusted(rect.width() * 0.75, 0, 0, 0),
            f"{target.on_track} of {len(target.lines)} on track",
            font(8),
            align=RIGHT,
            pen=MUTED,
        )

    @staticmethod
    def _band(title: str, canvas: Canvas, rect: QRectF) -> None:
        band = rect.adjusted(0, canvas.mm(1.5), 0, 0)
        canvas.fill(band, BAND)
        canvas.text(band, title, font(9.5, bold=True))

    @staticmethod
    def _milestone(milestone: MilestoneLine, canvas: Canvas, rect: QRectF) -> None:
        """Label, date and status on the first line; why it is at risk below."""
        mm = canvas.mm
        pen = TROUBLE if milestone.at_risk else INK
        upper = QRectF(rect.left(), rect.top() + mm(0.5), rect.width(), mm(4))
        lower = QRectF(rect.left(), rect.top() + mm(4.3), rect.width(), mm(4))
        third = rect.width() / 3
        canvas.text(upper.adjusted(0, 0, -2 * third, 0), milestone.kind, font(7.5, bold=True))
        canvas.text(upper.adjusted(third, 0, -third, 0), day_text(milestone.day), font(7.5))
        canvas.text(upper.adjusted(2 * third, 0, 0, 0), milestone.status, font(7.5, bold=True),
                    pen=pen)  # fmt: skip
        if milestone.reasons:
            canvas.text(lower, "; ".join(milestone.reasons), font(7), pen=pen)
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), GRID, 0.1)

    @staticmethod
    def _task(task: TaskLine, canvas: Canvas, rect: QRectF) -> None:
        third = rect.width() / 3
        canvas.text(rect.adjusted(0, 0, -2 * third, 0), f"Task: {task.name}", font(7.5))
        canvas.text(rect.adjusted(third, 0, -third, 0), task.rating, font(7.5))
        canvas.text(rect.adjusted(2 * third, 0, 0, 0), f"Trained by {task.trained_by}",
                    font(7.5), pen=MUTED)  # fmt: skip

    @staticmethod
    def _provider(line: ProviderLine, canvas: Canvas, rect: QRectF) -> None:
        shares = (0.28, 0.12, 0.1, 0.2, 0.3)
        cells = (line.provider, line.ref, line.course, line.days, line.units)
        left = rect.left()
        for share, text in zip(shares, cells, strict=True):
            width = rect.width() * share
            canvas.text(QRectF(left, rect.top(), width, rect.height()), text, font(7.5))
            left += width

    def _table_heading(self, canvas: Canvas, rect: QRectF) -> None:
        for (name, _share), cell in zip(COLUMNS, column_rects(rect, COLUMNS), strict=True):
            canvas.text(
                cell,
                name,
                font(7.5, bold=True),
                align=RIGHT
                if name in NUMBERS
                else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            )
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), RULE, 0.25)

    def _line(self, line: RequirementLine, canvas: Canvas, rect: QRectF) -> None:
        mm = canvas.mm
        cells = column_rects(rect, COLUMNS)
        pen = TROUBLE if line.in_trouble else INK
        upper = lambda cell: QRectF(cell.left(), cell.top() + mm(0.5), cell.width(), mm(4))  # noqa: E731
        lower = lambda cell: QRectF(cell.left(), cell.top() + mm(4.3), cell.width(), mm(4))  # noqa: E731
        main, small = font(7.5), font(6.5)
        canvas.text(upper(cells[0]), line.unit_code, font(7.5, bold=True))
        canvas.text(lower(cells[0]), line.unit_name, small, pen=MUTED)
        canvas.text(upper(cells[1]), line.course_code, font(7.5, bold=True))
        canvas.text(lower(cells[1]), line.course_title, small, pen=MUTED)
        for cell, value in zip(
            cells[2:5], (line.required, line.scheduled, line.delivered), strict=True
        ):
            canvas.text(upper(cell), str(value), main, align=RIGHT)
        canvas.text(upper(cells[5]), day_text(line.due) if line.due else "no due date", main)
        canvas.text(upper(cells[6]), line.status, font(7.5, bold=True), pen=pen)
        if line.reasons:
            canvas.text(upper(cells[6]).adjusted(mm(15), 0, 0, 0), line.reasons[0], main, pen=pen)
        if len(line.reasons) > 1:
            canvas.text(lower(cells[6]), "; ".join(line.reasons[1:]), small, pen=pen)
        self._bar(canvas, line, cells[7].adjusted(mm(1), mm(2.5), -mm(1), -mm(2.5)))
        canvas.line(rect.left(), rect.bottom(), rect.right(), rect.bottom(), GRID, 0.1)

    def _bar(self, canvas: Canvas, line: RequirementLine, rect: QRectF) -> None:
        scale = max(line.required, line.delivered + line.scheduled, 1)
        unit = rect.width() / scale
        canvas.frame(rect, GRID)
        delivered = QRectF(rect.left(), rect.top(), line.delivered * unit, rect.height())
        canvas.fill(delivered, DELIVERED)
        scheduled = QRectF(delivered.right(), rect.top(), line.scheduled * unit, rect.height())
        canvas.fill(scheduled, SCHEDULED)
        if line.in_trouble:
            short = QRectF(
                rect.left() + line.by_due * unit,
                rect.top(),
                (line.required - line.by_due) * unit,
                rect.height(),
            )
            canvas.fill(short, QBrush(TROUBLE, Qt.BrushStyle.BDiagPattern))
            canvas.frame(short, TROUBLE, 0.2)
        tick = rect.left() + line.required * unit
        canvas.line(
            tick, rect.top() - canvas.mm(0.8), tick, rect.bottom() + canvas.mm(0.8), INK, 0.4
        )

    def _legend(self, canvas: Canvas, rect: QRectF) -> None:
        canvas.text(
            rect.adjusted(0, canvas.mm(3), 0, 0),
            "Progress: dark green delivered, light green scheduled, black tick the number "
            "required; red hatching is what is missing by the due date.",
            font(7),
            pen=MUTED,
        )
