"""One-click fixes: each clears its clash and brings no new one, and looking
for them leaves the engine as it was."""

from __future__ import annotations

from plan_factory import PlanFactory, d

from scheduler.planning.data import KitNeed
from scheduler.planning.engine import ConflictEngine
from scheduler.planning.fixes import FixFinder


def _engine(f: PlanFactory) -> ConflictEngine:
    return ConflictEngine(f.plan())


def test_a_double_booked_instructor_is_replaced_or_the_later_event_moved() -> None:
    f = PlanFactory()
    course = f.course("SCC", duration_days=2)
    ana = f.instructor("Ana Đurić")
    f.instructor("Марко Петровски")
    f.instructor("Zana Krasniqi", role="interpreter", languages=frozenset({"mk", "sq"}))
    skopje, stip = f.venue("Скопје"), f.venue("Штип")
    f.event(course, "2027-06-07", "2027-06-08", venue=skopje, staff=[ana], ref="A")
    f.event(course, "2027-06-08", "2027-06-09", venue=stip, staff=[ana], ref="B")
    engine = _engine(f)
    (clash,) = engine.conflicts()
    before = engine.conflicts()
    fixes = FixFinder(engine).fixes(clash)
    assert engine.conflicts() == before  # the trials were taken back
    assert [fix.label for fix in fixes] == [
        "Give Ana Đurić's place on B to Марко Петровски",
        "Move B to Wed 09 Jun 2027",
        "Give Ana Đurić's place on A to Марко Петровски",
        "Move A to Thu 10 Jun 2027",
    ]


def test_a_double_booked_venue_moves_to_one_with_room_and_facilities() -> None:
    f = PlanFactory()
    course = f.course("MKS", required_facilities=frozenset({"range"}))
    crowded = f.venue("Krivolak", facilities=frozenset({"range"}))
    f.venue("Пепелиште", facilities=frozenset({"classroom"}))  # no range
    f.venue("Small range", facilities=frozenset({"range"}), capacity=4)  # too small
    f.venue("Стрелиште", facilities=frozenset({"Range"}))
    unit = f.unit("MK-1", strength=40)
    f.event(course, "2027-06-07", venue=crowded, units=[(unit, 6)], ref="A")
    f.event(course, "2027-06-07", venue=crowded, units=[(f.unit("MK-2"), 6)], ref="B")
    engine = _engine(f)
    clash = next(c for c in engine.conflicts() if c.rule == "venue_double_booked")
    fixes = FixFinder(engine).fixes(clash)
    assert fixes[0].label == "Move B to Стрелиште"


def test_kit_over_quantity_is_fixed_by_a_move_to_when_the_kit_is_free() -> None:
    f = PlanFactory()
    lane = f.kit_item("Range lane", 1, kind="range")
    course = f.course("MKS", kit=(KitNeed(lane.id, 1),))
    f.event(course, "2027-06-07", "2027-06-09", venue=f.venue("Krivolak"), ref="A")
    f.event(course, "2027-06-08", venue=f.venue("Стрелиште"), ref="B")
    engine = _engine(f)
    (clash,) = engine.conflicts()
    fixes = FixFinder(engine).fixes(clash)
    # B waits for A to finish; A, moved instead, starts the day after B.
    assert [fix.first_day for fix in fixes] == [d("2027-06-10"), d("2027-06-09")]
    assert fixes[0].label == "Move B to Thu 10 Jun 2027"


def test_a_clash_no_edit_of_one_event_can_clear_gets_no_fix() -> None:
    f = PlanFactory()
    course = f.course("SCC", min_trainees=10)
    f.event(course, "2027-06-07", units=[(f.unit("MK-1"), 4)], ref="A")
    engine = _engine(f)
    (few,) = engine.conflicts()
    assert few.rule == "course_min_trainees"
    assert FixFinder(engine).fixes(few) == []


def test_a_move_takes_the_events_modules_with_it() -> None:
    from plan_factory import dt

    from scheduler.planning.data import Assignment, ModuleData

    f = PlanFactory()
    course = f.course("SCC", duration_days=2)
    ana, marko = f.instructor("Ana Đurić"), f.instructor("Марко Петровски")
    other = f.venue("Штип")
    f.event(course, "2027-06-08", venue=other, staff=[marko], ref="A")
    modules = (
        ModuleData(dt("2027-06-07T08:30"), dt("2027-06-07T16:00"), None,
                   (Assignment(ana.id, "instructor"),)),
        ModuleData(dt("2027-06-08T08:30"), dt("2027-06-08T16:00"), None,
                   (Assignment(marko.id, "instructor"),)),
    )  # fmt: skip
    f.event(course, "2027-06-07", "2027-06-08", venue=f.venue("Скопје"), staff=[ana, marko],
            ref="B", modules=modules)  # fmt: skip
    engine = ConflictEngine(f.plan())
    (clash,) = engine.conflicts()
    assert clash.events == ("B", "A")  # Марко's module of B is on A's day
    # Moved a day, B's second module (Марко's) falls on Wednesday, when he is free.
    assert [fix.label for fix in FixFinder(engine).fixes(clash)] == [
        "Give Марко Петровски's place on A to Ana Đurić",
        "Move A to Wed 09 Jun 2027",
        "Move B to Tue 08 Jun 2027",
    ]
