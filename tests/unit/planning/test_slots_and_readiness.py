"""The slot finder, the readiness pathway and the per-nation calendars."""

from __future__ import annotations

from datetime import date, datetime

from plan_factory import PlanFactory, d, held, span

from scheduler.planning.data import ClosureData, DateSpan, Seats
from scheduler.planning.readiness import readiness
from scheduler.planning.slots import SlotFinder, SlotRequest, find_slots
from scheduler.planning.workdays import PlanCalendars


def setting() -> tuple[PlanFactory, object, object, object]:
    f = PlanFactory()
    cfa = f.qualification("CFA")
    course = f.course(
        "CFA",
        duration_days=3,
        trainees_per_instructor=10,
        required_facilities=frozenset({"classroom"}),
        required_qualifications=frozenset({cfa.id}),
    )
    unit = f.unit("MK-1BN", strength=100)
    f.venue("Мала сала", capacity=5, facilities=frozenset({"classroom"}))
    f.venue("Касарна Илинден", capacity=30, facilities=frozenset({"classroom"}))
    f.venue("Полигон", capacity=100, facilities=frozenset({"range"}))
    return f, course, unit, cfa


def request(course: object, unit: object, seats: int, earliest: str, count: int = 3) -> SlotRequest:
    return SlotRequest(course.id, (Seats(unit.id, seats),), d(earliest), count)  # type: ignore[attr-defined]


def test_slots_need_qualified_free_instructors_and_a_fitting_venue() -> None:
    f, course, unit, cfa = setting()
    ana = f.instructor("Ana Đurić", qualifications=(held(cfa),))
    f.instructor("Unqualified")
    marko = f.instructor(
        "Marko", qualifications=(held(cfa),), unavailability=(span("2027-06-01", "2027-06-30"),)
    )
    plan = f.plan()
    # 12 seats need two instructors; Marko is on leave all June.
    [first] = find_slots(plan, request(course, unit, 12, "2027-06-01", count=1))
    assert first.first_day == date(2027, 7, 1)
    assert first.instructor_ids == (ana.id, marko.id)
    slots = find_slots(plan, request(course, unit, 8, "2027-06-02"))
    assert [(s.first_day, s.last_day) for s in slots] == [
        (date(2027, 6, 2), date(2027, 6, 4)),
        (date(2027, 6, 3), date(2027, 6, 7)),  # skips the weekend
        (date(2027, 6, 4), date(2027, 6, 8)),
    ]
    assert all(plan.venues[s.venue_id].name == "Касарна Илинден" for s in slots)
    assert slots[0].instructor_ids == (ana.id,)
    assert slots[0].start == datetime(2027, 6, 2, 8, 30)
    assert slots[0].end == datetime(2027, 6, 4, 15, 30)
    assert marko.id not in slots[0].instructor_ids


def test_slots_avoid_busy_people_rooms_units_and_holidays() -> None:
    f, course, unit, cfa = setting()
    ana = f.instructor("Ana Đurić", qualifications=(held(cfa),))
    other_unit = f.unit("MK-2BN")
    # Ana teaches elsewhere on 1-2 Jun; the unit is busy on Monday 7 Jun, so
    # neither Thursday 3 Jun nor Friday 4 Jun (which run into the Monday) fit.
    f.event(course, "2027-06-01", "2027-06-02", staff=[ana], units=[(other_unit, 5)])
    f.event(course, "2027-06-07", units=[(unit, 5)])
    slots = find_slots(f.plan(), request(course, unit, 8, "2027-06-01", count=2))
    assert [s.first_day for s in slots] == [date(2027, 6, 8), date(2027, 6, 9)]

    # 24 May is a holiday in North Macedonia: no slot may contain it.
    slots = find_slots(f.plan(), request(course, unit, 8, "2027-05-20", count=2))
    assert [s.first_day for s in slots] == [date(2027, 5, 25), date(2027, 5, 26)]


def test_slot_finder_keeps_a_travel_day_and_ignores_the_event_being_moved() -> None:
    f, course, unit, cfa = setting()
    ana = f.instructor("Ana Đurić", qualifications=(held(cfa),))
    abroad = f.event(course, "2027-06-01", "2027-06-02", staff=[ana], venue=f.venue("Tiranë", "AL"))
    finder = SlotFinder(f.plan())
    slots = finder.find(request(course, unit, 8, "2027-06-03", count=1))
    assert [s.first_day for s in slots] == [date(2027, 6, 4)]
    moving = SlotRequest(
        course.id, (Seats(unit.id, 8),), d("2027-06-01"), 1, ignore_event_id=abroad.id
    )
    assert [s.first_day for s in finder.find(moving)] == [date(2027, 6, 1)]


