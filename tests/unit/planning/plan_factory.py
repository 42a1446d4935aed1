"""Builds small PlanData snapshots for the planning tests, readably."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time
from itertools import count
from typing import Any

from scheduler.planning.data import (
    AcceptanceData,
    Assignment,
    ClosureData,
    CourseData,
    DateSpan,
    EnrolmentData,
    EventData,
    HeldQualification,
    InstructorData,
    KitData,
    NationData,
    PlanData,
    Posting,
    QualificationData,
    RequirementData,
    Seats,
    TraineeData,
    UnitData,
    VenueData,
)

NATIONS = (
    NationData("MK", "North Macedonia", "MK", ("mk", "sq")),
    NationData("AL", "Albania", "AL", ("sq",)),
    NationData("ME", "Montenegro", "ME", ("cnr", "sr")),
    NationData("GB", "United Kingdom", "GB", ("en",)),
)
LANGUAGES = {"mk": "Macedonian", "sq": "Albanian", "en": "English", "sr": "Serbian"}


def d(text: str) -> date:
    return date.fromisoformat(text)


def dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


class PlanFactory:
    def __init__(self) -> None:
        self._ids = count(1)
        self.events: dict[int, EventData] = {}
        self.courses: list[CourseData] = []
        self.instructors: list[InstructorData] = []
        self.venues: list[VenueData] = []
        self.units: list[UnitData] = []
        self.qualifications: list[QualificationData] = []
        self.closures: list[ClosureData] = []
        self.acceptances: list[AcceptanceData] = []
        self.requirements: list[RequirementData] = []
        self.trainees: list[TraineeData] = []
        self.nations: dict[str, NationData] = {n.code: n for n in NATIONS}
        self.kit: list[KitData] = []
        self._ref = count(1)

    def next_id(self) -> int:
        return next(self._ids)

    def kit_item(self, name: str, quantity: int, **kw: Any) -> KitData:
        i = self.next_id()
        kw.setdefault("owner", "the cell")
        item = KitData(i, f"kit-{i}", name, quantity=quantity, **kw)
        self.kit.append(item)
        return item

    def nation(self, code: str, name: str, **kw: Any) -> NationData:
        """A nation of the plan (replacing a standard one of that code)."""
        kw.setdefault("holiday_calendar", code)
        found = self.nations[code] = NationData(code, name, **kw)
        return found

    def qualification(self, code: str, name: str | None = None) -> QualificationData:
        q = QualificationData(self.next_id(), code, name or code)
        self.qualifications.append(q)
        return q

    def course(self, code: str = "SCC", title: str | None = None, **kw: Any) -> CourseData:
        kw.setdefault("language", "mk")
        c = CourseData(self.next_id(), code, title or f"Course {code}", **kw)
        self.courses.append(c)
        return c

    def instructor(self, name: str = "Ana Đurić", **kw: Any) -> InstructorData:
        i = self.next_id()
        kw.setdefault("languages", frozenset({"mk", "en"}))
        person = InstructorData(i, f"instructor-{i}", name, **kw)
        self.instructors.append(person)
        return person

    def venue(self, name: str = "Касарна Илинден", nation: str = "MK", **kw: Any) -> VenueData:
        i = self.next_id()
        v = VenueData(i, f"venue-{i}", name, nation, **kw)
        self.venues.append(v)
        return v

    def unit(
        self, code: str = "MK-1BN", name: str | None = None, nation: str = "MK", **kw: Any
    ) -> UnitData:
        i = self.next_id()
        kw.setdefault("language", "mk")
        u = UnitData(i, f"unit-{i}", code, name or f"Unit {code}", nation, **kw)
        self.units.append(u)
        return u

    def event(
        self,
        course: CourseData,
        start: str | datetime,
        end: str | datetime | None = None,
        *,
        venue: VenueData | None = None,
        units: Iterable[tuple[UnitData, int]] = (),
        staff: Iterable[InstructorData | tuple[InstructorData, str]] = (),
        status: str = "planned",
        ref: str | None = None,
        **kw: Any,
    ) -> EventData:
        """``start``/``end`` as days (09:00 to 16:00) or datetimes."""
        begin = (
            datetime.combine(d(start), time(9))
            if isinstance(start, str) and len(start) == 10
            else (dt(start) if isinstance(start, str) else start)
        )
        if end is None:
            finish = datetime.combine(begin.date(), time(16))
        elif isinstance(end, str) and len(end) == 10:
            finish = datetime.combine(d(end), time(16))
        else:
            finish = dt(end) if isinstance(end, str) else end
        i = self.next_id()
        assignments = tuple(
            Assignment(s[0].id, s[1]) if isinstance(s, tuple) else Assignment(s.id, "instructor")
            for s in staff
        )
        event = EventData(
            id=i,
            uuid=f"event-{i}",
            ref=ref or f"MK-2027-{next(self._ref):03d}",
            course_id=course.id,
            venue_id=venue.id if venue is not None else None,
            start=begin,
            end=finish,
            status=status,
            audience=tuple(Seats(u.id, n) for u, n in units),
            staff=assignments,
            **kw,
        )
        self.events[i] = event
        return event

    def closure(self, day: str, name: str = "Stand-down", nation: str | None = None) -> None:
        self.closures.append(ClosureData(d(day), name, nation))

    def requirement(
        self,
        unit: UnitData,
        course: CourseData,
        people: int,
        due: str | None,
        target: str = "Battalion ready",
    ) -> RequirementData:
        r = RequirementData(
            self.next_id(), 1, target, unit.id, course.id, people, d(due) if due else None
        )
        self.requirements.append(r)
        return r

    def trainee(
        self,
        name: str,
        postings: Iterable[tuple[UnitData, str | None, str | None]] = (),
        enrolments: Iterable[tuple[EventData, str] | tuple[EventData, str, str]] = (),
    ) -> TraineeData:
        """``postings``: (unit, first day, last day); ``enrolments``: (event, status[, result])."""
        i = self.next_id()
        person = TraineeData(
            i,
            f"trainee-{i}",
            name,
            tuple(
                Posting(u.id, d(first) if first else None, d(last) if last else None)
                for u, first, last in postings
            ),
            tuple(
                EnrolmentData(e[0].id, e[1], d(e[2]) if len(e) > 2 else None)  # type: ignore[misc]
                for e in enrolments
            ),
        )
        self.trainees.append(person)
        return person

    def plan(self) -> PlanData:
        return PlanData.build(
            events=self.events.values(),
            courses=self.courses,
            instructors=self.instructors,
            venues=self.venues,
            units=self.units,
            nations=self.nations.values(),
            qualifications=self.qualifications,
            closures=self.closures,
            acceptances=self.acceptances,
            requirements=self.requirements,
            language_names=LANGUAGES,
            trainees=self.trainees,
            kit=self.kit,
        )


def span(first: str, last: str, reason: str | None = "leave") -> DateSpan:
    return DateSpan(d(first), d(last), reason)


def held(q: QualificationData, expires: str | None = None) -> HeldQualification:
    return HeldQualification(q.id, d(expires) if expires else None)
