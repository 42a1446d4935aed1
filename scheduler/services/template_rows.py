"""A plan as the rows of its own import template (``template --plan``).

Every field the plan holds is written, in the form the importer reads back
to the same value: codes and names for references, ``CODE:seats`` and
"Name (interpreter)" on events, stored series with their rule, first start,
exceptions and each event's place in them, UIDs so that calendars and
releases keep their identity, and the accepted conflicts and releases.
Importing the result into a new plan gives the same plan (a test compares
every column of every table). Rows are plain values; the workbook is
``exchange.import_template``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_schema import MAX_TEXT, SheetSpec
from scheduler.exchange.import_values import coded_dates_text, kit_need_text
from scheduler.model import (
    CapabilityTarget,
    ClosureDay,
    CollectiveTask,
    ConflictAcceptance,
    Course,
    CourseKit,
    Enrolment,
    EvaluationMilestone,
    EventAudience,
    EventCost,
    EventInstructor,
    EventModule,
    EventSeries,
    Instructor,
    InstructorQualification,
    Kit,
    ModuleInstructor,
    Nation,
    PartnerResponse,
    Provider,
    Qualification,
    Release,
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
    task_course,
)
from scheduler.planning.weekdays import weekdays_text
from scheduler.services.importing.history import SNAPSHOT_KEYS

Row = dict[str, Any]
_CHUNK = 5_000


def _join(values: Iterable[Any]) -> str | None:
    text = "; ".join(str(v) for v in values if v not in (None, ""))
    return text or None


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _choice(value: Any) -> str | None:
    if value is None:
        return None
    text = value.value if isinstance(value, Enum) else str(value)
    return text.replace("_", " ")


def _names(session: Session, column: Any, key: Any) -> dict[int, str]:
    return {i: str(v) for i, v in session.execute(select(key, column))}


class _Lookups:
    """Codes and names of the records other rows point at, read once."""

    def __init__(self, session: Session) -> None:
        self.nations = _names(session, Nation.code, Nation.id)
        self.units = _names(session, Unit.code, Unit.id)
        self.courses = _names(session, Course.code, Course.id)
        self.qualifications = _names(session, Qualification.code, Qualification.id)
        self.instructors = _names(session, Instructor.name, Instructor.id)
        self.roles = {i: str(r) for i, r in session.execute(select(Instructor.id, Instructor.role))}
        self.venues = _names(session, Venue.name, Venue.id)
        self.kit = _names(session, Kit.name, Kit.id)
        self.providers = _names(session, Provider.name, Provider.id)
        self.targets = {
            i: (self.units[unit], name)
            for i, unit, name in session.execute(
                select(CapabilityTarget.id, CapabilityTarget.unit_id, CapabilityTarget.name)
            )
        }


def _nations(session: Session, _: _Lookups) -> Iterator[Row]:
    for nation in session.scalars(select(Nation).order_by(Nation.code)):
        yield {
            "code": nation.code,
            "name": nation.name,
            "time_zone": nation.time_zone,
            "holiday_calendar": nation.holiday_calendar,
            "languages": _join(nation.languages or []),
            "working_weekdays": weekdays_text(nation.working_weekdays or [0, 1, 2, 3, 4]),
            "releasability": nation.releasability,
        }


def _qualifications(session: Session, _: _Lookups) -> Iterator[Row]:
    for record in session.scalars(select(Qualification).order_by(Qualification.code)):
        yield {
            "code": record.code,
            "name": record.name,
            "validity_months": record.validity_months,
            "uid": record.uuid,
        }


def _pairs(
    session: Session,
    table: Any,
    column: str,
    names: Mapping[int, str],
    *,
    parent: str = "course_id",
) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for owner, other in session.execute(select(table.c[parent], table.c[column])):
        found.setdefault(owner, []).append(names[other])
    return found


def _courses(session: Session, lookups: _Lookups) -> Iterator[Row]:
    required = _pairs(session, course_qualification, "qualification_id", lookups.qualifications)
    before = _pairs(session, course_prerequisite, "prerequisite_id", lookups.courses)
    for course in session.scalars(select(Course).order_by(Course.code)):
        yield {
            "code": course.code,
            "title": course.title,
            "category": course.category,
            "duration_days": course.duration_days,
            "daily_hours": course.daily_hours,
            "min_trainees": course.min_trainees,
            "max_trainees": course.max_trainees,
            "trainees_per_instructor": course.trainees_per_instructor,
            "required_qualifications": _join(sorted(required.get(course.id, []))),
            "prerequisites": _join(sorted(before.get(course.id, []))),
            "language": course.language,
            "facilities": _join(course.required_facilities or []),
            "kit": _join(
                kit_need_text(lookups.kit[need.kit_id], need.quantity, need.per_trainees)
                for need in sorted(course.kit, key=lambda n: n.id)
            ),
            "colour": course.colour,
            "description": course.description,
            "validity_months": course.validity_months,
            "kind": _choice(course.kind),
            "uid": course.uuid,
        }


def _units(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for unit in session.scalars(select(Unit).order_by(Unit.id)):
        yield {
            "code": unit.code,
            "name": unit.name,
            "nation": lookups.nations[unit.nation_id],
            "parent": lookups.units.get(unit.parent_id) if unit.parent_id else None,
            "strength": unit.strength,
            "language": unit.language,
            "kind": _choice(unit.kind),
            "releasability_group": unit.releasability_group,
            "contact": unit.contact,
            "uid": unit.uuid,
        }


def _instructors(session: Session, lookups: _Lookups) -> Iterator[Row]:
    held: dict[int, list[str]] = {}
    for holder, qualification, expires, awarded in session.execute(
        select(
            InstructorQualification.instructor_id,
            InstructorQualification.qualification_id,
            InstructorQualification.expires_on,
            InstructorQualification.awarded_on,
        ).order_by(InstructorQualification.id)
    ):
        held.setdefault(holder, []).append(
            coded_dates_text(lookups.qualifications[qualification], expires, awarded)
        )
    for person in session.scalars(select(Instructor).order_by(Instructor.name)):
        yield {
            "name": person.name,
            "nation": lookups.nations.get(person.nation_id) if person.nation_id else None,
            "organisation": person.organisation,
            "role": _choice(person.role),
            "qualifications": _join(held.get(person.id, [])),
            "languages": _join(person.languages or []),
            "max_training_days": person.max_training_days,
            "max_training_hours": person.max_training_hours,
            "workload_period": _choice(person.workload_period),
            "releasable": _yes_no(person.releasable),
            "contact": person.contact,
            "uid": person.uuid,
        }


def _venues(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for venue in session.scalars(select(Venue).order_by(Venue.name)):
        yield {
            "name": venue.name,
            "nation": lookups.nations[venue.nation_id],
            "capacity": venue.capacity,
            "facilities": _join(venue.facilities or []),
            "location": venue.location,
            "time_zone": venue.time_zone,
            "holiday_region": venue.holiday_region,
            "uid": venue.uuid,
        }


def _kit(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for item in session.scalars(select(Kit).order_by(Kit.name)):
        yield {
            "name": item.name,
            "kind": _choice(item.kind),
            "quantity": item.quantity,
            "venue": lookups.venues.get(item.venue_id) if item.venue_id else None,
            "nation": lookups.nations.get(item.nation_id) if item.nation_id else None,
            "notes": item.notes,
            "uid": item.uuid,
        }


def _modules(session: Session, lookups: _Lookups) -> Iterator[Row]:
    people: dict[int, list[str]] = {}
    for module_id, instructor_id in session.execute(
        select(ModuleInstructor.module_id, ModuleInstructor.instructor_id).order_by(
            ModuleInstructor.id
        )
    ):
        people.setdefault(module_id, []).append(lookups.instructors[instructor_id])
    for module_id, ref, title, start, end, venue_id in session.execute(
        select(
            EventModule.id,
            TrainingEvent.ref,
            EventModule.title,
            EventModule.start,
            EventModule.end,
            EventModule.venue_id,
        )
        .join(TrainingEvent, TrainingEvent.id == EventModule.event_id)
        .order_by(TrainingEvent.start, TrainingEvent.ref, EventModule.start, EventModule.id)
    ):
        yield {
            "event": ref,
            "title": title,
            "start": start,
            "end": end,
            "venue": lookups.venues.get(venue_id) if venue_id else None,
            "staff": _join(people.get(module_id, [])),
        }


def _unavailability(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for person, first, last, reason, kind in session.execute(
        select(
            Unavailability.instructor_id,
            Unavailability.start_date,
            Unavailability.end_date,
            Unavailability.reason,
            Unavailability.kind,
        ).order_by(Unavailability.instructor_id, Unavailability.start_date, Unavailability.id)
    ):
        yield {
            "who": lookups.instructors[person],
            "start": first,
            "end": last,
            "reason": reason,
            "kind": _choice(kind),
        }


def _venue_closures(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for venue, first, last, reason in session.execute(
        select(
            VenueClosure.venue_id,
            VenueClosure.start_date,
            VenueClosure.end_date,
            VenueClosure.reason,
        ).order_by(VenueClosure.venue_id, VenueClosure.start_date, VenueClosure.id)
    ):
        yield {"venue": lookups.venues[venue], "start": first, "end": last, "reason": reason}


def _closure_days(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for day, nation, name in session.execute(
        select(ClosureDay.day, ClosureDay.nation_id, ClosureDay.name).order_by(
            ClosureDay.day, ClosureDay.id
        )
    ):
        yield {"day": day, "nation": lookups.nations.get(nation) if nation else None, "name": name}


def _targets(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for target in session.scalars(select(CapabilityTarget).order_by(CapabilityTarget.id)):
        yield {
            "unit": lookups.units[target.unit_id],
            "target": target.name,
            "due": target.due_date,
            "description": target.description,
            "uid": target.uuid,
        }


def _requirements(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for unit, target_unit, target, course, people, due in session.execute(
        select(
            TrainingRequirement.unit_id,
            CapabilityTarget.unit_id,
            CapabilityTarget.name,
            TrainingRequirement.course_id,
            TrainingRequirement.people,
            TrainingRequirement.due_date,
        )
        .join(CapabilityTarget, CapabilityTarget.id == TrainingRequirement.target_id)
        .order_by(TrainingRequirement.id)
    ):
        yield {
            "unit": lookups.units[unit],
            "target": target,
            "course": lookups.courses[course],
            "people": people,
            "due": due,
            "target_unit": lookups.units[target_unit] if target_unit != unit else None,
        }


def _series_names(session: Session) -> dict[int, str]:
    """Each series' name on the Series sheet: the Ref of its first event."""
    names: dict[int, str] = {}
    for series_id, ref in session.execute(
        select(TrainingEvent.series_id, TrainingEvent.ref)
        .where(TrainingEvent.series_id.is_not(None))
        .order_by(TrainingEvent.series_id, TrainingEvent.start, TrainingEvent.id)
    ):
        if series_id is not None:
            names.setdefault(series_id, ref)
    return names


