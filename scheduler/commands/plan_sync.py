"""``checkout URL FILE`` and ``sync FILE``: take a shared plan offline and bring it back."""

from __future__ import annotations

import argparse
from typing import Any

from scheduler.storage.location import location_argument


def register(subparsers: Any) -> None:
    checkout = subparsers.add_parser(
        "checkout",
        help="take a copy of a shared plan offline, to synchronise it back later",
        description="Copy the shared plan at URL into the plan file FILE, which remembers the "
        "server and the state it was taken at. Edit FILE offline, then run “sync FILE”.",
    )
    checkout.add_argument("url", type=location_argument, help="the shared plan (postgresql://…)")
    checkout.add_argument("file", help="the plan file to write")
    checkout.add_argument("--force", action="store_true", help="replace FILE if it exists")
    checkout.set_defaults(handler=run_checkout)

    sync = subparsers.add_parser(
        "sync",
        help="synchronise a plan file taken offline with its server (or with another file)",
        description="Bring the changes made in FILE since it was taken (or last synchronised) "
        "to its server, and the server's to FILE, record by record and field by field. "
        "Where both changed the same thing differently, nothing is written unless --prefer "
        "says whose side to take.",
    )
    sync.add_argument("file", help="the plan file taken offline with checkout")
    sync.add_argument("--dry-run", action="store_true", help="say what would change; write nothing")
    sync.add_argument(
        "--prefer",
        choices=("mine", "theirs"),
        help="settle every conflict with this file's side (mine) or the other side's (theirs)",
    )
    sync.add_argument(
        "--server",
        type=location_argument,
        metavar="URL",
        help="the server's address, when it moved or needs a password (default: the one "
        "remembered)",
    )
    sync.add_argument(
        "--with",
        dest="other",
        metavar="OTHER",
        help="synchronise with another plan file taken from the same server instead",
    )
    sync.set_defaults(handler=run_sync)


def run_checkout(args: argparse.Namespace) -> int:
    from scheduler.storage.syncing import checkout_plan

    result = checkout_plan(args.url, args.file, force=args.force)
    events = result.rows.get("training_event", 0)
    print(
        f"Took {result.origin} offline into “{result.file}”: {events:,} events. Edit it, then "
        f"run “training-scheduler sync {result.file}” to bring both together."
    )
    return 0


def run_sync(args: argparse.Namespace) -> int:
    from scheduler.services.sync_words import Labels, report_lines
    from scheduler.storage import PlanAccess, open_plan
    from scheduler.storage.merge import Side
    from scheduler.storage.syncing import sync_plan, sync_with_file

    prefer = Side(args.prefer) if args.prefer else None
    if args.other:
        report = sync_with_file(args.file, args.other, dry_run=args.dry_run, prefer=prefer)
        other = "the other file"
    else:
        report = sync_plan(args.file, origin=args.server, dry_run=args.dry_run, prefer=prefer)
        other = "the server"
    with open_plan(args.file, access=PlanAccess.READ) as plan, plan.engine.connect() as connection:
        lines = report_lines(report, Labels(report.versions, connection), other=other)
        print("\n".join(lines))
        if report.applied and not report.dry_run and not report.nothing_to_do:
            print(_check_text(plan))
    return 1 if report.unsettled else 0


def _check_text(plan: Any) -> str:
    from scheduler.planning.conflicts import Severity
    from scheduler.services.checking import run_check

    with plan.session() as session:
        found = run_check(session).open
    errors = sum(1 for conflict in found if conflict.severity is Severity.ERROR)
    warnings = len(found) - errors
    return (
        f"The synchronised plan has {errors} open clash{'es' if errors != 1 else ''} and "
        f"{warnings} warning{'s' if warnings != 1 else ''} "
        f"(“training-scheduler check {plan.display}”)."
    )
