"""What a team lead reads per partner: evaluation milestones at risk and why,
who else trains the partner, and what the training costs.

The planning package judges (``milestones``, ``deconfliction``, ``costs``);
this module reads just the rows those need and puts names on the results.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.coordination_sheets import CoordinationBook, CostRow
from scheduler.exchange.rows import Partner
from scheduler.model import (
    CapabilityTarget,
    CollectiveTask,
    Course,
    EvaluationMilestone,
    EventAudience,
    EventCost,
    Nation,
    TrainingEvent,
    TrainingRequirement,
    Unit,
)
from scheduler.model.enums import MILESTONE_KIND_LABELS, CourseKind, MilestoneKind
from scheduler.model.readiness import task_course
from scheduler.planning.costs import CostLine, CostTotal, totals
from scheduler.planning.deconfliction import DUPLICATE, Overlap, ProviderRun, overlaps
from scheduler.planning.milestones import (
    MilestoneCheck,
    MilestoneFacts,
    RunIndex,
    TargetFacts,
    TargetMilestones,
    TaskFacts,
    TrainingRun,
    target_milestones,
)
from scheduler.planning.wording import and_list, day_text, days_text
from scheduler.reports.partner_readiness import (
    MilestoneLine,
    ProviderLine,
    TargetReadiness,
    TaskLine,
)
from scheduler.services.stopped_reads import stop_if_unwanted
from scheduler.services.training_runs import THE_CELL, Run, UnitTree, load_runs, unit_tree

DUPLICATE_WINDOW_DAYS = 30
# A task's runs in a workbook cell: the first ones say whether training ends
# in time; hundreds (a five-year plan) would make a row taller than a page.
RUNS_LISTED = 12


@dataclass(frozen=True, slots=True)
class OverlapRow:
    """One clash or repeat between providers, in words."""

    kind: str
    partner: str
    first_ref: str
    first_provider: str
    second_ref: str
    second_provider: str
    course: str  # the course codes, "SCC" or "SCC / FTX-1"
    days: str  # both runs' days
    why: str


@dataclass(frozen=True, slots=True)
class OtherRun:
    """A run another provider delivers to a partner."""

    provider: str
    partner: str
    ref: str
    course: str
    days: str
    units: str
    first_day: date
    unit_ids: frozenset[int]  # the partner's units on it


@dataclass(frozen=True, slots=True)
class PartnerSummary:
    """One partner's line on the dashboard."""

    partner: str
    at_risk: int
    milestones: int
    providers: tuple[str, ...]  # others who train it
    planned: float
    actual: float


@dataclass(frozen=True, slots=True)
class Coordination:
    targets: tuple[TargetMilestones, ...]
    course_codes: dict[int, str]
    exercises: frozenset[int]  # course ids that are exercises
    others: tuple[OtherRun, ...]
    overlaps: tuple[OverlapRow, ...]
    per_partner: tuple[CostTotal, ...]
    per_target: tuple[CostTotal, ...]
    per_provider: tuple[CostTotal, ...]

    @property
    def milestones_at_risk(self) -> int:
        return sum(t.at_risk for t in self.targets)

    def per_partner_summary(self) -> list[PartnerSummary]:
        """Milestones at risk, other providers and costs of each partner with any."""
        partners = sorted(
            {t.target.partner for t in self.targets if t.milestones}
            | {o.partner for o in self.others}
            | {c.key for c in self.per_partner}
        )
        costs = {c.key: c for c in self.per_partner}
        found = []
        for partner in partners:
            targets = [t for t in self.targets if t.target.partner == partner]
            cost = costs.get(partner)
            found.append(
                PartnerSummary(
                    partner,
                    sum(t.at_risk for t in targets),
                    sum(len(t.milestones) for t in targets),
                    tuple(sorted({o.provider for o in self.others if o.partner == partner})),
                    cost.planned if cost else 0.0,
                    cost.actual if cost else 0.0,
                )
            )
        return found


def partner_nations(session: Session) -> list[tuple[str, str]]:
    """(code, "Name (code)") of each nation with units: the partners."""
    has_units = select(Unit.id).where(Unit.nation_id == Nation.id).exists()
    return [
        (code, f"{name} ({code})")
        for code, name in session.execute(
            select(Nation.code, Nation.name).where(has_units).order_by(Nation.code)
        )
    ]


@dataclass(frozen=True, slots=True)
class Outline:
    """A partner's targets with their milestones and tasks, before any run is
    read: what the Readiness page shows at once on a big plan."""

    targets: tuple[TargetFacts, ...]
    course_codes: dict[int, str]


