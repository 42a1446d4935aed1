"""Helpers of the sync tests: a shared plan and its checkout, edits on either side,
and each plan read whole in the merge's terms (references as uuids)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import TrainingEvent
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.copying import copy_plan
from scheduler.storage.sync_rows import PlanRows
from scheduler.storage.sync_tracking import synced_tables
from scheduler.storage.syncing import checkout_plan

Snapshot = dict[str, dict[str, dict[str, Any]]]


def demo_template(tmp_path_factory: Any, name: str, events: int, seed: int) -> Path:
    """A small demo plan for a module's sync tests (written once per module or session)."""
    import os

    from scheduler.commands.plan_file import write_demo_plan

    os.environ["TRAINING_SCHEDULER_HOME"] = str(tmp_path_factory.mktemp("sync-home"))
    path = Path(tmp_path_factory.mktemp("sync-template")) / f"{name}.tsplan"
    write_demo_plan(path, events=events, seed=seed, force=False)
    return path


def shared_with_checkout(template: Path, server_url: str, folder: Path) -> tuple[str, Path]:
    """The plan ``template`` put on the server, and a checkout of it in ``folder``."""
    copy_plan(template, server_url, force=False)
    laptop = folder / "laptop Đurić.tsplan"
    checkout_plan(server_url, laptop)
    return server_url, laptop


def snapshot(location: str | Path) -> Snapshot:
    """Every record of the plan, as the merge sees it (no ids, versions or update times)."""
    with open_plan(location, access=PlanAccess.READ) as plan, plan.engine.connect() as connection:
        rows = PlanRows(connection)
        return {table.name: rows.every_row(table) for table in synced_tables()}


def edit(location: str | Path, change: Callable[[Session], Any]) -> Any:
    """One edit in one committed session, as the window makes it."""
    with open_plan(location, backup_on_open=False) as plan, plan.session() as session:
        return change(session)


def events(session: Session, count: int, offset: int = 0) -> list[TrainingEvent]:
    """Events in a stable order (the same on both sides of a fresh checkout)."""
    query = select(TrainingEvent).order_by(TrainingEvent.uuid).offset(offset).limit(count)
    return list(session.scalars(query))


def without_sync_lines(found: Snapshot) -> Snapshot:
    """The plan without the change log's lines about syncs themselves (each sync
    writes one in the two plans it joins; a third plan gets it at its next sync)."""
    lines = {key: row for key, row in found["change_log"].items() if row["entity"] != "Sync"}
    return {**found, "change_log": lines}