def test_slot_with_an_interpreter_when_the_audience_needs_one() -> None:
    f, course, _unit, cfa = setting()
    f.instructor("Ana Đurić", qualifications=(held(cfa),))
    albanians = f.unit("AL-1", nation="AL", language="sq")
    plan = f.plan()
    assert find_slots(plan, request(course, albanians, 8, "2027-06-01")) == []
    ilir = f.instructor("Ilir Krasniqi", role="interpreter", languages=frozenset({"sq", "mk"}))
    [slot] = find_slots(f.plan(), request(course, albanians, 8, "2027-06-01", count=1))
    assert slot.interpreter_ids == (ilir.id,)


def test_no_free_dates_says_why_and_a_bilingual_instructor_needs_no_interpreter() -> None:
    f, course, _unit, cfa = setting()
    f.instructor("Ana Đurić", qualifications=(held(cfa),))
    albanians = f.unit("AL-1", nation="AL", language="sq")
    asked = request(course, albanians, 8, "2027-06-01")
    finder = SlotFinder(f.plan())
    assert finder.find(asked) == []
    [why] = finder.why_none(asked)
    assert "no interpreter speaks both" in why and "Albanian" in why
    # An instructor who speaks Albanian teaches the unit in it.
    elira = f.instructor("Ëlira Çela", qualifications=(held(cfa),), languages=frozenset({"sq"}))
    [slot] = find_slots(f.plan(), request(course, albanians, 8, "2027-06-01", count=1))
    assert slot.instructor_ids == (elira.id,) and slot.interpreter_ids == ()
    assert SlotFinder(f.plan()).why_none(asked) == []


def test_no_slot_starts_before_now() -> None:
    f, course, unit, cfa = setting()
    f.instructor("Ana Đurić", qualifications=(held(cfa),))
    late_morning = SlotRequest(
        course.id,  # type: ignore[attr-defined]
        (Seats(unit.id, 8),),  # type: ignore[attr-defined]
        d("2027-06-02"),
        1,
        not_before=datetime(2027, 6, 2, 10, 0),  # 08:30 today is past
    )
    [slot] = find_slots(f.plan(), late_morning)
    assert slot.first_day == date(2027, 6, 3)


def test_readiness_rows() -> None:
    f = PlanFactory()
    scc = f.course("SCC")
    cfa = f.course("CFA")
    battalion = f.unit("MK-1BN", strength=400)
    company = f.unit("MK-1BN-A", parent_id=battalion.id)
    other = f.unit("MK-2BN")
    f.event(scc, "2027-03-01", "2027-03-05", units=[(battalion, 10)], status="planned")
    f.event(scc, "2027-04-01", units=[(company, 6), (other, 6)], status="confirmed")
    f.event(scc, "2027-09-01", units=[(battalion, 8)], status="planned")  # after the due date
    f.event(scc, "2027-02-01", units=[(battalion, 10)], status="delivered", attended=9, passed=7)
    f.event(scc, "2027-02-08", units=[(company, 10), (other, 10)], status="delivered", attended=16)
    f.event(scc, "2027-05-01", units=[(battalion, 50)], status="draft")
    f.event(scc, "2027-05-01", units=[(battalion, 50)], status="cancelled")
    f.event(cfa, "2027-05-03", units=[(battalion, 5)], status="delivered")
    f.requirement(battalion, scc, 40, "2027-06-30")
    f.requirement(battalion, cfa, 6, "2027-06-30")
    f.requirement(other, scc, 5, None, target="Border unit ready")
    rows = readiness(f.plan())
    assert [(r.target, r.unit_code, r.course_code) for r in rows] == [
        ("Battalion ready", "MK-1BN", "CFA"),
        ("Battalion ready", "MK-1BN", "SCC"),
        ("Border unit ready", "MK-2BN", "SCC"),
    ]
    cfa_row, scc_row, border = rows
    assert (scc_row.required, scc_row.scheduled, scc_row.delivered) == (40, 24, 15)  # 7 passed + 8
    assert scc_row.late == 8 and not scc_row.on_track and scc_row.shortfall == 9
    assert (cfa_row.delivered, cfa_row.on_track) == (5, False)  # no attendance: seats count
    assert border.on_track and border.due is None
    assert scc_row.as_dict() == {
        "target": "Battalion ready",
        "unit": "MK-1BN",
        "course": "SCC",
        "required": 40,
        "scheduled": 24,
        "delivered": 15,
        "due": "2027-06-30",
        "on_track": False,
        "named": None,  # the plan names no one
    }