def _series(session: Session, _: _Lookups) -> Iterator[Row]:
    names = _series_names(session)
    for series in session.scalars(select(EventSeries).order_by(EventSeries.id)):
        yield {
            "series": names.get(series.id, f"S{series.id}"),
            "rule": series.rrule,
            "start": series.dtstart,
            "exceptions": _join(series.exdates or []),
            "uid": series.uuid,
        }


def _children(
    session: Session, ids: list[int], lookups: _Lookups
) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    audience: dict[int, list[str]] = {}
    for event_id, unit_id, seats in session.execute(
        select(EventAudience.event_id, EventAudience.unit_id, EventAudience.seats)
        .where(EventAudience.event_id.in_(ids))
        .order_by(EventAudience.id)
    ):
        audience.setdefault(event_id, []).append(f"{lookups.units[unit_id]}:{seats}")
    staff: dict[int, list[str]] = {}
    for event_id, person, role in session.execute(
        select(EventInstructor.event_id, EventInstructor.instructor_id, EventInstructor.role)
        .where(EventInstructor.event_id.in_(ids))
        .order_by(EventInstructor.id)
    ):
        name, role_text = lookups.instructors[person], str(role)
        own = lookups.roles[person]
        plain = role_text == own and role_text == "instructor"
        staff.setdefault(event_id, []).append(name if plain else f"{name} ({role_text})")
    return audience, staff


