"""Whether the training that feeds a unit's collective tasks ends before the
evaluations that rate them.

NATO declares a unit ready through dated evaluations (self-evaluation and
NATO evaluation, levels 1 and 2) of its collective tasks. Each task names the
courses and exercises that train it. A milestone still to come is **at risk**
when a task it evaluates is not already rated trained and one of the task's
courses or exercises has no run for the target's units that ends before the
milestone: a run still going on that day, one moved past it, or none at all.
Every reason is kept, in a planner's words, so the page can say why.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import chain

from scheduler.planning.wording import day_text, days_text

PENDING = "pending"
TRAINED = "trained"


@dataclass(frozen=True, slots=True)
class TrainingRun:
    """One run of a course or exercise for some units (not cancelled)."""

    ref: str
    course_id: int
    first_day: date
    last_day: date
    unit_ids: frozenset[int]
    provider: str = ""  # empty: the cell


@dataclass(frozen=True, slots=True)
class TaskFacts:
    id: int
    name: str
    rating: str  # untrained / needs_practice / trained
    rated_on: date | None = None
    rating_source: str | None = None
    course_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class MilestoneFacts:
    id: int
    kind: str  # its label: "NATO evaluation level 1"
    day: date
    result: str = PENDING


@dataclass(frozen=True, slots=True)
class TargetFacts:
    id: int
    name: str
    unit_ids: frozenset[int]  # the target's unit and every unit below it
    unit_label: str = ""
    milestones: tuple[MilestoneFacts, ...] = ()
    tasks: tuple[TaskFacts, ...] = ()
    partner: str = ""  # the nation code of the target's unit


@dataclass(frozen=True, slots=True)
class TaskTraining:
    """A task and the runs that train it, for the target's units."""

    task: TaskFacts
    runs: tuple[TrainingRun, ...]


@dataclass(frozen=True, slots=True)
class MilestoneCheck:
    milestone: MilestoneFacts
    reasons: tuple[str, ...] = ()

    @property
    def at_risk(self) -> bool:
        return bool(self.reasons)

    @property
    def held(self) -> bool:
        return self.milestone.result != PENDING


@dataclass(frozen=True, slots=True)
class TargetMilestones:
    target: TargetFacts
    tasks: tuple[TaskTraining, ...]
    milestones: tuple[MilestoneCheck, ...] = field(default=())

    @property
    def at_risk(self) -> int:
        return sum(1 for m in self.milestones if m.at_risk)


class RunIndex:
    """Runs by course and unit: a target's few units find their runs without
    going through every run of a course (thousands each in a big plan)."""

    def __init__(self, runs: Iterable[TrainingRun]) -> None:
        self._by: dict[tuple[int, int], list[TrainingRun]] = defaultdict(list)
        for run in runs:
            for unit in run.unit_ids:
                self._by[(run.course_id, unit)].append(run)

    def of(self, course_id: int, unit_ids: Iterable[int]) -> list[TrainingRun]:
        """The course's runs with any of the units, each once."""
        found: dict[int, TrainingRun] = {}
        for unit in unit_ids:
            for run in self._by.get((course_id, unit), ()):
                found[id(run)] = run
        return list(found.values())


def feeding_runs(target: TargetFacts, task: TaskFacts, index: RunIndex) -> tuple[TrainingRun, ...]:
    """The runs of the task's courses and exercises for the target's units, by date."""
    found = {
        (run.ref, run.course_id): run
        for course_id in task.course_ids
        for run in index.of(course_id, target.unit_ids)
    }
    return tuple(sorted(found.values(), key=lambda r: (r.first_day, r.ref)))


def task_reasons(
    training: TaskTraining,
    milestone: MilestoneFacts,
    course_codes: Mapping[int, str],
    unit_label: str,
) -> list[str]:
    """Why ``training`` is not ready in time for ``milestone`` (empty: it is)."""
    task = training.task
    if task.rating == TRAINED and task.rated_on is not None and task.rated_on <= milestone.day:
        return []
    if not task.course_ids:
        return [f"{task.name}: no course or exercise is named to train it"]
    reasons = []
    for course_id in task.course_ids:
        code = course_codes.get(course_id, "?")
        runs = [r for r in training.runs if r.course_id == course_id]
        if any(r.last_day < milestone.day for r in runs):
            continue
        running = [r for r in runs if r.first_day < milestone.day]
        later = [r for r in runs if r.first_day >= milestone.day]
        if running:
            run = running[0]
            reasons.append(
                f"{task.name}: {code} {run.ref} ends {day_text(run.last_day)}, "
                f"not before the evaluation"
            )
        elif later:
            run = later[0]
            reasons.append(
                f"{task.name}: {code} {run.ref} runs {days_text(run.first_day, run.last_day)}, "
                f"after the evaluation"
            )
        else:
            whom = f" for {unit_label}" if unit_label else ""
            reasons.append(f"{task.name}: no {code} is planned{whom}")
    return reasons


def target_milestones(
    target: TargetFacts,
    runs: RunIndex | Mapping[int, Iterable[TrainingRun]],
    course_codes: Mapping[int, str],
) -> TargetMilestones:
    """Each task's training and each milestone's risk, for one target. ``runs``:
    an index of the plan's runs (build it once for many targets), or runs by course.

    A milestone already held (a result recorded) is not judged again.
    """
    index = runs if isinstance(runs, RunIndex) else RunIndex(chain.from_iterable(runs.values()))
    tasks = tuple(TaskTraining(t, feeding_runs(target, t, index)) for t in target.tasks)
    checks = []
    for milestone in sorted(target.milestones, key=lambda m: (m.day, m.kind)):
        reasons: list[str] = []
        if milestone.result == PENDING:
            for training in tasks:
                reasons += task_reasons(training, milestone, course_codes, target.unit_label)
        checks.append(MilestoneCheck(milestone, tuple(reasons)))
    return TargetMilestones(target, tasks, tuple(checks))
