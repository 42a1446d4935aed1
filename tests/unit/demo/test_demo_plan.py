"""The demo plan: big enough, realistic, deterministic, and clean except for
the clashes it makes on purpose.

The clash check here is written independently of the generator (and of the
planning engine), straight from the rules' plain meaning, so it catches a
generator that books something twice without knowing it.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil.rrule import rrulestr
from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import Session, selectinload

from scheduler.demo import CLASH_RULES, DemoSummary, build_demo
from scheduler.model import (
    Base,
    ClosureDay,
    Course,
    CourseKit,
    EventSeries,
    EventStatus,
    Instructor,
    InstructorRole,
    Kit,
    Nation,
    TrainingEvent,
    TrainingRequirement,
    Unit,
    Venue,
)
from scheduler.model.nations import NATIONS
from scheduler.planning.workdays import WorkingCalendar


def _enable_foreign_keys(connection: object, _record: object) -> None:
    connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[attr-defined]


def empty_plan(url: str = "sqlite://") -> Engine:
    engine = create_engine(url)
    event.listen(engine, "connect", _enable_foreign_keys)
    Base.metadata.create_all(engine)
    with Session(engine) as session, session.begin():
        for seed in NATIONS:
            session.add(
                Nation(
                    code=seed.code,
                    name=seed.name,
                    time_zone=seed.time_zone,
                    languages=list(seed.languages),
                    releasability=seed.releasability,
                )
            )
    return engine


def build(seed: int = 1, events: int | None = None, url: str = "sqlite://") -> Engine:
    engine = empty_plan(url)
    with Session(engine) as session, session.begin():
        build_demo(session, seed=seed, events=events)
    return engine


@pytest.fixture(scope="module")
def default_plan() -> Iterator[tuple[Engine, DemoSummary]]:
    engine = empty_plan()
    with Session(engine) as session, session.begin():
        summary = build_demo(session)
    yield engine, summary
    engine.dispose()


def load_events(session: Session) -> list[TrainingEvent]:
    return list(
        session.scalars(
            select(TrainingEvent).options(
                selectinload(TrainingEvent.course).selectinload(Course.required_qualifications),
                selectinload(TrainingEvent.course).selectinload(Course.prerequisites),
                selectinload(TrainingEvent.venue).selectinload(Venue.closures),
                selectinload(TrainingEvent.venue).selectinload(Venue.nation),
                selectinload(TrainingEvent.audience),
                selectinload(TrainingEvent.instructors),
            )
        )
    )


def calendars(session: Session) -> dict[str, WorkingCalendar]:
    closures: dict[int | None, set[date]] = defaultdict(set)
    for closure in session.scalars(select(ClosureDay)):
        closures[closure.nation_id].add(closure.day)
    return {
        nation.code: WorkingCalendar(nation.code, closures[None] | closures[nation.id])
        for nation in session.scalars(select(Nation))
    }


def days(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


@dataclass
class Findings:
    by_rule: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, rule: str, *refs: str) -> None:
        self.by_rule[rule].update(refs)


def find_conflicts(session: Session) -> dict[str, set[str]]:
    """Every rule of DESIGN.md the generator must respect, checked from the rows."""
    found = Findings()
    events = [e for e in load_events(session) if e.status is not EventStatus.CANCELLED]
    people = {
        p.id: p
        for p in session.scalars(
            select(Instructor).options(
                selectinload(Instructor.qualifications), selectinload(Instructor.unavailability)
            )
        )
    }
    units = {u.id: u for u in session.scalars(select(Unit))}
    working = calendars(session)

    by_instructor: dict[int, list[TrainingEvent]] = defaultdict(list)
    by_venue: dict[int, list[TrainingEvent]] = defaultdict(list)
    by_unit: dict[int, list[TrainingEvent]] = defaultdict(list)
    for e in events:
        assert e.venue is not None
        by_venue[e.venue.id].append(e)
        for seat in e.audience:
            by_unit[seat.unit_id].append(e)
        for booked in e.instructors:
            by_instructor[booked.instructor_id].append(e)

    for rule, groups in (
        ("instructor_double_booked", by_instructor),
        ("venue_double_booked", by_venue),
        ("unit_double_booked", by_unit),
    ):
        for group in groups.values():
            group.sort(key=lambda e: e.start)
            for index, earlier in enumerate(group):
                for later in group[index + 1 :]:
                    if later.start >= earlier.end:
                        break
                    found.add(rule, earlier.ref, later.ref)

    for person_id, taught in by_instructor.items():
        person = people[person_id]
        for earlier, later in itertools.pairwise(taught):
            assert earlier.venue is not None and later.venue is not None
            gap = (later.start.date() - earlier.end.date()).days
            if earlier.venue.nation_id != later.venue.nation_id and gap < 2:
                found.add("travel_time", earlier.ref, later.ref)
        load: dict[tuple[int, int], int] = defaultdict(int)
        for e in taught:
            for day in days(e.start.date(), e.end.date()):
                period = person.workload_period.value
                key = (
                    (day.year, day.month)
                    if period == "month"
                    else (day.year, (day.month - 1) // 3)
                    if period == "quarter"
                    else (day.year, 0)
                )
                load[key] += 1
                if person.max_training_days and load[key] > person.max_training_days:
                    found.add("instructor_workload", e.ref)

    for e in events:
        assert e.venue is not None
        first, last = e.start.date(), e.end.date()
        course = e.course
        for a in e.audience:
            for prerequisite in course.prerequisites:
                if not any(
                    other.course_id == prerequisite.id and other.end <= e.start
                    for other in by_unit[a.unit_id]
                ):
                    found.add("prerequisite_missing", e.ref)
        if e.provider_id is not None:
            continue  # another provider's run: how they staff and hold it is theirs
        seats = sum(a.seats for a in e.audience)
        staff = [(people[i.instructor_id], i.role) for i in e.instructors]
        teachers = [p for p, role in staff if role is InstructorRole.INSTRUCTOR]
        interpreters = [p for p, role in staff if role is InstructorRole.INTERPRETER]
        for person, _role in staff:
            if any(u.start_date <= last and u.end_date >= first for u in person.unavailability):
                found.add("instructor_unavailable", e.ref)
        if any(c.start_date <= last and c.end_date >= first for c in e.venue.closures):
            found.add("venue_closed", e.ref)
        calendar = working[e.venue.nation.code]
        if any(d.weekday() < 5 and not calendar.is_working_day(d) for d in days(first, last)):
            found.add("public_holiday", e.ref)
        for person in teachers:
            held = {q.qualification_id: q.expires_on for q in person.qualifications}
            for needed in course.required_qualifications:
                if needed.id not in held or (held[needed.id] or date.max) < last:
                    found.add("qualification_missing", e.ref)
            if course.language not in person.languages:
                found.add("instructor_language", e.ref)
        for a in e.audience:
            language = units[a.unit_id].language
            if language != course.language and not any(
                language in p.languages and course.language in p.languages for p in interpreters
            ):
                found.add("language_no_interpreter", e.ref)
        if e.venue.capacity is not None and seats > e.venue.capacity:
            found.add("venue_capacity", e.ref)
        if not (course.min_trainees or 0) <= seats <= (course.max_trainees or seats):
            found.add("course_min_max", e.ref)
        if len(teachers) < math.ceil(seats / (course.trainees_per_instructor or seats)):
            found.add("instructor_ratio", e.ref)

    # Kit: at each event's start, what the events then running need of each kit.
    for item in session.scalars(select(Kit)):
        needs = {
            n.course_id: (n.quantity, n.per_trainees)
            for n in session.scalars(select(CourseKit).where(CourseKit.kit_id == item.id))
        }
        using = [e for e in events if e.course_id in needs and e.provider_id is None]
        amounts = {}
        for e in using:
            quantity, per = needs[e.course_id]
            seats = sum(a.seats for a in e.audience)
            amounts[e.id] = quantity * max(1, math.ceil(seats / per)) if per else quantity
        for e in using:
            running = [o for o in using if o.start <= e.start < o.end]
            if sum(amounts[o.id] for o in running) > item.quantity:
                found.add("kit_over_quantity", *(o.ref for o in running))
    return dict(found.by_rule)


# -- size and content ----------------------------------------------------------


def test_default_plan_has_the_promised_size(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, summary = default_plan
    assert summary.nations == 7
    assert summary.units >= 20
    assert summary.courses >= 25
    assert summary.instructors >= 40
    assert summary.venues >= 12
    assert summary.events >= 300
    assert summary.series >= 3
    assert summary.requirements > 0 and summary.targets > 0
    assert summary.forced_events == 0
    with Session(engine) as session:

        def count(model: type[Base]) -> int:
            return session.scalar(select(func.count()).select_from(model)) or 0

        assert summary.counts() == {
            "nations": count(Nation),
            "units": count(Unit),
            "courses": count(Course),
            "qualifications": summary.qualifications,
            "instructors": count(Instructor),
            "venues": count(Venue),
            "events": count(TrainingEvent),
            "requirements": count(TrainingRequirement),
            "series": count(EventSeries),
        }
        children = session.scalar(select(func.count()).where(Unit.parent_id.is_not(None)))
        assert (children or 0) >= 20
        roles = set(session.scalars(select(Instructor.role)))
        assert InstructorRole.INTERPRETER in roles
        events = session.scalars(select(TrainingEvent)).all()
        assert {e.venue_id for e in events} and len({e.course_id for e in events}) >= 20
        assert min(e.start for e in events).date() >= summary.first_day
        assert max(e.start for e in events).date() <= summary.last_day


def test_statuses_attendance_and_remarks(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, summary = default_plan
    with Session(engine) as session:
        events = load_events(session)
    statuses = {e.status for e in events}
    assert statuses == set(EventStatus)
    for e in events:
        if e.status is EventStatus.DELIVERED:
            assert e.end.date() < summary.as_of
            assert e.attended is not None and e.passed is not None
            assert 0 <= e.passed <= e.attended <= e.seats
        else:
            assert e.attended is None
    assert sum(1 for e in events if e.partner_remarks) >= 20
    assert sum(1 for e in events if e.notes) >= 20


def test_series_occurrences_follow_their_rule(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, _summary = default_plan
    with Session(engine) as session:
        rules = {s.rrule.split(";UNTIL")[0] for s in session.scalars(select(EventSeries))}
        assert "FREQ=WEEKLY;BYDAY=WE" in rules
        assert "FREQ=MONTHLY;BYDAY=1TU" in rules
        for series in session.scalars(
            select(EventSeries).options(selectinload(EventSeries.events))
        ):
            expected = set(rrulestr(series.rrule, dtstart=series.dtstart))
            expected -= {datetime.fromisoformat(text) for text in series.exdates}
            assert {e.recurrence_id for e in series.events} == expected
            assert all(e.start == e.recurrence_id for e in series.events)


def test_requirements_are_partly_met(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, _summary = default_plan
    with Session(engine) as session:
        events = [e for e in load_events(session) if e.status is not EventStatus.CANCELLED]
        on_track = late = short = 0
        for requirement in session.scalars(select(TrainingRequirement)):
            mine = [
                e
                for e in events
                if e.course_id == requirement.course_id
                and any(a.unit_id == requirement.unit_id for a in e.audience)
            ]
            seats = sum(
                a.seats for e in mine for a in e.audience if a.unit_id == requirement.unit_id
            )
            assert requirement.due_date is not None
            if seats < requirement.people:
                short += 1
            elif all(e.end.date() <= requirement.due_date for e in mine):
                on_track += 1
            else:
                late += 1
        assert on_track >= 3 and late >= 1 and short >= 1
        delivered = [e for e in events if e.status is EventStatus.DELIVERED]
        assert any(
            e.course_id in {r.course_id for r in session.scalars(select(TrainingRequirement))}
            for e in delivered
        )


# -- clashes -------------------------------------------------------------------


def test_clean_except_the_deliberate_clashes(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, summary = default_plan
    assert [rule for rule, _refs in summary.deliberate_clashes] == list(CLASH_RULES)
    with Session(engine) as session:
        found = find_conflicts(session)
        notes = dict(session.execute(select(TrainingEvent.ref, TrainingEvent.notes)).all())
    expected = {rule: set(refs) for rule, refs in summary.deliberate_clashes}
    assert found == expected
    for refs in expected.values():
        for ref in refs:
            assert "Demo: deliberate clash" in (notes[ref] or "")
    assert len(expected["instructor_double_booked"]) == 2
    assert len(expected["venue_double_booked"]) == 2


def test_the_conflict_engine_finds_only_the_deliberate_clashes(
    default_plan: tuple[Engine, DemoSummary],
) -> None:
    snapshot = pytest.importorskip("scheduler.services.plan_snapshot")
    engine_module = pytest.importorskip("scheduler.planning.engine")
    engine, summary = default_plan
    with Session(engine) as session:
        conflicts = engine_module.check_plan(snapshot.load_plan_data(session))
    found: dict[str, set[str]] = defaultdict(set)
    for conflict in conflicts:
        found[conflict.rule].update(conflict.events)
    assert dict(found) == {rule: set(refs) for rule, refs in summary.deliberate_clashes}


def test_events_end_on_working_days(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, summary = default_plan
    holiday_refs = dict(summary.deliberate_clashes)["public_holiday"]
    with Session(engine) as session:
        working = calendars(session)
        for e in load_events(session):
            assert e.venue is not None
            assert e.end > e.start
            if e.ref in holiday_refs:
                continue
            calendar = working[e.venue.nation.code]
            assert calendar.is_working_day(e.start.date()), e.ref
            assert calendar.is_working_day(e.end.date()), e.ref
            assert e.ref.startswith(f"{e.venue.nation.code}-{e.start.year}-")


# -- determinism and text ------------------------------------------------------


def fingerprint(engine: Engine) -> list[tuple[object, ...]]:
    with Session(engine) as session:
        rows: list[tuple[object, ...]] = [
            tuple(r)
            for r in session.execute(
                select(
                    TrainingEvent.ref,
                    TrainingEvent.uuid,
                    TrainingEvent.start,
                    TrainingEvent.end,
                    TrainingEvent.status,
                    Course.code,
                    Venue.name,
                )
                .join(Course, TrainingEvent.course_id == Course.id)
                .join(Venue, TrainingEvent.venue_id == Venue.id)
                .order_by(TrainingEvent.ref)
            )
        ]
        rows += [tuple(r) for r in session.execute(select(Instructor.name).order_by(Instructor.id))]
        rows += [tuple(r) for r in session.execute(select(Unit.uuid, Unit.name).order_by(Unit.id))]
    return rows


def test_same_seed_same_plan_other_seed_other_plan(
    default_plan: tuple[Engine, DemoSummary],
) -> None:
    engine, _summary = default_plan
    again = build(seed=1)
    other = build(seed=2)
    assert fingerprint(again) == fingerprint(engine)
    assert fingerprint(other) != fingerprint(engine)


def test_names_in_cyrillic_and_diacritics_survive_a_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.tsplan'}"
    build(events=120, url=url).dispose()
    reopened = create_engine(url)
    with Session(reopened) as session:
        units = dict(session.execute(select(Unit.code, Unit.name)).all())
        people = set(session.scalars(select(Instructor.name)))
        venues = set(session.scalars(select(Venue.name)))
    reopened.dispose()
    assert units["MK-BP-N-KU"] == "Граничен полициски центар Куманово"
    assert units["AL-LIB"] == "Batalioni i Këmbësorisë së Lehtë"
    assert "Воен полигон Криволак" in venues
    assert {"Ëlira Çela", "Amra Šabić", "Đorđe Đurić", "Марија Ѓорѓиевска"} <= people
    assert "Љиљана Ђорђевић" in people


# -- sizes ---------------------------------------------------------------------


@pytest.mark.parametrize("events", [0, 1, 10, 59, 60])
def test_small_plans_have_exactly_the_events_asked_for(events: int) -> None:
    engine = build(events=events)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(TrainingEvent)) == events


def test_five_thousand_events_exactly_and_mostly_clean() -> None:
    engine = empty_plan()
    with Session(engine) as session, session.begin():
        summary = build_demo(session, events=5000, seed=7)
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(TrainingEvent)) == 5000
        assert summary.events == 5000
        assert summary.instructors > 200 and summary.venues > 100
        assert summary.forced_events < 50
        refs = session.scalars(select(TrainingEvent.ref)).all()
        assert len(set(refs)) == 5000


def test_refuses_a_plan_that_is_not_empty(default_plan: tuple[Engine, DemoSummary]) -> None:
    engine, _summary = default_plan
    with Session(engine) as session, pytest.raises(ValueError, match="empty plan"):
        build_demo(session)
