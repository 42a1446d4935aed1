"""Every column of every table of a plan, in a form two plans can be compared by.

Integer ids differ between plans, so a foreign key is replaced by what it
points at: the record's uuid where the import template carries UIDs, else
the record's own columns (recursively). Creation and update times and
version counters are bookkeeping and left out, as are the change log and the
plan file's own metadata. Rows are sorted, so insertion order does not
matter; list order inside a JSON column does.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import select

from scheduler.model import Base
from scheduler.storage import PlanAccess, open_plan

SKIPPED_TABLES = frozenset({"plan_meta", "change_log"})
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "version_id"})
# Tables whose rows keep their uuid through the template (its UID columns).
UUID_TABLES = frozenset(
    {
        "qualification",
        "course",
        "unit",
        "instructor",
        "venue",
        "capability_target",
        "event_series",
        "training_event",
        "release",
        "trainee",
    }
)


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def plan_tables(path: Path) -> dict[str, list[str]]:
    """Table name -> its rows as sorted text, comparable across plans."""
    identities: dict[str, dict[int, Any]] = {}
    found: dict[str, list[str]] = {}
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES:
                continue
            columns = [c for c in table.columns if c.name not in BOOKKEEPING]
            if table.name not in UUID_TABLES:
                columns = [c for c in columns if c.name != "uuid"]
            rows = session.execute(select(*table.columns)).mappings().all()
            own: dict[int, Any] = identities.setdefault(table.name, {})
            if table.name in UUID_TABLES:
                own.update({row["id"]: row["uuid"] for row in rows if "id" in row})
            texts = []
            pending_self: list[tuple[dict[str, Any], dict[str, Any]]] = []
            for row in rows:
                values: dict[str, Any] = {}
                for column in columns:
                    value = row[column.name]
                    foreign = next(iter(column.foreign_keys), None)
                    if foreign is not None and value is not None:
                        target = foreign.column.table.name
                        if target == table.name and table.name not in UUID_TABLES:
                            pending_self.append((values, row))
                        value = identities[target].get(value, ("missing", value))
                    values[column.name] = _plain(value)
                if "id" in row and table.name not in UUID_TABLES:
                    own[row["id"]] = tuple(sorted(values.items()))
                texts.append(json.dumps(values, sort_keys=True, ensure_ascii=False, default=str))
            assert not pending_self, f"{table.name}: a self-reference needs uuids"
            found[table.name] = sorted(texts)
    return found


def differences(first: dict[str, list[str]], second: dict[str, list[str]]) -> list[str]:
    """What differs, table by table, in a few readable lines."""
    lines: list[str] = []
    for name in sorted(set(first) | set(second)):
        a, b = set(first.get(name, [])), set(second.get(name, []))
        if a == b and len(first.get(name, [])) == len(second.get(name, [])):
            continue
        lines.append(f"{name}: {len(first.get(name, []))} rows against {len(second.get(name, []))}")
        for row in sorted(a - b)[:3]:
            lines.append(f"  only in the first:  {row[:400]}")
        for row in sorted(b - a)[:3]:
            lines.append(f"  only in the second: {row[:400]}")
    return lines