def _events(session: Session, lookups: _Lookups) -> Iterator[Row]:
    names = _series_names(session)
    columns = (
        TrainingEvent.id,
        TrainingEvent.uuid,
        TrainingEvent.ref,
        TrainingEvent.course_id,
        TrainingEvent.start,
        TrainingEvent.end,
        TrainingEvent.venue_id,
        TrainingEvent.status,
        TrainingEvent.notes,
        TrainingEvent.partner_remarks,
        TrainingEvent.attended,
        TrainingEvent.passed,
        TrainingEvent.outcome,
        TrainingEvent.series_id,
        TrainingEvent.recurrence_id,
        TrainingEvent.is_override,
        TrainingEvent.provider_id,
        TrainingEvent.funding_line,
    )
    last = 0
    while True:
        chunk = session.execute(
            select(*columns).where(TrainingEvent.id > last).order_by(TrainingEvent.id).limit(_CHUNK)
        ).all()
        if not chunk:
            return
        last = chunk[-1].id
        audience, staff = _children(session, [row.id for row in chunk], lookups)
        for event in chunk:
            in_series = event.series_id is not None
            yield {
                "ref": event.ref,
                "course": lookups.courses[event.course_id],
                "start": event.start,
                "end": event.end,
                "venue": lookups.venues.get(event.venue_id) if event.venue_id else None,
                "units": _join(audience.get(event.id, [])),
                "instructors": _join(staff.get(event.id, [])),
                "status": _choice(event.status),
                "notes": event.notes,
                "partner_remarks": event.partner_remarks,
                "attended": event.attended,
                "passed": event.passed,
                "outcome": event.outcome,
                "series": names.get(event.series_id) if in_series else None,
                "occurrence": event.recurrence_id if in_series else None,
                "override": _yes_no(event.is_override) if in_series or event.is_override else None,
                "uid": event.uuid,
                "provider": lookups.providers[event.provider_id] if event.provider_id else None,
                "funding_line": event.funding_line,
            }


