"""Importing a spreadsheet into a plan: worked out in full, then written.

``work_out`` reads what the plan holds and goes through the file's sheets
in the order records depend on each other, collecting every problem (with
sheet, row and column) and the exact changes the file asks for. Only a file
without errors is written (``write``), in the caller's transaction. The
file's format (sheets, columns, what a cell may hold) is
``scheduler.exchange``'s; what a row means for the plan is decided here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scheduler.exchange.import_rows import ParsedSheet
from scheduler.services.importing.context import ImportRun
from scheduler.services.importing.coordination import work_out_coordination
from scheduler.services.importing.enrolments import (
    work_out_enrolments,
    work_out_partner_responses,
)
from scheduler.services.importing.events import EventSheets
from scheduler.services.importing.history import work_out_acceptances, work_out_releases
from scheduler.services.importing.modules import work_out_modules
from scheduler.services.importing.periods import PERIOD_SHEETS
from scheduler.services.importing.records import RecordSheets
from scheduler.services.importing.writer import ChangedMeanwhile, Writer


def work_out(session: Session, sheets: dict[str, ParsedSheet]) -> ImportRun:
    """Every problem of the file and, when there is none, every change it makes."""
    run = ImportRun(session, sheets)
    records = RecordSheets(run)
    records.identify()
    records.work_out()
    for sheet in PERIOD_SHEETS:
        sheet(run)
    EventSheets(run).work_out()
    work_out_enrolments(run)
    work_out_partner_responses(run)
    work_out_acceptances(run)
    work_out_releases(run)
    work_out_modules(run)
    work_out_coordination(run)
    return run


def write(session: Session, run: ImportRun, note: str) -> None:
    """Write a worked-out import without errors; nothing when it changes nothing."""
    if run.failed:
        raise ValueError("an import with errors is never written")
    if not run.changes.empty:
        Writer(session, run.changes, note).write()


__all__ = ["ChangedMeanwhile", "ImportRun", "work_out", "write"]
