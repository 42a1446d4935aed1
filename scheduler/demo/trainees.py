"""Named trainees of the demo: an Albanian and a Montenegrin battalion's people
on their courses, so the Trainees page, named readiness, the roll call, the
reply form and certificates have something to show.

Drawn from a generator of their own (the rest of a seeded demo stays as it
was) and only onto courses without prerequisites, one event at a time per
person: the demo's planted conflicts stay exactly the ones it plants.
North Macedonia's units are left without names (the tests enrol their own).
"""

from __future__ import annotations

import random
from datetime import date

from scheduler.demo.bookings import UnitDiary
from scheduler.demo.placement import Placement
from scheduler.demo.rows import RowFactory
from scheduler.model.enums import EnrolmentStatus, EventStatus

# Battalion -> (nation, its people: name as written, in Latin letters, rank, languages).
PEOPLE: dict[str, tuple[str, tuple[tuple[str, str, str], ...], tuple[str, ...]]] = {
    "AL-LIB": (
        "AL",
        (
            ("Arben Hoxha", "Arben Hoxha", "toger"),
            ("Elira Krasniqi", "Elira Krasniqi", "nëntoger"),
            ("Besnik Çela", "Besnik Çela", "kapiten"),
            ("Dritan Shehu", "Dritan Shehu", "rreshter"),
            ("Mimoza Gjoka", "Mimoza Gjoka", "toger"),
            ("Ilir Dervishi", "Ilir Dervishi", "kapter"),
            ("Genti Mema", "Genti Mema", "rreshter"),
            ("Ardita Leka", "Ardita Leka", "nëntoger"),
        ),
        ("sq", "en"),
    ),
    "ME-INF": (
        "ME",
        (
            ("Марко Вуковић", "Marko Vuković", "поручник"),
            ("Јелена Радовић", "Jelena Radović", "потпоручник"),
            ("Никола Ђукановић", "Nikola Đukanović", "капетан"),
            ("Милош Поповић", "Miloš Popović", "водник"),
            ("Ана Шћекић", "Ana Šćekić", "поручник"),
            ("Стефан Булатовић", "Stefan Bulatović", "водник"),
        ),
        ("cnr", "sr"),
    ),
}
MOVED_ON = date(2027, 5, 1)  # one person of each battalion changes company then
_LIVE = (EventStatus.PLANNED, EventStatus.CONFIRMED, EventStatus.DELIVERED)


def add_trainees(
    factory: RowFactory,
    seed: int,
    placements: list[Placement],
    event_ids: dict[int, int],
    nation_ids: dict[str, int],
    units_by_code: dict[str, UnitDiary],
) -> int:
    """Rows for the demo's trainees, postings and enrolments; how many people.

    ``event_ids``: ``id(placement)`` -> the event's key.
    """
    rng = random.Random(f"demo-trainees-{seed}")
    people = 0
    for battalion, (nation, names, languages) in PEOPLE.items():
        parent = units_by_code.get(battalion)
        if parent is None:
            continue
        companies = [u for u in units_by_code.values() if u.parent is parent] or [parent]
        unit_ids = {u.id for u in (parent, *companies)}
        busy: dict[int, list[tuple[int, int]]] = {}
        ids = []
        for index, (name, latin, rank) in enumerate(names):
            company = companies[index % len(companies)]
            trainee = factory.add(
                "trainee",
                name=name,
                name_latin=latin if latin != name else None,
                rank=rank,
                nation_id=nation_ids[nation],
                service_number=f"{nation}-{1000 + rng.randrange(9000)}",
                languages=list(languages),
            )["id"]
            ids.append(trainee)
            if index == 0 and len(companies) > 1:
                # A move: the history stays.
                factory.add("trainee_posting", trainee_id=trainee, unit_id=company.id,
                            date_from=date(2024, 9, 1), date_to=MOVED_ON)  # fmt: skip
                factory.add("trainee_posting", trainee_id=trainee, unit_id=companies[1].id,
                            date_from=MOVED_ON, date_to=None)  # fmt: skip
            else:
                factory.add("trainee_posting", trainee_id=trainee, unit_id=company.id,
                            date_from=date(2024, 9, 1), date_to=None)  # fmt: skip
            busy[trainee] = []
        people += len(ids)
        events = sorted(
            (
                p
                for p in placements
                if p.status in _LIVE
                and not p.course.prerequisites
                and p.series is None
                and any(unit.id in unit_ids for unit, _seats in p.audience)
            ),
            key=lambda p: (p.first, p.course.code),
        )
        for placement in events[:12]:
            free = [t for t in ids if all(placement.last < a or placement.first > b
                                           for a, b in busy[t])]  # fmt: skip
            for trainee in rng.sample(free, min(len(free), 3)):
                busy[trainee].append((placement.first, placement.last))
                status, result = _outcome(rng, placement)
                factory.add(
                    "enrolment",
                    event_id=event_ids[id(placement)],
                    trainee_id=trainee,
                    status=status,
                    result_date=result,
                    certificate_serial=None,
                    remarks=None,
                )
    return people


def _outcome(rng: random.Random, placement: Placement) -> tuple[str, date | None]:
    if placement.status != EventStatus.DELIVERED:
        return rng.choice([EnrolmentStatus.NOMINATED, EnrolmentStatus.CONFIRMED]).value, None
    last = date.fromordinal(placement.last)
    roll = rng.random()
    if roll < 0.8:
        return EnrolmentStatus.PASSED.value, last
    if roll < 0.9:
        return EnrolmentStatus.FAILED.value, last
    return EnrolmentStatus.NO_SHOW.value, None
