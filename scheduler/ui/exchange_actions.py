"""Export and import from the window: dialogs, then the work on a worker thread.

Both run with a progress dialog whose Cancel stops them cleanly (no partial
file, nothing imported). An import is checked in full first and its report
shown; only a clean file is then imported, after a backup.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.planning.wording import count_text
from scheduler.progress import ProgressCallback
from scheduler.services.changes import EVERYTHING, Changes
from scheduler.ui.dialogs.export_dialog import ExportDialog
from scheduler.ui.file_names import suggested_file
from scheduler.ui.messages import show_bug, show_error
from scheduler.ui.qt_dates import to_date
from scheduler.ui.workers import run_with_progress

if TYPE_CHECKING:
    from scheduler.exchange.importer import ImportReport
    from scheduler.ui.main_window import MainWindow


def _failed(window: MainWindow, title: str) -> Callable[[BaseException], None]:
    def report(error: BaseException) -> None:
        if isinstance(error, UserError):
            show_error(window, title, str(error))
        else:
            show_bug(window, error)

    return report


def export_schedule(window: MainWindow, partner_code: str | None = None) -> None:
    """File ▸ Export schedule…; ``partner_code`` pre-selects a partner (releases due)."""
    document = window.document
    if document is None:
        return
    from scheduler.services.export_rows import partner_caveats, partner_choices
    from scheduler.services.exports import ExportRequest, ExportResult, export_plan
    from scheduler.services.markings import marking_for, printed_marking
    from scheduler.services.nominations import partners_with_names

    caveats = document.read(partner_caveats)
    named = document.read(partners_with_names)
    dialog = ExportDialog(
        window,
        document.read(partner_choices),
        marking_for(None),
        lambda code, typed, names: printed_marking(
            typed, caveats.get(code), names=names or code in named
        ),
    )
    if partner_code:
        dialog.select_partner(partner_code)
    if not dialog.exec():
        return
    partner = dialog.partner()
    plan = document.plan
    suggested = suggested_file(plan, partner or "schedule", ".xlsx")
    name, _ = QFileDialog.getSaveFileName(
        window,
        "Export schedule",
        str(suggested),
        "Excel workbook (*.xlsx);;Calendar (*.ics)",
    )
    if not name:
        return
    target = Path(name)
    if target.suffix.lower() not in (".xlsx", ".ics"):
        target = target.with_name(target.name + ".xlsx")
    period = dialog.period()
    request = ExportRequest(
        target=target,
        partner=partner or None,
        marking=dialog.marking.text().strip() or None,
        names=dialog.names(),
        date_from=to_date(period[0]) if period else None,
        date_to=to_date(period[1]) if period else None,
    )
    plan = document.plan

    def work(progress: ProgressCallback) -> ExportResult:
        return export_plan(plan, request, progress)

    def done(result: ExportResult) -> None:
        message = (
            f"Exported {count_text(result.events, 'event')} to {result.path.name} "
            f"(marked {result.marking})"
        )
        if result.drafts_left_out:
            message += (
                f"; {count_text(result.drafts_left_out, 'draft')} left out "
                "(a partner sees planned, confirmed, delivered and cancelled events)"
            )
        window.statusBar().showMessage(message, 15000)
        if partner:
            document.note_own_changes(result.change_ids)
            document.changed.emit(Changes.of("release"))

    window.job = run_with_progress(
        window, f"Exporting to {target.name}…", work, done, _failed(window, "Export")
    )


def import_spreadsheet(window: MainWindow) -> None:
    document = window.document
    if document is None or document.read_only:
        return
    from scheduler.services.imports import import_file

    name, _ = QFileDialog.getOpenFileName(
        window, "Import from a spreadsheet", "", "Spreadsheets (*.xlsx *.csv)"
    )
    if not name:
        return
    path = Path(name)
    plan = document.plan

    def check(progress: ProgressCallback) -> ImportReport:
        return import_file(plan, [path], dry_run=True, progress=progress)

    def checked(report: ImportReport) -> None:
        if not show_import_report(window, report, dry_run=True):
            return

        def run(progress: ProgressCallback) -> ImportReport:
            return import_file(plan, [path], progress=progress)

        def imported(final: ImportReport) -> None:
            if final.imported:
                document.undo_stack.clear()  # earlier steps may name records the import replaced
                document.changed.emit(EVERYTHING)
            show_import_report(window, final, dry_run=False)

        window.job = run_with_progress(
            window, f"Importing {path.name}…", run, imported, _failed(window, "Import")
        )

    window.job = run_with_progress(
        window, f"Checking {path.name}…", check, checked, _failed(window, "Import")
    )


def import_partner_reply(window: MainWindow) -> None:
    """Preview a partner's returned workbook; apply what the planner ticks, as one step."""
    document = window.document
    if document is None or document.read_only:
        return
    from scheduler.services import edits
    from scheduler.services.replies import ReplyPreview, work_out_reply
    from scheduler.ui.dialogs.reply_dialog import ReplyDialog
    from scheduler.ui.document import UndoStep

    name, _ = QFileDialog.getOpenFileName(
        window, "Import a partner's reply", "", "Partner workbooks (*.xlsx)"
    )
    if not name:
        return
    path = Path(name)

    def preview(_progress: ProgressCallback) -> ReplyPreview:
        with document.plan.snapshot() as session:
            return work_out_reply(session, path)

    def shown(result: ReplyPreview) -> None:
        if result.refused:
            show_error(window, "Partner reply", result.text())
            return
        dialog = ReplyDialog(result, window)
        if not dialog.exec():
            return
        keys = dialog.accepted_keys()
        step = UndoStep(
            f"Import reply from {result.partner_code}", edits.apply_partner_reply, path, keys
        )
        if document.push(step):
            window.statusBar().showMessage(
                f"Imported {count_text(len(keys), 'change')} from {path.name}.", 8000
            )

    window.job = run_with_progress(
        window, f"Reading {path.name}…", preview, shown, _failed(window, "Partner reply")
    )