def test_named_readiness_counts_current_people_of_the_unit_on_the_due_date() -> None:
    """Worked by hand: seven people, four of whom count for the battalion on 30 June 2027."""
    f = PlanFactory()
    scc = f.course("SCC", validity_months=24)
    battalion = f.unit("MK-1BN", strength=400)
    company = f.unit("MK-1BN-A", parent_id=battalion.id)
    other = f.unit("MK-2BN")
    old = f.event(scc, "2025-03-03", "2025-03-07", units=[(battalion, 10)], status="delivered")
    spring = f.event(scc, "2027-03-01", "2027-03-05", units=[(battalion, 10)], status="delivered")
    autumn = f.event(scc, "2027-09-06", "2027-09-10", units=[(battalion, 10)], status="planned")
    elsewhere = f.event(scc, "2026-05-04", units=[(other, 6)], status="delivered")
    here = [(battalion, "2024-01-01", None)]
    # 1. passed in spring: counts.
    f.trainee("Ана Петровска", here, [(spring, "passed")])
    # 2. passed twice (2025 and spring 2027): one person, counted once.
    f.trainee("Ilir Krasniqi", here, [(old, "passed", "2025-03-07"), (spring, "passed")])
    # 3. passed in 2025 only: 24 months ran out on 7 March 2027.
    f.trainee("Драган Стојанов", here, [(old, "passed", "2025-03-07")])
    # 4. passed with the other battalion, moved to our company in June: counts.
    f.trainee(
        "Šefik Đurić",
        [(other, "2024-01-01", "2027-06-01"), (company, "2027-06-01", None)],
        [(elsewhere, "passed")],
    )
    # 5. passed here, moved away in May: no longer ours.
    f.trainee(
        "Marko Vuković",
        [(battalion, "2024-01-01", "2027-05-15"), (other, "2027-05-16", None)],
        [(spring, "passed")],
    )
    # 6. nominated for autumn, 7. failed in spring: neither is qualified.
    f.trainee("Елена Илиева", here, [(autumn, "nominated")])
    f.trainee("Besnik Hoxha", here, [(spring, "failed")])
    # 8. passed a course whose result date is after the due date: not yet.
    f.trainee("Петар Ристов", here, [(autumn, "passed", "2027-09-10")])
    f.requirement(battalion, scc, 40, "2027-06-30")
    f.requirement(company, scc, 10, None)
    battalion_row, company_row = sorted(
        readiness(f.plan(), today=d("2027-07-01")), key=lambda r: r.unit_code
    )
    assert battalion_row.named == 3  # Petrovska, Krasniqi, Đurić
    assert company_row.named == 1  # Đurić, counted on "today" for want of a due date
    assert battalion_row.as_dict()["named"] == 3
    # The forecast is untouched: seats and head counts as before.
    assert (battalion_row.delivered, battalion_row.scheduled) == (20, 10)


def test_attendance_above_the_seats_is_flagged() -> None:
    """More people trained than the delivered events held seats: a slip to check."""
    f = PlanFactory()
    scc = f.course("SCC")
    unit = f.unit("MK-1BN")
    f.event(scc, "2027-02-01", units=[(unit, 8)], status="delivered", attended=12)
    f.event(scc, "2027-03-01", units=[(unit, 8)], status="delivered", attended=8)
    f.requirement(unit, scc, 20, "2027-06-30")
    [row] = readiness(f.plan())
    assert (row.delivered, row.delivered_seats, row.over_attended) == (20, 16, True)
    g = PlanFactory()
    scc = g.course("SCC")
    unit = g.unit("MK-1BN")
    g.event(scc, "2027-02-01", units=[(unit, 8)], status="delivered", attended=7)
    g.requirement(unit, scc, 20, "2027-06-30")
    [row] = readiness(g.plan())
    assert not row.over_attended


def test_plan_calendars_apply_closures_per_nation() -> None:
    calendars = PlanCalendars(
        [ClosureData(d("2027-06-02"), "Stand-down"), ClosureData(d("2027-06-03"), "Vote", "AL")]
    )
    mk, al = calendars.for_nation("MK"), calendars.for_nation("AL")
    assert not mk.is_working_day(d("2027-06-02")) and mk.is_working_day(d("2027-06-03"))
    assert not al.is_working_day(d("2027-06-03"))
    assert al.end_date(d("2027-06-01"), 3) == d("2027-06-07")
    assert mk.days_off_between(d("2027-06-01"), d("2027-06-04")) == [
        (d("2027-06-02"), "Stand-down")
    ]
    assert calendars.for_nation("MK") is mk
    assert calendars.for_nation(None).is_working_day(d("2027-09-08"))  # no nation: no holidays
    assert not mk.is_working_day(d("2027-09-08"))


def test_span_helper_is_inclusive() -> None:
    assert span("2027-01-01", "2027-01-02") == DateSpan(d("2027-01-01"), d("2027-01-02"), "leave")


def test_an_instructor_is_not_offered_on_their_own_nations_holidays() -> None:
    """A UK instructor in North Macedonia is not proposed for Christmas Day."""
    f, course, unit, cfa = setting()
    gareth = f.instructor("Gareth Hughes", nation_code="GB", qualifications=(held(cfa),))
    f.instructor("Zoran Stojanov", nation_code="MK", qualifications=(held(cfa),))
    # In 2027 the UK keeps Christmas and Boxing Day on Monday 27 and Tuesday 28 Dec.
    slots = find_slots(f.plan(), request(course, unit, 8, "2027-12-20", count=6))
    over = [s for s in slots if s.first_day <= date(2027, 12, 28) <= s.last_day]
    assert over and all(gareth.id not in s.instructor_ids for s in over), over
    assert any(gareth.id in s.instructor_ids for s in slots)  # on other days he is
