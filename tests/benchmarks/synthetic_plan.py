"""Plain-data plans of any size for the planning benchmarks.

Events are placed at random (not clash-free like the demo's), with the
people, rooms and units sized for ``events_per_year`` and held fixed, so a
plan ten times larger spans ten times the years and each resource carries
ten times the events, as a plan kept for a decade would.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from scheduler.planning.data import (
    Assignment,
    CourseData,
    DateSpan,
    EventData,
    HeldQualification,
    InstructorData,
    KitData,
    KitNeed,
    ModuleData,
    NationData,
    PlanData,
    QualificationData,
    Seats,
    UnitData,
    VenueData,
)

NATIONS = (
    NationData("MK", "North Macedonia", "MK", ("mk", "sq")),
    NationData("AL", "Albania", "AL", ("sq",)),
    NationData("ME", "Montenegro", "ME", ("cnr", "sr")),
    NationData("BA", "Bosnia and Herzegovina", "BA", ("bs", "hr", "sr")),
    NationData("RS", "Serbia", "RS", ("sr",)),
    NationData("XK", "Kosovo", "XK", ("sq", "sr")),
)
FIRST_YEAR = 2027


def synthetic_plan(events: int, *, events_per_year: int, seed: int = 1) -> PlanData:
    rng = random.Random(seed)
    years = max(1, round(events / events_per_year))
    instructors_n = max(10, events_per_year // 4)
    venues_n = max(5, events_per_year // 12)
    units_n = max(10, events_per_year // 6)
    ids = iter(range(1, 10**9))
    codes = [n.code for n in NATIONS]

    qualifications = [
        QualificationData(next(ids), f"Q{i}", f"Qualification {i}") for i in range(10)
    ]
    # Kit held fixed like the people: ranges, equipment, vehicles, a simulator.
    kit = [
        KitData((ident := next(ids)), f"kit-{ident}", name, kind, quantity)
        for name, kind, quantity in (
            ("Range A", "range", 1),
            ("Range B", "range", 2),
            ("Rifles", "equipment", 40),
            ("Radios", "equipment", 24),
            ("Cameras", "equipment", 8),
            ("Vehicles", "vehicle", 6),
            ("Trucks", "vehicle", 4),
            ("Mannequins", "simulator", 12),
        )
    ]
    courses: list[CourseData] = []
    for i in range(30):
        prerequisites = frozenset({courses[i - 5].id}) if i >= 5 and i % 3 == 0 else frozenset()
        courses.append(
            CourseData(
                next(ids),
                f"C{i:02d}",
                f"Course {i}",
                duration_days=rng.choice([1, 2, 3, 5, 5, 10]),
                min_trainees=rng.choice([None, 4, 6]),
                max_trainees=rng.choice([None, 20, 24]),
                trainees_per_instructor=rng.choice([None, 8, 12]),
                language=rng.choice(["en", "mk", "sq", "sr"]),
                required_facilities=frozenset(
                    rng.sample(["classroom", "range", "lab"], rng.randrange(0, 2))
                ),
                required_qualifications=frozenset(
                    q.id for q in rng.sample(qualifications, rng.randrange(0, 2))
                ),
                prerequisites=prerequisites,
                # One course in three needs kit: a fixed number, or per trainees.
                kit=tuple(
                    KitNeed(k.id, rng.choice([1, 2, 6]), rng.choice([None, None, 6]))
                    for k in rng.sample(kit, rng.choice([1, 2]))
                )
                if i % 3 == 0
                else (),
            )
        )
    end_year = FIRST_YEAR + years
    instructors = []
    for i in range(instructors_n):
        ident = next(ids)
        leave = []
        for year in range(FIRST_YEAR, end_year):
            first = date(year, 1, 1) + timedelta(days=rng.randrange(0, 350))
            leave.append(DateSpan(first, first + timedelta(days=rng.randrange(2, 14)), "leave"))
        instructors.append(
            InstructorData(
                ident,
                f"instructor-{ident}",
                f"Instructor {i}",
                rng.choice(codes),
                "interpreter" if i % 10 == 0 else "instructor",
                frozenset(["en", "mk", "sq", "sr", "cnr", "bs"])
                if i % 10 == 0
                else frozenset(rng.sample(["en", "mk", "sq", "sr", "bs"], 2)),
                rng.choice([None, 12, 15]),
                rng.choice(["month", "quarter"]),
                tuple(
                    HeldQualification(
                        q.id,
                        rng.choice(
                            [None, date(end_year, 6, 30), date(FIRST_YEAR + years // 2, 3, 1)]
                        ),
                    )
                    for q in rng.sample(qualifications, 6)
                ),
                tuple(leave),
            )
        )
    venues = [
        VenueData(
            (ident := next(ids)),
            f"venue-{ident}",
            f"Venue {i}",
            codes[i % len(codes)],
            rng.choice([20, 30, 60, None]),
            frozenset(rng.sample(["classroom", "range", "lab"], 2)),
            (DateSpan(date(FIRST_YEAR, 7, 20), date(FIRST_YEAR, 8, 10), "summer"),)
            if i % 4 == 0
            else (),
        )
        for i in range(venues_n)
    ]
    units = [
        UnitData(
            (ident := next(ids)),
            f"unit-{ident}",
            f"U{i:03d}",
            f"Unit {i}",
            codes[i % len(codes)],
            None,
            rng.choice([40, 120, 600]),
            None,
        )
        for i in range(units_n)
    ]
    venues_by_nation: dict[str, list[VenueData]] = {}
    for venue in venues:
        venues_by_nation.setdefault(venue.nation_code or "", []).append(venue)
    teachers = [p for p in instructors if p.role == "instructor"]
    qualified = {
        c.id: [
            p
            for p in teachers
            if c.required_qualifications <= {q.qualification_id for q in p.qualifications}
        ]
        or teachers
        for c in courses
    }
    languages = {n.code: n.languages[0] for n in NATIONS}
    interpreters = [p for p in instructors if p.role == "interpreter"]
    span_days = (date(end_year, 1, 1) - date(FIRST_YEAR, 1, 1)).days
    found = []
    statuses = ["planned"] * 5 + ["confirmed"] * 3 + ["delivered"] * 2 + ["draft", "cancelled"]
    for n in range(events):
        course = rng.choice(courses)
        day = date(FIRST_YEAR, 1, 1) + timedelta(days=rng.randrange(span_days))
        while day.weekday() >= 5:
            day += timedelta(days=1)
        last = day + timedelta(
            days=course.duration_days - 1 + 2 * ((course.duration_days + day.weekday() - 1) // 5)
        )
        audience = rng.sample(units, rng.choice([1, 1, 2]))
        venue = rng.choice(venues_by_nation[audience[0].nation_code or ""])
        pool = qualified[course.id]
        staff = [
            Assignment(p.id, "instructor")
            for p in rng.sample(pool, min(len(pool), rng.choice([1, 1, 1, 2])))
        ]
        if any(languages[u.nation_code or ""] != course.language for u in audience):
            staff.append(Assignment(rng.choice(interpreters).id, "interpreter"))
        ident = next(ids)
        start = datetime.combine(day, time(8, 30))
        end = datetime.combine(last, time(15, 30))
        # One event in five of two days or more runs as two modules: the
        # second half elsewhere in the nation, with its own instructors.
        modules: tuple[ModuleData, ...] = ()
        if n % 5 == 0 and last > day:
            middle = datetime.combine(day + (last - day) // 2, time(15, 30))
            second_venue = rng.choice(venues_by_nation[venue.nation_code or ""])
            second_staff = tuple(
                Assignment(p.id, "instructor") for p in rng.sample(pool, min(len(pool), 1))
            )
            modules = (
                ModuleData(start, middle, None, None, "First half"),
                ModuleData(
                    middle + timedelta(hours=17), end, second_venue.id, second_staff, "Second half"
                ),
            )
        found.append(
            EventData(
                ident,
                f"event-{ident}",
                f"{venue.nation_code}-{day.year}-{n:06d}",
                course.id,
                venue.id,
                start,
                end,
                rng.choice(statuses),
                tuple(Seats(u.id, rng.randrange(4, 14)) for u in audience),
                tuple(staff),
                modules=modules,
            )
        )
    return PlanData.build(
        events=found,
        courses=courses,
        instructors=instructors,
        venues=venues,
        units=units,
        nations=NATIONS,
        qualifications=qualifications,
        kit=kit,
    )
