"""Painting a whole report onto a paged device, and writing it as a PDF file.

Pages are laid out first (so "Page n of N" is known), then painted one by
one; ``progress(page, pages)`` is asked after each and stops the work when
it returns False (``Cancelled``). A PDF is written under a temporary name
beside the target and moved into place only when complete.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPainter, QPdfWriter

from scheduler import APP_NAME
from scheduler.errors import UserError
from scheduler.exchange.output import PendingFile
from scheduler.progress import Cancelled, ProgressCallback
from scheduler.reports.frame import Orientation
from scheduler.reports.render.canvas import Canvas
from scheduler.reports.render.page_frame import body_rect, paint_frame
from scheduler.reports.render.pages import page_source
from scheduler.reports.requests import Report

MARGIN_MM = 10.0
PDF_DPI = 300


def page_layout(orientation: Orientation) -> QPageLayout:
    """A4 with 10 mm margins, in the report's orientation."""
    return QPageLayout(
        QPageSize(QPageSize.PageSizeId.A4),
        QPageLayout.Orientation.Landscape
        if orientation == "landscape"
        else QPageLayout.Orientation.Portrait,
        QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )


def paint_report(
    report: Report,
    device: QPagedPaintDevice,
    progress: ProgressCallback | None = None,
    *,
    set_layout: bool = True,
) -> int:
    """Paint every page of ``report``; returns the number of pages.

    ``set_layout`` False keeps the device's page layout (a printer whose
    paper the planner chose); the report then fits whatever page it gets.
    """
    if set_layout:
        device.setPageLayout(page_layout(report.frame.orientation))
    painter = QPainter()
    if not painter.begin(device):
        raise UserError("The report could not be drawn: the printer or file refused it.")
    try:
        dpi = device.logicalDpiX()
        paint = device.pageLayout().paintRectPixels(dpi)
        page = QRectF(0, 0, paint.width(), paint.height())
        canvas = Canvas(painter, dpi)
        body = body_rect(canvas, page)
        source = page_source(report)
        count = max(1, source.layout(canvas, body))
        for index in range(count):
            if index:
                device.newPage()
            painter.save()
            painter.setClipRect(page)
            paint_frame(canvas, page, report.frame, index + 1, count)
            painter.setClipRect(body)
            source.paint(canvas, body, index)
            painter.restore()
            if progress is not None and progress(index + 1, count) is False:
                raise Cancelled()
    finally:
        painter.end()
    return count


def write_pdf(report: Report, target: Path, progress: ProgressCallback | None = None) -> int:
    """Write ``report`` to ``target`` as a PDF, complete or not at all; returns pages."""
    with PendingFile(target) as pending:
        writer = QPdfWriter(str(pending.temp))
        writer.setResolution(PDF_DPI)
        writer.setTitle(f"{report.frame.title} — {report.frame.plan_name}")
        writer.setCreator(APP_NAME)
        try:
            count = paint_report(report, writer, progress)
        except UserError as exc:
            if isinstance(exc, Cancelled):
                raise
            raise UserError(
                f"Could not write “{target}”: the file cannot be created there."
            ) from exc
        finally:
            del writer
        if not pending.temp.exists() or pending.temp.stat().st_size == 0:
            raise UserError(f"Could not write “{target}”: the file cannot be created there.")
        pending.publish()
    return count
