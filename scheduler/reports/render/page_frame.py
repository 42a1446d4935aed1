"""The band around every page: the marking above and below, title, plan, page numbers."""

from __future__ import annotations

from PySide6.QtCore import QRectF

from scheduler.reports.frame import ReportFrame
from scheduler.reports.render.canvas import CENTRE, LEFT, MUTED, RIGHT, RULE, Canvas, font

HEADER_MM = 19.0
FOOTER_MM = 9.0
GAP_MM = 2.5


def body_rect(canvas: Canvas, page: QRectF) -> QRectF:
    """Where a report's content goes on every page: inside the margins, between the bands."""
    top = canvas.mm(HEADER_MM + GAP_MM)
    bottom = canvas.mm(FOOTER_MM + GAP_MM)
    return QRectF(page.left(), page.top() + top, page.width(), page.height() - top - bottom)


def paint_frame(canvas: Canvas, page: QRectF, frame: ReportFrame, number: int, count: int) -> None:
    mm = canvas.mm
    marking = font(11, bold=True)
    x, width = page.left(), page.width()
    y = page.top()
    canvas.text(QRectF(x, y, width, mm(6)), frame.marking, marking, align=CENTRE)
    y += mm(6.5)
    half = width / 2
    canvas.text(QRectF(x, y, width * 0.68, mm(7)), frame.title, font(13, bold=True))
    canvas.text(
        QRectF(x + width * 0.68, y, width * 0.32, mm(7)), frame.plan_name, font(9), align=RIGHT
    )
    y += mm(7)
    canvas.text(QRectF(x, y, half, mm(5)), frame.period, font(9))
    y = page.top() + mm(HEADER_MM)
    canvas.line(x, y, x + width, y, RULE, 0.3)

    bottom = page.bottom()
    top = bottom - mm(FOOTER_MM)
    canvas.line(x, top, x + width, top, RULE, 0.3)
    row = QRectF(x, top + mm(1.5), width, mm(FOOTER_MM - 1.5))
    third = width / 3
    canvas.text(
        QRectF(x, row.top(), third, row.height()),
        frame.printed_text,
        font(8),
        align=LEFT,
        pen=MUTED,
    )
    canvas.text(
        QRectF(x + third, row.top(), third, row.height()), frame.marking, marking, align=CENTRE
    )
    canvas.text(
        QRectF(x + 2 * third, row.top(), third, row.height()),
        f"Page {number} of {count}",
        font(8),
        align=RIGHT,
    )
