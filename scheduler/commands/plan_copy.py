"""``copy SOURCE TARGET``: a plan from a file to a server, or back (all of it)."""

from __future__ import annotations

import argparse
from typing import Any

from scheduler.storage.location import location_argument


def register(subparsers: Any) -> None:
    copy = subparsers.add_parser(
        "copy",
        help="copy a plan between a file and a server (either way), all records kept",
        description="Copy every record (same ids, uuids, refs and versions) from SOURCE to "
        "TARGET. Each is a plan file or a postgresql+psycopg:// URL. A TARGET that already "
        "holds planning data is refused unless --force.",
    )
    copy.add_argument("source", type=location_argument, help="the plan to copy (file or URL)")
    copy.add_argument("target", type=location_argument, help="where to copy it (file or URL)")
    copy.add_argument(
        "--force", action="store_true", help="replace a target that already holds a plan"
    )
    copy.set_defaults(handler=run_copy)


def run_copy(args: argparse.Namespace) -> int:
    from scheduler.storage.copying import copy_plan

    result = copy_plan(args.source, args.target, force=args.force)
    events = result.rows.get("training_event", 0)
    print(
        f"Copied {result.source} to {result.target}: {result.total:,} records, {events:,} events."
    )
    return 0
