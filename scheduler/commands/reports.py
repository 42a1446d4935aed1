"""The ``report`` and ``certificates`` commands: printable PDFs.

``report``: the calendar, timeline, readiness or a schedule; ``certificates``:
those of an event's passes.

``report`` opens the plan read-only (``certificates`` writes the serials it
gives, first) and builds the content without Qt;
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
from scheduler.commands.plan_file import add_take_over_option
from scheduler.errors import UserError
from scheduler.planning.wording import count_text
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.location import PLAN_HELP, location_argument

KINDS = ("calendar", "timeline", "readiness", "instructor")
RESOURCES = {"instructors": "instructor", "venues": "venue", "units": "unit", "kit": "kit"}


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

    certificates = subparsers.add_parser(
        "certificates",
        help="write the PDF certificates of the trainees who passed an event",
        description="Give each pass of the event a certificate serial (once), then write "
        "its certificates as a PDF: one file for the event, or one per trainee.",
    )
    certificates.add_argument("plan", type=location_argument, help=PLAN_HELP)
    certificates.add_argument("--event", metavar="REF", required=True, help="the event's Ref")
    certificates.add_argument(
        "-o", "--output", type=Path, required=True, metavar="DIR", help="the folder to write to"
    )
    certificates.add_argument(
        "--per-trainee", action="store_true", help="one file per trainee (default: one file)"
    )
    certificates.add_argument(
        "--issuer", metavar="TEXT", help="the issuing cell (default: the plan's name)"
    )
    certificates.add_argument(
        "--marking",
        metavar="TEXT",
        help="protective marking (default: settings, at least OFFICIAL-SENSITIVE: names)",
    )
    add_take_over_option(certificates)  # serials given are written to the plan
    certificates.set_defaults(handler=run_certificates)


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


def run_certificates(args: argparse.Namespace) -> int:
    from datetime import datetime

    from scheduler.commands.plan_file import open_for_editing
    from scheduler.reports.certificates import CertificateReport, file_name
    from scheduler.services.certificates import certificate_report, give_serials
    from scheduler.services.markings import printed_marking

    folder: Path = args.output
    if not folder.is_dir():
        raise UserError(f"The folder “{folder}” does not exist; nothing was written.")
    marking = printed_marking(args.marking, names=True)
    with open_for_editing(args.plan, take_over=args.take_over) as plan:
        with plan.session() as session:
            given = give_serials(session, args.event)
        with plan.snapshot() as session:
            report = certificate_report(
                session,
                args.event,
                issuer=args.issuer or plan.name,
                marking=marking,
                printed=datetime.now().replace(microsecond=0),
            )
    if given:
        print(f"Gave {count_text(given, 'new certificate serial')}.")
    if args.per_trainee:
        from dataclasses import replace

        for item in report.certificates:
            name = file_name(f"{item.serial} {item.name_latin or item.name}")
            one = CertificateReport(
                replace(report.frame, title=f"Certificate {item.serial}"), (item,)
            )
            write_report_pdf(one, folder / f"{name}.pdf")
        print(f"Wrote {count_text(len(report.certificates), 'certificate')} to {folder}.")
        return 0
    target = folder / f"{file_name(args.event)} certificates.pdf"
    write_report_pdf(report, target)
    print(f"Wrote {count_text(len(report.certificates), 'certificate')} to {target}.")
    return 0


def write_report_pdf(report: Any, target: Path) -> int:
    """Paint with Qt, started here (offscreen unless a display was chosen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from scheduler.reports.render.documents import write_pdf

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841  (kept alive)
    return write_pdf(report, target)
