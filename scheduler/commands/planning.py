"""Commands on what is in a plan: ``check`` (conflicts) and ``readiness``.

``check`` exits 0 when no open error remains, 1 when one does, so a script
can stop a release of a plan with clashes; a bad file is a UserError (2).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from scheduler.commands.dates import date_argument
from scheduler.planning.conflicts import Severity
from scheduler.planning.wording import count_text
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.location import PLAN_HELP, location_argument

if TYPE_CHECKING:
    from scheduler.planning.conflicts import Conflict

EXIT_CLEAN, EXIT_OPEN_ERRORS = 0, 1


def register(subparsers: Any) -> None:
    check = subparsers.add_parser("check", help="list conflicts; exit 1 when an open error remains")
    check.add_argument("plan", type=location_argument, help=PLAN_HELP)
    check.add_argument("--json", action="store_true", help="print a JSON list")
    check.add_argument(
        "--from",
        dest="first",
        type=date_argument,
        metavar="DATE",
        help="only conflicts on or after DATE",
    )
    check.add_argument(
        "--to",
        dest="last",
        type=date_argument,
        metavar="DATE",
        help="only conflicts on or before DATE",
    )
    check.set_defaults(handler=run_check_command)

    readiness = subparsers.add_parser(
        "readiness", help="required vs scheduled vs delivered, per training requirement"
    )
    readiness.add_argument("plan", type=location_argument, help=PLAN_HELP)
    readiness.add_argument("--json", action="store_true", help="print a JSON list")
    readiness.set_defaults(handler=run_readiness_command)


def _print_json(value: object) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    print()


def run_check_command(args: argparse.Namespace) -> int:
    from scheduler.planning.conflicts import RULES
    from scheduler.services.checking import run_check

    with open_plan(args.plan, access=PlanAccess.READ) as plan, plan.session() as session:
        report = run_check(session, args.first, args.last)
    if args.json:
        _print_json([c.as_dict() for c in report.conflicts])
    else:
        for rule_id, conflicts in report.by_rule().items():
            rule = RULES[rule_id]
            print(f"{rule.title} [{rule_id}, {rule.severity}]: {len(conflicts)}")
            for conflict in conflicts:
                mark = "accepted" if conflict.accepted else "open"
                print(f"  - ({mark}) {conflict.message}")
            print()
        print(_summary(report.conflicts))
    return EXIT_OPEN_ERRORS if report.has_open_error else EXIT_CLEAN


def _summary(conflicts: Sequence[Conflict]) -> str:
    if not conflicts:
        return "No conflicts."
    open_conflicts = [c for c in conflicts if not c.accepted]
    counts = {s: sum(1 for c in open_conflicts if c.severity == s) for s in Severity}
    parts = [
        count_text(counts[Severity.ERROR], "error"),
        count_text(counts[Severity.WARNING], "warning"),
    ]
    if counts[Severity.INFO]:
        parts.append(count_text(counts[Severity.INFO], "note"))
    accepted = len(conflicts) - len(open_conflicts)
    return f"Open: {', '.join(parts)}. Accepted: {accepted}."


def run_readiness_command(args: argparse.Namespace) -> int:
    from scheduler.planning.wording import day_text
    from scheduler.services.readiness_rows import load_readiness

    with open_plan(args.plan, access=PlanAccess.READ) as plan, plan.session() as session:
        rows = load_readiness(session)
    if args.json:
        _print_json([row.as_dict() for row in rows])
        return EXIT_CLEAN
    if not rows:
        print("No training requirements in this plan.")
        return EXIT_CLEAN
    target = None
    for row in rows:
        if row.target != target:
            if target is not None:
                print()
            target = row.target
            print(row.target)
        due = f"due {day_text(row.due)}" if row.due else "no due date"
        state = "on track" if row.on_track else f"short by {row.shortfall}"
        late = f", {row.late} seats after the due date" if row.late else ""
        named = f"  named {row.named:>4}" if row.named is not None else ""
        print(
            f"  {row.unit_code:<12} {row.course_code:<10} required {row.required:>4}  "
            f"scheduled {row.scheduled:>4}  delivered {row.delivered:>4}{named}  "
            f"{due}: {state}{late}"
        )
    return EXIT_CLEAN
