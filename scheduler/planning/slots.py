"""Where and when a course could run next: the slot finder.

A slot is a run of the course's working-day length, starting on a working
day of the venue's nation, with no public holiday or closure day inside,
for which there is a free venue with the room and facilities, the audience
units are free, and enough qualified instructors are available, free and not
abroad the day before or after (and an interpreter when the audience needs
one). Candidates are tried day by day; each day gives at most one slot, the
first venue (home nation first, then by name) that fits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from math import ceil

from scheduler.planning.data import (
    ROLE_INSTRUCTOR,
    ROLE_INTERPRETER,
    CourseData,
    DateSpan,
    InstructorData,
    PlanData,
    Seats,
    VenueData,
    interprets,
    missing_facilities,
)
from scheduler.planning.rules.kit import KitIndex
from scheduler.planning.timeline import BookingIndex, Timeline
from scheduler.planning.workdays import PlanCalendars


@dataclass(frozen=True, slots=True)
class SlotRequest:
    """What to place. ``ignore_event_id`` is the event being moved, if any:
    its own bookings do not block it."""

    course_id: int
    audience: tuple[Seats, ...]
    earliest: date
    count: int = 5
    horizon_days: int = 366
    day_start: time = time(8, 30)
    venue_ids: frozenset[int] | None = None
    ignore_event_id: int | None = None
    travel_time: timedelta = timedelta(hours=24)
    # No slot starts before this (the caller's "now": today's start may be past).
    not_before: datetime | None = None


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    venue_id: int
    instructor_ids: tuple[int, ...]
    interpreter_ids: tuple[int, ...] = ()

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()


def _sort_name(text: str) -> str:
    return text.casefold()


def _away(spans: Iterable[DateSpan], first: date, last: date) -> bool:
    return any(s.first <= last and s.last >= first for s in spans)


class SlotFinder:
    """Answers slot requests against one plan snapshot.

    Build once per snapshot (it indexes every booking) and ask many times;
    pass the engine's ``BookingIndex`` to share it.
    """

    def __init__(
        self,
        plan: PlanData,
        bookings: BookingIndex | None = None,
        calendars: PlanCalendars | None = None,
        kit: KitIndex | None = None,
    ) -> None:
        self.plan = plan
        self.bookings = bookings if bookings is not None else BookingIndex(plan.events.values())
        self.kit = kit if kit is not None else KitIndex(plan, plan.events.values())
        self.calendars = calendars or PlanCalendars.of_plan(plan)

    def find(self, request: SlotRequest) -> list[Slot]:
        plan = self.plan
        course = plan.courses.get(request.course_id)
        if course is None or request.count < 1:
            return []
        seats = sum(s.seats for s in request.audience)
        needed = (
            max(1, ceil(seats / course.trainees_per_instructor))
            if (course.trainees_per_instructor)
            else 1
        )
        venues = self._venues(course, seats, request)
        teachers = sorted(self._qualified(course), key=lambda p: _sort_name(p.name))
        languages = self._languages_needing_interpreters(course, request.audience)
        # Instructors who speak the audience's language first: they need no interpreter.
        teachers.sort(key=lambda p: not (p.languages & languages))
        interpreters = sorted(
            (p for p in plan.instructors.values() if p.role == ROLE_INTERPRETER),
            key=lambda p: _sort_name(p.name),
        )
        found: list[Slot] = []
        for offset in range(request.horizon_days + 1):
            day = request.earliest + timedelta(days=offset)
            for venue in venues:
                slot = self._try(
                    course, request, day, venue, teachers, needed, interpreters, languages
                )
                if slot is not None:
                    found.append(slot)
                    break
            if len(found) >= request.count:
                break
        return found

    def _qualified(self, course: CourseData) -> list[InstructorData]:
        """Instructors (teaching role) holding every qualification the course requires."""
        return [
            p
            for p in self.plan.instructors.values()
            if p.role == ROLE_INSTRUCTOR
            and course.required_qualifications <= {q.qualification_id for q in p.qualifications}
        ]

    def why_none(self, request: SlotRequest) -> list[str]:
        """What rules out every date, whatever the day: said instead of a bare
        "no free dates" (a missing interpreter looked like a full year)."""
        plan = self.plan
        course = plan.courses.get(request.course_id)
        if course is None:
            return []
        reasons = []
        seats = sum(s.seats for s in request.audience)
        if not self._venues(course, seats, request):
            reasons.append(f"no venue holds {seats} trainees with the facilities the course needs")
        qualified = self._qualified(course)
        if not qualified:
            reasons.append("no instructor holds the qualifications the course requires")
        spoken = set().union(*(p.languages for p in qualified))
        for language in sorted(self._languages_needing_interpreters(course, request.audience)):
            if language in spoken:
                continue
            if not any(
                p.role == ROLE_INTERPRETER and interprets(p, language, course.language)
                for p in plan.instructors.values()
            ):
                reasons.append(
                    f"no interpreter speaks both {plan.language_name(course.language)} and "
                    f"{plan.language_name(language)}, and no qualified instructor speaks "
                    f"{plan.language_name(language)}"
                )
        return reasons

    def _venues(self, course: CourseData, seats: int, request: SlotRequest) -> list[VenueData]:
        home = {
            unit.nation_code
            for s in request.audience
            if (unit := self.plan.units.get(s.unit_id)) is not None
        }
        return sorted(
            (
                v
                for v in self.plan.venues.values()
                if (request.venue_ids is None or v.id in request.venue_ids)
                and (v.capacity is None or v.capacity >= seats)
                and not missing_facilities(course, v)
            ),
            key=lambda v: (v.nation_code not in home, _sort_name(v.name)),
        )

    def _languages_needing_interpreters(
        self, course: CourseData, audience: Iterable[Seats]
    ) -> set[str]:
        needed = set()
        for seat in audience:
            unit = self.plan.units.get(seat.unit_id)
            language = self.plan.unit_language(unit) if unit is not None else None
            if language is not None and language != course.language:
                needed.add(language)
        return needed

    def _free(
        self, timeline: Timeline | None, start: datetime, end: datetime, ignore: int | None
    ) -> bool:
        if timeline is None:
            return True
        return all(b[2] == ignore for b in timeline.overlapping(start, end))

    def _try(
        self,
        course: CourseData,
        request: SlotRequest,
        day: date,
        venue: VenueData,
        teachers: list[InstructorData],
        needed: int,
        interpreters: list[InstructorData],
        languages: set[str],
    ) -> Slot | None:
        calendar = self.calendars.for_nation(venue.nation_code, venue.holiday_region)
        if not calendar.is_working_day(day):
            return None
        last = calendar.end_date(day, max(1, course.duration_days))
        if calendar.days_off_between(day, last):
            return None
        start = datetime.combine(day, request.day_start)
        if request.not_before is not None and start < request.not_before:
            return None
        end = datetime.combine(last, request.day_start) + timedelta(hours=course.daily_hours)
        ignore = request.ignore_event_id
        if _away(venue.closures, day, last):
            return None
        if not self._free(self.bookings.venues.get(venue.id), start, end, ignore):
            return None
        for seat in request.audience:
            if not self._free(self.bookings.units.get(seat.unit_id), start, end, ignore):
                return None
        seats = sum(s.seats for s in request.audience)
        for need in course.kit:
            kit = self.plan.kit.get(need.kit_id)
            held = kit.quantity if kit is not None else 0
            if self.kit.in_use(need.kit_id, start, end, ignore) + need.for_seats(seats) > held:
                return None
        chosen = self._people(teachers, needed, course, venue, day, last, start, end, request)
        if chosen is None:
            return None
        helpers: list[int] = []
        # A chosen instructor who speaks a unit's language teaches it in that
        # language (the conflict rule's choice too): no interpreter for it.
        spoken = set().union(*(self.plan.instructors[i].languages for i in chosen))
        for language in sorted(languages - spoken):
            speakers = [
                p
                for p in interpreters
                if p.id not in helpers and interprets(p, language, course.language)
            ]
            picked = self._people(speakers, 1, None, venue, day, last, start, end, request)
            if picked is None:
                return None
            helpers.extend(picked)
        return Slot(start, end, venue.id, tuple(chosen), tuple(helpers))

    def _people(
        self,
        candidates: list[InstructorData],
        needed: int,
        course: CourseData | None,
        venue: VenueData,
        first: date,
        last: date,
        start: datetime,
        end: datetime,
        request: SlotRequest,
    ) -> list[int] | None:
        chosen: list[int] = []
        gap = request.travel_time
        for person in candidates:
            if _away(person.unavailability, first, last):
                continue
            # Nor on their own nation's public holidays (a UK instructor on
            # Christmas Day): the choice where the planner left room; the
            # host nation's holidays already rule out the days themselves.
            home = person.nation_code
            if (
                home
                and home != venue.nation_code
                and self.calendars.for_nation(home).days_off_between(first, last)
            ):
                continue
            if course is not None and course.required_qualifications:
                expiry = {q.qualification_id: q.expires_on for q in person.qualifications}
                if any(
                    (e := expiry.get(q)) is not None and e < last
                    for q in course.required_qualifications
                ):
                    continue
            timeline = self.bookings.instructors.get(person.id)
            if timeline is not None and not self._person_free(
                timeline, start, end, gap, venue.nation_code, request.ignore_event_id
            ):
                continue
            chosen.append(person.id)
            if len(chosen) == needed:
                return chosen
        return None

    def _person_free(
        self,
        timeline: Timeline,
        start: datetime,
        end: datetime,
        gap: timedelta,
        nation: str | None,
        ignore: int | None,
    ) -> bool:
        """Free during the slot, and not abroad within the travel time of it."""
        for b_start, b_end, ident in timeline.overlapping(start - gap, end + gap):
            if ident == ignore:
                continue
            if b_start < end and b_end > start:
                return False
            event = self.plan.events.get(ident)
            if event is not None and self.plan.host_nation(event) != nation:
                return False
        return True


def find_slots(plan: PlanData, request: SlotRequest) -> list[Slot]:
    """One-off search (indexes the plan each time; keep a SlotFinder to ask often)."""
    return SlotFinder(plan).find(request)