def show_import_report(parent: QWidget, report: ImportReport, *, dry_run: bool) -> bool:
    """Show what an import found; True when the planner goes on to import."""
    dialog = QDialog(parent)
    dialog.setObjectName("import_report")
    dialog.setWindowTitle("Import check" if dry_run else "Import done")
    text = QPlainTextEdit(report.text(), dialog)
    text.setObjectName("report")
    text.setReadOnly(True)
    can_import = dry_run and not report.errors and report.changes_anything
    if report.errors:
        heading = f"{len(report.errors)} problem(s) in the file: nothing will be imported."
    elif not report.changes_anything:
        heading = "Nothing to import: the plan already holds everything this file says."
    elif dry_run:
        heading = f"The file is fine. Import it? ({report.summary()})"
    else:
        heading = (
            f"Imported: {report.summary()}. A backup was taken first "
            "(File ▸ Restore from a backup)."
        )
    buttons = QDialogButtonBox(dialog)
    if can_import:
        buttons.addButton("Import", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    else:
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    label = QLabel(heading, dialog)
    label.setObjectName("heading")
    label.setWordWrap(True)  # the summary names every sheet: never wider than the screen
    layout.addWidget(label)
    layout.addWidget(text, 1)
    layout.addWidget(buttons)
    dialog.resize(720, 420)
    return bool(dialog.exec()) and can_import


def write_plan_template(window: MainWindow) -> None:
    """File ▸ Write this plan as an import template…: the whole plan, to edit and import."""
    document = window.document
    if document is None:
        return
    from scheduler.services.imports import write_template

    plan = document.plan
    suggested = suggested_file(plan, "as a template", ".xlsx")
    name, _ = QFileDialog.getSaveFileName(
        window, "Write this plan as an import template", str(suggested), "Excel workbook (*.xlsx)"
    )
    if not name:
        return
    target = Path(name)
    if target.suffix.lower() != ".xlsx":
        target = target.with_name(target.name + ".xlsx")

    def work(progress: ProgressCallback) -> dict[str, int]:
        return write_template(target, plan=plan, progress=progress)

    def done(counts: dict[str, int]) -> None:
        window.statusBar().showMessage(
            f"Wrote {sum(counts.values()):,} rows of this plan to {target.name}", 15000
        )

    window.job = run_with_progress(
        window, f"Writing {target.name}…", work, done, _failed(window, "Import template")
    )


def write_import_template(window: MainWindow) -> None:
    from scheduler.services.imports import write_template

    name, _ = QFileDialog.getSaveFileName(
        window, "Write the import template", "import template.xlsx", "Excel workbook (*.xlsx)"
    )
    if not name:
        return
    try:
        write_template(Path(name))
    except UserError as exc:
        show_error(window, "Import template", str(exc))
        return
    QMessageBox.information(window, "Import template", f"Wrote the template to {name}.")