def load_outline(session: Session, nation: str | None = None) -> Outline:
    """The targets of one partner nation (code), or of all, without their runs."""
    codes = {ident: code for ident, code in session.execute(select(Course.id, Course.code))}
    return Outline(tuple(_targets(session, unit_tree(session), nation)), codes)


def load_coordination(
    session: Session, nation: str | None = None, *, with_overlaps: bool = True
) -> Coordination:
    """Milestones, overlaps and costs of one partner nation (code), or of all.

    Overlaps cost most (every run near another provider's is read): the
    dashboard, which shows none, leaves them out."""
    tree = unit_tree(session)
    courses = session.execute(select(Course.id, Course.code, Course.kind)).all()
    codes = {ident: code for ident, code, _kind in courses}
    exercises = frozenset(i for i, _c, kind in courses if kind == CourseKind.EXERCISE)
    targets = _targets(session, tree, nation)
    task_courses = {c for t in targets for task in t.tasks for c in task.course_ids}
    runs = load_runs(session, tree, course_ids=task_courses) if task_courses else []
    index = RunIndex(
        TrainingRun(run.ref, run.course_id, run.first_day, run.last_day, run.unit_ids,
                    run.provider)
        for run in runs
    )  # fmt: skip
    stop_if_unwanted()
    judged = tuple(target_milestones(t, index, codes) for t in targets)
    stop_if_unwanted()
    partner, target, provider = _costs(session, tree, nation)
    outside = [
        r
        for r in load_runs(session, tree, where=TrainingEvent.provider_id.is_not(None))
        if nation is None or nation in r.nations
    ]
    return Coordination(
        judged,
        codes,
        exercises,
        tuple(_other_runs(outside, tree, nation, codes)),
        tuple(_overlap_rows(session, tree, nation, codes, outside)) if with_overlaps else (),
        tuple(partner),
        tuple(target),
        tuple(provider),
    )


def _targets(session: Session, tree: UnitTree, nation: str | None) -> list[TargetFacts]:
    """Capability targets with their milestones and tasks, by name (plain
    column reads: at 1,300 targets the ORM's loading took twice as long)."""
    query = select(CapabilityTarget.id, CapabilityTarget.name, CapabilityTarget.unit_id)
    if nation is not None:
        query = (
            query.join(Unit, Unit.id == CapabilityTarget.unit_id)
            .join(Nation, Nation.id == Unit.nation_id)
            .where(Nation.code == nation)
        )
    targets = session.execute(query.order_by(CapabilityTarget.name, CapabilityTarget.id)).all()
    chosen = query.with_only_columns(CapabilityTarget.id)
    milestones: dict[int, list[MilestoneFacts]] = defaultdict(list)
    for target_id, ident, kind, day, result in session.execute(
        select(
            EvaluationMilestone.target_id,
            EvaluationMilestone.id,
            EvaluationMilestone.kind,
            EvaluationMilestone.day,
            EvaluationMilestone.result,
        )
        .where(EvaluationMilestone.target_id.in_(chosen))
        .order_by(EvaluationMilestone.day, EvaluationMilestone.id)
    ):
        label = MILESTONE_KIND_LABELS[MilestoneKind(kind)]
        milestones[target_id].append(MilestoneFacts(ident, label, day, str(result)))
    courses: dict[int, list[int]] = defaultdict(list)
    for task_id, course_id in session.execute(
        select(task_course.c.task_id, task_course.c.course_id)
    ):
        courses[task_id].append(course_id)
    tasks: dict[int, list[TaskFacts]] = defaultdict(list)
    for target_id, ident, name, rating, rated_on, source in session.execute(
        select(
            CollectiveTask.target_id,
            CollectiveTask.id,
            CollectiveTask.name,
            CollectiveTask.rating,
            CollectiveTask.rated_on,
            CollectiveTask.rating_source,
        ).where(CollectiveTask.target_id.in_(chosen))
    ):
        facts = TaskFacts(ident, name, str(rating), rated_on, source, tuple(sorted(courses[ident])))
        tasks[target_id].append(facts)
    return [
        TargetFacts(
            ident,
            name,
            tree.below(unit_id),
            tree.codes.get(unit_id, ""),
            tuple(milestones.get(ident, ())),
            tuple(sorted(tasks.get(ident, ()), key=lambda t: t.name.casefold())),
            tree.nations.get(unit_id, ""),
        )
        for ident, name, unit_id in targets
    ]


