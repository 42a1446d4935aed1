"""The timeline's plain rows: bars by window, groups, the free-rows filter."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    Course,
    EventInstructor,
    EventStatus,
    Instructor,
    Nation,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.services.plan_snapshot import load_plan_data
from scheduler.services.timeline_rows import (
    arrange_rows,
    free_resources,
    load_bars,
    load_resources,
    qualification_gaps,
)
from scheduler.storage import PlanAccess, open_plan
from tests.slot_oracle import slot_finder_free

TODAY = date(2026, 11, 23)


def test_bars_of_a_window_include_events_reaching_into_it(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        ana = Instructor(name="Ана Ѓорѓиевска", nation=mk)
        course = Course(code="CFA", title="Combat first aid", duration_days=10)
        room = Venue(name="Криволак", nation=mk)

        def event(start: datetime, end: datetime, status: EventStatus) -> TrainingEvent:
            return TrainingEvent(
                course=course,
                venue=room,
                start=start,
                end=end,
                status=status,
                instructors=[EventInstructor(instructor=ana)],
            )

        session.add_all(
            [
                # Starts two weeks before the window and runs into it.
                event(datetime(2027, 5, 17, 8), datetime(2027, 6, 8, 16), EventStatus.PLANNED),
                event(datetime(2027, 6, 9, 8), datetime(2027, 6, 10, 16), EventStatus.CANCELLED),
                event(datetime(2027, 6, 21, 8), datetime(2027, 6, 22, 16), EventStatus.DRAFT),
                event(datetime(2027, 7, 1, 8), datetime(2027, 7, 2, 16), EventStatus.PLANNED),
            ]
        )
        session.flush()
        data = load_resources(session, "instructor", TODAY)
        assert data.period == (date(2026, 11, 1), date(2027, 7, 31))
        assert data.longest.days >= 22
        bars = load_bars(
            session, "instructor", date(2027, 6, 7), date(2027, 6, 30), data.longest, data.courses
        )
        assert [(b.first, b.last, b.status) for b in bars[ana.id]] == [
            (date(2027, 5, 17), date(2027, 6, 8), "planned"),
            (date(2027, 6, 21), date(2027, 6, 22), "draft"),
        ]
        assert bars[ana.id][0].course_code == "CFA"
        starting = load_bars(
            session,
            "venue",
            date(2027, 6, 7),
            date(2027, 6, 30),
            data.longest,
            data.courses,
            starting_only=True,
        )
        assert [b.first for b in starting[room.id]] == [date(2027, 6, 21)]


def test_rows_group_collapse_and_filter(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        people = load_resources(session, "instructor", TODAY)
        units = load_resources(session, "unit", TODAY)
    rows = arrange_rows(people, "nation")
    groups = [r.label for r in rows if r.kind == "group"]
    assert groups == sorted(groups, key=str.casefold)
    assert sum(r.count for r in rows if r.kind == "group") == len(people.resources)
    closed = arrange_rows(people, "nation", collapsed={f"g:{groups[0]}"})
    assert len(closed) == len(rows) - rows[0].count
    some = {people.resources[0].id, people.resources[5].id}
    only = arrange_rows(people, "none", only=some)
    assert {people.resources[r.index].id for r in only} == some

    tree = arrange_rows(units, "hierarchy")
    seen: set[int] = set()
    for row in tree:
        if row.kind == "resource":
            unit = units.resources[row.index]
            assert unit.parent_id is None or unit.parent_id in seen, "parents come first"
            seen.add(unit.id)
    parent = next(r for r in tree if r.kind == "resource" and r.collapsible)
    shut = arrange_rows(units, "hierarchy", collapsed={parent.key})
    hidden = {units.resources[r.index].id for r in tree if r.kind == "resource"} - {
        units.resources[r.index].id for r in shut if r.kind == "resource"
    }
    below = {units.resources[parent.index].id}
    for unit in units.resources:  # parents come first in the plan's own order too
        if unit.parent_id in below:
            below.add(unit.id)
    assert hidden == below - {units.resources[parent.index].id}
    assert hidden, "a unit with subordinates hides them when closed"


def test_free_filter_lists_exactly_whom_the_slot_finder_deems_free(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        snapshot = load_plan_data(session)
    monday = date(2027, 6, 7)  # ISO week 23
    checked = 0
    for course in snapshot.courses.values():
        if course.duration_days != 5:
            continue
        qualified = {
            p.id
            for p in snapshot.instructors.values()
            if p.role == "instructor"
            and course.required_qualifications <= {q.qualification_id for q in p.qualifications}
        }
        expected = slot_finder_free(snapshot, course.id, monday, "MK")
        found = free_resources(
            snapshot, "instructor", course.id, monday, date(2027, 6, 11), nation_code="MK"
        )
        assert found == expected, course.code
        checked += 0 < len(found) < len(qualified)
    assert checked >= 2, "some courses must have both free and busy instructors"


def test_qualification_gaps_name_what_is_missing(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        data = load_resources(session, "instructor", TODAY)
        names = {i: r for i, r in session.execute(select(Instructor.id, Instructor.role))}
        assert session.scalar(select(Unit.id)) is not None
    course = next(c for c in data.courses.values() if c.required_qualifications)
    gaps = {
        person.id: qualification_gaps(data, person.id, course.id, date(2027, 6, 11))
        for person in data.resources
    }
    assert any(gaps.values()) and not all(gaps.values())
    interpreter = next(i for i, role in names.items() if str(role) != "instructor")
    assert gaps[interpreter], "people without the course's qualifications are named"
