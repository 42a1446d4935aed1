"""Building a demo plan: a realistic year of training for the coordination
cell, or many years of it for benchmarks.

Order matters: recurring series first (they hold fixed days), then the
events that serve capability targets, then the rest of the year, and last
the deliberate clashes, placed against the full plan. Everything is decided
in memory against diaries and written with bulk inserts at the end.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.demo.bookings import UnitDiary
from scheduler.demo.catalogue import ANY, CourseSpec
from scheduler.demo.clashes import CLASH_RULES, ClashContext, make_clashes
from scheduler.demo.coordination import add_costs, add_providers, add_readiness, hand_over
from scheduler.demo.kit import add_kit
from scheduler.demo.placement import Placement, Planner
from scheduler.demo.requirements import schedule_requirements
from scheduler.demo.rows import RowFactory
from scheduler.demo.series import SERIES, PlacedSeries, place_series
from scheduler.demo.summary import DemoSummary
from scheduler.demo.trainees import add_trainees
from scheduler.demo.world import World, build_world
from scheduler.demo.writer import event_rows, write_rows
from scheduler.model import Nation, TrainingEvent, Unit, current_user
from scheduler.model.nations import NATIONS

DEFAULT_EVENTS = 320
# Events a year that one set of partner units, instructors and venues carries in a
# large plan: instructors then teach some 80 working days a year, interpreters more.
EVENTS_PER_REPLICA_YEAR = 480
EVENTS_PER_YEAR = 5000
MAX_YEARS = 20
# Below this, a plan is too small to hold the clashes on top of real work.
MIN_EVENTS_FOR_CLASHES = 60
AS_OF_DAYS = 120
# Demos up to this size name some trainees (larger ones are for benchmarks).
NAMED_DEMO_EVENTS = 2000
_ATTEMPTS = 40


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def build_demo(
    session: Session,
    *,
    seed: int = 1,
    events: int | None = None,
    start: date = date(2027, 1, 1),
) -> DemoSummary:
    """Fill an empty plan (nations present) with a demo; same seed, same plan."""
    wanted = DEFAULT_EVENTS if events is None else events
    if wanted < 0:
        raise ValueError("the number of events cannot be negative")
    nation_ids = {code: id_ for code, id_ in session.execute(select(Nation.code, Nation.id))}
    missing = [seed.code for seed in NATIONS if seed.code not in nation_ids]
    if missing:
        raise ValueError(f"the plan lacks the nations {', '.join(missing)}")
    if session.scalar(select(func.count()).select_from(Unit)) or session.scalar(
        select(func.count()).select_from(TrainingEvent)
    ):
        raise ValueError("a demo plan can only be built into an empty plan")

    years = min(MAX_YEARS, max(1, math.ceil(wanted / EVENTS_PER_YEAR)))
    replicas = max(1, math.ceil(wanted / years / EVENTS_PER_REPLICA_YEAR))
    first_day = start
    last_day = _shift_years(start, years) - timedelta(days=1)
    as_of = start + timedelta(days=AS_OF_DAYS)

    rng = random.Random(seed)
    factory = RowFactory(session, seed)
    world = build_world(factory, rng, nation_ids, first_day, last_day, years, replicas)
    planner = Planner(
        rng,
        world.calendars,
        world.instructors,
        world.venues,
        list(world.courses.values()),
        as_of,
        last_day,
    )
    units_for = _audiences(world)

    clash_budget = len(CLASH_RULES) if wanted >= MIN_EVENTS_FOR_CLASHES else 0
    series = _series(planner, world, int((wanted - clash_budget) * 0.35))
    schedule_requirements(
        planner,
        world.targets,
        world.courses,
        first_day,
        int((wanted - clash_budget) * 0.4),
    )
    filler = _Filler(planner, world, units_for)
    filler.fill(wanted - clash_budget)
    clashes = []
    if clash_budget:
        low = (as_of + timedelta(days=14)).toordinal()
        high = min(last_day.toordinal(), (first_day + timedelta(days=330)).toordinal())
        context = ClashContext(planner, list(world.courses.values()), units_for, low, high)
        clashes = make_clashes(context)
    filler.fill(wanted)
    clashes = add_kit(factory, planner.placements, world.course_ids, clashes)
    hand_over(planner.placements, add_providers(factory))
    add_readiness(factory, world.targets, world.course_ids, first_day)

    refs = event_rows(session, factory, planner.placements, series, world.course_ids)
    ids = {row["ref"]: row["id"] for row in factory.rows.get("training_event", [])}
    add_costs(factory, planner.placements, {key: ids[ref] for key, ref in refs.items()})
    requirements = 0
    for target in world.targets:
        for requirement in target.requirements:
            factory.add(
                "training_requirement",
                target_id=target.target_id,
                unit_id=target.unit.id,
                course_id=world.course_ids[requirement.spec.course],
                people=requirement.spec.people,
                due_date=requirement.due,
            )
            requirements += 1
    factory.add(
        "change_log",
        entity="Plan",
        entity_uuid=factory.uuid(),
        action="created",
        field=None,
        old_value=None,
        new_value=f"Demo plan (seed {seed}): {len(planner.placements)} events",
        changed_at=factory.now,
        changed_by=session.info.get("user") or current_user(),
    )
    if wanted <= NAMED_DEMO_EVENTS:
        add_trainees(
            factory,
            seed,
            planner.placements,
            {key: ids[ref] for key, ref in refs.items()},
            nation_ids,
            world.units_by_code,
        )
    write_rows(session, factory)
    return DemoSummary(
        seed=seed,
        first_day=first_day,
        last_day=last_day,
        as_of=as_of,
        nations=len(nation_ids),
        units=len(world.units),
        courses=len(world.course_ids),  # the exercise too
        qualifications=len(factory.rows.get("qualification", [])),
        instructors=len(world.instructors),
        venues=len(world.venues),
        events=len(planner.placements),
        requirements=requirements,
        series=len(series),
        targets=len(world.targets),
        forced_events=filler.forced,
        deliberate_clashes=[(rule, [refs[id(p)] for p in placed]) for rule, placed in clashes],
    )


def _audiences(world: World) -> dict[str, list[UnitDiary]]:
    """Units that may attend each course: the right kind of force, a language it is taught in."""
    found: dict[str, list[UnitDiary]] = {}
    for course in world.courses.values():
        found[course.code] = [
            unit
            for unit in world.units
            if unit.trains
            and (course.audience == ANY or course.audience == unit.audience)
            and (course.language == "en" or course.language == unit.language)
        ]
    return found


def _series(planner: Planner, world: World, budget: int) -> list[PlacedSeries]:
    placed: list[PlacedSeries] = []
    for spec in SERIES:
        result = place_series(
            planner,
            len(placed),
            spec,
            world.courses[spec.course],
            world.venues_by_name[spec.venue],
            world.units_by_code,
            world.first_day,
            world.last_day,
            budget,
        )
        if result is not None:
            budget -= len(result.placements)
            placed.append(result)
    return placed


class _Filler:
    """Adds ordinary events (any course, any partner) until the plan has enough."""

    def __init__(self, planner: Planner, world: World, units_for: dict[str, list[UnitDiary]]):
        self.planner = planner
        self.units_for = units_for
        self.courses: list[CourseSpec] = [
            c for c in world.courses.values() if c.weight > 0 and units_for[c.code]
        ]
        self.cumulative: list[int] = []
        total = 0
        for course in self.courses:
            total += course.weight
            self.cumulative.append(total)
        self._peer_cache: dict[tuple[str, str], list[UnitDiary]] = {}
        self.groups: dict[str, list[UnitDiary]] = {}
        for unit in world.units:
            self.groups.setdefault(unit.group, []).append(unit)
        self.low = world.first_day.toordinal()
        self.high = world.last_day.toordinal()
        self.forced = 0

    def fill(self, total: int) -> None:
        while len(self.planner.placements) < total:
            self.add_one()

    def _course(self) -> CourseSpec:
        return self.planner.rng.choices(self.courses, cum_weights=self.cumulative)[0]

    def _peers(self, course: CourseSpec, group: str) -> list[UnitDiary]:
        """Units of one organisation that may attend the course (they train together)."""
        key = (course.code, group)
        peers = self._peer_cache.get(key)
        if peers is None:
            eligible = set(map(id, self.units_for[course.code]))
            peers = [u for u in self.groups[group] if id(u) in eligible]
            self._peer_cache[key] = peers
        return peers

    def _audience(self, course: CourseSpec) -> list[tuple[UnitDiary, int]] | None:
        rng = self.planner.rng
        first = rng.choice(self.units_for[course.code])
        units = [first]
        roll = rng.random()
        extra = 2 if roll < 0.05 else 1 if roll < 0.3 else 0
        if extra:
            peers = [u for u in self._peers(course, first.group) if u is not first]
            units += rng.sample(peers, min(extra, len(peers)))
        wanted = rng.randint(course.min_trainees, course.max_trainees)
        share = math.ceil(wanted / len(units))
        audience = [(unit, min(share, unit.strength)) for unit in units]
        if sum(n for _u, n in audience) < course.min_trainees:
            return None
        while sum(n for _u, n in audience) > course.max_trainees:
            unit, seats = audience[-1]
            audience[-1] = (unit, seats - 1)
        return [(u, n) for u, n in audience if n > 0]

    def add_one(self) -> Placement:
        planner, rng = self.planner, self.planner.rng
        for _attempt in range(_ATTEMPTS):
            course = self._course()
            audience = self._audience(course)
            if audience is None:
                continue
            start = rng.randint(self.low, self.high)
            venues = planner.venues_near(course, audience[0][0].nation)
            placement = planner.try_place(course, audience, start, venues)
            if placement is not None:
                return planner.commit(placement, cancellable=True)
        # A crowded benchmark plan: place it anyway, clashes and all.
        self.forced += 1
        while True:
            course = self._course()
            audience = self._audience(course)
            if audience is not None:
                break
        start = rng.randint(self.low, self.high)
        forced = planner.force_place(course, audience, start, planner.venues_for[course.code])
        return planner.commit(forced)