def _other_runs(
    outside: list[Run], tree: UnitTree, nation: str | None, codes: dict[int, str]
) -> list[OtherRun]:
    """Each other provider's run once per partner it trains, by date."""
    found = [
        OtherRun(
            run.provider,
            partner,
            run.ref,
            codes.get(run.course_id, "?"),
            days_text(run.first_day, run.last_day),
            ", ".join(
                sorted(
                    tree.codes.get(u, "?") for u in run.unit_ids if tree.nations.get(u) == partner
                )
            ),
            run.first_day,
            frozenset(u for u in run.unit_ids if tree.nations.get(u) == partner),
        )
        for run in outside
        for partner in sorted(run.nations)
        if nation is None or partner == nation
    ]
    return sorted(found, key=lambda r: (r.partner, r.first_day, r.ref))


def _overlap_rows(
    session: Session,
    tree: UnitTree,
    nation: str | None,
    codes: dict[int, str],
    outside: list[Run],
) -> list[OverlapRow]:
    """Only the days around other providers' runs are read: the cell's own
    runs far from any of theirs cannot clash with them."""
    if not outside:
        return []
    reach = timedelta(days=DUPLICATE_WINDOW_DAYS + 366)
    first = min(r.first_day for r in outside) - reach
    last = max(r.last_day for r in outside) + timedelta(days=DUPLICATE_WINDOW_DAYS + 1)
    # Only the cell's runs that could pair with theirs: the same course (a
    # duplicate) or one of their units (the same unit at once).
    theirs = TrainingEvent.provider_id.is_not(None)
    their_courses = select(TrainingEvent.course_id).where(theirs)
    their_units = (
        select(EventAudience.unit_id)
        .join(TrainingEvent, TrainingEvent.id == EventAudience.event_id)
        .where(theirs)
    )
    with_their_units = select(EventAudience.event_id).where(EventAudience.unit_id.in_(their_units))
    near = load_runs(
        session,
        tree,
        where=(TrainingEvent.start >= first) & (TrainingEvent.start < last)
        & TrainingEvent.provider_id.is_(None)
        & (TrainingEvent.course_id.in_(their_courses) | TrainingEvent.id.in_(with_their_units)),
    )  # fmt: skip
    runs = [
        ProviderRun(r.id, r.ref, partner, r.course_id, r.first_day, r.last_day, r.unit_ids,
                    r.provider)
        for r in (*outside, *near)
        for partner in sorted(r.nations)
        if nation is None or partner == nation
    ]  # fmt: skip
    stop_if_unwanted()
    found = overlaps(runs, DUPLICATE_WINDOW_DAYS)
    stop_if_unwanted()
    return [_words(o, tree, codes) for o in found]


def _words(overlap: Overlap, tree: UnitTree, codes: dict[int, str]) -> OverlapRow:
    a, b = overlap.first, overlap.second
    course = codes.get(a.course_id, "?")
    if b.course_id != a.course_id:
        course = f"{course} / {codes.get(b.course_id, '?')}"
    if overlap.kind == DUPLICATE:
        why = f"{codes.get(a.course_id, '?')} twice within {DUPLICATE_WINDOW_DAYS} days"
    else:
        units = and_list(sorted(tree.codes.get(u, "?") for u in overlap.shared_units))
        why = f"{units} on both at once"
    return OverlapRow(
        overlap.kind,
        a.nation,
        a.ref,
        a.provider or THE_CELL,
        b.ref,
        b.provider or THE_CELL,
        course,
        f"{days_text(a.first_day, a.last_day)}; {days_text(b.first_day, b.last_day)}",
        why,
    )


def _costs(
    session: Session, tree: UnitTree, nation: str | None
) -> tuple[list[CostTotal], list[CostTotal], list[CostTotal]]:
    lines = [
        CostLine(event_id, str(kind), planned, actual)
        for event_id, kind, planned, actual in session.execute(
            select(EventCost.event_id, EventCost.kind, EventCost.planned, EventCost.actual)
        )
    ]
    if not lines:
        return [], [], []
    # A cancelled event's costs (a fee) still count.
    asked = {line.event_id for line in lines}
    runs = {r.id: r for r in load_runs(session, tree, event_ids=asked, cancelled=True)}
    kept = [
        line
        for line in lines
        if line.event_id in runs and (nation is None or nation in runs[line.event_id].nations)
    ]
    partners = {i: sorted(r.nations) for i, r in runs.items()}
    providers = {i: [r.provider or THE_CELL] for i, r in runs.items()}
    return (
        totals(kept, partners if nation is None else {i: [nation] for i in runs}),
        totals(kept, _targets_served(session, tree, runs)),
        totals(kept, providers),
    )


