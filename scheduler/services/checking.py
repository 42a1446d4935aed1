"""Conflict checks, acceptances and the readiness pathway, as the CLI and the
window use them. Each function works inside the caller's session (one
transaction); only the acceptance functions write.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import ConflictAcceptance, current_user
from scheduler.planning.conflicts import (
    CheckSettings,
    Conflict,
    Severity,
    conflict_fingerprint,
    sort_conflicts,
)
from scheduler.planning.engine import CheckDelta, ConflictEngine
from scheduler.planning.readiness import ReadinessRow, readiness
from scheduler.services.changes import Changes
from scheduler.services.plan_snapshot import load_acceptances, load_events, load_plan_data


@dataclass(frozen=True, slots=True)
class CheckReport:
    """The conflicts of a check, sorted (errors first, then by rule and date)."""

    conflicts: Sequence[Conflict]
    first: date | None = None
    last: date | None = None

    @property
    def open(self) -> list[Conflict]:
        return [c for c in self.conflicts if not c.accepted]

    @property
    def has_open_error(self) -> bool:
        return any(c.severity is Severity.ERROR and not c.accepted for c in self.conflicts)

    def by_rule(self) -> dict[str, list[Conflict]]:
        grouped: dict[str, list[Conflict]] = {}
        for conflict in self.conflicts:
            grouped.setdefault(conflict.rule, []).append(conflict)
        return grouped


def run_check(
    session: Session,
    first: date | None = None,
    last: date | None = None,
    settings: CheckSettings | None = None,
) -> CheckReport:
    """Check the whole plan; report the conflicts whose days touch [first, last].

    The whole plan is always judged, because a conflict inside the window can
    depend on events outside it (a prerequisite months earlier, a workload
    period that starts before the window).
    """
    if first is not None and last is not None and last < first:
        raise UserError(f"The check period ends ({last}) before it starts ({first}).")
    engine = ConflictEngine(load_plan_data(session), settings)
    return CheckReport(engine.conflicts(first, last), first, last)


def accept_conflict(
    session: Session,
    conflict: Conflict | str,
    reason: str,
    accepted_by: str | None = None,
) -> Changes:
    """Record that a planner accepts a conflict on purpose, with their reason.

    ``conflict`` may be a Conflict from a check or its key; by key the plan
    is checked afresh to find it. The fingerprint is taken from the events
    as they are in the database now, so an acceptance never covers a state
    the planner did not see.
    """
    if not reason.strip():
        raise UserError("Say why the conflict is accepted: the reason is required.")
    if isinstance(conflict, str):
        found = next((c for c in run_check(session).conflicts if c.key == conflict), None)
        if found is None:
            raise UserError("That conflict is no longer in the plan; check the plan again.")
        conflict = found
    plan = load_plan_data(session, event_ids=conflict.event_ids)
    missing = [i for i in conflict.event_ids if i not in plan.events]
    if missing:
        raise UserError("An event of that conflict has been deleted; check the plan again.")
    events = [plan.events[i] for i in conflict.event_ids]
    session.add(
        ConflictAcceptance(
            rule=conflict.rule,
            conflict_key=conflict.key,
            event_uuids=[e.uuid for e in events],
            fingerprint=conflict_fingerprint(plan, conflict),
            reason=reason.strip(),
            accepted_by=accepted_by or session.info.get("user") or current_user(),
        )
    )
    session.flush()
    return Changes.of("conflicts")


def unaccept_conflict(session: Session, key: str) -> Changes:
    """Withdraw every acceptance of the conflict ``key`` (it shows as open again)."""
    # Through the ORM, so that the change log records who withdrew it.
    for acceptance in session.scalars(
        select(ConflictAcceptance).where(ConflictAcceptance.conflict_key == key)
    ):
        session.delete(acceptance)
    session.flush()
    return Changes.of("conflicts")


def recheck_events(
    session: Session, engine: ConflictEngine, event_ids: Iterable[int]
) -> CheckDelta:
    """Bring an engine up to date after edits to these events (``Changes.event_ids``).

    Events no longer in the plan are dropped from it. Acceptances are re-read
    too, since accepting is itself an edit the engine must see.
    """
    wanted = set(event_ids)
    current = load_events(session, wanted)
    gone = wanted - {e.id for e in current}
    delta = engine.update(current, gone)
    flipped = engine.set_acceptances(load_acceptances(session))
    added = {c.key: c for c in delta.added}
    added.update((c.key, c) for c in flipped.added)
    return CheckDelta(tuple(sort_conflicts(added.values())), delta.removed)


def readiness_rows(session: Session) -> list[ReadinessRow]:
    return readiness(load_plan_data(session), today=date.today())
