"""Each conflict rule: a case that fires and a near miss that does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from plan_factory import PlanFactory, held, span

from scheduler.planning.conflicts import RULES, CheckSettings, Conflict, Severity
from scheduler.planning.data import DateSpan
from scheduler.planning.engine import check_plan


def rules_of(f: PlanFactory, settings: CheckSettings | None = None) -> list[str]:
    return [c.rule for c in check_plan(f.plan(), settings)]


def only(f: PlanFactory, rule: str) -> list[Conflict]:
    return [c for c in check_plan(f.plan()) if c.rule == rule]


def test_rule_ids_are_the_agreed_ones() -> None:
    assert set(RULES) == {
        "instructor_double_booked",
        "venue_double_booked",
        "unit_double_booked",
        "unit_over_strength",
        "instructor_unavailable",
        "venue_closed",
        "public_holiday",
        "qualification_missing",
        "qualification_expired",
        "language_no_interpreter",
        "venue_capacity",
        "venue_facility_missing",
        "kit_over_quantity",
        "course_max_trainees",
        "course_min_trainees",
        "instructor_ratio",
        "prerequisite_missing",
        "instructor_workload",
        "travel_time",
        "trainee_double_booked",
        "trainee_prerequisite_missing",
    }
    assert all(isinstance(rule.severity, Severity) for rule in RULES.values())


# -- double bookings --------------------------------------------------------


def test_instructor_double_booked_names_person_refs_and_days() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor("Ana Đurić")
    f.event(c, "2027-03-01", "2027-03-05", staff=[ana], ref="MK-2027-014")
    f.event(c, "2027-03-03", "2027-03-09", staff=[ana], ref="MK-2027-020")
    [conflict] = only(f, "instructor_double_booked")
    assert conflict.message == "Ana Đurić is booked on MK-2027-014 and MK-2027-020 on 3–5 Mar 2027"
    assert conflict.events == ("MK-2027-014", "MK-2027-020")
    assert conflict.resources == ("Ana Đurić",)
    assert conflict.severity is Severity.ERROR


def test_touching_events_are_not_double_booked() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    v = f.venue()
    u = f.unit()
    f.event(c, "2027-03-01T09:00", "2027-03-01T12:00", staff=[ana], venue=v, units=[(u, 5)])
    f.event(c, "2027-03-01T12:00", "2027-03-01T16:00", staff=[ana], venue=v, units=[(u, 5)])
    assert rules_of(f) == []


def test_venue_and_unit_double_booked() -> None:
    f = PlanFactory()
    c = f.course()
    v = f.venue("Криволак")
    u = f.unit("MK-1BN", "1st Battalion")
    f.event(c, "2027-03-01", "2027-03-02", venue=v, units=[(u, 5)])
    f.event(c, "2027-03-02", "2027-03-03", venue=v, units=[(u, 5)])
    found = check_plan(f.plan())
    assert sorted(c.rule for c in found) == ["unit_double_booked", "venue_double_booked"]
    venue = next(c for c in found if c.rule == "venue_double_booked")
    assert venue.resources == ("Криволак",)
    assert "2 Mar 2027" in venue.message


def test_cancelled_events_take_part_in_nothing() -> None:
    f = PlanFactory()
    c = f.course(min_trainees=10)
    ana = f.instructor()
    ana_away = f.instructor("Ëlira Çela", unavailability=(span("2027-03-01", "2027-03-31"),))
    f.event(c, "2027-03-01", "2027-03-05", staff=[ana])
    f.event(c, "2027-03-01", "2027-03-05", staff=[ana, ana_away], status="cancelled")
    assert rules_of(f) == ["course_min_trainees"]


def test_drafts_take_part() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    f.event(c, "2027-03-01", staff=[ana], status="draft")
    f.event(c, "2027-03-01", staff=[ana], status="confirmed")
    assert rules_of(f) == ["instructor_double_booked"]


# -- unit strength ------------------------------------------------------------


def test_unit_over_strength_counts_seats_at_the_same_moment() -> None:
    f = PlanFactory()
    c = f.course()
    u = f.unit("MK-1BN", "1st Battalion", strength=30)
    f.event(c, "2027-03-01", "2027-03-05", units=[(u, 20)], ref="MK-2027-001")
    f.event(c, "2027-03-04", "2027-03-08", units=[(u, 15)], ref="MK-2027-002")
    [conflict] = only(f, "unit_over_strength")
    assert conflict.events == ("MK-2027-001", "MK-2027-002")
    assert "35 people" in conflict.message and "strength of 30" in conflict.message
    assert "4–5 Mar 2027" in conflict.message


def test_unit_within_strength_or_touching_is_fine() -> None:
    f = PlanFactory()
    c = f.course()
    u = f.unit(strength=30)
    f.event(c, "2027-03-01T09:00", "2027-03-03T09:00", units=[(u, 20)])
    f.event(c, "2027-03-03T09:00", "2027-03-05T09:00", units=[(u, 30)])
    assert only(f, "unit_over_strength") == []


def test_single_event_above_unit_strength() -> None:
    f = PlanFactory()
    c = f.course()
    u = f.unit(strength=10)
    f.event(c, "2027-03-01", units=[(u, 11)])
    assert [c.rule for c in check_plan(f.plan())] == ["unit_over_strength"]


# -- availability, closures, holidays ------------------------------------------


def test_instructor_unavailable_and_the_day_after_leave_ends() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor(unavailability=(span("2027-02-20", "2027-03-01"),))
    f.event(c, "2027-03-01", "2027-03-03", staff=[ana], ref="MK-2027-001")
    f.event(c, "2027-03-02", "2027-03-04", staff=[f.instructor("Other")], ref="MK-2027-002")
    [conflict] = only(f, "instructor_unavailable")
    assert conflict.events == ("MK-2027-001",)
    assert "unavailable (leave) 20 Feb – 1 Mar 2027" in conflict.message

    g = PlanFactory()
    c = g.course()
    ana = g.instructor(unavailability=(span("2027-02-20", "2027-03-01"),))
    g.event(c, "2027-03-02", "2027-03-04", staff=[ana])
    assert rules_of(g) == []


def test_event_ending_at_midnight_does_not_reach_the_next_day() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor(unavailability=(span("2027-03-02", "2027-03-05"),))
    f.event(c, "2027-03-01T20:00", "2027-03-02T00:00", staff=[ana])
    assert rules_of(f) == []


def test_venue_closed_and_near_miss() -> None:
    f = PlanFactory()
    c = f.course()
    v = f.venue(
        "Касарна Штип", closures=(DateSpan(*span("2027-03-04", "2027-03-10")[:2], "works"),)
    )
    f.event(c, "2027-03-01", "2027-03-04", venue=v)
    [conflict] = only(f, "venue_closed")
    assert "Касарна Штип is closed (works) 4–10 Mar 2027" in conflict.message

    g = PlanFactory()
    c = g.course()
    v = g.venue(closures=(DateSpan(*span("2027-03-04", "2027-03-10")[:2]),))
    g.event(c, "2027-03-01", "2027-03-03", venue=v)
    g.event(c, "2027-03-11", "2027-03-12", venue=v)
    assert rules_of(g) == []


def test_public_holiday_of_the_host_nation_only() -> None:
    # 8 Sep 2027 is Independence Day in North Macedonia, a working day in Albania.
    f = PlanFactory()
    c = f.course()
    f.event(c, "2027-09-07", "2027-09-09", venue=f.venue("Скопје", "MK"))
    f.event(c, "2027-09-07", "2027-09-09", venue=f.venue("Tiranë", "AL"))
    [conflict] = only(f, "public_holiday")
    assert "North Macedonia" in conflict.message
    assert "8 Sep 2027" in conflict.message
    assert conflict.resources == ("Скопје",)


def test_plan_closure_day_counts_as_a_day_off() -> None:
    f = PlanFactory()
    c = f.course()
    f.closure("2027-02-03", "Cell stand-down")
    f.closure("2027-02-10", "Albanian elections", nation="AL")
    f.event(c, "2027-02-01", "2027-02-05", venue=f.venue(nation="MK"))
    f.event(c, "2027-02-08", "2027-02-12", venue=f.venue("Охрид", nation="MK"))
    [conflict] = only(f, "public_holiday")
    assert "Cell stand-down" in conflict.message


def test_course_that_allows_for_a_holiday_only_pauses() -> None:
    # 11 Oct 2027 (Monday) is National Uprising Day in North Macedonia. A
    # five-day course from Thursday 7 Oct to Thursday 14 Oct skips it and
    # still has its five working days: a note, not a clash. Ending a day
    # earlier, the holiday eats one of its days: a clash.
    f = PlanFactory()
    c = f.course(duration_days=5)
    f.event(c, "2027-10-07", "2027-10-14", venue=f.venue("Скопје", "MK"))
    [conflict] = only(f, "public_holiday")
    assert conflict.severity is Severity.INFO
    assert "pauses for National Uprising Day (11 Oct 2027)" in conflict.message
    assert "its 5 working days still fit" in conflict.message
    g = PlanFactory()
    short = g.course(duration_days=5)
    g.event(short, "2027-10-07", "2027-10-13", venue=g.venue("Скопје", "MK"))
    [clash] = only(g, "public_holiday")
    assert clash.severity is Severity.WARNING
    assert "only 4 of its 5 working days are left" in clash.message


def test_holiday_on_a_weekend_inside_a_course_is_ignored() -> None:
    # 23 Oct 2027 is a Saturday holiday in North Macedonia; a course from
    # Thursday to Tuesday runs over it without teaching that day.
    f = PlanFactory()
    c = f.course()
    f.event(c, "2027-10-21", "2027-10-26", venue=f.venue("Скопје", "MK"))
    assert rules_of(f) == []


# -- qualifications and language --------------------------------------------------


def test_qualification_missing_and_expired() -> None:
    f = PlanFactory()
    cfa = f.qualification("CFA", "Combat first aid")
    c = f.course(required_qualifications=frozenset({cfa.id}))
    lacks = f.instructor("Marko Petrović")
    expires = f.instructor("Ana Đurić", qualifications=(held(cfa, "2027-03-03"),))
    f.event(c, "2027-03-01", "2027-03-05", staff=[lacks, expires])
    found = check_plan(f.plan())
    assert sorted(x.rule for x in found) == ["qualification_expired", "qualification_missing"]
    missing = next(x for x in found if x.rule == "qualification_missing")
    assert "Marko Petrović lacks Combat first aid (CFA)" in missing.message
    expired = next(x for x in found if x.rule == "qualification_expired")
    assert "expires on 3 Mar 2027" in expired.message


def test_qualification_valid_through_last_day_and_interpreters_need_none() -> None:
    f = PlanFactory()
    cfa = f.qualification("CFA")
    c = f.course(required_qualifications=frozenset({cfa.id}))
    ana = f.instructor(qualifications=(held(cfa, "2027-03-05"),))
    interpreter = f.instructor("Ilir Krasniqi", role="interpreter")
    f.event(c, "2027-03-01", "2027-03-05", staff=[ana, (interpreter, "interpreter")])
    assert rules_of(f) == []


def test_language_needs_an_interpreter() -> None:
    f = PlanFactory()
    c = f.course(language="en")
    u = f.unit("AL-1", "Batalioni 1", nation="AL", language="sq")
    f.event(c, "2027-03-01", units=[(u, 10)])
    [conflict] = only(f, "language_no_interpreter")
    assert "taught in English" in conflict.message and "(Albanian)" in conflict.message

    g = PlanFactory()
    c = g.course(language="en")
    u = g.unit("AL-1", nation="AL", language="sq")
    wrong = g.instructor("Serbian interpreter", languages=frozenset({"sr", "en"}))
    right = g.instructor("Ëlira Çela", languages=frozenset({"sq", "en"}))
    g.event(c, "2027-03-01", units=[(u, 10)], staff=[(wrong, "interpreter")])
    g.event(c, "2027-03-08", units=[(u, 10)], staff=[(right, "interpreter")])
    assert [x.events for x in only(g, "language_no_interpreter")] == [("MK-2027-001",)]


def test_unit_without_language_takes_its_nations_first() -> None:
    f = PlanFactory()
    c = f.course(language="mk")
    u = f.unit("MK-2", nation="MK", language=None)
    f.event(c, "2027-03-01", units=[(u, 10)])
    assert rules_of(f) == []


# -- sizes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seats", "expected"),
    [
        (21, ["venue_capacity", "course_max_trainees", "instructor_ratio"]),
        (20, []),
        (4, ["course_min_trainees"]),
        (5, []),
    ],
)
def test_sizes(seats: int, expected: list[str]) -> None:
    f = PlanFactory()
    c = f.course(min_trainees=5, max_trainees=20, trainees_per_instructor=10)
    u = f.unit(strength=500)
    staff = [f.instructor("A"), f.instructor("B")]
    f.event(c, "2027-03-01", venue=f.venue(capacity=20), units=[(u, seats)], staff=staff)
    assert sorted(rules_of(f)) == sorted(expected)


def test_instructor_ratio_counts_only_teaching_roles() -> None:
    f = PlanFactory()
    c = f.course(trainees_per_instructor=10)
    u = f.unit()
    f.event(
        c,
        "2027-03-01",
        units=[(u, 11)],
        staff=[f.instructor("A"), (f.instructor("B"), "support")],
    )
    [conflict] = only(f, "instructor_ratio")
    assert "needs 2 instructors" in conflict.message


# -- prerequisites ---------------------------------------------------------------------


def test_prerequisite_missing_until_delivered_or_scheduled_earlier() -> None:
    f = PlanFactory()
    cfa = f.course("CFA", "Combat first aid")
    scc = f.course("SCC", "Section commanders", prerequisites=frozenset({cfa.id}))
    u = f.unit("MK-1BN", "1st Battalion")
    other = f.unit("MK-2BN", "2nd Battalion")
    f.event(cfa, "2027-03-01", "2027-03-05", units=[(other, 5)])
    f.event(cfa, "2027-03-10", "2027-03-12", units=[(u, 5)])  # after: does not count
    f.event(scc, "2027-03-08", "2027-03-09", units=[(u, 5)], ref="MK-2027-100")
    [conflict] = only(f, "prerequisite_missing")
    assert conflict.events == ("MK-2027-100",)
    assert "1st Battalion" in conflict.message and "Combat first aid (CFA)" in conflict.message

    g = PlanFactory()
    cfa = g.course("CFA")
    scc = g.course("SCC", prerequisites=frozenset({cfa.id}))
    u = g.unit()
    g.event(cfa, "2027-06-01T09:00", "2027-06-04T16:00", units=[(u, 5)], status="delivered")
    g.event(scc, "2027-06-04T16:00", "2027-06-08T16:00", units=[(u, 5)])
    assert rules_of(g) == []


def test_cancelled_prerequisite_does_not_count() -> None:
    f = PlanFactory()
    cfa = f.course("CFA")
    scc = f.course("SCC", prerequisites=frozenset({cfa.id}))
    u = f.unit()
    f.event(cfa, "2027-03-01", units=[(u, 5)], status="cancelled")
    f.event(scc, "2027-03-08", units=[(u, 5)])
    assert rules_of(f) == ["prerequisite_missing"]


# -- workload and travel -------------------------------------------------------------


def test_instructor_workload_counts_working_days_in_the_period() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor(max_training_days=5, workload_period="month")
    f.event(c, "2027-03-01", "2027-03-03", staff=[ana])  # Mon-Wed: 3 days
    f.event(c, "2027-03-11", "2027-03-15", staff=[ana])  # Thu-Mon: 3 working days
    [conflict] = only(f, "instructor_workload")
    assert "6 training days in Mar 2027" in conflict.message
    assert "maximum of 5" in conflict.message

    g = PlanFactory()
    c = g.course()
    ana = g.instructor(max_training_days=6, workload_period="month")
    g.event(c, "2027-03-01", "2027-03-03", staff=[ana])
    g.event(c, "2027-03-11", "2027-03-15", staff=[ana])
    g.event(c, "2027-03-31", "2027-04-02", staff=[ana])  # 1 day in March, 2 in April
    assert only(g, "instructor_workload")[0].message.startswith("Ana Đurić has 7 training days")


def test_quarter_workload_period() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor(max_training_days=3, workload_period="quarter")
    f.event(c, "2027-01-05", "2027-01-06", staff=[ana])
    f.event(c, "2027-03-30", "2027-03-31", staff=[ana])
    f.event(c, "2027-04-01", staff=[ana])
    [conflict] = only(f, "instructor_workload")
    assert "Q1 2027" in conflict.message


def test_travel_time_between_nations() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    f.event(c, "2027-03-01", "2027-03-02", staff=[ana], venue=f.venue("Скопје", "MK"))
    f.event(c, "2027-03-03", "2027-03-04", staff=[ana], venue=f.venue("Tiranë", "AL"))
    [conflict] = only(f, "travel_time")
    assert "17 hours later" in conflict.message
    assert "North Macedonia" in conflict.message and "Albania" in conflict.message


def test_travel_time_near_misses() -> None:
    f = PlanFactory()
    c = f.course()
    ana = f.instructor()
    mk1, mk2, al = f.venue("Скопје", "MK"), f.venue("Штип", "MK"), f.venue("Tiranë", "AL")
    f.event(c, "2027-03-01", "2027-03-02", staff=[ana], venue=mk1)
    f.event(c, "2027-03-03", "2027-03-04", staff=[ana], venue=mk2)  # same nation next day
    f.event(c, "2027-03-06T16:00", "2027-03-08", staff=[ana], venue=al)  # exactly 48 h
    assert rules_of(f) == []
    assert rules_of(f, CheckSettings(travel_time=timedelta(hours=49))) == ["travel_time"]


def test_course_held_on_a_weekend_holiday_is_flagged() -> None:
    f = PlanFactory()
    c = f.course()
    f.event(c, "2027-10-23", venue=f.venue("Скопје", "MK"))
    assert rules_of(f) == ["public_holiday"]


def test_an_instructor_who_speaks_the_units_language_needs_no_interpreter() -> None:
    """The choice where the issue left room: a teaching instructor who speaks
    the unit's language teaches it in that language; support staff do not
    teach, so they do not count."""
    f = PlanFactory()
    c = f.course(language="en")
    u = f.unit("AL-1", nation="AL", language="sq")
    bilingual = f.instructor("Ëlira Çela", languages=frozenset({"sq", "en"}))
    support = f.instructor("Arbër Krasniqi", languages=frozenset({"sq"}))
    english = f.instructor("Gareth Hughes", languages=frozenset({"en"}))
    f.event(c, "2027-03-01", units=[(u, 10)], staff=[bilingual])
    f.event(c, "2027-03-08", units=[(u, 10)], staff=[english, (support, "support")])
    [conflict] = only(f, "language_no_interpreter")
    assert conflict.events == ("MK-2027-002",)
    assert "nobody on it speaks to" in conflict.message
    assert "assign an interpreter who speaks both languages" in conflict.message


def test_a_trainee_on_two_events_at_once_is_a_clash() -> None:
    f = PlanFactory()
    scc, cfa = f.course("SCC"), f.course("CFA")
    unit = f.unit()
    first = f.event(scc, "2027-03-01", "2027-03-05", units=[(unit, 10)])
    overlapping = f.event(cfa, "2027-03-04", units=[(unit, 2)])
    after = f.event(cfa, "2027-03-08", units=[(unit, 2)])
    cancelled = f.event(cfa, "2027-03-02", units=[(unit, 2)], status="cancelled")
    f.trainee(
        "Ѓорѓи Трајковски",
        enrolments=[
            (first, "confirmed"),
            (overlapping, "nominated"),
            (after, "nominated"),
            (cancelled, "nominated"),
        ],
    )
    # Withdrawn from one of two overlapping events: no clash.
    f.trainee("Dritan Hoxha", enrolments=[(first, "confirmed"), (overlapping, "withdrawn")])
    [clash] = only(f, "trainee_double_booked")
    assert clash.severity is Severity.ERROR
    assert clash.events == (first.ref, overlapping.ref)
    assert clash.resources == ("Ѓорѓи Трајковски",)
    assert clash.message.startswith("Ѓорѓи Трајковски is on MK-2027-001 (Course SCC, 1–5 Mar")


def test_a_nominee_without_the_prerequisite_is_flagged() -> None:
    f = PlanFactory()
    basic = f.course("BAS", "Basic")
    advanced = f.course("ADV", "Advanced", prerequisites=frozenset({basic.id}))
    unit = f.unit()
    earlier = f.event(basic, "2027-02-01", units=[(unit, 10)], status="delivered")
    planned_before = f.event(basic, "2027-04-05", units=[(unit, 10)])
    course = f.event(advanced, "2027-05-03", "2027-05-07", units=[(unit, 10)])
    f.trainee("Passed it", enrolments=[(earlier, "passed"), (course, "nominated")])
    f.trainee("On it before", enrolments=[(planned_before, "confirmed"), (course, "nominated")])
    f.trainee("Failed it", enrolments=[(earlier, "failed"), (course, "nominated")])
    f.trainee("Never on it", enrolments=[(course, "confirmed")])
    f.trainee(
        "Result too late", enrolments=[(earlier, "passed", "2027-05-10"), (course, "nominated")]
    )
    f.trainee("Withdrawn anyway", enrolments=[(course, "withdrawn")])
    flagged = only(f, "trainee_prerequisite_missing")
    assert sorted(c.resources[0] for c in flagged) == [
        "Failed it",
        "Never on it",
        "Result too late",
    ]
    assert all(c.severity is Severity.WARNING and c.events == (course.ref,) for c in flagged)
    assert "without Basic (BAS) passed or planned before it" in flagged[0].message


def test_another_providers_event_clashes_on_its_units_but_its_staffing_is_theirs() -> None:
    """Border Force's course has no instructor and too few trainees for the cell's
    rules, which are not its business; its unit on the cell's course at once is."""
    f = PlanFactory()
    ours, theirs = f.course(min_trainees=10), f.course(min_trainees=10)
    u = f.unit("MK-BP", "Border police")
    f.event(ours, "2027-03-01", "2027-03-05", units=[(u, 12)], staff=[f.instructor()])
    f.event(theirs, "2027-03-04", "2027-03-05", units=[(u, 3)], external=True)
    assert rules_of(f) == ["unit_double_booked"]