def _providers(session: Session, lookups: _Lookups) -> Iterator[Row]:
    for provider in session.scalars(select(Provider).order_by(Provider.name)):
        yield {
            "name": provider.name,
            "kind": _choice(provider.kind),
            "nation": lookups.nations.get(provider.nation_id) if provider.nation_id else None,
            "notes": provider.notes,
        }


def _milestones(session: Session, lookups: _Lookups) -> Iterator[Row]:
    query = select(EvaluationMilestone).order_by(
        EvaluationMilestone.target_id, EvaluationMilestone.day, EvaluationMilestone.id
    )
    for milestone in session.scalars(query):
        unit, target = lookups.targets[milestone.target_id]
        yield {
            "unit": unit,
            "target": target,
            "kind": str(milestone.kind).upper(),
            "day": milestone.day,
            "result": _choice(milestone.result),
            "notes": milestone.notes,
        }


def _tasks(session: Session, lookups: _Lookups) -> Iterator[Row]:
    courses = _pairs(session, task_course, "course_id", lookups.courses, parent="task_id")
    query = select(CollectiveTask).order_by(CollectiveTask.target_id, CollectiveTask.id)
    for task in session.scalars(query):
        unit, target = lookups.targets[task.target_id]
        yield {
            "unit": unit,
            "target": target,
            "name": task.name,
            "rating": _choice(task.rating),
            "rated_on": task.rated_on,
            "rating_source": task.rating_source,
            "courses": _join(sorted(courses.get(task.id, []))),
        }


