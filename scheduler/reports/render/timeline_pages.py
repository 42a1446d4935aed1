"""Resource timeline pages: row labels at the left, days across, bars on the rows.

Every page repeats the label column and the date header (months, weekday
letters, day numbers), and says which rows and days it holds, so sheets can
be laid side by side or read alone. Non-working weekdays are shaded down
the whole page; leave, travel and closures are hatched on their row; public
holidays of the row's nation are tinted. Bars carry the course code; a row
with overlapping bookings is split into lanes.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QPen

from scheduler.planning.periods import month_end
from scheduler.planning.wording import MONTHS, days_text
from scheduler.reports.render.canvas import (
    ABSENCE,
    BAND,
    CENTRE,
    GRID,
    HOLIDAY,
    INK,
    MUTED,
    RULE,
    WEEKEND,
    Canvas,
    colour,
    font,
    tint,
)
from scheduler.reports.resource_timeline import PrintedTimelinePage, PrintRow, TimelineReport

LABEL_MM = 58.0
INFO_MM = 4.5
HEADER_ROW_MM = 3.6
WEEKDAY_LETTERS = "MTWTFSS"


class TimelinePages:
    def __init__(self, report: TimelineReport) -> None:
        self.report = report
        self.pages: list[PrintedTimelinePage] = []

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        self.pages = self.report.pages()
        return len(self.pages)

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        report = self.report
        page = self.pages[index]
        mm = canvas.mm
        x, y = body.left(), body.top()
        last_row = page.first_row + len(page.rows) - 1
        info = (
            f"Days {days_text(page.first, page.last)} · {report.resource_title.lower()} rows "
            f"{page.first_row}–{last_row} of {len(report.rows)} · sheet {page.sheet} of "
            f"{page.sheets} for these days"
        )
        canvas.text(QRectF(x, y, body.width(), mm(INFO_MM)), info, font(7.5), pen=MUTED)
        y += mm(INFO_MM)
        days = (page.last - page.first).days + 1
        label = mm(LABEL_MM)
        day_width = (body.width() - label) / report.days_per_page
        grid_left = x + label
        header = QRectF(grid_left, y, day_width * days, mm(HEADER_ROW_MM * 3))
        rows_top = header.bottom()
        row_height = (body.bottom() - rows_top) / report.rows_per_page
        rows_bottom = rows_top + row_height * len(page.rows)

        def column(day: date) -> float:
            return grid_left + (day - page.first).days * day_width

        # Whole-column shading of non-working weekdays, under everything else.
        for i in range(days):
            day = page.first + timedelta(days=i)
            if day.weekday() not in report.working_weekdays:
                canvas.fill(QRectF(column(day), y, day_width, rows_bottom - y), WEEKEND)
        self._header(canvas, page, header, day_width, column)
        canvas.text(
            QRectF(x, header.top(), label, header.height()),
            report.resource_title,
            font(8, bold=True),
        )
        for r, row in enumerate(page.rows):
            top = rows_top + r * row_height
            self._row(canvas, row, page, QRectF(x, top, label, row_height), grid_left, day_width)
        for i in range(days + 1):
            edge = grid_left + i * day_width
            canvas.line(edge, header.bottom() - mm(HEADER_ROW_MM), edge, rows_bottom, GRID, 0.1)
        canvas.line(grid_left, y, grid_left, rows_bottom, RULE, 0.25)
        canvas.line(x, rows_bottom, grid_left + days * day_width, rows_bottom, RULE, 0.25)

    def _header(
        self,
        canvas: Canvas,
        page: PrintedTimelinePage,
        header: QRectF,
        width: float,
        column: Callable[[date], float],
    ) -> None:
        mm = canvas.mm
        step = mm(HEADER_ROW_MM)
        day = page.first
        while day <= page.last:
            month_last = min(page.last, month_end(day))
            span = QRectF(column(day), header.top(), column(month_last) + width - column(day), step)
            canvas.frame(span, RULE, 0.15)
            canvas.text(
                span, f"{MONTHS[day.month - 1]} {day.year}", font(7, bold=True), align=CENTRE
            )
            day = month_last + timedelta(days=1)
        small = font(6)
        for i in range((page.last - page.first).days + 1):
            day = page.first + timedelta(days=i)
            left = column(day)
            canvas.text(
                QRectF(left, header.top() + step, width, step),
                WEEKDAY_LETTERS[day.weekday()],
                small,
                align=CENTRE,
                pen=MUTED,
                padding_mm=0,
            )
            canvas.text(
                QRectF(left, header.top() + 2 * step, width, step),
                str(day.day),
                small,
                align=CENTRE,
                padding_mm=0,
            )
        canvas.line(header.left(), header.bottom(), header.right(), header.bottom(), RULE, 0.25)

    def _row(
        self,
        canvas: Canvas,
        row: PrintRow,
        page: PrintedTimelinePage,
        label: QRectF,
        grid_left: float,
        day_width: float,
    ) -> None:
        mm = canvas.mm
        days = (page.last - page.first).days + 1
        full = QRectF(label.left(), label.top(), label.width() + day_width * days, label.height())
        if row.kind == "group":
            canvas.fill(full, BAND)
            canvas.text(label, row.label, font(7.5, bold=True))
            return
        indent = mm(2.5) * row.depth
        name_font = font(7)
        name = QRectF(label.left() + indent, label.top(), label.width() - indent, label.height())
        text = f"{row.label} · {row.detail}" if row.detail else row.label
        canvas.text(name, text, name_font)
        canvas.line(full.left(), full.bottom(), full.right(), full.bottom(), GRID, 0.1)

        def span(first: date, last: date, top: float, height: float) -> QRectF | None:
            low, high = max(first, page.first), min(last, page.last)
            if low > high:
                return None
            left = grid_left + (low - page.first).days * day_width
            return QRectF(left, top, ((high - low).days + 1) * day_width, height)

        for off in row.off:
            rect = span(off.first, off.last, label.top(), label.height())
            if rect is None:
                continue
            if off.kind == "holiday":
                canvas.fill(rect, HOLIDAY)
            else:
                canvas.fill(rect, QBrush(ABSENCE, Qt.BrushStyle.BDiagPattern))
        pad = mm(0.5)
        lane_height = (label.height() - 2 * pad) / max(1, row.lanes)
        bar_font = font(5.8 if row.lanes > 1 else 6.3)
        for bar in row.bars:
            rect = span(
                bar.first, bar.last, label.top() + pad + bar.lane * lane_height, lane_height
            )
            if rect is None:
                continue
            rect = rect.adjusted(mm(0.25), mm(0.15), -mm(0.25), -mm(0.15))
            base = colour(bar.colour)
            canvas.painter.save()
            pen = QPen(base.darker(130), mm(0.2))
            if bar.status == "draft":
                pen.setStyle(Qt.PenStyle.DashLine)
            canvas.painter.setPen(pen)
            canvas.painter.setBrush(tint(base, 0.55))
            canvas.painter.drawRect(rect)
            canvas.painter.restore()
            canvas.text(rect, bar.label, bar_font, pen=INK, padding_mm=0.3)
