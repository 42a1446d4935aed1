"""The ``report`` command: a printable PDF of the calendar, timeline, readiness or a schedule.

The plan is opened read-only and the report's content built without Qt;
only then is a QGuiApplication started (offscreen, unless QT_QPA_PLATFORM
names another platform, so the command runs on a server) to paint the PDF,
which is written beside the target and moved into place when complete.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from scheduler.commands.dates import date_argument
from scheduler.errors import UserError
from scheduler.planning.wording import count_text
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.location import PLAN_HELP, location_argument

KINDS = ("calendar", "timeline", "readiness", "instructor")
RESOURCES = {"instructors": "instructor", "venues": "venue", "units": "unit"}


def register(subparsers: Any) -> None:
    report = subparsers.add_parser(
        "report",
        help="write a printable PDF: month calendar, timeline, readiness, a schedule",
        description="Write a report as a PDF (A4), marked in its header and footer.",
    )
    report.add_argument("plan", type=location_argument, help=PLAN_HELP)
    report.add_argument("--kind", choices=KINDS, required=True, help="which report")
    report.add_argument("-o", "--output", type=Path, required=True, help="OUT.pdf")
    report.add_argument(
        "--partner", metavar="CODE", help="readiness: a nation code (MK) or a unit code"
    )
    report.add_argument("--instructor", metavar="NAME", help="instructor: whose schedule")
    report.add_argument(
        "--resource",
        choices=tuple(RESOURCES),
        default="instructors",
        help="timeline: the rows (default: instructors)",
    )
    report.add_argument(
        "--from", dest="date_from", type=date_argument, metavar="DATE", help="first day"
    )
    report.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE", help="last day")
    report.add_argument("--marking", metavar="TEXT", help="protective marking (default: settings)")
    report.set_defaults(handler=run_report)


def run_report(args: argparse.Namespace) -> int:
    from scheduler.reports.requests import ReportRequest
    from scheduler.services.reports import read_report

    target: Path = args.output
    if target.suffix.lower() != ".pdf":
        raise UserError(f"“{target.name}”: a report is a PDF; give a name ending in .pdf.")
    if not target.parent.is_dir():
        raise UserError(f"The folder “{target.parent}” does not exist; nothing was written.")
    request = ReportRequest(
        kind=args.kind,
        partner=args.partner,
        instructor=args.instructor,
        resource=RESOURCES[args.resource],  # type: ignore[arg-type]
        date_from=args.date_from,
        date_to=args.date_to,
        marking=args.marking,
    )
    request.check()
    with open_plan(args.plan, access=PlanAccess.READ) as plan:
        report = read_report(plan, request)
    pages = write_report_pdf(report, target)
    print(f"Wrote {count_text(pages, 'page')} to {target}")
    return 0


def write_report_pdf(report: Any, target: Path) -> int:
    """Paint with Qt, started here (offscreen unless a display was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from scheduler.reports.render.documents import write_pdf

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (kept alive)
    return write_pdf(report, target)