def _costs(session: Session, _: _Lookups) -> Iterator[Row]:
    query = (
        select(TrainingEvent.ref, EventCost)
        .join(EventCost, EventCost.event_id == TrainingEvent.id)
        .order_by(EventCost.event_id, EventCost.id)
    )
    for ref, cost in session.execute(query):
        yield {
            "event": ref,
            "kind": _choice(cost.kind),
            "planned": cost.planned,
            "actual": cost.actual,
            "note": cost.note,
        }


def _acceptances(session: Session, _: _Lookups) -> Iterator[Row]:
    for record in session.scalars(select(ConflictAcceptance).order_by(ConflictAcceptance.id)):
        yield {
            "rule": record.rule,
            "conflict": record.conflict_key,
            "events": _join(record.event_uuids or []),
            "fingerprint": record.fingerprint,
            "reason": record.reason,
            "by": record.accepted_by,
            "at": record.accepted_at,
        }


def _releases(session: Session, _: _Lookups) -> Iterator[Row]:
    for number, release in enumerate(
        session.scalars(select(Release).order_by(Release.id)), start=1
    ):
        yield {
            "release": str(number),
            "partner": release.partner_code,
            "at": release.released_at,
            "by": release.released_by,
            "start": release.period_start,
            "end": release.period_end,
            "file": release.file_name,
            "hash": release.file_hash,
            "marking": release.marking,
            "uid": release.uuid,
            "names_sent": _join(release.names_sent) if release.names_sent else None,
        }


def _released_events(session: Session, _: _Lookups) -> Iterator[Row]:
    for number, snapshot in enumerate(
        session.scalars(select(Release.snapshot).order_by(Release.id)), start=1
    ):
        for entry in snapshot or []:
            row: Row = {"release": str(number)}
            for key, cell in zip(SNAPSHOT_KEYS, _SNAPSHOT_CELLS, strict=True):
                row[cell] = entry.get(key) or None
            yield row


def _trainees(session: Session, lookups: _Lookups) -> Iterator[Row]:
    postings: dict[int, list[str]] = {}
    for holder, unit, first, last in session.execute(
        select(
            TraineePosting.trainee_id,
            TraineePosting.unit_id,
            TraineePosting.date_from,
            TraineePosting.date_to,
        ).order_by(TraineePosting.trainee_id, TraineePosting.date_from, TraineePosting.id)
    ):
        postings.setdefault(holder, []).append(coded_dates_text(lookups.units[unit], first, last))
    for person in session.scalars(select(Trainee).order_by(Trainee.id)):
        yield {
            "name": person.name,
            "name_latin": person.name_latin,
            "rank": person.rank,
            "nation": lookups.nations[person.nation_id],
            "service_number": person.service_number,
            "languages": _join(person.languages or []),
            "postings": _join(postings.get(person.id, [])),
            "uid": person.uuid,
        }


def _enrolments(session: Session, lookups: _Lookups) -> Iterator[Row]:
    people = {
        row.id: row
        for row in session.execute(
            select(
                Trainee.id,
                Trainee.uuid,
                Trainee.name,
                Trainee.name_latin,
                Trainee.nation_id,
                Trainee.service_number,
            )
        )
    }
    shared = _shared_names(people.values())
    refs: dict[int, str] = {
        event_id: ref
        for event_id, ref in session.execute(
            select(TrainingEvent.id, TrainingEvent.ref).where(
                TrainingEvent.id.in_(select(Enrolment.event_id))
            )
        )
    }
    for enrolment in session.scalars(select(Enrolment).order_by(Enrolment.id)):
        person = people[enrolment.trainee_id]
        yield {
            "event": refs[enrolment.event_id],
            "trainee": person.name,
            "nation": lookups.nations[person.nation_id] if person.id in shared else None,
            "service_number": person.service_number if person.id in shared else None,
            "status": _choice(enrolment.status),
            "result_date": enrolment.result_date,
            "certificate": enrolment.certificate_serial,
            "remarks": enrolment.remarks,
            "trainee_uid": person.uuid,
        }


