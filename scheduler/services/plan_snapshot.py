"""Reads a plan from the database into the planning engine's plain records.

Only columns are selected, never ORM objects: a 100,000-event plan is about
half a million rows across events, audiences and assignments, and building
mapped objects for them would cost several seconds (DESIGN.md, performance
notes). Child rows are read in one query per table and grouped in Python.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from enum import Enum
from typing import Any

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.model import (
    CapabilityTarget,
    ClosureDay,
    ConflictAcceptance,
    Course,
    CourseKit,
    Enrolment,
    EventAudience,
    EventInstructor,
    EventModule,
    Instructor,
    InstructorQualification,
    Kit,
    ModuleInstructor,
    Nation,
    Qualification,
    Trainee,
    TraineePosting,
    TrainingEvent,
    TrainingRequirement,
    Unavailability,
    Unit,
    Venue,
    VenueClosure,
    course_prerequisite,
    course_qualification,
)
from scheduler.model.languages import LANGUAGE_NAMES
from scheduler.planning.data import (
    PASSED,
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
    KitNeed,
    ModuleData,
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
from scheduler.services.plan_calendars import working_week
from scheduler.services.shared_values import Shared


def _text(value: Any) -> str:
    return str(value.value) if isinstance(value, Enum) else str(value)


def load_plan_data(session: Session, event_ids: Collection[int] | None = None) -> PlanData:
    """The whole plan, or every record but only the events ``event_ids``."""
    nation_codes = dict(session.execute(select(Nation.id, Nation.code)).all())
    return PlanData.build(
        events=_events(session, event_ids),
        courses=_courses(session),
        instructors=_instructors(session, nation_codes),
        venues=_venues(session, nation_codes),
        units=_units(session, nation_codes),
        nations=_nations(session),
        qualifications=(
            QualificationData(i, code, name)
            for i, code, name in session.execute(
                select(Qualification.id, Qualification.code, Qualification.name)
            )
        ),
        closures=(
            ClosureData(day, name, nation_codes.get(nation_id) if nation_id else None)
            for day, name, nation_id in session.execute(
                select(ClosureDay.day, ClosureDay.name, ClosureDay.nation_id)
            )
        ),
        acceptances=load_acceptances(session),
        requirements=load_requirements(session),
        language_names=LANGUAGE_NAMES,
        trainees=load_trainees(session),
        kit=_kit(session),
    )


def _kit(session: Session) -> list[KitData]:
    venues: dict[int | None, str] = dict(session.execute(select(Venue.id, Venue.name)).all())
    nations: dict[int | None, str] = dict(session.execute(select(Nation.id, Nation.name)).all())
    rows = session.execute(
        select(Kit.id, Kit.uuid, Kit.name, Kit.kind, Kit.quantity, Kit.venue_id, Kit.nation_id)
    )
    return [
        KitData(
            ident,
            uuid,
            name,
            _text(kind),
            quantity or 0,
            venues.get(venue_id, "") or nations.get(nation_id, "") or "the cell",
        )
        for ident, uuid, name, kind, quantity, venue_id, nation_id in rows
    ]


def load_trainees(
    session: Session, only_passed_on: Collection[int] | None = None
) -> list[TraineeData]:
    """Every trainee with postings and enrolments; with ``only_passed_on`` (course
    ids), only the passes of those courses and only the people who have one."""
    connection = session.connection()
    enrolments_query = select(
        Enrolment.trainee_id,
        Enrolment.event_id,
        type_coerce(Enrolment.status, String),
        Enrolment.result_date,
    )
    if only_passed_on is not None:
        enrolments_query = enrolments_query.join(
            TrainingEvent, TrainingEvent.id == Enrolment.event_id
        ).where(
            TrainingEvent.course_id.in_(sorted(only_passed_on)),
            type_coerce(Enrolment.status, String) == PASSED,
        )
    enrolments: dict[int, list[EnrolmentData]] = {}
    for trainee_id, event_id, status, result_date in connection.execute(enrolments_query):
        enrolments.setdefault(trainee_id, []).append(EnrolmentData(event_id, status, result_date))
    postings: dict[int, list[Posting]] = {}
    for trainee_id, unit_id, first, last in connection.execute(
        select(
            TraineePosting.trainee_id,
            TraineePosting.unit_id,
            TraineePosting.date_from,
            TraineePosting.date_to,
        )
    ):
        postings.setdefault(trainee_id, []).append(Posting(unit_id, first, last))
    return [
        TraineeData(
            ident, uuid, name, tuple(postings.get(ident, ())), tuple(enrolments.get(ident, ()))
        )
        for ident, uuid, name in connection.execute(select(Trainee.id, Trainee.uuid, Trainee.name))
        if only_passed_on is None or ident in enrolments
    ]


def load_acceptances(session: Session) -> list[AcceptanceData]:
    return [
        AcceptanceData(i, rule, key, fingerprint, reason, by, at)
        for i, rule, key, fingerprint, reason, by, at in session.execute(
            select(
                ConflictAcceptance.id,
                ConflictAcceptance.rule,
                ConflictAcceptance.conflict_key,
                ConflictAcceptance.fingerprint,
                ConflictAcceptance.reason,
                ConflictAcceptance.accepted_by,
                ConflictAcceptance.accepted_at,
            )
        )
    ]


def load_events(session: Session, event_ids: Collection[int]) -> list[EventData]:
    """Just these events (those still in the plan), for an incremental re-check."""
    return _events(session, event_ids)


def load_modules(
    session: Session, event_ids: Collection[int] | None = None
) -> dict[int, tuple[ModuleData, ...]]:
    """Each event's modules in start order (events without any left out)."""
    module_query = select(
        EventModule.id,
        EventModule.event_id,
        EventModule.start,
        EventModule.end,
        EventModule.venue_id,
        EventModule.title,
    ).order_by(EventModule.event_id, EventModule.start, EventModule.id)
    if event_ids is not None:
        module_query = module_query.where(EventModule.event_id.in_(list(event_ids)))
    connection = session.connection()
    rows = list(connection.execute(module_query))
    if not rows:
        return {}
    people: dict[int, list[Assignment]] = {}
    staff_query = select(
        ModuleInstructor.module_id,
        ModuleInstructor.instructor_id,
        type_coerce(ModuleInstructor.role, String),
    ).order_by(ModuleInstructor.module_id, ModuleInstructor.id)
    for module_id, instructor_id, role in connection.execute(staff_query):
        people.setdefault(module_id, []).append(Assignment(instructor_id, role))
    found: dict[int, list[ModuleData]] = {}
    for module_id, event_id, start, end, venue_id, title in rows:
        staff = people.get(module_id)
        found.setdefault(event_id, []).append(
            ModuleData(start, end, venue_id, tuple(staff) if staff else None, title or "")
        )
    return {event_id: tuple(items) for event_id, items in found.items()}


