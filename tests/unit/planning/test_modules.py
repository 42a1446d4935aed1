"""Modules inside an event, against cases worked out by hand: each module's
venue and people are booked only on its own days."""

from __future__ import annotations

from datetime import datetime

from plan_factory import PlanFactory

from scheduler.planning.data import Assignment, ModuleData
from scheduler.planning.engine import ConflictEngine, check_plan


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _scc(f: PlanFactory) -> tuple:
    """A 15-day section commanders' course: a classroom week, then the field."""
    course = f.course("SCC", "Section commanders", duration_days=10,
                      required_facilities=frozenset({"classroom", "field"}))  # fmt: skip
    classroom = f.venue("Касарна Илинден", facilities=frozenset({"classroom"}))
    field = f.venue("Krivolak", facilities=frozenset({"field"}))
    ana, marko = f.instructor("Ana Đurić"), f.instructor("Марко Петровски")
    return course, classroom, field, ana, marko


def _modules(classroom: object, field: object, ana: object, marko: object) -> tuple:
    return (
        ModuleData(dt("2027-06-07T08:30"), dt("2027-06-11T16:00"), classroom.id,  # type: ignore[attr-defined]
                   (Assignment(ana.id, "instructor"),), "Classroom week"),  # type: ignore[attr-defined]
        ModuleData(dt("2027-06-14T08:30"), dt("2027-06-18T16:00"), field.id,  # type: ignore[attr-defined]
                   (Assignment(marko.id, "instructor"),), "Field week"),  # type: ignore[attr-defined]
    )  # fmt: skip


def test_an_instructor_free_in_the_first_week_may_be_booked_in_the_second() -> None:
    f = PlanFactory()
    course, classroom, field, ana, marko = _scc(f)
    other = f.course("CFA", "Combat first aid", duration_days=3)
    f.event(course, "2027-06-07", "2027-06-18", venue=classroom, staff=[ana, marko],
            ref="SCC-1", modules=_modules(classroom, field, ana, marko))  # fmt: skip
    # Ana teaches elsewhere in the field week, Марко in the classroom week: no clash.
    f.event(other, "2027-06-15", "2027-06-17", venue=f.venue("Штип"), staff=[ana], ref="CFA-1")
    f.event(other, "2027-06-08", "2027-06-09", venue=f.venue("Тетово"), staff=[marko], ref="CFA-2")
    assert [c.rule for c in check_plan(f.plan())] == []


def test_an_instructor_booked_in_the_week_of_their_module_is_double_booked_then() -> None:
    f = PlanFactory()
    course, classroom, field, ana, marko = _scc(f)
    other = f.course("CFA", "Combat first aid", duration_days=3)
    f.event(course, "2027-06-07", "2027-06-18", venue=classroom, staff=[ana, marko],
            ref="SCC-1", modules=_modules(classroom, field, ana, marko))  # fmt: skip
    f.event(other, "2027-06-15", "2027-06-17", venue=f.venue("Штип"), staff=[marko], ref="CFA-1")
    (clash,) = check_plan(f.plan())
    assert clash.rule == "instructor_double_booked"
    assert clash.message == "Марко Петровски is booked on SCC-1 and CFA-1 on 15–17 Jun 2027"


def test_each_module_books_its_own_venue_and_the_venues_together_give_the_facilities() -> None:
    f = PlanFactory()
    course, classroom, field, ana, marko = _scc(f)
    other = f.course("CFA", "Combat first aid", duration_days=2)
    f.event(course, "2027-06-07", "2027-06-18", venue=classroom, staff=[ana, marko],
            ref="SCC-1", modules=_modules(classroom, field, ana, marko))  # fmt: skip
    f.event(other, "2027-06-16", "2027-06-17", venue=field, ref="CFA-1")  # the field week
    f.event(other, "2027-06-14", "2027-06-15", venue=classroom, ref="CFA-2")  # classroom free
    conflicts = check_plan(f.plan())
    assert [(c.rule, c.events) for c in conflicts] == [("venue_double_booked", ("SCC-1", "CFA-1"))]
    assert "16–17 Jun 2027" in conflicts[0].message


def test_leave_in_a_week_one_does_not_teach_is_no_clash_and_workload_counts_own_days() -> None:
    f = PlanFactory()
    course, classroom, field, _ana, marko = _scc(f)
    from plan_factory import d

    from scheduler.planning.data import DateSpan

    leave = (DateSpan(d("2027-06-14"), d("2027-06-18"), "leave"),)
    ana = f.instructor("Ана Илиева", max_training_days=6, unavailability=leave)
    f.event(course, "2027-06-07", "2027-06-18", venue=classroom, staff=[ana, marko],
            ref="SCC-1", modules=_modules(classroom, field, ana, marko))  # fmt: skip
    # On leave in the field week, which she does not teach; 5 days taught of 6 allowed.
    assert [c.rule for c in check_plan(f.plan())] == []


def test_moving_a_module_onto_a_busy_week_is_found_by_the_incremental_check() -> None:
    f = PlanFactory()
    course, classroom, field, ana, marko = _scc(f)
    other = f.course("CFA", "Combat first aid", duration_days=3)
    scc = f.event(course, "2027-06-07", "2027-06-18", venue=classroom, staff=[ana, marko],
                  ref="SCC-1", modules=_modules(classroom, field, ana, marko))  # fmt: skip
    f.event(other, "2027-06-15", "2027-06-17", venue=f.venue("Штип"), staff=[ana], ref="CFA-1")
    engine = ConflictEngine(f.plan())
    assert engine.conflicts() == []
    swapped = tuple(m._replace(staff=(Assignment(ana.id, "instructor"),)) for m in scc.modules)
    delta = engine.update([scc.__class__(**{**_fields(scc), "modules": swapped})])
    assert [c.rule for c in delta.added] == ["instructor_double_booked"]
    assert engine.conflicts() == check_plan(engine.plan.__class__(**_plan_fields(engine.plan)))


def _fields(event: object) -> dict:
    return {name: getattr(event, name) for name in event.__dataclass_fields__}  # type: ignore[attr-defined]


def _plan_fields(plan: object) -> dict:
    fields = _fields(plan)
    fields["events"] = dict(fields["events"])
    return fields


def test_workload_in_hours_counts_each_course_at_its_hours_a_day() -> None:
    f = PlanFactory()
    language = f.course("EFO", "English for operations", daily_hours=3.5)
    interpreter = f.instructor("Zana Krasniqi", role="interpreter", max_training_hours=20,
                               languages=frozenset({"mk", "en", "sq"}))  # fmt: skip
    # Five half days (17.5 hours) are within 20; a sixth makes 21.
    for day in ("2027-06-07", "2027-06-08", "2027-06-09", "2027-06-10", "2027-06-11"):
        f.event(language, day, staff=[(interpreter, "interpreter")])
    assert [c.rule for c in check_plan(f.plan())] == []
    f.event(language, "2027-06-14", staff=[(interpreter, "interpreter")])
    (over,) = check_plan(f.plan())
    assert over.message == (
        "Zana Krasniqi has 21 training hours in Jun 2027, more than the maximum of 20"
    )
