"""The engine: sweep against the pairwise definition, incremental against full,
and acceptances that lapse when the events change."""

from __future__ import annotations

import itertools
import random
from dataclasses import replace
from datetime import datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st
from plan_factory import PlanFactory, span

from scheduler.planning.conflicts import conflict_fingerprint
from scheduler.planning.data import (
    AcceptanceData,
    Assignment,
    EventData,
    KitNeed,
    ModuleData,
    PlanData,
    Seats,
)
from scheduler.planning.engine import ConflictEngine, check_plan
from scheduler.planning.rules.overlaps import naive_overlaps, sweep_overlaps

BASE = datetime(2027, 1, 4)

bookings = st.lists(
    st.tuples(st.integers(0, 200), st.integers(0, 40)),  # start hour, length in hours
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(bookings)
def test_sweep_finds_exactly_the_pairwise_overlaps(raw: list[tuple[int, int]]) -> None:
    items = sorted(
        (BASE + timedelta(hours=s), BASE + timedelta(hours=s + n), i)
        for i, (s, n) in enumerate(raw)
        if n > 0
    )
    swept = {(min(a, b), max(a, b)) for a, b in sweep_overlaps(items)}
    assert len(swept) == len(list(sweep_overlaps(items)))  # no pair twice
    assert swept == naive_overlaps(items)


def random_plan(rng: random.Random, events: int = 30) -> tuple[PlanData, PlanFactory]:
    f = PlanFactory()
    rifles = f.kit_item("Rifles", 20)
    lane = f.kit_item("Range lane 3", 1, kind="range")
    basic = f.course("BAS", "Basic", kit=(KitNeed(rifles.id, 2, 1),))
    courses = [
        basic,
        f.course("ADV", "Advanced", prerequisites=frozenset({basic.id}), min_trainees=3,
                 required_facilities=frozenset({"range"}), kit=(KitNeed(lane.id, 1),)),
        f.course("SUP", "Support", trainees_per_instructor=6, language="en",
                 kit=(KitNeed(rifles.id, 6, 6), KitNeed(lane.id, 1))),
    ]  # fmt: skip
    people = [
        f.instructor(
            "Ana Đurić", max_training_days=6, unavailability=(span("2027-01-18", "2027-01-20"),)
        ),
        f.instructor("Ëlira Çela", max_training_days=8, workload_period="quarter"),
        f.instructor("Arta Hoxha", max_training_hours=30),
        f.instructor("Драган Петровски"),
        f.instructor("Ilir Krasniqi", role="interpreter", languages=frozenset({"sq", "en", "mk"})),
    ]
    venues = [
        f.venue("Скопје", "MK", capacity=12),
        f.venue("Tiranë", "AL"),
        f.venue("Штип", "MK", facilities=frozenset({"Range", "classroom"})),
    ]
    units = [
        f.unit("MK-1", strength=20),
        f.unit("MK-2", strength=8),
        f.unit("AL-1", nation="AL", language="sq", strength=15),
    ]
    for _ in range(events):
        random_event(rng, f, courses, people, venues, units)
    # Named people on a few events each: their clashes and prerequisites move
    # with the events they are on.
    statuses = ["nominated", "confirmed", "attended", "passed", "failed", "withdrawn"]
    for name in ("Ѓорѓи Трајковски", "Dritan Hoxha", "Šefik Đurić"):
        picked = rng.sample(list(f.events.values()), rng.randrange(0, 6))
        f.trainee(
            name,
            [(rng.choice(units), None, None)],
            [
                (e, rng.choice(statuses), "2027-02-01")
                if rng.random() < 0.3
                else (e, rng.choice(statuses))
                for e in picked
            ],
        )
    return f.plan(), f


def random_modules(
    rng: random.Random, start: datetime, end: datetime, people: list, venues: list
) -> tuple[ModuleData, ...]:
    """Nothing (most events), or two or three modules splitting [start, end),
    each at its own venue or with its own people, or taking the event's."""
    if end - start < timedelta(hours=24) or rng.random() < 0.6:
        return ()
    cuts = sorted({start + (end - start) * rng.random() for _ in range(rng.choice([1, 2]))})
    edges = [start, *cuts, end]
    found = []
    for low, high in itertools.pairwise(edges):
        if high <= low:
            continue
        staff = None
        if rng.random() < 0.6:
            staff = tuple(
                Assignment(p.id, "interpreter" if p.role == "interpreter" else "instructor")
                for p in rng.sample(people, rng.randrange(1, 3))
            )
        venue = rng.choice([*venues, None]) if rng.random() < 0.6 else None
        found.append(ModuleData(low, high, venue.id if venue else None, staff))
    return tuple(found)


def random_event(
    rng: random.Random, f: PlanFactory, courses: list, people: list, venues: list, units: list
) -> EventData:
    start = BASE + timedelta(days=rng.randrange(0, 60), hours=rng.choice([8, 9, 13]))
    end = start + timedelta(hours=rng.choice([0, 3, 7, 24, 31, 55, 79, 100]))
    return f.event(
        rng.choice(courses),
        start,
        end,
        venue=rng.choice([*venues, None]),
        units=[(u, rng.randrange(0, 12)) for u in rng.sample(units, rng.randrange(0, 3))],
        staff=[
            (p, "interpreter" if p.role == "interpreter" else "instructor")
            for p in rng.sample(people, rng.randrange(0, 3))
        ],
        status=rng.choice(["planned", "planned", "confirmed", "draft", "delivered", "cancelled"]),
        modules=random_modules(rng, start, end, people, venues),
    )


def edited(rng: random.Random, event: EventData, plan: PlanData) -> EventData:
    choice = rng.randrange(8)
    if choice == 7:
        people = list(plan.instructors.values())
        venues = list(plan.venues.values())
        return replace(event, modules=random_modules(rng, event.start, event.end, people, venues))
    if choice == 6:
        return replace(event, course_id=rng.choice(sorted(plan.courses)))
    if choice == 0:
        shift = timedelta(hours=rng.randrange(-200, 200))
        modules = tuple(m._replace(start=m.start + shift, end=m.end + shift) for m in event.modules)
        return replace(event, start=event.start + shift, end=event.end + shift, modules=modules)
    if choice == 1:
        return replace(event, end=event.start + timedelta(hours=rng.randrange(0, 120)), modules=())
    if choice == 2:
        return replace(event, status=rng.choice(["cancelled", "planned", "draft"]))
    if choice == 3:
        ids = sorted(plan.instructors)
        return replace(
            event,
            staff=tuple(
                Assignment(i, plan.instructors[i].role)
                for i in rng.sample(ids, rng.randrange(0, 3))
            ),
        )
    if choice == 4:
        ids = sorted(plan.units)
        return replace(
            event,
            audience=tuple(
                Seats(u, rng.randrange(0, 12)) for u in rng.sample(ids, rng.randrange(0, 3))
            ),
        )
    return replace(event, venue_id=rng.choice([*sorted(plan.venues), None]))


def fresh_copy(plan: PlanData) -> PlanData:
    return replace(plan, events=dict(plan.events))


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32))
@example(840)  # an event of no length edited inside a kit clash (fixed)
def test_incremental_check_equals_full_check(seed: int) -> None:
    rng = random.Random(seed)
    plan, f = random_plan(rng)
    engine = ConflictEngine(fresh_copy(plan))
    assert engine.conflicts() == check_plan(fresh_copy(plan))
    for _ in range(12):
        events = engine.plan.events
        action = rng.randrange(10)
        if action == 0 and events:
            engine.update(removed=[rng.choice(sorted(events))])
        elif action == 1:
            new = random_event(rng, f, f.courses, f.instructors, f.venues, f.units)
            engine.update([new])
        elif events:
            batch = [
                edited(rng, events[i], engine.plan)
                for i in rng.sample(sorted(events), min(2, len(events)))
            ]
            engine.update(batch)
        assert engine.conflicts() == check_plan(fresh_copy(engine.plan))


