"""What the timeline and the utilisation read of an event held in modules:
each person and venue busy on their own module's days only."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    Course,
    EventInstructor,
    EventModule,
    Instructor,
    ModuleInstructor,
    Nation,
    TrainingEvent,
    Venue,
)
from scheduler.services.timeline_rows import load_bars, load_resources
from scheduler.services.utilisation import load_utilisation
from scheduler.storage import open_plan

ANA, MARKO, ZANA = "Ana Đurić", "Марко Петровски", "Zana Krasniqi"


def _seed(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalar(select(Nation).where(Nation.code == "MK"))
        ana, marko, zana = (Instructor(name=n, nation=mk) for n in (ANA, MARKO, ZANA))
        classroom, field = (
            Venue(name="Касарна Илинден", nation=mk),
            Venue(name="Krivolak", nation=mk),
        )
        scc = Course(code="SCC", title="Section commanders", duration_days=10, daily_hours=7)
        event = TrainingEvent(
            ref="MK-2027-001", course=scc, venue=classroom,
            start=datetime(2027, 6, 7, 8, 30), end=datetime(2027, 6, 18, 16, 0),
            instructors=[EventInstructor(instructor=ana), EventInstructor(instructor=marko)],
        )  # fmt: skip
        event.modules = [
            EventModule(title="Classroom week", start=datetime(2027, 6, 7, 8, 30),
                        end=datetime(2027, 6, 11, 16, 0)),
            # Zana is not on the event itself: she teaches the field week only.
            EventModule(title="Field week", start=datetime(2027, 6, 14, 8, 30),
                        end=datetime(2027, 6, 18, 16, 0), venue=field,
                        staff=[ModuleInstructor(instructor=zana)]),
        ]  # fmt: skip
        session.add(event)


def test_timeline_bars_are_the_modules_on_their_own_rows(empty_plan_path: Path) -> None:
    _seed(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        people = load_resources(session, "instructor", date(2027, 6, 1))
        names = {r.id: r.name for r in people.resources}
        bars = load_bars(session, "instructor", date(2027, 6, 1), date(2027, 6, 30),
                         timedelta(days=14), people.courses)  # fmt: skip
        places = load_resources(session, "venue", date(2027, 6, 1))
        venues = {r.id: r.name for r in places.resources}
        at = load_bars(session, "venue", date(2027, 6, 1), date(2027, 6, 30),
                       timedelta(days=14), places.courses)  # fmt: skip
    shown = {
        names[i]: [(b.module, b.first.day, b.last.day) for b in row] for i, row in bars.items()
    }
    assert shown == {
        ANA: [("Classroom week", 7, 11)],
        MARKO: [("Classroom week", 7, 11)],
        ZANA: [("Field week", 14, 18)],
    }
    assert {venues[i]: [b.module for b in row] for i, row in at.items() if row} == {
        "Касарна Илинден": ["Classroom week"],
        "Krivolak": ["Field week"],
    }
    field = next(b for row in bars.values() for b in row if b.module == "Field week")
    assert field.module_offset == 7  # a drag of it moves the event by as much


def test_utilisation_counts_each_persons_own_module_days(empty_plan_path: Path) -> None:
    _seed(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        table = load_utilisation(session, "instructor", date(2027, 6, 7), date(2027, 6, 20))
    booked = {row.resource.name: row.booked for row in table.rows}
    assert booked == {ANA: 5, MARKO: 5, ZANA: 5}
    zana = next(row for row in table.rows if row.resource.name == ZANA)
    assert zana.booked_hours == 35


def test_the_calendar_says_where_each_module_is_held(empty_plan_path: Path) -> None:
    from scheduler.services.calendar_rows import calendar_rows

    _seed(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        (row,) = calendar_rows(session, date(2027, 6, 1), date(2027, 6, 30), timedelta(days=14))
    assert row.modules == (
        "Classroom week: Mon 07 Jun 2027 – Fri 11 Jun 2027, Касарна Илинден",
        "Field week: Mon 14 Jun 2027 – Fri 18 Jun 2027, Krivolak",
    )