def _events(session: Session, event_ids: Collection[int] | None) -> list[EventData]:
    wanted = set(event_ids) if event_ids is not None else None
    audience: dict[int, list[Seats]] = {}
    audience_query = select(EventAudience.event_id, EventAudience.unit_id, EventAudience.seats)
    # The enum columns are read as plain text: converting 100,000 values to
    # enum members and back costs about a second.
    staff_query = select(
        EventInstructor.event_id,
        EventInstructor.instructor_id,
        type_coerce(EventInstructor.role, String),
    )
    event_query = select(
        TrainingEvent.id,
        TrainingEvent.uuid,
        TrainingEvent.ref,
        TrainingEvent.course_id,
        TrainingEvent.venue_id,
        TrainingEvent.start,
        TrainingEvent.end,
        type_coerce(TrainingEvent.status, String),
        TrainingEvent.attended,
        TrainingEvent.passed,
        TrainingEvent.series_id,
        TrainingEvent.provider_id,
    )
    if wanted is not None:
        audience_query = audience_query.where(EventAudience.event_id.in_(wanted))
        staff_query = staff_query.where(EventInstructor.event_id.in_(wanted))
        event_query = event_query.where(TrainingEvent.id.in_(wanted))
    # Core rows through the session's connection (same transaction): the ORM
    # result machinery adds about half a second at 100,000 events.
    connection = session.connection()
    # The same seats, people, times and statuses recur across thousands of
    # events: one object each, not one per event (some 40 MB at 100,000).
    seat_of, person_of, audiences, teams, one = Shared(), Shared(), Shared(), Shared(), Shared()
    for event_id, unit_id, seats in connection.execute(audience_query):
        audience.setdefault(event_id, []).append(seat_of(Seats(unit_id, seats or 0)))
    staff: dict[int, list[Assignment]] = {}
    for event_id, instructor_id, role in connection.execute(staff_query):
        staff.setdefault(event_id, []).append(person_of(Assignment(instructor_id, role)))
    modules = load_modules(session, wanted)
    empty: tuple[Any, ...] = ()

    return [
        EventData(
            ident,
            uuid,
            ref,
            course_id,
            venue_id,
            one(start),
            one(end),
            one(status),
            audiences(tuple(audience.get(ident, empty))),
            teams(tuple(staff.get(ident, empty))),
            attended,
            passed,
            series_id,
            modules.get(ident, empty),
            provider_id is not None,
        )
        for (
            ident,
            uuid,
            ref,
            course_id,
            venue_id,
            start,
            end,
            status,
            attended,
            passed,
            series_id,
            provider_id,
        ) in connection.execute(event_query)
    ]


def _pairs(session: Session, left: Any, right: Any) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for a, b in session.execute(select(left, right)):
        found.setdefault(a, set()).add(b)
    return found


