"""The demo plan's coordination picture: who else trains the partners, the
NATO evaluation milestones of the infantry targets with their collective
tasks, and what the training costs.

Other providers' runs are some of the placed runs handed over (the plan keeps
its number of events): a UK agency runs some border courses, with none of
the cell's instructors. The battalion field exercise is in the catalogue but
not yet planned, so the tasks it trains show as at risk before the NATO
evaluation, as a team lead would want to see.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from scheduler.demo.placement import Placement
from scheduler.demo.requirements import PlacedTarget
from scheduler.demo.rows import RowFactory
from scheduler.model.enums import (
    CostKind,
    CourseKind,
    EventStatus,
    MilestoneKind,
    ProviderKind,
    TaskRating,
)

PROVIDERS: tuple[tuple[str, ProviderKind, str], ...] = (
    ("National Crime Agency", ProviderKind.UK_GOVERNMENT, "Organised immigration crime team"),
    ("Home Office Border Force", ProviderKind.UK_GOVERNMENT, "Document examination advisers"),
    ("NATO DEEP", ProviderKind.NATO, "Defence Education Enhancement Programme"),
    ("EUBAM", ProviderKind.EU, "EU border assistance"),
)
# Courses a UK agency also runs for border police (handed over from the plan).
HANDED_OVER = {"DFD": "Home Office Border Force", "INT": "National Crime Agency"}
HAND_OVER_EVERY = 6  # one run in so many of those courses
EXERCISE = ("FTX-BN", "Battalion field training exercise", 10)

# Collective tasks of the infantry targets: (name, courses that train it).
TASKS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "MK-LIB": (
        ("Defend a position", ("SCC", "PCC", "FTX-BN")),
        ("Evacuate casualties under fire", ("CFA",)),
        ("Move through an IED threat", ("CIED",)),
    ),
    "AL-LIB": (
        ("Conduct a patrol", ("SCC", "FTX-BN")),
        ("Evacuate casualties under fire", ("CFA",)),
    ),
    "ME-INF": (
        ("Move through an IED threat", ("CIED",)),
        ("Evacuate casualties under fire", ("CFA",)),
    ),
}
RATINGS = (TaskRating.UNTRAINED, TaskRating.NEEDS_PRACTICE, TaskRating.NEEDS_PRACTICE)
# The self-evaluation this many days before the target falls due; NATO's after it.
SEL1_BEFORE_DUE = 150
NEL1_BEFORE_DUE = 20
# Costs on the first so many runs: enough to total, little for big plans.
COSTED_RUNS = 400
DAILY = {CostKind.TRAVEL: 180.0, CostKind.ACCOMMODATION: 95.0, CostKind.INTERPRETERS: 240.0}


def add_providers(factory: RowFactory) -> dict[str, int]:
    return {
        name: factory.add("provider", name=name, kind=kind, nation_id=None, notes=notes)["id"]
        for name, kind, notes in PROVIDERS
    }


def hand_over(placements: Sequence[Placement], providers: dict[str, int]) -> int:
    """Give some border courses to the agencies that also run them; how many.

    Runs in a deliberate clash keep their provider: the clash is the cell's.
    """
    seen: dict[str, int] = {}
    handed = 0
    for placement in sorted(placements, key=lambda p: (p.first, p.course.code, p.venue.id)):
        provider = HANDED_OVER.get(placement.course.code)
        if provider is None or placement.protected or placement.series is not None:
            continue
        seen[provider] = seen.get(provider, 0) + 1
        if seen[provider] % HAND_OVER_EVERY:
            continue
        placement.provider_id = providers[provider]
        placement.funding_line = "UK Integrated Security Fund"
        placement.staff = []
        handed += 1
    return handed


def add_readiness(
    factory: RowFactory, targets: Sequence[PlacedTarget], course_ids: dict[str, int], first: date
) -> None:
    """The exercise course, and milestones and tasks for the infantry targets."""
    code, title, days = EXERCISE
    course_ids[code] = factory.add(
        "course",
        code=code,
        title=title,
        category="Exercises",
        kind=CourseKind.EXERCISE,
        duration_days=days,
        daily_hours=10.0,
        min_trainees=None,
        max_trainees=None,
        trainees_per_instructor=None,
        language="en",
        required_facilities=[],
        colour="#595959",
        description="Units take part as a whole; it trains collective tasks.",
    )["id"]
    rng = random.Random(f"demo-readiness-{first.isoformat()}")
    for target in targets:
        tasks = TASKS.get(target.spec.unit)
        if not tasks:
            continue
        for kind, before in (
            (MilestoneKind.SEL1, SEL1_BEFORE_DUE),
            (MilestoneKind.NEL1, NEL1_BEFORE_DUE),
        ):
            factory.add(
                "evaluation_milestone",
                target_id=target.target_id,
                kind=kind,
                day=target.due - timedelta(days=before),
                result="pending",
                notes=None,
            )
        for name, codes in tasks:
            task_id = factory.add(
                "collective_task",
                target_id=target.target_id,
                name=name,
                rating=rng.choice(RATINGS),
                rated_on=first - timedelta(days=rng.randrange(30, 120)),
                rating_source="Unit self-assessment",
            )["id"]
            for course in codes:
                factory.link("task_course", task_id=task_id, course_id=course_ids[course])


def add_costs(
    factory: RowFactory, placements: Sequence[Placement], event_ids: dict[int, int]
) -> None:
    """Planned costs on the first runs; actual ones once a run is delivered."""
    rng = random.Random("demo-costs")
    for placement in sorted(placements, key=lambda p: (p.first, p.course.code))[:COSTED_RUNS]:
        days = placement.last - placement.first + 1
        if placement.provider_id is not None:
            # Another provider's course: the cell pays only its interpreters.
            factory.add(
                "event_cost",
                event_id=event_ids[id(placement)],
                kind=CostKind.INTERPRETERS,
                planned=round(DAILY[CostKind.INTERPRETERS] * days, 2),
                actual=None,
                note="Interpreters from the cell's pool",
            )
            continue
        people = max(1, len(placement.staff))
        for kind, rate in DAILY.items():
            if kind is CostKind.INTERPRETERS and placement.course.language == "en":
                continue
            planned = round(rate * days * people, 2)
            delivered = placement.status == EventStatus.DELIVERED
            factory.add(
                "event_cost",
                event_id=event_ids[id(placement)],
                kind=kind,
                planned=planned,
                actual=round(planned * rng.uniform(0.85, 1.15), 2) if delivered else None,
                note=None,
            )
