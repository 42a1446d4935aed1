"""Importing a colleague's spreadsheet, and writing the import template.

``import_file`` validates the whole file first and writes nothing while any
error remains; otherwise it backs the plan up and imports in one
transaction. A dry run validates and reports what would change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from scheduler.exchange.import_template import write_import_template
from scheduler.exchange.importer import ImportReport, apply_file, check_file, preview_file
from scheduler.exchange.progress import ProgressCallback
from scheduler.preferences import load_preferences
from scheduler.storage import Plan


def import_file(
    plan: Plan,
    paths: Sequence[Path] | Path,
    *,
    dry_run: bool = False,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Validate, then (unless ``dry_run`` or errors) import. Raises UserError if unreadable."""
    files = [paths] if isinstance(paths, Path) else [Path(p) for p in paths]
    with plan.session() as session:
        report, sheets = check_file(session, files, progress)
    report.dry_run = dry_run
    if report.errors:
        return report
    if dry_run:
        with plan.session() as session:
            preview_file(session, sheets, report)
        return report
    if not plan.is_shared:  # a server plan is backed up by its server
        plan.backup("before-import")
    with plan.session() as session:
        apply_file(session, sheets, report)
    return report


def write_template(
    target: Path, *, plan: Plan | None = None, marking: str | None = None
) -> dict[str, int]:
    """The import template; filled with ``plan``'s records when a plan is given."""
    mark = marking or load_preferences().marking
    if plan is None:
        return write_import_template(target, marking=mark)
    with plan.session() as session:
        return write_import_template(target, marking=mark, session=session, plan_name=plan.name)
