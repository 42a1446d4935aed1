"""Commands on whole plans (files or server URLs): new, demo, info, migrate, backup."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from scheduler.errors import PlanLockedError

# The demo generator is reached through the service (scripts import it from here too).
from scheduler.services.plan_files import write_demo_plan
from scheduler.storage import Plan, PlanAccess, create_plan, open_plan
from scheduler.storage.location import (
    PLAN_HELP,
    PlanLocation,
    ServerLocation,
    describe,
    location_argument,
)
from scheduler.storage.lock import TakeOverPossibleError


def register(subparsers: Any) -> None:
    new = subparsers.add_parser("new", help="create an empty plan (nations pre-filled)")
    new.add_argument("plan", type=location_argument, help=PLAN_HELP)
    new.add_argument("--name", help="the plan's name (default: the file name)")
    new.add_argument("--force", action="store_true", help="replace an existing plan")
    new.set_defaults(handler=run_new)

    demo = subparsers.add_parser("demo", help="write a realistic demo plan")
    demo.add_argument("plan", type=location_argument, help=PLAN_HELP)
    demo.add_argument("--events", type=_positive_int, help="number of events (large plans)")
    demo.add_argument("--seed", type=int, default=1, help="random seed (same seed, same plan)")
    demo.add_argument("--force", action="store_true", help="replace an existing plan")
    demo.set_defaults(handler=run_demo)

    info = subparsers.add_parser("info", help="show a plan's schema revision and counts")
    info.add_argument("plan", type=location_argument, help=PLAN_HELP)
    info.add_argument("--json", action="store_true", help="print JSON")
    info.set_defaults(handler=run_info)

    migrate = subparsers.add_parser("migrate", help="upgrade a plan to this version's format")
    migrate.add_argument("plan", type=location_argument, help=PLAN_HELP)
    add_take_over_option(migrate)
    migrate.set_defaults(handler=run_migrate)

    backup = subparsers.add_parser("backup", help="back up a plan now")
    backup.add_argument("plan", type=location_argument, help=PLAN_HELP)
    add_take_over_option(backup)
    backup.set_defaults(handler=run_backup)


def add_take_over_option(parser: argparse.ArgumentParser) -> None:
    """``--take-over``: the window's "Take over" button, for commands that edit a plan."""
    parser.add_argument(
        "--take-over",
        action="store_true",
        help="take the plan over from a program that is no longer running "
        "(one still running keeps it)",
    )


def open_for_editing(
    plan: PlanLocation,
    *,
    take_over: bool,
    access: PlanAccess = PlanAccess.EDIT,
    backup_on_open: bool = True,
) -> Plan:
    """``open_plan`` with the same safety as the window's "Take over" button.

    A program that still runs is refused either way. Where the lock cannot
    prove its holder gone (a drive without OS locks), the refusal names the
    option that lets the planner, who may know better, take over.
    """
    try:
        return open_plan(
            plan, access=access, take_over_lock=take_over, backup_on_open=backup_on_open
        )
    except TakeOverPossibleError as locked:
        raise PlanLockedError(
            f"{locked.situation} If that program is no longer running (its computer was "
            "switched off, say), add --take-over.",
            holder=locked.holder,
        ) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def run_new(args: argparse.Namespace) -> int:
    with create_plan(args.plan, name=args.name, force=args.force) as plan:
        print(f"Created {plan.display} (nations pre-filled).")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    counts = write_demo_plan(args.plan, events=args.events, seed=args.seed, force=args.force)
    print(
        f"Wrote demo plan {describe(args.plan)}: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    return 0


def run_info(args: argparse.Namespace) -> int:
    from scheduler.services.event_extent import event_days
    from scheduler.services.plan_info import plan_counts, series_count

    with open_plan(args.plan, access=PlanAccess.READ) as plan:
        revision = plan.schema_revision
        with plan.session() as session:
            counts = plan_counts(session)
            period = event_days(session)
            series = series_count(session)
        name = plan.name
    if args.json:
        json.dump({"schema": revision, "counts": counts}, sys.stdout, ensure_ascii=False)
        print()
        return 0
    print(f"Plan:    {name}")
    where = "Server:" if isinstance(args.plan, ServerLocation) else "File:  "
    print(f"{where}  {describe(args.plan)}")
    print(f"Format:  {revision}")
    if period:
        print(f"Period:  {period[0]:%d %b %Y} – {period[1]:%d %b %Y}")
    width = max(len(k) for k in counts)
    for key, value in counts.items():
        print(f"  {key.capitalize():<{width}}  {value:>8,}")
    print(f"  {'Series':<{width}}  {series:>8,}")
    return 0


def run_migrate(args: argparse.Namespace) -> int:
    with open_for_editing(args.plan, take_over=args.take_over) as plan:
        print(f"{plan.display} is at format {plan.schema_revision} (up to date).")
    return 0


def run_backup(args: argparse.Namespace) -> int:
    from datetime import datetime

    from scheduler.storage.backups import describe_backup

    started = datetime.now()
    with open_for_editing(args.plan, take_over=args.take_over, backup_on_open=False) as plan:
        target = plan.backup("manual")
        print(describe_backup(plan.path, target, started))
    return 0