def _courses(session: Session) -> list[CourseData]:
    qualifications = _pairs(
        session, course_qualification.c.course_id, course_qualification.c.qualification_id
    )
    prerequisites = _pairs(
        session, course_prerequisite.c.course_id, course_prerequisite.c.prerequisite_id
    )
    kit: dict[int, list[KitNeed]] = {}
    for course_id, kit_id, quantity, per in session.execute(
        select(CourseKit.course_id, CourseKit.kit_id, CourseKit.quantity, CourseKit.per_trainees)
    ):
        kit.setdefault(course_id, []).append(KitNeed(kit_id, quantity or 0, per))
    rows = session.execute(
        select(
            Course.id,
            Course.code,
            Course.title,
            Course.duration_days,
            Course.daily_hours,
            Course.min_trainees,
            Course.max_trainees,
            Course.trainees_per_instructor,
            Course.language,
            Course.required_facilities,
            Course.validity_months,
        )
    )
    return [
        CourseData(
            ident,
            code,
            title,
            duration or 1,
            hours if hours is not None else 7.0,
            low,
            high,
            ratio,
            language or "en",
            frozenset(facilities or ()),
            frozenset(qualifications.get(ident, ())),
            frozenset(prerequisites.get(ident, ())),
            validity,
            tuple(kit.get(ident, ())),
        )
        for (
            ident,
            code,
            title,
            duration,
            hours,
            low,
            high,
            ratio,
            language,
            facilities,
            validity,
        ) in rows
    ]


def _spans(
    session: Session, owner: Any, first: Any, last: Any, reason: Any
) -> dict[int, list[DateSpan]]:
    found: dict[int, list[DateSpan]] = {}
    for ident, start, end, why in session.execute(select(owner, first, last, reason)):
        found.setdefault(ident, []).append(
            DateSpan(start, end, _text(why) if why is not None else None)
        )
    for spans in found.values():
        spans.sort()
    return found


def _instructors(session: Session, nation_codes: dict[int, str]) -> list[InstructorData]:
    held: dict[int, list[HeldQualification]] = {}
    for ident, qualification_id, expires in session.execute(
        select(
            InstructorQualification.instructor_id,
            InstructorQualification.qualification_id,
            InstructorQualification.expires_on,
        )
    ):
        held.setdefault(ident, []).append(HeldQualification(qualification_id, expires))
    away = _spans(
        session,
        Unavailability.instructor_id,
        Unavailability.start_date,
        Unavailability.end_date,
        Unavailability.kind,
    )
    rows = session.execute(
        select(
            Instructor.id,
            Instructor.uuid,
            Instructor.name,
            Instructor.nation_id,
            Instructor.role,
            Instructor.languages,
            Instructor.max_training_days,
            Instructor.workload_period,
            Instructor.max_training_hours,
        )
    )
    return [
        InstructorData(
            ident,
            uuid,
            name,
            nation_codes.get(nation_id) if nation_id is not None else None,
            _text(role),
            frozenset(languages or ()),
            max_days,
            _text(period) if period is not None else "month",
            tuple(held.get(ident, ())),
            tuple(away.get(ident, ())),
            max_hours,
        )
        for ident, uuid, name, nation_id, role, languages, max_days, period, max_hours in rows
    ]


def _venues(session: Session, nation_codes: dict[int, str]) -> list[VenueData]:
    closures = _spans(
        session,
        VenueClosure.venue_id,
        VenueClosure.start_date,
        VenueClosure.end_date,
        VenueClosure.reason,
    )
    rows = session.execute(
        select(
            Venue.id,
            Venue.uuid,
            Venue.name,
            Venue.nation_id,
            Venue.capacity,
            Venue.facilities,
            Venue.holiday_region,
        )
    )
    return [
        VenueData(
            ident,
            uuid,
            name,
            nation_codes.get(nation_id),
            capacity,
            frozenset(facilities or ()),
            tuple(closures.get(ident, ())),
            region,
        )
        for ident, uuid, name, nation_id, capacity, facilities, region in rows
    ]


def _units(session: Session, nation_codes: dict[int, str]) -> list[UnitData]:
    rows = session.execute(
        select(
            Unit.id,
            Unit.uuid,
            Unit.code,
            Unit.name,
            Unit.nation_id,
            Unit.parent_id,
            Unit.strength,
            Unit.language,
        )
    )
    return [
        UnitData(ident, uuid, code, name, nation_codes.get(nation_id), parent, strength, language)
        for ident, uuid, code, name, nation_id, parent, strength, language in rows
    ]


def _nations(session: Session) -> list[NationData]:
    rows = session.execute(
        select(
            Nation.code,
            Nation.name,
            Nation.holiday_calendar,
            Nation.languages,
            Nation.working_weekdays,
        )
    )
    return [
        NationData(code, name, calendar or code, tuple(languages or ()), working_week(week))
        for code, name, calendar, languages, week in rows
    ]


def load_requirements(session: Session) -> list[RequirementData]:
    """Every training requirement; one without its own due date takes its target's."""
    rows = session.execute(
        select(
            TrainingRequirement.id,
            TrainingRequirement.target_id,
            CapabilityTarget.name,
            TrainingRequirement.unit_id,
            TrainingRequirement.course_id,
            TrainingRequirement.people,
            TrainingRequirement.due_date,
            CapabilityTarget.due_date,
        ).join(CapabilityTarget, CapabilityTarget.id == TrainingRequirement.target_id)
    )
    found = []
    for ident, target_id, target, unit_id, course_id, people, due, target_due in rows:
        effective: date | None = due or target_due
        found.append(
            RequirementData(ident, target_id, target, unit_id, course_id, people or 0, effective)
        )
    return found
