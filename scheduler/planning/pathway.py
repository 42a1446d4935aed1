"""The readiness pathway as a team lead reads it: partner → target → course bars.

``readiness`` gives one row of numbers per training requirement; this turns
them into a status and a sentence in planners' words, and groups them by
partner nation and capability target so the dashboard can say at a glance
which targets are at risk and why.

Statuses, from best to worst:

- done: the people delivered reach the requirement;
- on track: delivered plus seats booked by the due date reach it;
- late: enough seats are booked, but some only after the due date;
- at risk: even with every seat booked the requirement is not met.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import Enum

from scheduler.planning.readiness import ReadinessRow
from scheduler.planning.wording import count_text, day_text

NO_NATION = "—"


class PathwayStatus(Enum):
    DONE = "done"
    ON_TRACK = "on track"
    LATE = "late"
    AT_RISK = "at risk"

    @property
    def rank(self) -> int:
        """Higher is worse: a target is as bad as its worst requirement."""
        return _RANKS[self]

    @property
    def needs_attention(self) -> bool:
        return self in (PathwayStatus.LATE, PathwayStatus.AT_RISK)

    @property
    def label(self) -> str:
        return self.value.capitalize()


_RANKS = {
    PathwayStatus.DONE: 0,
    PathwayStatus.ON_TRACK: 1,
    PathwayStatus.LATE: 2,
    PathwayStatus.AT_RISK: 3,
}


@dataclass(frozen=True, slots=True)
class RequirementBar:
    """One course of one target: the numbers of a bar, its status and why."""

    row: ReadinessRow
    status: PathwayStatus
    reason: str  # the whole sentence, numbers included
    verdict: str = ""  # the same without the numbers (shown beside them)

    @property
    def numbers(self) -> str:
        """``12 delivered · 20 scheduled · 40 required`` (`` · 9 named`` once people are)."""
        named = f" · {self.row.named} named" if self.row.named is not None else ""
        return (
            f"{self.row.delivered} delivered · {self.row.scheduled} scheduled · "
            f"{self.row.required} required{named}"
        )


@dataclass(frozen=True, slots=True)
class TargetPathway:
    target_id: int
    name: str
    due: date | None
    bars: tuple[RequirementBar, ...]

    @property
    def status(self) -> PathwayStatus:
        return max((b.status for b in self.bars), key=lambda s: s.rank, default=PathwayStatus.DONE)

    @property
    def attention(self) -> int:
        """Requirements late or at risk."""
        return sum(1 for b in self.bars if b.status.needs_attention)


@dataclass(frozen=True, slots=True)
class PartnerPathway:
    """A partner nation's targets, soonest due first."""

    code: str
    targets: tuple[TargetPathway, ...]

    @property
    def attention(self) -> int:
        return sum(t.attention for t in self.targets)

    @property
    def targets_at_risk(self) -> int:
        return sum(1 for t in self.targets if t.status.needs_attention)

    def summary(self) -> str:
        """``2 of 5 targets need attention (3 requirements late or at risk)``."""
        if not self.targets:
            return "No capability targets."
        if not self.attention:
            return f"All {count_text(len(self.targets), 'target')} on track or done."
        return (
            f"{self.targets_at_risk} of {count_text(len(self.targets), 'target')} "
            f"{'needs' if self.targets_at_risk == 1 else 'need'} attention "
            f"({count_text(self.attention, 'requirement')} late or at risk)"
        )


def requirement_status(row: ReadinessRow) -> PathwayStatus:
    if row.delivered >= row.required:
        return PathwayStatus.DONE
    if row.on_track:
        return PathwayStatus.ON_TRACK
    if row.delivered + row.scheduled >= row.required:
        return PathwayStatus.LATE
    return PathwayStatus.AT_RISK


def requirement_reason(row: ReadinessRow) -> str:
    """Why a requirement has its status, in one sentence a planner would say.

    ``12 of 40 delivered, 20 seats booked; 8 short by 31 May 2027.``
    """
    status = requirement_status(row)
    verdict = requirement_verdict(row)
    if status is PathwayStatus.DONE:
        return verdict
    booked = (
        f"{row.delivered} of {row.required} delivered, {count_text(row.scheduled, 'seat')} booked"
    )
    return f"{booked}{':' if status is PathwayStatus.ON_TRACK else ';'} {verdict}"


def requirement_verdict(row: ReadinessRow) -> str:
    """The reason without the numbers, for where they already stand beside it.

    ``8 short by 31 May 2027.``, ``20 seats only after the due date 31 May 2027.``
    """
    status = requirement_status(row)
    by_due = f" by {day_text(row.due)}" if row.due is not None else ""
    if status is PathwayStatus.DONE:
        return f"{row.delivered} of {row.required} delivered."
    if status is PathwayStatus.ON_TRACK:
        return f"enough{by_due}."
    after = f"{count_text(row.late, 'seat')} only after the due date" + (
        f" {day_text(row.due)}" if row.due is not None else ""
    )
    if status is PathwayStatus.LATE:
        return f"{after}."
    short = f"{row.shortfall} short{by_due}"
    return f"{short} ({after})." if row.late else f"{short}."


def requirement_bar(row: ReadinessRow) -> RequirementBar:
    return RequirementBar(
        row, requirement_status(row), requirement_reason(row), requirement_verdict(row)
    )


def pathway(
    rows: Iterable[ReadinessRow], target_dues: Mapping[int, date | None] | None = None
) -> list[PartnerPathway]:
    """Readiness rows grouped by the required unit's nation, then by target.

    ``target_dues`` gives each target's own due date; without one a target
    shows its latest requirement's due date.
    """
    grouped: dict[str, dict[int, list[ReadinessRow]]] = {}
    for row in rows:
        grouped.setdefault(row.nation_code or NO_NATION, {}).setdefault(row.target_id, []).append(
            row
        )
    partners = []
    for code in sorted(grouped, key=str.casefold):
        targets = []
        for target_id, target_rows in grouped[code].items():
            dues = [r.due for r in target_rows if r.due is not None]
            due = (target_dues or {}).get(target_id) or (max(dues) if dues else None)
            target_rows.sort(
                key=lambda r: (
                    r.due or date.max,
                    r.course_code.casefold(),
                    r.unit_code.casefold(),
                )
            )
            targets.append(
                TargetPathway(
                    target_id,
                    target_rows[0].target,
                    due,
                    tuple(requirement_bar(r) for r in target_rows),
                )
            )
        targets.sort(key=lambda t: (t.due or date.max, t.name.casefold(), t.target_id))
        partners.append(PartnerPathway(code, tuple(targets)))
    return partners
