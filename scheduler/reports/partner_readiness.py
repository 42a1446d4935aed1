"""A partner's readiness report: per capability target, is each requirement on track,
which NATO evaluation milestones are at risk and how its collective tasks are
rated; and who else trains the partner.

Only the partner's own units are listed (a nation's, or one unit and those
below it), as in the partner's workbook. A requirement is in trouble when
the people delivered plus the seats scheduled to end by its due date fall
short of the number required; the reason is spelled out ("12 short by the
due date", "20 seats only after 2027-05-31") so the reader needs no legend.

Built from the partner and its readiness rows as
``services.report_rows.partner_readiness`` reads them; nothing here reads
the plan.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from scheduler.planning.pathway import requirement_status
from scheduler.planning.readiness import ReadinessRow
from scheduler.planning.wording import day_text, days_text
from scheduler.reports.frame import ReportFrame

if TYPE_CHECKING:
    from scheduler.exchange.rows import Partner


@dataclass(frozen=True, slots=True)
class RequirementLine:
    unit_code: str
    unit_name: str
    course_code: str
    course_title: str
    required: int
    scheduled: int
    delivered: int
    due: date | None
    status: str  # the dashboard's words: "Done", "On track", "Late", "At risk"
    reasons: tuple[str, ...] = ()
    by_due: int = 0  # people delivered plus seats scheduled that end by the due date
    in_trouble: bool = False


@dataclass(frozen=True, slots=True)
class MilestoneLine:
    kind: str  # "Self-evaluation level 1"
    day: date
    status: str  # "On track", "At risk", "Held: ready"
    reasons: tuple[str, ...] = ()
    at_risk: bool = False


@dataclass(frozen=True, slots=True)
class TaskLine:
    name: str
    rating: str  # "Needs practice (15 Nov 2027, SEL1)"
    trained_by: str  # "SCC, FTX-BN"


@dataclass(frozen=True, slots=True)
class TargetReadiness:
    """A target's milestones and collective tasks."""

    milestones: tuple[MilestoneLine, ...] = ()
    tasks: tuple[TaskLine, ...] = ()


@dataclass(frozen=True, slots=True)
class ProviderLine:
    """A run another provider delivers to the partner."""

    provider: str
    ref: str
    course: str
    days: str
    units: str


@dataclass(frozen=True, slots=True)
class TargetSection:
    name: str
    lines: tuple[RequirementLine, ...]
    readiness: TargetReadiness = TargetReadiness()

    @property
    def on_track(self) -> int:
        return sum(1 for line in self.lines if not line.in_trouble)


@dataclass(frozen=True, slots=True)
class ReadinessReport:
    frame: ReportFrame
    partner_code: str
    partner_name: str
    targets: tuple[TargetSection, ...]
    providers: tuple[ProviderLine, ...] = ()

    @property
    def requirements(self) -> int:
        return sum(len(t.lines) for t in self.targets)

    @property
    def in_trouble(self) -> int:
        return sum(1 for t in self.targets for line in t.lines if line.in_trouble)


def requirement_line(row: ReadinessRow) -> RequirementLine:
    """One requirement, judged as the dashboard's pathway judges it."""
    status = requirement_status(row)
    reasons = []
    if row.shortfall:
        reasons.append(
            f"{row.shortfall} short by the due date" if row.due else f"{row.shortfall} short"
        )
    if row.late and row.due is not None:
        reasons.append(f"{row.late} seats only after {day_text(row.due)}")
    return RequirementLine(
        row.unit_code,
        row.unit_name,
        row.course_code,
        row.course_title,
        row.required,
        row.scheduled,
        row.delivered,
        row.due,
        status.label,
        tuple(reasons),
        row.scheduled_by_due + row.delivered_by_due,
        status.needs_attention,
    )


def build_readiness_report(
    plan_name: str,
    partner: Partner,
    rows: Iterable[ReadinessRow],
    *,
    first: date | None = None,
    last: date | None = None,
    marking: str,
    readiness: Mapping[str, TargetReadiness] | None = None,
    providers: Sequence[ProviderLine] = (),
    now: Callable[[], datetime] = datetime.now,
) -> ReadinessReport:
    """Requirements of the partner's units (``rows``, the partner's only); with
    a period, only those due within it. ``marking`` is the one to print, the
    partner's releasability caveat included. ``readiness``: milestones and
    tasks by target name (a target with only these gets a section too);
    ``providers``: other providers' runs for the partner."""
    sections: dict[str, list[RequirementLine]] = {}
    for row in rows:
        if row.due is not None and (
            (first is not None and row.due < first) or (last is not None and row.due > last)
        ):
            continue
        sections.setdefault(row.target, []).append(requirement_line(row))
    printed = now()
    if first is not None and last is not None:
        period = "Requirements due " + days_text(first, last)
    elif first is not None:
        period = f"Requirements due from {day_text(first)}"
    elif last is not None:
        period = f"Requirements due by {day_text(last)}"
    else:
        period = "All requirements"
    frame = ReportFrame(
        title=f"Readiness: {partner.name} ({partner.code})",
        plan_name=plan_name,
        period=period,
        marking=marking,
        printed=printed,
        orientation="landscape",
    )
    extra = dict(readiness or {})
    for name in extra:
        sections.setdefault(name, [])
    targets = tuple(
        TargetSection(name, tuple(lines), extra.get(name, TargetReadiness()))
        for name, lines in sections.items()
    )
    return ReadinessReport(frame, partner.code, partner.name, targets, tuple(providers))
