"""A certificate a page: English first, the partner's language under each line."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QFont

from scheduler.exchange.partner_language import Wording
from scheduler.reports.certificates import CertificateData, CertificateReport, days_text
from scheduler.reports.render.canvas import CENTRE, INK, MUTED, Canvas, font

SMALLEST = 9.0  # points: a long name or title shrinks to fit, never below this
LOCAL = 0.8  # the partner's language, this much the size of the English above it


class CertificatePages:
    def __init__(self, report: CertificateReport) -> None:
        self.report = report

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        return len(self.report.certificates)

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        item = self.report.certificates[index]
        column = _Column(canvas, body, Wording(item.language))
        column.skip(18)
        column.both("Certificate of training", 26, bold=True, gap=14)
        column.both("This certifies that", 13)
        column.line(item.name, 24, bold=True, gap=1)
        if item.name_latin and item.name_latin != item.name:
            column.line(item.name_latin, 16, gap=1)
        column.line(", ".join(p for p in (item.rank, item.unit) if p), 12, MUTED, gap=6)
        column.both("has successfully completed the course", 13)
        column.line(item.course_title, 20, bold=True, gap=1)
        column.line(item.course_code, 12, MUTED, gap=6)
        pattern, values = days_text(item.first_day, item.last_day)
        column.both(pattern, 13, values=values)
        if item.venue:
            column.both("held at {venue}", 13, values={"venue": item.venue})
        _foot(canvas, body, column, item)


class _Column:
    """Lines centred down the page, each shrunk to fit its width."""

    def __init__(self, canvas: Canvas, rect: QRectF, wording: Wording) -> None:
        self.canvas, self.rect, self.wording = canvas, rect, wording
        self.y = rect.top()

    def skip(self, millimetres: float) -> None:
        self.y += self.canvas.mm(millimetres)

    def line(
        self,
        text: str | None,
        points: float,
        pen: QColor = INK,
        *,
        bold: bool = False,
        gap: float = 2.0,
    ) -> None:
        if not text:
            return
        canvas, rect = self.canvas, self.rect
        which = _fitting(canvas, text, points, bold, rect.width() - canvas.mm(4))
        height = canvas.line_height(which) * 1.15
        canvas.text(QRectF(rect.left(), self.y, rect.width(), height), text, which,
                    align=CENTRE, pen=pen)  # fmt: skip
        self.y += height + canvas.mm(gap)

    def both(
        self,
        english: str,
        points: float,
        *,
        bold: bool = False,
        gap: float = 4.0,
        values: dict[str, str] | None = None,
    ) -> None:
        """``english`` and, under it, the partner's words for it."""
        values = values or {}
        self.line(english.format(**values), points, bold=bold, gap=0.5)
        self.line(self.wording.local(english, **values), points * LOCAL, MUTED, gap=gap)


def _fitting(canvas: Canvas, text: str, points: float, bold: bool, width: float) -> QFont:
    which = font(points, bold=bold)
    while points > SMALLEST and canvas.metrics(which).horizontalAdvance(text) > width:
        points -= 1
        which = font(points, bold=bold)
    return which


def _foot(canvas: Canvas, body: QRectF, above: _Column, item: CertificateData) -> None:
    """The issuer, the serial and the code side by side along the foot of the page."""
    top = max(above.y + canvas.mm(8), body.bottom() - canvas.mm(32))
    third = body.width() / 3
    facts = (
        ("Issued by", item.issuer),
        ("Serial number", item.serial),
        ("Verification code", item.code),
    )
    for index, (label, value) in enumerate(facts):
        column = _Column(
            canvas, QRectF(body.left() + index * third, top, third, canvas.mm(30)), above.wording
        )
        column.both(label, 10, gap=1)
        column.line(value, 12, bold=True)
