"""Plan files and database sessions. No Qt.

``open_plan`` and ``create_plan`` are the only ways in; see plan.py for the
order of checks that keeps a planner's file safe.
"""

from __future__ import annotations

from scheduler.storage.backups import Backup, backup_plan, list_backups
from scheduler.storage.inspection import inspect_plan_file
from scheduler.storage.lock import LockHolder, PlanLock
from scheduler.storage.plan import Plan, PlanAccess, ReadOnlyPlanError, create_plan, open_plan

__all__ = [
    "Backup",
    "LockHolder",
    "Plan",
    "PlanAccess",
    "PlanLock",
    "ReadOnlyPlanError",
    "backup_plan",
    "create_plan",
    "inspect_plan_file",
    "list_backups",
    "open_plan",
]
