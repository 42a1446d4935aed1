"""Who the slot finder deems free: the oracle the timeline's free-rows filter is held to.

For each qualified instructor, the slot finder is asked for a slot of the
course on exactly those days with that instructor as the only teacher and a
free venue of the host nation; the instructor is free when it finds one.
Only public planning calls are used, so the filter cannot share a mistake
with it.
"""

from __future__ import annotations

from datetime import date

from scheduler.planning.data import PlanData, VenueData
from scheduler.planning.slots import SlotRequest, find_slots
from scheduler.planning.workdays import PlanCalendars

STUB_VENUE = 10**9


def slot_finder_free(plan: PlanData, course_id: int, monday: date, nation: str) -> set[int]:
    course = plan.courses[course_id]
    calendar = PlanCalendars(
        plan.closures, {c: n.holiday_calendar for c, n in plan.nations.items()}
    ).for_nation(nation)
    last = calendar.end_date(monday, course.duration_days)
    assert not calendar.days_off_between(monday, last), "pick days without holidays"
    venue = VenueData(STUB_VENUE, "stub", "Free room", nation, None, course.required_facilities)
    free = set()
    for person in plan.instructors.values():
        alone = PlanData.build(
            events=plan.events.values(),
            courses=plan.courses.values(),
            instructors=[person],
            venues=[venue],
            units=plan.units.values(),
            nations=plan.nations.values(),
            qualifications=plan.qualifications.values(),
            closures=plan.closures,
            kit=plan.kit.values(),
        )
        request = SlotRequest(course_id, (), monday, count=1, horizon_days=0)
        if find_slots(alone, request):
            free.add(person.id)
    return free
