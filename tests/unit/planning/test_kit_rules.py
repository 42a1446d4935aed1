"""Kit booked beyond what is held, and courses at venues without what they need,
against cases worked out by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from plan_factory import PlanFactory, d

from scheduler.planning.data import KitNeed, Seats
from scheduler.planning.engine import ConflictEngine, check_plan
from scheduler.planning.slots import SlotFinder, SlotRequest


def _rules(f: PlanFactory, rule: str) -> list[str]:
    return [c.message for c in check_plan(f.plan()) if c.rule == rule]


def test_twelve_rifles_per_six_trainees_against_twenty_held() -> None:
    f = PlanFactory()
    rifles = f.kit_item("Rifles M70", 20, owner="Kasarna Krivolak")
    course = f.course("MKS", "Marksmanship", kit=(KitNeed(rifles.id, 12, 6),))
    mk1, mk2 = f.unit("MK-1"), f.unit("MK-2")
    # Six trainees need 12 rifles; seven need 24 (two lots of six).
    f.event(course, "2027-03-01", "2027-03-03", units=[(mk1, 6)], ref="A")
    f.event(course, "2027-03-03", "2027-03-05", units=[(mk2, 6)], ref="B")
    f.event(course, "2027-04-05", units=[(mk1, 7)], ref="C")
    assert _rules(f, "kit_over_quantity") == [
        "Rifles M70: A (12) and B (12) need 24 at once on 3 Mar 2027, "
        "more than the 20 held by Kasarna Krivolak",
        "Rifles M70: C (24) need 24 on 5 Apr 2027, more than the 20 held by Kasarna Krivolak",
    ]


def test_one_range_for_two_courses_that_only_touch_is_enough() -> None:
    f = PlanFactory()
    lane = f.kit_item("Range Krivolak", 1, kind="range")
    course = f.course("MKS", kit=(KitNeed(lane.id, 1),))
    first = f.event(course, "2027-03-01T08:00", "2027-03-01T12:00", ref="A")
    f.event(course, "2027-03-01T12:00", "2027-03-01T16:00", ref="B")
    assert _rules(f, "kit_over_quantity") == []
    f.event(course, "2027-03-01T11:00", "2027-03-01T13:00", ref="C", status="cancelled")
    assert _rules(f, "kit_over_quantity") == []
    f.events[first.id] = replace(first, end=first.end + timedelta(hours=1))
    assert _rules(f, "kit_over_quantity") == [
        "Range Krivolak: A (1) and B (1) need 2 at once on 1 Mar 2027, "
        "more than the 1 held by the cell"
    ]


def test_moving_a_course_off_the_kits_busy_week_clears_the_clash() -> None:
    f = PlanFactory()
    cameras = f.kit_item("Thermal cameras", 4, kind="equipment")
    vehicles = f.kit_item("Patrol vehicles", 2, kind="vehicle")
    border = f.course("BSV", "Border surveillance",
                      kit=(KitNeed(cameras.id, 2), KitNeed(vehicles.id, 1)))  # fmt: skip
    other = f.course("VCP", "Vehicle checkpoint", kit=(KitNeed(vehicles.id, 2),))
    moved = f.event(border, "2027-05-10", "2027-05-14", ref="BSV-1")
    f.event(other, "2027-05-12", "2027-05-13", ref="VCP-1")
    engine = ConflictEngine(f.plan())
    assert [c.resources for c in engine.conflicts()] == [("Patrol vehicles",)]
    delta = engine.update([replace(moved, start=moved.start + timedelta(days=7),
                                   end=moved.end + timedelta(days=7))])  # fmt: skip
    assert [c.rule for c in engine.conflicts()] == []
    assert len(delta.removed) == 1
    engine.update([replace(moved, course_id=other.id)])
    assert [c.message for c in engine.conflicts()] == [
        "Patrol vehicles: BSV-1 (2) and VCP-1 (2) need 4 at once on 12–13 May 2027, "
        "more than the 2 held by the cell"
    ]


def test_an_edit_of_an_event_of_no_length_keeps_the_clash_it_sits_in() -> None:
    # One range; A and B overlap, then C starts as A ends: one clash from A's
    # start to C's end, through the instant at which only B runs. An event of
    # no length at that instant, edited, must not take the clash with it.
    f = PlanFactory()
    lane = f.kit_item("Range lane 3", 1, kind="range")
    course = f.course("MKS", kit=(KitNeed(lane.id, 1),))
    f.event(course, "2027-01-08T08:00", "2027-01-09T08:00", ref="A")
    f.event(course, "2027-01-08T13:00", "2027-01-10T20:00", ref="B")
    f.event(course, "2027-01-09T08:00", "2027-01-11T15:00", ref="C")
    blank = f.event(course, "2027-01-09T08:00", "2027-01-09T08:00", ref="D")
    engine = ConflictEngine(f.plan())
    clash = (
        "Range lane 3: A (1), B (1) and C (1) need 2 at once on 8–10 Jan 2027, "
        "more than the 1 held by the cell"
    )
    assert [c.message for c in engine.conflicts()] == [clash]
    engine.update([replace(blank, status="cancelled")])
    assert [c.message for c in engine.conflicts()] == [clash]
    assert engine.conflicts() == check_plan(engine.plan)


def test_a_course_at_a_venue_without_its_facilities() -> None:
    f = PlanFactory()
    course = f.course("SCC", "Section commanders", required_facilities=frozenset({"range",
                      "classroom"}))  # fmt: skip
    classroom = f.venue("Касарна Илинден", facilities=frozenset({"Classroom"}))
    field = f.venue("Krivolak", facilities=frozenset({"Range", "classroom"}))
    f.event(course, "2027-03-01", venue=classroom, ref="A")
    f.event(course, "2027-03-08", venue=field, ref="B")
    f.event(course, "2027-03-15", ref="C")  # no venue yet: nothing to judge
    assert _rules(f, "venue_facility_missing") == [
        "A (Section commanders, 1 Mar 2027) needs range, which Касарна Илинден does not have"
    ]


def test_the_slot_finder_waits_for_the_kit_to_come_free() -> None:
    f = PlanFactory()
    rifles = f.kit_item("Rifles M70", 24)
    course = f.course("MKS", "Marksmanship", duration_days=1, language="mk",
                      kit=(KitNeed(rifles.id, 12, 6),))  # fmt: skip
    f.instructor("Ana Đurić")
    f.instructor("Марко Петровски")
    krivolak, pepeliste = f.venue("Krivolak"), f.venue("Пепелиште")
    unit = f.unit("MK-1", strength=60)
    # All 24 rifles are out on Monday 7 June (12 each); Tuesday is free.
    f.event(course, "2027-06-07", venue=pepeliste, units=[(f.unit("MK-2"), 6)])
    f.event(course, "2027-06-07", venue=pepeliste, units=[(f.unit("MK-3"), 1)])
    finder = SlotFinder(f.plan())
    slots = finder.find(
        SlotRequest(
            course.id,
            (Seats(unit.id, 6),),
            d("2027-06-07"),
            count=1,
            venue_ids=frozenset({krivolak.id}),
        )
    )
    assert [s.start.date() for s in slots] == [d("2027-06-08")]