def _partner_responses(session: Session, _: _Lookups) -> Iterator[Row]:
    for ref, response in session.execute(
        select(TrainingEvent.ref, PartnerResponse)
        .join(PartnerResponse, PartnerResponse.event_id == TrainingEvent.id)
        .order_by(PartnerResponse.id)
    ):
        yield {
            "event": ref,
            "partner": response.partner_code,
            "confirmed_seats": response.confirmed_seats,
            "remarks": response.remarks,
            "received_at": response.received_at,
        }


def _shared_names(people: Iterable[Any]) -> set[int]:
    """People who share a name (in either script) with another: their rows say
    nation and service number too, so a reader can tell them apart."""
    holders: dict[str, set[int]] = {}
    for person in people:
        for name in (person.name, person.name_latin):
            if name:
                holders.setdefault(" ".join(name.split()).casefold(), set()).add(person.id)
    return {i for ids in holders.values() if len(ids) > 1 for i in ids}


_SNAPSHOT_CELLS = ("uid", "ref", "course", "title", "start", "end", "status", "venue")
_READERS: dict[str, Callable[[Session, _Lookups], Iterator[Row]]] = {
    schema.NATIONS.name: _nations,
    schema.QUALIFICATIONS.name: _qualifications,
    schema.COURSES.name: _courses,
    schema.UNITS.name: _units,
    schema.INSTRUCTORS.name: _instructors,
    schema.VENUES.name: _venues,
    schema.KIT.name: _kit,
    schema.UNAVAILABILITY.name: _unavailability,
    schema.VENUE_CLOSURES.name: _venue_closures,
    schema.CLOSURE_DAYS.name: _closure_days,
    schema.TARGETS.name: _targets,
    schema.REQUIREMENTS.name: _requirements,
    schema.SERIES.name: _series,
    schema.EVENTS.name: _events,
    schema.ACCEPTANCES.name: _acceptances,
    schema.RELEASES.name: _releases,
    schema.RELEASED_EVENTS.name: _released_events,
    schema.TRAINEES.name: _trainees,
    schema.ENROLMENTS.name: _enrolments,
    schema.PARTNER_RESPONSES.name: _partner_responses,
    schema.MODULES.name: _modules,
    schema.PROVIDERS.name: _providers,
    schema.MILESTONES.name: _milestones,
    schema.TASKS.name: _tasks,
    schema.COSTS.name: _costs,
}


def _cells(spec: SheetSpec, rows: Iterator[Row]) -> Iterator[list[Any]]:
    """Rows in the sheet's column order; a text too long for a cell stops the template."""
    keys = spec.keys()
    for row in rows:
        values = [row.get(key) for key in keys]
        for key, value in zip(keys, values, strict=True):
            if isinstance(value, str) and len(value) > MAX_TEXT:
                header = spec.field(key).header
                who = values[0]
                raise UserError(
                    f"{spec.name} “{who}”: {header} is {len(value):,} characters long, more "
                    f"than a spreadsheet cell holds ({MAX_TEXT:,}). Shorten it in the plan, "
                    "then write the template again; nothing was written."
                )
        yield values


def template_row_count(session: Session) -> int:
    """About how many rows ``template_rows`` gives (for a progress bar)."""
    tables = (
        Nation,
        Qualification,
        Course,
        Unit,
        Instructor,
        Venue,
        Kit,
        CourseKit,
        Unavailability,
        VenueClosure,
        ClosureDay,
        CapabilityTarget,
        TrainingRequirement,
        EventSeries,
        TrainingEvent,
        EventModule,
        ConflictAcceptance,
        Release,
        Trainee,
        Enrolment,
        PartnerResponse,
        Provider,
        EvaluationMilestone,
        CollectiveTask,
        EventCost,
    )
    return sum(int(session.scalar(select(func.count(t.id))) or 0) for t in tables)


def template_rows(session: Session) -> dict[str, Iterator[list[Any]]]:
    """Sheet name -> the plan's rows for it (read lazily, as the workbook is written)."""
    lookups = _Lookups(session)
    return {
        spec.name: _cells(spec, _READERS[spec.name](session, lookups)) for spec in schema.SHEETS
    }


__all__ = ["template_row_count", "template_rows"]
