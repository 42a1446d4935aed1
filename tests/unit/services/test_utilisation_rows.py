"""Utilisation read from a plan file: the numbers a planner would count by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    ClosureDay,
    Course,
    EventInstructor,
    EventStatus,
    Instructor,
    Nation,
    TrainingEvent,
    Unavailability,
    Venue,
    VenueClosure,
)
from scheduler.services.utilisation import load_utilisation, nation_choices
from scheduler.storage import open_plan

# Armistice Day, Thursday 11 November 2027, is a public holiday in Serbia.
FIRST, LAST = date(2027, 11, 1), date(2027, 11, 14)


def _build(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        rs = session.scalars(select(Nation).where(Nation.code == "RS")).one()
        me = session.scalars(select(Nation).where(Nation.code == "ME")).one()
        marko = Instructor(name="Марко Јовановић", nation=rs)
        ana = Instructor(
            name="Ana Đurić",
            nation=me,
            unavailability=[
                Unavailability(start_date=date(2027, 11, 1), end_date=date(2027, 11, 2))
            ],
        )
        course = Course(code="CFA", title="Combat first aid", duration_days=3)
        hall = Venue(
            name="Nikšić hall",
            nation=me,
            closures=[VenueClosure(start_date=date(2027, 11, 12), end_date=date(2027, 11, 12))],
        )
        camp = Venue(name="Пасуљанске ливаде", nation=rs)
        session.add(ClosureDay(day=date(2027, 11, 3), name="Stand-down", nation=me))

        def event(
            ref: str,
            start: datetime,
            end: datetime,
            venue: Venue,
            *people: Instructor,
            status: EventStatus = EventStatus.PLANNED,
        ) -> TrainingEvent:
            return TrainingEvent(
                ref=ref,
                course=course,
                venue=venue,
                start=start,
                end=end,
                status=status,
                instructors=[EventInstructor(instructor=p) for p in people],
            )

        session.add_all(
            [
                # Week 8-14 Nov: Marko Mon-Wed at the camp (Thursday is a holiday).
                event("RS-1", datetime(2027, 11, 8, 8), datetime(2027, 11, 10, 16), camp, marko),
                # Ana and Marko on a Tue-Wed event too: Marko double-booked Tue and Wed.
                event(
                    "ME-1", datetime(2027, 11, 9, 8), datetime(2027, 11, 10, 16), hall, ana, marko
                ),
                # Cancelled: occupies nothing.
                event(
                    "ME-2",
                    datetime(2027, 11, 11, 8),
                    datetime(2027, 11, 12, 16),
                    hall,
                    ana,
                    status=EventStatus.CANCELLED,
                ),
                # Week 1-7 Nov: Ana on leave Mon-Tue, ME closure Wed; booked Thu-Fri.
                event("ME-3", datetime(2027, 11, 4, 8), datetime(2027, 11, 5, 16), hall, ana),
                # Outside the period: never read.
                event("ME-4", datetime(2027, 12, 6, 8), datetime(2027, 12, 7, 16), hall, ana),
            ]
        )


def test_instructor_weeks(empty_plan_path: Path) -> None:
    _build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        table = load_utilisation(session, "instructor", FIRST, LAST)
    assert [w.label for w in table.weeks] == ["W44 · 1 Nov", "W45 · 8 Nov"]
    rows = {r.resource.name: r for r in table.rows}
    assert [r.resource.name for r in table.rows] == ["Ana Đurić", "Марко Јовановић"]
    marko, ana = rows["Марко Јовановић"], rows["Ana Đurić"]
    assert marko.resource.nation_code == "RS"
    assert [w.text for w in marko.weeks] == ["0/5", "3/4"]
    assert marko.weeks[1].double_booked == 2
    assert marko.weeks[1].over
    assert [table.events[i].ref for i in marko.weeks[1].event_ids] == ["RS-1", "ME-1"]
    # Ana: leave Mon-Tue and the Montenegrin stand-down on Wednesday of week 44.
    assert [w.text for w in ana.weeks] == ["2/2", "2/5"]
    assert ana.weeks[0].away == 2
    assert (ana.booked, ana.available) == (4, 7)
    assert not ana.over


def test_venue_weeks_and_closures(empty_plan_path: Path) -> None:
    _build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        table = load_utilisation(session, "venue", FIRST, LAST)
    rows = {r.resource.name: r for r in table.rows}
    # The hall: closed Friday 12 Nov, Montenegrin stand-down Wednesday 3 Nov.
    assert [w.text for w in rows["Nikšić hall"].weeks] == ["2/4", "2/4"]
    assert [w.text for w in rows["Пасуљанске ливаде"].weeks] == ["0/5", "3/4"]


def test_filtered_by_nation(empty_plan_path: Path) -> None:
    _build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        table = load_utilisation(session, "instructor", FIRST, LAST, nation_code="RS")
        nations = dict(nation_choices(session))
    assert [r.resource.name for r in table.rows] == ["Марко Јовановић"]
    # Events of people left out are not read into the tooltips either.
    assert {e.ref for e in table.events.values()} == {"RS-1", "ME-1"}
    assert "RS" in nations and "ME" in nations


def test_weeks_start_on_sunday_when_preferred(empty_plan_path: Path) -> None:
    _build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        table = load_utilisation(
            session, "instructor", date(2027, 11, 7), date(2027, 11, 13), week_start=6
        )
    marko = next(r for r in table.rows if r.resource.nation_code == "RS")
    assert [w.label for w in table.weeks] == ["W45 · 7 Nov"]
    assert marko.weeks[0].text == "3/4"
