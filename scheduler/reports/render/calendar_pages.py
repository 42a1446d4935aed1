"""Month calendar pages: a week per row, a day per cell, events listed in the cell.

A cell lists as many events as fit at the fixed text size and ends with
"+N more" when the day holds more; the count keeps the page honest when a
busy day cannot be shown in full. Cancelled events are struck through, drafts
in italics; an event continuing from an earlier day starts with "›".
"""

from __future__ import annotations

from math import floor

from PySide6.QtCore import QRectF

from scheduler.planning.wording import count_text
from scheduler.reports.month_calendar import CalendarEntry, CalendarMonth, CalendarReport, DayCell
from scheduler.reports.render.canvas import (
    CENTRE,
    GRID,
    HOLIDAY,
    INK,
    MUTED,
    OUTSIDE,
    RIGHT,
    WEEKEND,
    Canvas,
    colour,
    font,
)

TITLE_MM = 8.0
WEEKDAYS_MM = 5.0
DAY_HEAD_MM = 3.6


class CalendarPages:
    def __init__(self, report: CalendarReport) -> None:
        self.report = report

    def layout(self, canvas: Canvas, body: QRectF) -> int:
        return len(self.report.months)

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None:
        if not self.report.months:
            return
        month = self.report.months[index]
        mm = canvas.mm
        x, y, width = body.left(), body.top(), body.width()
        canvas.text(QRectF(x, y, width * 0.7, mm(TITLE_MM)), month.title, font(14, bold=True))
        count = count_text(month.events, "event")
        canvas.text(
            QRectF(x + width * 0.7, y, width * 0.3, mm(TITLE_MM)),
            count,
            font(9),
            align=RIGHT,
            pen=MUTED,
        )
        y += mm(TITLE_MM)
        column = width / 7
        for i, name in enumerate(self.report.weekdays):
            cell = QRectF(x + i * column, y, column, mm(WEEKDAYS_MM))
            canvas.fill(cell, WEEKEND)
            canvas.frame(cell)
            canvas.text(cell, name, font(8, bold=True), align=CENTRE)
        y += mm(WEEKDAYS_MM)
        self._grid(canvas, month, QRectF(x, y, width, body.bottom() - y))

    def _grid(self, canvas: Canvas, month: CalendarMonth, area: QRectF) -> None:
        column = area.width() / 7
        row = area.height() / max(1, len(month.weeks))
        for w, week in enumerate(month.weeks):
            for d, day in enumerate(week):
                cell = QRectF(area.left() + d * column, area.top() + w * row, column, row)
                self._cell(canvas, day, cell)

    def _cell(self, canvas: Canvas, day: DayCell, cell: QRectF) -> None:
        mm = canvas.mm
        if not day.in_month:
            canvas.fill(cell, OUTSIDE)
        elif day.marks:
            canvas.fill(cell, HOLIDAY)
        elif day.day_off:
            canvas.fill(cell, WEEKEND)
        canvas.frame(cell, GRID)
        head = QRectF(cell.left(), cell.top(), cell.width(), mm(DAY_HEAD_MM))
        number_width = mm(5.5)
        canvas.text(
            QRectF(head.left(), head.top(), number_width, head.height()),
            str(day.day.day),
            font(8, bold=day.in_month),
            pen=INK if day.in_month else MUTED,
        )
        if day.marks:
            canvas.text(
                QRectF(
                    head.left() + number_width,
                    head.top(),
                    head.width() - number_width,
                    head.height(),
                ),
                "; ".join(day.marks),
                font(5.5, italic=True),
                pen=MUTED,
            )
        if not day.entries:
            return
        entry_font = font(6.3)
        line = canvas.line_height(entry_font)
        top = head.bottom() + mm(0.3)
        room = max(0, floor((cell.bottom() - top - mm(0.5)) / line))
        entries = list(day.entries)
        shown = entries if len(entries) <= room else entries[: max(0, room - 1)]
        for i, entry in enumerate(shown):
            self._entry(canvas, entry, QRectF(cell.left(), top + i * line, cell.width(), line))
        hidden = len(entries) - len(shown)
        if hidden and room:
            canvas.text(
                QRectF(cell.left(), top + len(shown) * line, cell.width(), line),
                f"+{hidden} more",
                font(6.3, bold=True),
                pen=MUTED,
            )

    def _entry(self, canvas: Canvas, entry: CalendarEntry, rect: QRectF) -> None:
        mm = canvas.mm
        swatch = QRectF(rect.left() + mm(0.8), rect.center().y() - mm(0.8), mm(1.6), mm(1.6))
        canvas.fill(swatch, colour(entry.colour))
        which = font(6.3, italic=entry.status == "draft")
        which.setStrikeOut(entry.cancelled)
        if entry.continued:
            text = f"› {entry.ref} {entry.course_code}"
        else:
            text = f"{entry.ref} {entry.course_code} {entry.title}"
        canvas.text(
            QRectF(rect.left() + mm(2.6), rect.top(), rect.width() - mm(2.6), rect.height()),
            text,
            which,
            pen=MUTED if entry.cancelled or entry.continued else INK,
            padding_mm=0.4,
        )
