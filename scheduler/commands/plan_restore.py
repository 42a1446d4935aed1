"""``restore PLAN``: list a plan file's backups, or put one of them back.

The window has File ▸ Restore from a backup; this is the same for a plan the
window cannot open any more (damaged), and for scripts. The plan is backed
up before it is replaced, so a restore can itself be undone.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from scheduler.errors import UserError
from scheduler.services.plan_files import Backup, BackupList, list_backups, restore_backup
from scheduler.storage.location import ServerLocation, location_argument


def register(subparsers: Any) -> None:
    restore = subparsers.add_parser(
        "restore",
        help="list a plan file's backups, or restore one of them",
        description="Without --backup, list the plan's backups, newest first. With --backup, "
        "replace the plan by that backup (a number from the list, or a backup file); the "
        "plan as it is now is backed up first.",
    )
    restore.add_argument("plan", type=location_argument, help="the plan file (.tsplan)")
    restore.add_argument(
        "--backup",
        metavar="N|FILE",
        help="the backup to restore: its number in the list, or a file",
    )
    restore.set_defaults(handler=run_restore)


def _listing(found: BackupList) -> str:
    lines = [
        f"{number:>3}  {backup.taken_at:%Y-%m-%d %H:%M:%S}  {backup.reason:<24} "
        f"{backup.size / 1024:,.0f} KB"
        for number, backup in enumerate(found.backups, start=1)
    ]
    lines.append(
        f"{len(found.backups)} backup(s) kept, each a different state of the plan "
        f"(up to the newest {found.keep})."
    )
    return "\n".join(lines)


def _chosen(found: tuple[Backup, ...], wanted: str) -> Path:
    if wanted.isdigit():
        number = int(wanted)
        if not 1 <= number <= len(found):
            raise UserError(
                f"There is no backup number {number}; the list has {len(found)} "
                "(run the command without --backup to see it)."
            )
        return found[number - 1].path
    path = Path(wanted)
    if not path.is_file():
        raise UserError(f"There is no backup file “{wanted}”.")
    return path


def run_restore(args: argparse.Namespace) -> int:
    plan = args.plan
    if isinstance(plan, ServerLocation):
        raise UserError(
            "A shared plan is restored on its server by its administrator (from pg_dump); "
            "this command restores plan files."
        )
    found = list_backups(plan)
    if args.backup is None:
        if not found.backups:
            print(f"There are no backups of “{plan}” yet.")
            return 0
        print(_listing(found))
        return 0
    backup = _chosen(found.backups, args.backup)
    restore_backup(plan, backup)
    print(f"Restored “{plan}” from {backup.name}. The plan as it was is kept as a backup too.")
    return 0
