"""``purge-personal-data``: remove the trainees kept longer than the retention setting.

The counts stay (``services.personal_data``). No backup is taken first:
the point is that the names go; backups made earlier still hold them until
they are rotated out, which the command says.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from scheduler.commands.dates import date_argument
from scheduler.commands.plan_file import add_take_over_option, open_for_editing
from scheduler.storage import PlanAccess
from scheduler.storage.location import PLAN_HELP, location_argument


def register(subparsers: Any) -> None:
    purge = subparsers.add_parser(
        "purge-personal-data",
        help="remove trainees whose last event ended longer ago than the retention period",
        description="Remove the named trainees whose last event ended before the cut-off "
        "(today minus the retention years of the settings, 5 unless changed), keeping "
        "each event's attendance and passes as counts.",
    )
    purge.add_argument("plan", type=location_argument, help=PLAN_HELP)
    purge.add_argument(
        "--years", type=int, metavar="N", help="retention in years (default: settings)"
    )
    purge.add_argument(
        "--before", type=date_argument, metavar="DATE", help="the cut-off day itself"
    )
    purge.add_argument("--dry-run", action="store_true", help="say what would go; remove nothing")
    add_take_over_option(purge)
    purge.set_defaults(handler=run_purge)


def run_purge(args: argparse.Namespace) -> int:
    from scheduler.errors import UserError
    from scheduler.preferences import load_preferences
    from scheduler.services.personal_data import cut_off, purge_personal_data

    years = args.years if args.years is not None else load_preferences().retention_years
    if years < 1:
        raise UserError("The retention period is at least one year.")
    before = args.before or cut_off(date.today(), years)
    access = PlanAccess.READ if args.dry_run else PlanAccess.EDIT
    # No backup on opening: it would keep the very names this removes.
    with (
        open_for_editing(
            args.plan, access=access, take_over=args.take_over, backup_on_open=False
        ) as plan,
        plan.snapshot() if args.dry_run else plan.session() as session,
    ):
        result = purge_personal_data(session, before, dry_run=args.dry_run)
    print(result.text(dry_run=args.dry_run))
    if result.trainees and not args.dry_run:
        print(
            "Backups taken before now still hold their names until they are rotated out "
            "(Settings ▸ Backups kept per plan)."
        )
    return 0
