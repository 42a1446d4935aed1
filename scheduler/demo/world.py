"""The demo's reference data — qualifications, courses, units, instructors,
venues, closures and capability targets — as rows to insert and as diaries
to plan against.

Large plans repeat the partner organisations, rosters and venues as
numbered replicas, so each resource carries the load a real one would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from scheduler.demo.bookings import InstructorDiary, UnitDiary, VenueDiary
from scheduler.demo.catalogue import CATEGORY_COLOURS, COURSES, QUALIFICATIONS, CourseSpec
from scheduler.demo.people import (
    DEFAULT_WORKLOAD,
    INTERPRETER_WORKLOAD,
    ROSTER,
    WORKLOAD,
    NameMaker,
    RosterLine,
)
from scheduler.demo.requirements import PlacedTarget
from scheduler.demo.rows import RowFactory
from scheduler.demo.units import CAPABILITY_TARGETS, UNIT_TREES, UnitSpec, UnitTree
from scheduler.demo.venues import PLAN_CLOSURES, VENUES
from scheduler.demo.workday_index import WorkdayIndex
from scheduler.model.enums import AbsenceKind, InstructorRole
from scheduler.model.nations import NATIONS

LEAVE_REASONS: dict[str, str] = {
    "GB": "Annual leave",
    "MK": "Годишен одмор",
    "AL": "Pushim vjetor",
    "XK": "Pushim vjetor",
    "ME": "Godišnji odmor",
    "BA": "Godišnji odmor",
    "RS": "Годишњи одмор",
}


def replica_code(code: str, replica: int) -> str:
    return code if replica == 0 else f"{code}-R{replica + 1}"


def replica_name(name: str, replica: int) -> str:
    return name if replica == 0 else f"{name} ({replica + 1})"


@dataclass(slots=True, eq=False)
class World:
    first_day: date
    last_day: date
    calendars: dict[str, WorkdayIndex]
    courses: dict[str, CourseSpec]
    course_ids: dict[str, int]
    units: list[UnitDiary] = field(default_factory=list)
    units_by_code: dict[str, UnitDiary] = field(default_factory=dict)
    instructors: list[InstructorDiary] = field(default_factory=list)
    venues: list[VenueDiary] = field(default_factory=list)
    venues_by_name: dict[str, VenueDiary] = field(default_factory=dict)
    targets: list[PlacedTarget] = field(default_factory=list)


def _years(first: date, last: date) -> range:
    return range(first.year, last.year + 1)


def _shift(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def build_world(
    factory: RowFactory,
    rng: random.Random,
    nation_ids: dict[str, int],
    first_day: date,
    last_day: date,
    years: int,
    replicas: int,
) -> World:
    closures = _closure_days(factory, nation_ids, first_day, last_day)
    calendars = {
        seed.code: WorkdayIndex(
            seed.code,
            first_day,
            last_day + timedelta(days=120),
            closures.get(None, set()) | closures.get(seed.code, set()),
        )
        for seed in NATIONS
    }
    qualification_ids = {
        spec.code: factory.add(
            "qualification", code=spec.code, name=spec.name, validity_months=spec.validity_months
        )["id"]
        for spec in QUALIFICATIONS
    }
    course_ids = _courses(factory, qualification_ids)
    world = World(first_day, last_day, calendars, {c.code: c for c in COURSES}, course_ids)
    for replica in range(replicas):
        for tree in UNIT_TREES:
            _unit(factory, world, nation_ids, tree, tree.root, None, replica, tree.root.code)
    names = NameMaker(rng)
    for _replica in range(replicas):
        for line in ROSTER:
            for _ in range(line.count):
                _instructor(factory, world, rng, names, nation_ids, line, qualification_ids)
    for replica in range(replicas):
        for spec in VENUES:
            venue_id = factory.add(
                "venue",
                name=replica_name(spec.name, replica),
                nation_id=nation_ids[spec.nation],
                location=spec.location,
                capacity=spec.capacity,
                facilities=list(spec.facilities),
                time_zone=None,
            )["id"]
            diary = VenueDiary(
                venue_id,
                replica_name(spec.name, replica),
                spec.nation,
                spec.capacity,
                frozenset(spec.facilities),
            )
            for year in _years(first_day, last_day):
                for closure in spec.closures:
                    begin = date(year, closure.month, closure.day)
                    end = begin + timedelta(days=closure.days - 1)
                    factory.add(
                        "venue_closure",
                        venue_id=venue_id,
                        start_date=begin,
                        end_date=end,
                        reason=closure.reason,
                    )
                    diary.closed.update(range(begin.toordinal(), end.toordinal() + 1))
            world.venues.append(diary)
            world.venues_by_name[diary.name] = diary
    _targets(factory, world, first_day, years, replicas)
    return world


def _closure_days(
    factory: RowFactory, nation_ids: dict[str, int], first: date, last: date
) -> dict[str | None, set[date]]:
    found: dict[str | None, set[date]] = {}
    for year in _years(first, last):
        for month, day, nation, name in PLAN_CLOSURES:
            when = date(year, month, day)
            factory.add(
                "closure_day",
                day=when,
                nation_id=nation_ids[nation] if nation else None,
                name=name,
            )
            found.setdefault(nation, set()).add(when)
    return found


def _courses(factory: RowFactory, qualification_ids: dict[str, int]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for spec in COURSES:
        ids[spec.code] = factory.add(
            "course",
            code=spec.code,
            title=spec.title,
            category=spec.category,
            duration_days=spec.duration_days,
            daily_hours=spec.daily_hours,
            min_trainees=spec.min_trainees,
            max_trainees=spec.max_trainees,
            trainees_per_instructor=spec.trainees_per_instructor,
            language=spec.language,
            required_facilities=list(spec.required_facilities),
            colour=CATEGORY_COLOURS.get(spec.category),
            description=spec.description,
        )["id"]
    for spec in COURSES:
        for code in spec.required_qualifications:
            factory.link(
                "course_qualification",
                course_id=ids[spec.code],
                qualification_id=qualification_ids[code],
            )
        for code in spec.prerequisites:
            factory.link("course_prerequisite", course_id=ids[spec.code], prerequisite_id=ids[code])
    return ids


def _unit(
    factory: RowFactory,
    world: World,
    nation_ids: dict[str, int],
    tree: UnitTree,
    spec: UnitSpec,
    parent: UnitDiary | None,
    replica: int,
    group: str,
) -> None:
    releasability = next(n.releasability for n in NATIONS if n.code == tree.nation)
    code = replica_code(spec.code, replica)
    name = replica_name(spec.name, replica)
    unit_id = factory.add(
        "unit",
        code=code,
        name=name,
        kind=spec.kind,
        nation_id=nation_ids[tree.nation],
        parent_id=parent.id if parent else None,
        strength=spec.strength,
        language=tree.language,
        releasability_group=releasability,
        contact=None,
    )["id"]
    diary = UnitDiary(
        unit_id,
        code,
        name,
        tree.nation,
        tree.language,
        tree.audience,
        spec.kind,
        spec.strength,
        spec.trains,
        parent,
        replica_code(group, replica),
    )
    world.units.append(diary)
    world.units_by_code[code] = diary
    for child in spec.children:
        _unit(factory, world, nation_ids, tree, child, diary, replica, group)


def _instructor(
    factory: RowFactory,
    world: World,
    rng: random.Random,
    names: NameMaker,
    nation_ids: dict[str, int],
    line: RosterLine,
    qualification_ids: dict[str, int],
) -> None:
    if line.role is InstructorRole.INTERPRETER:
        max_days, period = INTERPRETER_WORKLOAD
    else:
        max_days, period = WORKLOAD.get((line.nation, line.role), DEFAULT_WORKLOAD)
    name = names.name(line.nation)
    held = [code for i, code in enumerate(line.qualifications) if i == 0 or rng.random() < 0.8]
    instructor_id = factory.add(
        "instructor",
        name=name,
        nation_id=nation_ids[line.nation],
        organisation=line.organisation,
        role=line.role,
        languages=list(line.languages),
        max_training_days=max_days,
        workload_period=period,
        releasable=line.releasable,
        contact=None,
    )["id"]
    diary = InstructorDiary(
        instructor_id,
        name,
        line.nation,
        line.role,
        frozenset(line.languages),
        {},
        max_days,
        period,
    )
    validity = {spec.code: spec.validity_months for spec in QUALIFICATIONS}
    for code in held:
        months = validity[code]
        awarded: date | None
        expires: date | None
        if months is None:
            awarded, expires = world.first_day - timedelta(days=rng.randint(200, 2500)), None
        elif rng.random() < 0.12:
            # Lapses during the plan: the instructor cannot teach that course after.
            span = (world.last_day - world.first_day).days
            expires = world.first_day + timedelta(days=rng.randint(min(60, span), span))
            awarded = expires - timedelta(days=round(months * 30.44))
        else:
            expires = world.last_day + timedelta(days=rng.randint(30, 400))
            awarded = max(
                expires - timedelta(days=round(months * 30.44)),
                world.first_day - timedelta(days=rng.randint(30, 900)),
            )
            awarded = min(awarded, world.first_day - timedelta(days=10))
        factory.add(
            "instructor_qualification",
            instructor_id=instructor_id,
            qualification_id=qualification_ids[code],
            awarded_on=awarded,
            expires_on=expires,
        )
        diary.qualifications[code] = expires.toordinal() if expires else None
    for begin, end, kind, reason in _absences(rng, line.nation, world.first_day, world.last_day):
        factory.add(
            "unavailability",
            instructor_id=instructor_id,
            start_date=begin,
            end_date=end,
            kind=kind,
            reason=reason,
        )
        diary.away.update(range(begin.toordinal(), end.toordinal() + 1))
    world.instructors.append(diary)


def _absences(
    rng: random.Random, nation: str, first: date, last: date
) -> list[tuple[date, date, AbsenceKind, str]]:
    found: list[tuple[date, date, AbsenceKind, str]] = []
    leave = LEAVE_REASONS[nation]
    for year in _years(first, last):
        if rng.random() < 0.85:
            begin = date(year, rng.choice((7, 8)), rng.randint(1, 20))
            found.append(
                (begin, begin + timedelta(days=rng.randint(9, 16)), AbsenceKind.LEAVE, leave)
            )
        if rng.random() < 0.3:
            begin = date(year, rng.choice((3, 4, 10)), rng.randint(1, 24))
            found.append(
                (begin, begin + timedelta(days=rng.randint(3, 6)), AbsenceKind.LEAVE, leave)
            )
        if nation == "GB" and rng.random() < 0.5:
            begin = date(year, 12, rng.randint(17, 21))
            found.append(
                (begin, begin + timedelta(days=11), AbsenceKind.LEAVE, "Christmas leave (UK)")
            )
        if nation == "GB" and rng.random() < 0.12:
            begin = date(year, rng.randint(2, 10), rng.randint(1, 25))
            found.append(
                (
                    begin,
                    begin + timedelta(days=rng.randint(20, 41)),
                    AbsenceKind.DEPLOYMENT,
                    "Deployment: Operation CABRIT, Estonia",
                )
            )
        if rng.random() < 0.35:
            begin = date(year, rng.randint(1, 11), rng.randint(1, 25))
            reason = "Travel: UK ↔ Skopje rotation" if nation == "GB" else "Regional conference"
            found.append(
                (begin, begin + timedelta(days=rng.randint(1, 3)), AbsenceKind.TRAVEL, reason)
            )
    return [a for a in found if a[1] >= first and a[0] <= last + timedelta(days=60)]


def _targets(factory: RowFactory, world: World, first: date, years: int, replicas: int) -> None:
    for year in range(years):
        year_start = _shift(first, year)
        for replica in range(replicas):
            for spec in CAPABILITY_TARGETS:
                unit = world.units_by_code[replica_code(spec.unit, replica)]
                due = year_start + timedelta(days=spec.due_after_days)
                name = spec.name if years == 1 else f"{spec.name} ({due.year})"
                target_id = factory.add(
                    "capability_target",
                    name=name,
                    unit_id=unit.id,
                    due_date=due,
                    description=spec.description,
                )["id"]
                world.targets.append(PlacedTarget(spec, unit, name, due, target_id))
