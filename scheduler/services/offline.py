"""Taking a shared plan offline and synchronising it back, as the window asks for it.

The window reaches plans through services only; this is its door to
``storage.syncing`` (the engine) and ``services.sync_words`` (its words).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from scheduler.services.sync_words import ConflictRow, Labels, conflict_rows, summary_lines
from scheduler.storage import Plan
from scheduler.storage.location import ServerLocation
from scheduler.storage.merge import Resolution, Side
from scheduler.storage.syncing import (
    WRITING_FILE,
    CheckoutResult,
    Progress,
    SyncReport,
    checkout_plan,
    is_checkout,
    origin_of,
    sync_checkout,
)

__all__ = [
    "WRITING_FILE",
    "ConflictRow",
    "Resolution",
    "Side",
    "SyncLook",
    "SyncReport",
    "is_checkout",
    "look_at_sync",
    "origin_of",
    "server_url_of",
    "summary_lines",
    "synchronise",
    "take_offline",
]


@dataclass(frozen=True, slots=True)
class SyncLook:
    """What a sync would do, in words, before anything is written."""

    report: SyncReport
    summary: list[str]
    rows: list[ConflictRow]


def server_url_of(plan: Plan) -> str | None:
    """The address (password included, never shown) of a shared plan; None for a file."""
    location = plan.location
    return location.url if isinstance(location, ServerLocation) else None


def take_offline(origin: str, path: Path) -> CheckoutResult:
    """A checkout of ``origin`` at ``path`` (the save dialog already asked about replacing)."""
    return checkout_plan(origin, path, force=path.exists())


def look_at_sync(plan: Plan, origin: str | None, progress: Progress) -> SyncLook:
    report = sync_checkout(plan, origin=origin, dry_run=True, progress=progress)
    with plan.engine.connect() as connection:
        rows = conflict_rows(report, Labels(report.versions, connection))
    return SyncLook(report, summary_lines(report), rows)


def synchronise(
    plan: Plan,
    origin: str | None,
    resolutions: Mapping[str, Resolution],
    progress: Progress,
) -> SyncReport:
    return sync_checkout(plan, origin=origin, resolutions=resolutions, progress=progress)
