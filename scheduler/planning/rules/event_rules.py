"""Rules that judge one event against facts that do not depend on other events.

Because they read nothing but the event and the plan's fixed records, the
engine re-runs them for an edited event alone.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from math import ceil

from scheduler.planning.conflicts import Conflict, RuleContext, Severity, conflict_key
from scheduler.planning.data import (
    ROLE_INSTRUCTOR,
    ROLE_INTERPRETER,
    CourseData,
    DateSpan,
    EventData,
    Piece,
    UnitData,
    interprets,
    last_day_of,
    missing_facilities,
)
from scheduler.planning.holiday_regions import region_name
from scheduler.planning.wording import and_list, day_text, days_text


def event_label(event: EventData, course: CourseData | None) -> str:
    """``MK-2027-014 (Section commanders' course, 3–5 Mar 2027)``."""
    what = f"{course.title}, " if course is not None else ""
    return f"{event.ref} ({what}{days_text(event.first_day, event.last_day)})"


def unit_label(unit: UnitData) -> str:
    return f"{unit.name} ({unit.code})" if unit.code and unit.code != unit.name else unit.name


def check_event(ctx: RuleContext, event: EventData) -> list[Conflict]:
    """Every single-event conflict of ``event`` (none when it is cancelled, or
    when another provider delivers it: how they run it is theirs to judge)."""
    if event.cancelled or event.external:
        return []
    found: list[Conflict] = []
    course = ctx.plan.courses.get(event.course_id)
    _unavailable(ctx, event, course, found)
    _venue_closed(ctx, event, course, found)
    _public_holiday(ctx, event, course, found)
    if course is not None:
        _qualifications(ctx, event, course, found)
        _language(ctx, event, course, found)
        _sizes(ctx, event, course, found)
        _facilities(ctx, event, course, found)
    return found


def _facilities(
    ctx: RuleContext, event: EventData, course: CourseData, found: list[Conflict]
) -> None:
    """A course held at several venues (its modules) needs each facility at
    one of them: the classroom in the first week, the range in the second."""
    venues = [v for i in event.venue_ids() if (v := ctx.plan.venues.get(i)) is not None]
    if not venues or not course.required_facilities:
        return
    held = frozenset().union(*(v.facilities for v in venues))
    missing = missing_facilities(course, replace(venues[0], facilities=held))
    if not missing:
        return
    names = and_list(v.name for v in venues)
    found.append(
        ctx.conflict(
            "venue_facility_missing",
            conflict_key("venue_facility_missing", event.uuid, *(v.uuid for v in venues)),
            f"{event_label(event, course)} needs {and_list(missing)}, "
            f"which {names} {'does' if len(venues) == 1 else 'do'} not have",
            [event],
            [v.name for v in venues],
            event.first_day,
            event.last_day,
        )
    )


def _pieces_of(event: EventData) -> list[tuple[date, date, Piece]]:
    """(first day, last day, piece) of each piece of the event."""
    return [(p.start.date(), last_day_of(p.start, p.end), p) for p in event.pieces()]


def _unavailable(
    ctx: RuleContext, event: EventData, course: CourseData | None, found: list[Conflict]
) -> None:
    # Per piece: a person on the first week's module only is free to be away
    # in the second. Two pieces meeting one absence make one conflict.
    met: dict[tuple[int, DateSpan], tuple[date, date]] = {}
    for first, last, piece in _pieces_of(event):
        for assignment in piece.staff:
            person = ctx.plan.instructors.get(assignment.instructor_id)
            if person is None:
                continue
            for span in ctx.leave(person).overlapping(first, last):
                low, high = max(first, span.first), min(last, span.last)
                seen = met.get((person.id, span))
                met[(person.id, span)] = (
                    (min(seen[0], low), max(seen[1], high)) if seen else (low, high)
                )
    for (person_id, span), (low, high) in met.items():
        person = ctx.plan.instructors[person_id]
        why = f" ({span.reason})" if span.reason else ""
        found.append(
            ctx.conflict(
                "instructor_unavailable",
                conflict_key(
                    "instructor_unavailable",
                    person.uuid,
                    event.uuid,
                    span.first.isoformat(),
                ),
                f"{person.name} is unavailable{why} {days_text(span.first, span.last)} "
                f"but is assigned to {event_label(event, course)}",
                [event],
                [person.name],
                low,
                high,
            )
        )


def _venue_closed(
    ctx: RuleContext, event: EventData, course: CourseData | None, found: list[Conflict]
) -> None:
    met: dict[tuple[int, DateSpan], tuple[date, date]] = {}
    for first, last, piece in _pieces_of(event):
        venue = ctx.plan.venues.get(piece.venue_id) if piece.venue_id is not None else None
        if venue is None:
            continue
        for span in ctx.closures(venue).overlapping(first, last):
            low, high = max(first, span.first), min(last, span.last)
            seen = met.get((venue.id, span))
            met[(venue.id, span)] = (min(seen[0], low), max(seen[1], high)) if seen else (low, high)
    for (venue_id, span), (low, high) in met.items():
        venue = ctx.plan.venues[venue_id]
        why = f" ({span.reason})" if span.reason else ""
        found.append(
            ctx.conflict(
                "venue_closed",
                conflict_key("venue_closed", venue.uuid, event.uuid, span.first.isoformat()),
                f"{venue.name} is closed{why} {days_text(span.first, span.last)} "
                f"during {event_label(event, course)}",
                [event],
                [venue.name],
                low,
                high,
            )
        )


def _public_holiday(
    ctx: RuleContext, event: EventData, course: CourseData | None, found: list[Conflict]
) -> None:
    nation_code, region = ctx.plan.host_place(event)
    if nation_code is None:
        return
    calendar = ctx.calendars.for_nation(nation_code, region)
    days_off = calendar.days_off_between(event.first_day, event.last_day)
    if not days_off:
        return
    nation = ctx.plan.nations.get(nation_code)
    where = nation.name if nation is not None else nation_code
    part = region_name(nation.holiday_calendar if nation else nation_code, region)
    if part is not None:
        where = f"{part} ({where})"
    days = and_list(f"{name} ({day_text(day)})" for day, name in days_off)
    first_venue = next(iter(event.venue_ids()), None)
    venue = ctx.plan.venues.get(first_venue) if first_venue is not None else None
    message = f"{event_label(event, course)} runs over {days}, a day off in {where}"
    severity = None
    # A course whose working days were counted around the holiday simply
    # pauses that day: worth knowing, not a clash. It clashes when it starts
    # or ends on the day off, or when the day off eats one of its days.
    on_the_edge = days_off[0][0] == event.first_day or days_off[-1][0] == event.last_day
    if course is not None and not on_the_edge:
        working = len(calendar.working_days_in(event.first_day, event.last_day))
        if working >= course.duration_days:
            severity = Severity.INFO
            message = (
                f"{event_label(event, course)} pauses for {days}, a day off in {where}; "
                f"its {course.duration_days} working days still fit"
            )
        else:
            message += f": only {working} of its {course.duration_days} working days are left"
    found.append(
        ctx.conflict(
            "public_holiday",
            conflict_key("public_holiday", event.uuid),
            message,
            [event],
            [venue.name if venue is not None else where],
            days_off[0][0],
            days_off[-1][0],
            severity=severity,
        )
    )


def _qualifications(
    ctx: RuleContext, event: EventData, course: CourseData, found: list[Conflict]
) -> None:
    required = course.required_qualifications
    if not required:
        return
    last = event.last_day
    for instructor_id in event.teaching_ids():
        person = ctx.plan.instructors.get(instructor_id)
        if person is None:
            continue
        held = ctx.held(person)
        missing = [q for q in required if q not in held]
        if missing:
            missing.sort(key=lambda q: _qualification_name(ctx, q))
            names = and_list(_qualification_name(ctx, q) for q in missing)
            found.append(
                ctx.conflict(
                    "qualification_missing",
                    conflict_key("qualification_missing", person.uuid, event.uuid),
                    f"{person.name} lacks {names}, needed to teach {event_label(event, course)}",
                    [event],
                    [person.name],
                    event.first_day,
                    last,
                )
            )
        lapsing = [q for q in required if (expires := held.get(q)) is not None and expires < last]
        for qualification_id in sorted(lapsing, key=lambda q: _qualification_name(ctx, q)):
            expires = held[qualification_id]
            if expires is not None:
                name = _qualification_name(ctx, qualification_id)
                found.append(
                    ctx.conflict(
                        "qualification_expired",
                        conflict_key(
                            "qualification_expired",
                            person.uuid,
                            event.uuid,
                            _qualification_code(ctx, qualification_id),
                        ),
                        f"{person.name}'s {name} expires on {day_text(expires)}, "
                        f"before {event_label(event, course)} ends",
                        [event],
                        [person.name],
                        max(event.first_day, expires),
                        last,
                    )
                )


def _qualification_code(ctx: RuleContext, qualification_id: int) -> str:
    qualification = ctx.plan.qualifications.get(qualification_id)
    return qualification.code if qualification is not None else str(qualification_id)


def _qualification_name(ctx: RuleContext, qualification_id: int) -> str:
    qualification = ctx.plan.qualifications.get(qualification_id)
    if qualification is None:
        return f"qualification #{qualification_id}"
    return f"{qualification.name} ({qualification.code})"


def _language(
    ctx: RuleContext, event: EventData, course: CourseData, found: list[Conflict]
) -> None:
    staff = event.all_staff()  # an interpreter on any module serves the event
    interpreters = [
        ctx.plan.instructors.get(a.instructor_id) for a in staff if a.role == ROLE_INTERPRETER
    ]
    # A teaching instructor who speaks the unit's language teaches it in that
    # language: no interpreter is needed for that unit (support staff do not teach).
    spoken = set().union(
        *(
            person.languages
            for a in staff
            if a.role == ROLE_INSTRUCTOR
            and (person := ctx.plan.instructors.get(a.instructor_id)) is not None
        )
    )
    unserved: list[tuple[UnitData, str]] = []
    for seat in event.audience:
        unit = ctx.plan.units.get(seat.unit_id)
        if unit is None:
            continue
        language = ctx.plan.unit_language(unit)
        if language is None or language == course.language or language in spoken:
            continue
        if any(
            person is not None and interprets(person, language, course.language)
            for person in interpreters
        ):
            continue
        unserved.append((unit, language))
    if not unserved:
        return
    who = and_list(f"{unit_label(u)} ({ctx.plan.language_name(lang)})" for u, lang in unserved)
    taught_in = ctx.plan.language_name(course.language)
    found.append(
        ctx.conflict(
            "language_no_interpreter",
            conflict_key("language_no_interpreter", event.uuid),
            f"{event_label(event, course)} is taught in {taught_in} but nobody on it "
            f"speaks to {who}: assign an interpreter who speaks both languages, or an "
            "instructor who speaks theirs",
            [event],
            [u.name for u, _ in unserved],
            event.first_day,
            event.last_day,
        )
    )


class _LazyLabel:
    """An event's label, written only when a message needs it (most events
    have no conflict, and formatting dates for each would cost more than the
    checks)."""

    __slots__ = ("course", "event")

    def __init__(self, event: EventData, course: CourseData) -> None:
        self.event, self.course = event, course

    def __str__(self) -> str:
        return event_label(self.event, self.course)


def _sizes(ctx: RuleContext, event: EventData, course: CourseData, found: list[Conflict]) -> None:
    seats = event.seats

    label = _LazyLabel(event, course)

    def add(rule: str, message: str, resources: list[str]) -> None:
        found.append(
            ctx.conflict(
                rule,
                conflict_key(rule, event.uuid),
                message,
                [event],
                resources,
                event.first_day,
                event.last_day,
            )
        )

    small = [
        v
        for i in event.venue_ids()
        if (v := ctx.plan.venues.get(i)) is not None
        and v.capacity is not None
        and seats > v.capacity
    ]
    if small:
        holds = and_list(f"{v.name} holds {v.capacity}" for v in small)
        add("venue_capacity", f"{label} has {seats} seats but {holds}", [v.name for v in small])
    if course.max_trainees is not None and seats > course.max_trainees:
        add(
            "course_max_trainees",
            f"{label} has {seats} seats, above the course maximum of {course.max_trainees}",
            [],
        )
    if course.min_trainees is not None and seats < course.min_trainees:
        add(
            "course_min_trainees",
            f"{label} has {seats} seats, below the course minimum of {course.min_trainees}",
            [],
        )
    ratio = course.trainees_per_instructor
    if ratio and seats > 0:
        needed = ceil(seats / ratio)
        # Each module needs its own teachers; the one with the fewest is judged.
        teaching = min(
            (
                tuple(dict.fromkeys(a.instructor_id for a in p.staff if a.role == ROLE_INSTRUCTOR))
                for p in event.pieces()
            ),
            key=len,
        )
        if len(teaching) < needed:
            names = [p.name for i in teaching if (p := ctx.plan.instructors.get(i)) is not None]
            add(
                "instructor_ratio",
                f"{label} has {seats} seats and needs {needed} instructors "
                f"(one per {ratio}) but has {len(teaching)}",
                names,
            )
