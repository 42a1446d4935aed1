"""Which painter draws which report."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QRectF

from scheduler.reports.certificates import CertificateReport
from scheduler.reports.listing import ListingReport
from scheduler.reports.month_calendar import CalendarReport
from scheduler.reports.partner_readiness import ReadinessReport
from scheduler.reports.render.canvas import Canvas
from scheduler.reports.requests import Report
from scheduler.reports.resource_timeline import TimelineReport


class PageSource(Protocol):
    """Lays a report out on pages of a given body size, then paints one page at a time."""

    def layout(self, canvas: Canvas, body: QRectF) -> int: ...

    def paint(self, canvas: Canvas, body: QRectF, index: int) -> None: ...


def page_source(report: Report) -> PageSource:
    from scheduler.reports.render.calendar_pages import CalendarPages
    from scheduler.reports.render.certificate_pages import CertificatePages
    from scheduler.reports.render.instructor_pages import InstructorPages
    from scheduler.reports.render.listing_pages import ListingPages
    from scheduler.reports.render.readiness_pages import ReadinessPages
    from scheduler.reports.render.timeline_pages import TimelinePages

    if isinstance(report, CertificateReport):
        return CertificatePages(report)
    if isinstance(report, CalendarReport):
        return CalendarPages(report)
    if isinstance(report, TimelineReport):
        return TimelinePages(report)
    if isinstance(report, ReadinessReport):
        return ReadinessPages(report)
    if isinstance(report, ListingReport):
        return ListingPages(report)
    return InstructorPages(report)
