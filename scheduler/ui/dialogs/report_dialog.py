"""File ▸ Print…: choose a report, then preview, print or save it as a PDF.

The report's content is read on a worker thread (a year of a 100,000-event
plan takes a few seconds), with progress and Cancel. A PDF is painted on
that worker too (QPainter on a QPdfWriter may run off the GUI thread);
preview and print paint on the GUI thread, page by page, onto the QPrinter
the print dialogs hand over, with the same painter as the PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.planning.wording import count_text
from scheduler.progress import ProgressCallback
from scheduler.ui.file_names import suggested_file
from scheduler.ui.messages import show_bug, show_error
from scheduler.ui.qt_dates import to_date, to_qdate
from scheduler.ui.workers import run_with_progress

if TYPE_CHECKING:
    from scheduler.reports.listing import Listing
    from scheduler.reports.requests import Report, ReportRequest
    from scheduler.services.report_rows import ReportChoices
    from scheduler.ui.document import PlanDocument

KINDS = (
    ("calendar", "Month calendar (A4 landscape, a month a page)"),
    ("timeline", "Resource timeline (A4 landscape, tiled)"),
    ("readiness", "Partner readiness (A4 landscape)"),
    ("instructor", "Instructor's schedule (A4 portrait)"),
)
RESOURCES = (
    ("instructor", "Instructors"),
    ("venue", "Venues"),
    ("unit", "Units"),
    ("kit", "Kit"),
)
# The list on the page the dialog was opened from, printed as it is shown.
LISTING = "listing"
# Preview and Print paint on the GUI thread; a longer list (about 100 pages)
# is saved as a PDF, on a worker that shows progress and can be stopped.
PREVIEW_ROWS = 3000


class ReportDialog(QDialog):
    """Choose a report; Preview…, Print… or Save as PDF… each build it and act.

    Emits nothing; the work's outcome goes to the status bar of the parent
    window when it has one, errors to a message box. GUI thread only.
    """

    def __init__(
        self,
        parent: QWidget | None,
        document: PlanDocument,
        choices: ReportChoices,
        default_marking: str,
        *,
        kind: str = "calendar",
        resource: str = "instructor",
        period: tuple[date, date] | None = None,
        listing: Listing | None = None,
        partner: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.listing = listing
        self.setWindowTitle("Print a report")
        self.setObjectName("report_dialog")
        self.job: Any = None
        self.last_pdf: Path | None = None

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("kind")
        if listing is not None:
            rows = self._listing_rows()
            self.kind_box.addItem(
                f"This list as shown: {listing.title} ({count_text(rows, listing.noun)})",
                LISTING,
            )
        for key, label in KINDS:
            self.kind_box.addItem(label, key)
        self.resource_box = QComboBox(self)
        self.resource_box.setObjectName("resource")
        for key, label in RESOURCES:
            self.resource_box.addItem(label, key)
        self.resource_box.setCurrentIndex(max(0, self.resource_box.findData(resource)))
        self.partner_box = QComboBox(self)
        self.partner_box.setObjectName("partner")
        for code, label in choices.partners:
            self.partner_box.addItem(label, code)
        if partner:
            self.partner_box.setCurrentIndex(max(0, self.partner_box.findData(partner)))
        self.instructor_box = QComboBox(self)
        self.instructor_box.setObjectName("instructor")
        self.instructor_box.setEditable(True)
        self.instructor_box.addItems(choices.instructors)
        first, last = period or choices.period
        self.first = QDateEdit(to_qdate(first), self)
        self.first.setObjectName("first")
        self.last = QDateEdit(to_qdate(last), self)
        self.last.setObjectName("last")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.dates = QHBoxLayout()
        self.dates.addWidget(self.first)
        self.dates.addWidget(QLabel("to", self))
        self.dates.addWidget(self.last)
        self.dates.addStretch()
        # Left empty the report carries the default marking, and a partner's
        # readiness report its releasability caveat, as its workbook does.
        self.marking = QLineEdit(self)
        self.marking.setObjectName("marking")
        self.marking.setPlaceholderText(default_marking)
        self.note = QLabel(self)
        self.note.setWordWrap(True)

        self.form = QFormLayout()
        self.form.addRow("Report", self.kind_box)
        self.form.addRow("Rows", self.resource_box)
        self.form.addRow("Partner", self.partner_box)
        self.form.addRow("Instructor", self.instructor_box)
        self.form.addRow("Period", self.dates)
        self.form.addRow("Protective marking", self.marking)
        self.form.addRow("", self.note)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.preview_button = self._button(buttons, "Preview…", "preview", self.preview)
        self.print_button = self._button(buttons, "Print…", "print", self.print_)
        self.save_button = self._button(buttons, "Save as PDF…", "save_pdf", self.save_pdf)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)
        self.kind_box.currentIndexChanged.connect(self._kind_changed)
        self.kind_box.setCurrentIndex(max(0, self.kind_box.findData(kind)))
        self._kind_changed()
        self.resize(620, 300)

    def _button(
        self, box: QDialogButtonBox, text: str, name: str, slot: Callable[[], None]
    ) -> QPushButton:
        button = box.addButton(text, QDialogButtonBox.ButtonRole.ActionRole)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _kind_changed(self) -> None:
        kind = self.kind()
        for row, wanted in (
            (self.resource_box, kind == "timeline"),
            (self.partner_box, kind == "readiness"),
            (self.instructor_box, kind == "instructor"),
            (self.dates, kind != LISTING),
        ):
            self.form.setRowVisible(row, wanted)
        too_long = kind == LISTING and self._listing_rows() > PREVIEW_ROWS
        for button in (self.preview_button, self.print_button):
            button.setEnabled(not too_long)
        notes = {
            "readiness": "Readiness lists the requirements due in the period. Left empty, the "
            "marking gains the partner's releasability caveat.",
            "calendar": "The calendar prints whole months.",
            LISTING: f"{self._listing_rows():,} rows are too many to preview or print from "
            "here: save them as a PDF, or narrow the list with its search and filters first."
            if too_long
            else "The rows, columns and order of the list on the page, with its search and "
            "filters.",
        }
        self.note.setText(notes.get(kind, ""))

    def _listing_rows(self) -> int:
        listing = self.listing
        return len(listing.rows) - len(listing.sections) if listing is not None else 0

    def kind(self) -> str:
        return str(self.kind_box.currentData())

    def request(self) -> ReportRequest:
        from scheduler.reports.requests import ReportRequest

        kind = self.kind()
        return ReportRequest(
            kind=kind,  # type: ignore[arg-type]
            partner=str(self.partner_box.currentData() or "") or None
            if kind == "readiness"
            else None,
            instructor=self.instructor_box.currentText().strip() or None
            if kind == "instructor"
            else None,
            resource=self.resource_box.currentData(),
            date_from=to_date(self.first.date()),
            date_to=to_date(self.last.date()),
            marking=self.marking.text().strip() or None,
        )

    # --- actions
    def _reader(self) -> Callable[[ProgressCallback], Report] | None:
        """What builds the chosen report on a worker; None (and a message) when it cannot."""
        plan = self.document.plan
        marking = self.marking.text().strip() or None
        if self.kind() == LISTING:
            assert self.listing is not None
            listing = self.listing

            def build_listing(_progress: ProgressCallback) -> Report:
                from scheduler.services.reports import listing_report

                return listing_report(listing, plan.name, marking=marking)

            return build_listing
        try:
            request = self.request()
            request.check()
        except UserError as exc:
            show_error(self, "Print", str(exc))
            return None

        def build(progress: ProgressCallback) -> Report:
            from scheduler.services.reports import read_report

            return read_report(plan, request, progress)

        return build

    def _build(self, then: Callable[[Report], None], label: str) -> None:
        """Read the report on a worker thread, then hand it to ``then`` here."""
        reader = self._reader()
        if reader is None:
            return

        self.job = run_with_progress(self, label, reader, then, self._failed)

    def _failed(self, error: BaseException) -> None:
        from scheduler.progress import Cancelled

        if isinstance(error, Cancelled):
            self._status("Stopped; nothing was printed or written.")
        elif isinstance(error, UserError):
            show_error(self, "Print", str(error))
        else:
            show_bug(self, error)

    def _status(self, text: str) -> None:
        window = self.parent()
        bar = getattr(window, "statusBar", None)
        if callable(bar):
            bar().showMessage(text, 15000)

    def _printer(self, report: Report) -> QPrinter:
        from scheduler.reports.render.documents import page_layout

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageLayout(page_layout(report.frame.orientation))
        printer.setDocName(f"{report.frame.title} — {report.frame.plan_name}")
        return printer

    def preview(self) -> None:
        def show(report: Report) -> None:
            from scheduler.reports.render.documents import paint_report

            printer = self._printer(report)
            dialog = QPrintPreviewDialog(printer, self)
            dialog.setObjectName("report_preview")
            dialog.setWindowTitle(f"Preview: {report.frame.title}")
            dialog.paintRequested.connect(
                lambda device: paint_report(report, device, set_layout=False)
            )
            dialog.resize(1000, 760)
            dialog.exec()

        self._build(show, "Reading the report…")

    def print_(self) -> None:
        def send(report: Report) -> None:
            from scheduler.reports.render.documents import paint_report

            printer = self._printer(report)
            dialog = QPrintDialog(printer, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            try:
                pages = paint_report(report, printer, set_layout=False)
            except UserError as exc:
                show_error(self, "Print", str(exc))
                return
            self._status(f"Sent {count_text(pages, 'page')} to the printer.")

        self._build(send, "Reading the report…")

    def save_pdf(self) -> None:
        plan = self.document.plan
        what = self.listing.title if self.kind() == LISTING and self.listing else self.kind()
        suggested = suggested_file(plan, what, ".pdf")
        name, _ = QFileDialog.getSaveFileName(self, "Save as PDF", str(suggested), "PDF (*.pdf)")
        if not name:
            return
        target = Path(name)
        if target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        reader = self._reader()
        if reader is None:
            return

        def work(progress: ProgressCallback) -> int:
            from scheduler.reports.render.documents import write_pdf

            return write_pdf(reader(progress), target, progress)

        def done(pages: int) -> None:
            self.last_pdf = target
            self._status(f"Wrote {count_text(pages, 'page')} to {target.name}")

        self.job = run_with_progress(self, f"Writing {target.name}…", work, done, self._failed)


def open_report_dialog(
    window: QWidget, document: PlanDocument, page: QWidget | None
) -> ReportDialog:
    """Show the dialog, set to the list, calendar month, timeline or partner in view."""
    from scheduler.planning.periods import month_end, month_start
    from scheduler.services.markings import marking_for
    from scheduler.services.report_rows import report_choices
    from scheduler.ui.calendar.page import CalendarPage
    from scheduler.ui.dashboard.page import DashboardPage
    from scheduler.ui.printable import page_listing
    from scheduler.ui.timeline.page import TimelinePage

    kind, resource, period, partner = "calendar", "instructor", None, None
    listing = page_listing(page)
    if listing is not None:
        kind = LISTING
    elif isinstance(page, DashboardPage):
        # The dashboard shows one partner's pathway: print its readiness.
        kind, partner = "readiness", page.pathway.partner.currentData()
    anchor = getattr(page, "anchor", None)
    if isinstance(page, CalendarPage) and isinstance(anchor, date):
        period = (month_start(anchor), month_end(anchor))
    elif isinstance(page, TimelinePage):
        kind, resource = "timeline", str(getattr(page, "kind", "instructor"))
    dialog = ReportDialog(
        window,
        document,
        document.read(report_choices),
        marking_for(None),
        kind=kind,
        resource=resource,
        period=period,
        listing=listing,
        partner=partner,
    )
    dialog.show()
    return dialog