def test_update_reports_added_and_removed_conflicts() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    first = f.event(c, "2027-06-01", "2027-06-03", staff=[ana])
    second = f.event(c, "2027-06-07", "2027-06-08", staff=[ana])
    engine = ConflictEngine(f.plan())
    assert len(engine) == 0
    moved = replace(
        second, start=second.start - timedelta(days=5), end=second.end - timedelta(days=5)
    )
    delta = engine.update([moved])
    assert [x.rule for x in delta.added] == ["instructor_double_booked"]
    assert delta.removed == ()
    assert [x.rule for x in engine.conflicts_of(first.id)] == ["instructor_double_booked"]
    delta = engine.update([second])
    assert delta.added == () and len(delta.removed) == 1
    assert not engine.update([second])  # no change, empty delta


def test_window_filter() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    f.event(c, "2027-06-01", staff=[ana])
    f.event(c, "2027-06-01", staff=[ana])
    engine = ConflictEngine(f.plan())
    d = datetime(2027, 6, 1).date()
    assert len(engine.conflicts(d, d)) == 1
    assert engine.conflicts(d + timedelta(days=1), None) == []
    assert engine.conflicts(None, d - timedelta(days=1)) == []


def test_acceptance_holds_until_the_events_change() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    f.event(c, "2027-06-01", "2027-06-02", staff=[ana])
    second = f.event(c, "2027-06-02", "2027-06-03", staff=[ana])
    plan = f.plan()
    [conflict] = check_plan(plan)
    assert not conflict.accepted
    acceptance = AcceptanceData(
        1, conflict.rule, conflict.key, conflict_fingerprint(plan, conflict), "agreed with MoD"
    )
    f.acceptances.append(acceptance)
    engine = ConflictEngine(f.plan())
    [accepted] = engine.conflicts()
    assert accepted.accepted and accepted.key == conflict.key

    # Moving one of the events (still clashing) reopens it.
    moved = replace(second, end=second.end + timedelta(hours=1))
    delta = engine.update([moved])
    [reopened] = engine.conflicts()
    assert not reopened.accepted and delta.added == (reopened,)
    assert engine.conflicts() == check_plan(fresh_copy(engine.plan))

    # Withdrawing every acceptance flips nothing now; restoring the event re-accepts.
    engine.update([second])
    assert engine.conflicts()[0].accepted
    delta = engine.set_acceptances([])
    assert [x.accepted for x in delta.added] == [False]


def test_acceptance_of_another_conflict_does_not_apply() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    f.event(c, "2027-06-01", staff=[ana])
    f.event(c, "2027-06-01", staff=[ana])
    plan = f.plan()
    [conflict] = check_plan(plan)
    f.acceptances.append(
        AcceptanceData(1, conflict.rule, conflict.key + "x", conflict_fingerprint(plan, conflict))
    )
    assert not check_plan(f.plan())[0].accepted