def _targets_served(session: Session, tree: UnitTree, runs: dict[int, Run]) -> dict[int, list[str]]:
    """Each event's targets: those whose unit (or one below it) it trains in a
    course the target requires or names for a task."""
    courses: dict[int, set[int]] = defaultdict(set)
    for target_id, course_id in session.execute(
        select(TrainingRequirement.target_id, TrainingRequirement.course_id)
    ):
        courses[target_id].add(course_id)
    for target_id, course_id in session.execute(
        select(CollectiveTask.target_id, Course.id).join(CollectiveTask.courses)
    ):
        courses[target_id].add(course_id)
    targets = session.execute(
        select(CapabilityTarget.id, CapabilityTarget.name, CapabilityTarget.unit_id)
    ).all()
    units = {ident: tree.below(unit_id) for ident, _name, unit_id in targets}
    return {
        event_id: [
            name
            for ident, name, _unit in targets
            if run.course_id in courses[ident] and run.unit_ids & units[ident]
        ]
        for event_id, run in runs.items()
    }


def partner_coordination(
    session: Session, partner: Partner
) -> tuple[dict[str, TargetReadiness], list[ProviderLine]]:
    """A partner's milestones and tasks by target name, and others' runs for it,
    as its readiness report prints them (a unit partner: its units only)."""
    found = load_coordination(session, partner.nation_code, with_overlaps=False)  # not printed
    codes = found.course_codes
    readiness = {}
    for judged in found.targets:
        if not judged.target.unit_ids & partner.unit_ids:
            continue
        if not judged.milestones and not judged.tasks:
            continue
        readiness[judged.target.name] = TargetReadiness(
            tuple(
                MilestoneLine(
                    c.milestone.kind,
                    c.milestone.day,
                    milestone_status(c),
                    c.reasons,
                    c.at_risk,
                )
                for c in judged.milestones
            ),
            tuple(
                TaskLine(t.task.name, rating_text(t.task), trained_by(t.task, codes))
                for t in judged.tasks
            ),
        )
    providers = [
        ProviderLine(o.provider, o.ref, o.course, o.days, o.units)
        for o in found.others
        if o.unit_ids & partner.unit_ids
    ]
    return readiness, providers


def milestone_status(check: MilestoneCheck) -> str:
    """ "At risk", "On track" or, once held, its result ("Held: ready")."""
    if check.held:
        return "Held: " + check.milestone.result.replace("_", " ")
    return "At risk" if check.at_risk else "On track"


def rating_text(task: TaskFacts) -> str:
    """ "Needs practice (15 Nov 2027, SEL1)": a task's rating with when and by whom."""
    text = task.rating.replace("_", " ").capitalize()
    when = [day_text(task.rated_on)] if task.rated_on else []
    if task.rating_source:
        when.append(task.rating_source)
    return f"{text} ({', '.join(when)})" if when else text


def trained_by(task: TaskFacts, codes: dict[int, str]) -> str:
    return ", ".join(codes.get(c, "?") for c in task.course_ids) or "nothing named"


def coordination_book(coordination: Coordination) -> CoordinationBook:
    """The page's findings as workbook rows."""
    codes = coordination.course_codes
    milestones = []
    tasks = []
    for judged in coordination.targets:
        target = judged.target
        for check in judged.milestones:
            milestones.append(
                (target.name, target.unit_label, check.milestone.kind, check.milestone.day,
                 milestone_status(check), "\n".join(check.reasons))
            )  # fmt: skip
        for training in judged.tasks:
            task = training.task
            runs = "\n".join(
                f"{codes.get(r.course_id, '?')} {r.ref}, {days_text(r.first_day, r.last_day)}"
                + (f" ({r.provider})" if r.provider else "")
                for r in training.runs[:RUNS_LISTED]
            )
            if len(training.runs) > RUNS_LISTED:
                runs += f"\n… and {len(training.runs) - RUNS_LISTED:,} later runs"
            tasks.append(
                (target.name, task.name, task.rating.replace("_", " ").capitalize(),
                 task.rated_on, task.rating_source or "",
                 trained_by(task, codes), runs)
            )  # fmt: skip
    others = tuple(
        (o.provider, o.partner, o.ref, o.course, o.days, o.units) for o in coordination.others
    )
    overlaps = tuple(
        (o.kind.capitalize(), o.partner, o.first_ref, o.first_provider, o.second_ref,
         o.second_provider, o.course, o.days, o.why)
        for o in coordination.overlaps
    )  # fmt: skip
    costs = tuple(
        CostRow(by, total.key, total.planned, total.actual, total.events, total.difference)
        for by, found in (
            ("Partner", coordination.per_partner),
            ("Target", coordination.per_target),
            ("Provider", coordination.per_provider),
        )
        for total in found
    )
    return CoordinationBook(tuple(milestones), tuple(tasks), others, overlaps, costs)
