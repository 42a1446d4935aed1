"""Commands that move schedules in and out: export, import, reply, template."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from scheduler.commands.dates import date_argument
from scheduler.commands.plan_file import add_take_over_option, open_for_editing
from scheduler.planning.wording import count_text
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.location import PLAN_HELP, location_argument


def register(subparsers: Any) -> None:
    export = subparsers.add_parser(
        "export",
        help="write a schedule workbook (.xlsx) or calendar (.ics)",
        description="Write the master workbook, a partner's pack (--partner), or a calendar.",
    )
    export.add_argument("plan", type=location_argument, help=PLAN_HELP)
    export.add_argument(
        "-o", "--output", type=Path, required=True, help="OUT.xlsx or OUT.ics (the kind follows)"
    )
    export.add_argument("--partner", metavar="CODE", help="a nation code (MK) or a unit code")
    export.add_argument("--instructor", metavar="NAME", help="only this instructor's events")
    export.add_argument("--venue", metavar="NAME", help="only this venue's events")
    export.add_argument(
        "--from", dest="date_from", type=date_argument, metavar="DATE", help="first day"
    )
    export.add_argument("--to", dest="date_to", type=date_argument, metavar="DATE", help="last day")
    export.add_argument(
        "--marking",
        metavar="TEXT",
        help="protective marking (default: settings); a partner's caveat "
        "(RELEASABLE TO …) is added unless TEXT names its own",
    )
    export.add_argument(
        "--names",
        action="store_true",
        help="master workbook: add a Trainees sheet of who is on each event (personal "
        "data: the export is recorded in the plan's change log)",
    )
    export.add_argument("--quiet", action="store_true", help="print nothing when done")
    add_take_over_option(export)  # a partner's workbook records its release in the plan
    export.set_defaults(handler=run_export)

    imp = subparsers.add_parser(
        "import",
        help="import courses, units, people, venues, events from .xlsx/.csv",
        description="Validate the file; import it only when it has no errors "
        "(exit 1 and a report otherwise).",
    )
    imp.add_argument("plan", type=location_argument, help=PLAN_HELP)
    imp.add_argument("files", type=Path, nargs="+", metavar="FILE", help=".xlsx, or .csv per sheet")
    imp.add_argument("--dry-run", action="store_true", help="check only; write nothing")
    add_take_over_option(imp)
    imp.set_defaults(handler=run_import)

    reply = subparsers.add_parser(
        "reply",
        help="import a partner's reply workbook (nominations, confirmations, results)",
        description="Compare a partner's returned workbook with the plan and list what it "
        "changes; apply all of it unless --dry-run. A file this plan did not send, one "
        "for another partner or an older release, or one whose layout was changed is "
        "refused (exit 1) with the reasons.",
    )
    reply.add_argument("plan", type=location_argument, help=PLAN_HELP)
    reply.add_argument("file", type=Path, metavar="FILE", help="the partner's .xlsx")
    reply.add_argument("--dry-run", action="store_true", help="list the changes; write nothing")
    add_take_over_option(reply)
    reply.set_defaults(handler=run_reply)

    template = subparsers.add_parser("template", help="write the import template (.xlsx)")
    template.add_argument("output", type=Path, help="OUT.xlsx")
    template.add_argument(
        "--plan", type=location_argument, help="fill the template from this plan (file or URL)"
    )
    template.add_argument(
        "--marking", metavar="TEXT", help="protective marking (default: settings)"
    )
    template.set_defaults(handler=run_template)


def run_export(args: argparse.Namespace) -> int:
    from scheduler.services.exports import ExportRequest, export_plan

    request = ExportRequest(
        target=args.output,
        partner=args.partner,
        instructor=args.instructor,
        venue=args.venue,
        date_from=args.date_from,
        date_to=args.date_to,
        marking=args.marking,
        names=args.names,
    )
    request.kind  # noqa: B018  (refuse a wrong suffix before opening the plan)
    if args.names and (args.partner or request.kind != ".xlsx"):
        from scheduler.errors import UserError

        raise UserError(
            "--names adds a Trainees sheet to the master workbook (.xlsx, no --partner); "
            "a partner's workbook already holds its own people, a calendar never names them."
        )
    recorded = (args.partner or args.names) and request.kind == ".xlsx"
    access = PlanAccess.EDIT if recorded else PlanAccess.READ

    def announce(marking: str) -> None:
        if not args.quiet:
            print(f"Every page will be marked “{marking}”.", flush=True)

    with open_for_editing(args.plan, access=access, take_over=args.take_over) as plan:
        result = export_plan(plan, request, announce_marking=announce)
    if not args.quiet:
        what = f"for {result.partner}" if result.partner else "(master)"
        print(f"Wrote {result.path} {what}: {count_text(result.events, 'event')}.")
        if result.drafts_left_out:
            print(
                f"{count_text(result.drafts_left_out, 'draft')} left out: a partner sees "
                "planned, confirmed, delivered and cancelled events."
            )
        if result.release_id is not None:
            print(
                f"Recorded release #{result.release_id}; "
                f"{count_text(len(result.changes), 'change')} listed."
            )
    return 0


def run_import(args: argparse.Namespace) -> int:
    from scheduler.services.imports import import_file

    access = PlanAccess.READ if args.dry_run else PlanAccess.EDIT
    with open_for_editing(args.plan, access=access, take_over=args.take_over) as plan:
        report = import_file(plan, args.files, dry_run=args.dry_run)
    stream = sys.stdout if not report.errors else sys.stderr
    print(report.text(), file=stream)
    return 1 if report.errors else 0


def run_reply(args: argparse.Namespace) -> int:
    from scheduler.services.replies import apply_reply, work_out_reply

    access = PlanAccess.READ if args.dry_run else PlanAccess.EDIT
    with open_for_editing(args.plan, access=access, take_over=args.take_over) as plan:
        with plan.snapshot() as session:
            preview = work_out_reply(session, args.file)
        if preview.refused:
            print(preview.text(), file=sys.stderr)
            return 1
        print(preview.text())
        if args.dry_run or not preview.changes:
            if preview.changes:
                print("Checked, nothing written (dry run).")
            return 0
        keys = [change.key for change in preview.changes]
        with plan.session() as session:
            apply_reply(session, args.file, keys)
    print(f"Imported {count_text(len(keys), 'change')}.")
    return 0


def run_template(args: argparse.Namespace) -> int:
    from scheduler.services.imports import write_template

    if args.output.suffix.lower() != ".xlsx":
        from scheduler.errors import UserError

        raise UserError("The template is an Excel workbook: give a name ending in .xlsx.")
    if args.plan is not None:
        with open_plan(args.plan, access=PlanAccess.READ) as plan:
            counts = write_template(args.output, plan=plan, marking=args.marking)
    else:
        counts = write_template(args.output, marking=args.marking)
    filled = sum(counts.values())
    print(f"Wrote {args.output}" + (f" with {filled} rows from the plan." if filled else "."))
    return 0
