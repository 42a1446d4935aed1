"""Importing a colleague's spreadsheet, and writing the import template.

``import_file`` reads the whole file and works out everything it would
change, writing nothing while any error remains. A file that changes
nothing writes nothing (no backup, no new versions, no change-log row), so
an unchanged re-import gives partners' calendars no new revision. Otherwise
the plan is backed up and the changes are written in one transaction,
under the lock that serialises imports on a shared plan; if another
planner changed the plan since the check, the import is worked out again
there, against what the plan now holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.exchange.import_template import write_import_template
from scheduler.exchange.importer import ImportReport, parse_files, sheet_order
from scheduler.model import ChangeLog
from scheduler.model.refs import serialize_ref_allocation
from scheduler.preferences import load_preferences
from scheduler.progress import Progress, ProgressCallback
from scheduler.services import importing
from scheduler.services.template_rows import template_row_count, template_rows
from scheduler.storage import Plan
from scheduler.storage.server import long_work


def import_file(
    plan: Plan,
    paths: Sequence[Path] | Path,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Check, then (unless ``dry_run``, errors or nothing to change) import.

    Raises UserError if a file cannot be read at all.
    """
    files = [paths] if isinstance(paths, Path) else [Path(p) for p in paths]
    report = ImportReport(files=[p.name for p in files], dry_run=dry_run)
    ticker = Progress(progress, 4, step=1)
    sheets = parse_files(files, report)
    ticker.advance()
    if not sheets:
        return _sorted(report)
    # Rows are checked even when the file has errors already: one run
    # reports every problem, so the planner fixes them all at once.
    with plan.snapshot() as session:
        watermark = _watermark(session)
        run = importing.work_out(session, sheets)
    ticker.advance()
    file_problems = list(report.problems)
    _report(report, run)
    if report.errors or dry_run or run.changes.empty:
        return _sorted(report)
    if not plan.is_shared:  # a server plan is backed up by its server
        plan.backup("before-import")
    ticker.advance()
    with plan.snapshot(writing=True) as session, long_work(session.connection()):
        # Two planners importing into one shared plan at once: one after the
        # other (as long as the first takes: long_work lifts the server's
        # lock limit), so refs and codes are worked out against what the
        # other wrote.
        serialize_ref_allocation(session.connection())
        if _watermark(session) != watermark:
            run = importing.work_out(session, sheets)
            report.problems[:] = file_problems
            _report(report, run)
            if report.errors or run.changes.empty:
                return _sorted(report)
        importing.write(session, run, f"{', '.join(report.files)}: {report.summary()}"[:2000])
    report.imported = True
    ticker.finish()
    return _sorted(report)


def _watermark(session: Session) -> int:
    """The newest change-log row: every write adds one, so equal means unchanged."""
    return int(session.scalar(select(func.max(ChangeLog.id))) or 0)


def _report(report: ImportReport, run: importing.ImportRun) -> None:
    report.problems.extend(run.problems)
    report.added = dict(run.counts.added)
    report.changed = dict(run.counts.changed)
    report.unchanged = dict(run.counts.unchanged)


def _sorted(report: ImportReport) -> ImportReport:
    report.problems.sort(key=lambda p: (p.severity != "error", sheet_order(p.sheet), p.row or 0))
    return report


def write_template(
    target: Path,
    *,
    plan: Plan | None = None,
    marking: str | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """The import template; filled with ``plan``'s records when a plan is given."""
    mark = marking or load_preferences().marking
    if plan is None:
        return write_import_template(target, marking=mark)
    with plan.snapshot() as session:
        return write_import_template(
            target,
            marking=mark,
            rows=template_rows(session),
            plan_name=plan.name,
            progress=progress,
            total=template_row_count(session),
        )
