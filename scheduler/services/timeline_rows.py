"""What the resource timeline shows, as plain rows: no Qt, no ORM objects.

The timeline paints thousands of rows over a year, so it never holds mapped
objects: resources, their absences and closures are read once per plan (a
few thousand small tuples), and bars are read per date window through the
(start, end) index with a lower bound on start (``start >= first -
longest``; DESIGN.md, performance notes), grouped by resource. Row layout
(groups, collapsing, the free-rows filter) is pure and lives here too, so
it is tested without a window.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import String, null, select, type_coerce
from sqlalchemy.orm import Session

from scheduler.model import (
    Course,
    CourseKit,
    EventAudience,
    EventInstructor,
    EventModule,
    Instructor,
    InstructorQualification,
    Kit,
    Nation,
    Qualification,
    TrainingEvent,
    Unavailability,
    Unit,
    Venue,
    VenueClosure,
    course_qualification,
)
from scheduler.planning.data import (
    CANCELLED,
    ROLE_INSTRUCTOR,
    PlanData,
    VenueData,
    last_day_of,
)
from scheduler.planning.periods import month_end, month_start
from scheduler.planning.slots import SlotFinder, SlotRequest
from scheduler.planning.timeline import BookingIndex
from scheduler.planning.workdays import PlanCalendars, WorkingCalendar
from scheduler.services.event_extent import event_days, longest_event
from scheduler.services.plan_calendars import load_calendars
from scheduler.services.plan_snapshot import load_modules

ResourceKind = Literal["instructor", "venue", "unit", "kit"]
RESOURCE_KINDS: tuple[ResourceKind, ...] = ("instructor", "venue", "unit", "kit")
# Groupings each kind offers, the first being the default.
GROUPINGS: dict[str, tuple[str, ...]] = {
    "instructor": ("nation", "organisation", "none"),
    "venue": ("nation", "none"),
    "unit": ("hierarchy", "nation", "none"),
    "kit": ("kind", "none"),
}
GROUPING_TITLES = {
    "kind": "Kind",
    "nation": "Nation",
    "organisation": "Organisation",
    "hierarchy": "Unit hierarchy",
    "none": "No groups",
}


@dataclass(frozen=True, slots=True)
class TimelineResource:
    """One row's instructor, venue or unit. ``detail`` is the organisation,
    the location or the unit code; ``role`` is an instructor's role."""

    id: int
    uuid: str
    name: str
    nation_code: str | None
    nation_name: str
    detail: str = ""
    role: str = ""
    parent_id: int | None = None
    holiday_region: str | None = None  # a venue's, whose holidays it keeps


@dataclass(frozen=True, slots=True)
class Shade:
    """Inclusive days a row is not available: leave, deployment, a closure."""

    first: date
    last: date
    kind: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class TimelineBar:
    """One event on one resource's row; ``first``/``last`` are the days it occupies."""

    event_id: int
    uuid: str
    ref: str
    course_id: int
    course_code: str
    colour: str | None
    category: str
    status: str
    start: datetime
    end: datetime
    first: date
    last: date
    role: str = ""
    # The version shown: a drag of it is refused if another planner changed it since.
    version_id: int | None = None
    series_id: int | None = None
    # A module's bar: its title, and how many days after the event's first
    # day it starts (a drag moves the whole event by as much as the module).
    module: str = ""
    module_offset: int = 0
    # Another provider's run: drawn faint, as theirs.
    external: bool = False


@dataclass(frozen=True, slots=True)
class TimelineCourse:
    id: int
    code: str
    title: str
    category: str
    colour: str | None
    duration_days: int
    required_qualifications: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """A painted row: a group header or a resource (``index`` into the resources)."""

    kind: Literal["group", "resource"]
    key: str
    label: str
    depth: int = 0
    index: int = -1
    collapsible: bool = False
    collapsed: bool = False
    count: int = 0


@dataclass(slots=True)
class TimelineResources:
    """Everything about the rows of one kind that does not depend on the date window."""

    kind: ResourceKind
    resources: tuple[TimelineResource, ...]
    shades: dict[int, tuple[Shade, ...]]
    courses: dict[int, TimelineCourse]
    period: tuple[date, date]
    longest: timedelta
    calendars: PlanCalendars = field(default_factory=PlanCalendars)
    qualifications: dict[int, dict[int, date | None]] = field(default_factory=dict)
    qualification_names: dict[int, str] = field(default_factory=dict)
    nation_names: dict[str, str] = field(default_factory=dict)

    def nation_codes(self) -> list[str]:
        """The plan's nations, by code (a choice of host nation)."""
        return sorted(self.nation_names)

    def by_id(self) -> dict[int, int]:
        """Resource id -> index in ``resources``."""
        return {r.id: i for i, r in enumerate(self.resources)}


# --- reading -------------------------------------------------------------


def _text(value: Any) -> str:
    return str(getattr(value, "value", value)) if value is not None else ""


def plan_period(session: Session, today: date) -> tuple[date, date]:
    """Whole months from the first event (or today) to the last event (or today)."""
    days = event_days(session)
    low = min(days[0], today) if days is not None else today
    high = max(days[1], today) if days is not None else today
    return month_start(low), month_end(high)


def load_resources(session: Session, kind: ResourceKind, today: date) -> TimelineResources:
    """The rows of ``kind`` with their absences or closures, and the plan's courses."""
    nations = {
        ident: (code, name)
        for ident, code, name in session.execute(select(Nation.id, Nation.code, Nation.name))
    }

    def nation(ident: int | None) -> tuple[str | None, str]:
        found = nations.get(ident) if ident is not None else None
        return (found[0], found[1]) if found else (None, "No nation")

    resources: list[TimelineResource] = []
    shades: dict[int, list[Shade]] = {}
    held: dict[int, dict[int, date | None]] = {}
    if kind == "instructor":
        for ident, uuid, name, nation_id, organisation, role in session.execute(
            select(
                Instructor.id,
                Instructor.uuid,
                Instructor.name,
                Instructor.nation_id,
                Instructor.organisation,
                type_coerce(Instructor.role, String),
            )
        ):
            code, nation_name = nation(nation_id)
            resources.append(
                TimelineResource(ident, uuid, name, code, nation_name, organisation or "", role)
            )
        for owner, first, last, why, reason in session.execute(
            select(
                Unavailability.instructor_id,
                Unavailability.start_date,
                Unavailability.end_date,
                type_coerce(Unavailability.kind, String),
                Unavailability.reason,
            )
        ):
            shades.setdefault(owner, []).append(Shade(first, last, why or "leave", reason or ""))
        for owner, qualification, expires in session.execute(
            select(
                InstructorQualification.instructor_id,
                InstructorQualification.qualification_id,
                InstructorQualification.expires_on,
            )
        ):
            held.setdefault(owner, {})[qualification] = expires
    elif kind == "venue":
        for ident, uuid, name, nation_id, location, region in session.execute(
            select(
                Venue.id,
                Venue.uuid,
                Venue.name,
                Venue.nation_id,
                Venue.location,
                Venue.holiday_region,
            )
        ):
            code, nation_name = nation(nation_id)
            resources.append(
                TimelineResource(
                    ident, uuid, name, code, nation_name, location or "", holiday_region=region
                )
            )
        for owner, first, last, reason in session.execute(
            select(
                VenueClosure.venue_id,
                VenueClosure.start_date,
                VenueClosure.end_date,
                VenueClosure.reason,
            )
        ):
            shades.setdefault(owner, []).append(Shade(first, last, "closure", reason or ""))
    elif kind == "kit":
        venues: dict[int | None, str] = dict(session.execute(select(Venue.id, Venue.name)).all())
        for ident, uuid, name, kit_kind, quantity, venue_id, nation_id in session.execute(
            select(
                Kit.id,
                Kit.uuid,
                Kit.name,
                type_coerce(Kit.kind, String),
                Kit.quantity,
                Kit.venue_id,
                Kit.nation_id,
            )
        ):
            # Kit keeps no nation's days: Monday to Friday, with no holidays.
            holder = venues.get(venue_id) or (nation(nation_id)[1] if nation_id else "the cell")
            resources.append(
                TimelineResource(
                    ident, uuid, name, None, "", f"{quantity} held by {holder}", kit_kind
                )
            )
    else:
        for ident, uuid, code, name, nation_id, parent in session.execute(
            select(Unit.id, Unit.uuid, Unit.code, Unit.name, Unit.nation_id, Unit.parent_id)
        ):
            nation_code, nation_name = nation(nation_id)
            resources.append(
                TimelineResource(
                    ident, uuid, name, nation_code, nation_name, code, parent_id=parent
                )
            )
    required: dict[int, set[int]] = {}
    for course_id, qualification_id in session.execute(
        select(course_qualification.c.course_id, course_qualification.c.qualification_id)
    ):
        required.setdefault(course_id, set()).add(qualification_id)
    courses = {
        ident: TimelineCourse(
            ident,
            code,
            title,
            category or "",
            colour,
            duration or 1,
            frozenset(required.get(ident, ())),
        )
        for ident, code, title, category, colour, duration in session.execute(
            select(
                Course.id,
                Course.code,
                Course.title,
                Course.category,
                Course.colour,
                Course.duration_days,
            )
        )
    }
    return TimelineResources(
        kind=kind,
        resources=tuple(resources),
        shades={k: tuple(sorted(v, key=lambda s: s.first)) for k, v in shades.items()},
        courses=courses,
        period=plan_period(session, today),
        longest=longest_event(session),
        calendars=load_calendars(session),
        nation_names={code: name for code, name in nations.values()},
        qualifications=held,
        qualification_names={
            ident: name
            for ident, name in session.execute(select(Qualification.id, Qualification.name))
        },
    )


def load_bars(
    session: Session,
    kind: ResourceKind,
    first: date,
    last: date,
    longest: timedelta,
    courses: Mapping[int, TimelineCourse],
    event_ids: Collection[int] | None = None,
    *,
    starting_only: bool = False,
) -> dict[int, list[TimelineBar]]:
    """Bars of every resource of ``kind`` for events sharing a day with [first, last]
    (with ``starting_only``, just the events that start in it: the timeline's
    cache keeps each bar in the chunk where it starts).

    Cancelled events occupy nothing and are left out, as the conflict
    checks leave them out. Each list is sorted by start.
    """
    window_start = datetime.combine(first, time.min)
    window_end = datetime.combine(last + timedelta(days=1), time.min)
    if kind == "instructor":
        owner: Any = EventInstructor.instructor_id
        role: Any = type_coerce(EventInstructor.role, String)
    elif kind == "venue":
        owner, role = TrainingEvent.venue_id, TrainingEvent.venue_id
    elif kind == "kit":
        owner, role = CourseKit.kit_id, CourseKit.kit_id
    else:
        owner, role = EventAudience.unit_id, EventAudience.unit_id
    conditions = [
        TrainingEvent.start < window_end,
        TrainingEvent.start >= window_start - (timedelta(0) if starting_only else longest),
        type_coerce(TrainingEvent.status, String) != CANCELLED,
    ]
    if not starting_only:
        conditions.append(TrainingEvent.end > window_start)
    if event_ids is not None:
        conditions.append(TrainingEvent.id.in_(list(event_ids)))

    def columns(owner: Any, role: Any) -> Any:
        return select(
            owner,
            TrainingEvent.id,
            TrainingEvent.uuid,
            TrainingEvent.ref,
            TrainingEvent.course_id,
            type_coerce(TrainingEvent.status, String),
            TrainingEvent.start,
            TrainingEvent.end,
            role,
            TrainingEvent.version_id,
            TrainingEvent.series_id,
            TrainingEvent.provider_id,
        ).where(*conditions)

    query = columns(owner, role)
    if kind == "instructor":
        query = query.join(EventInstructor, EventInstructor.event_id == TrainingEvent.id)
    elif kind == "venue":
        query = query.where(TrainingEvent.venue_id.is_not(None))
    elif kind == "kit":
        # Another provider brings its own kit.
        query = query.join(CourseKit, CourseKit.course_id == TrainingEvent.course_id).where(
            TrainingEvent.provider_id.is_(None)
        )
    else:
        query = query.join(EventAudience, EventAudience.event_id == TrainingEvent.id)
    found: dict[int, list[TimelineBar]] = {}
    unknown = TimelineCourse(0, "?", "", "", None, 1)

    def bars_of(rows: Any) -> Iterator[tuple[Any, TimelineBar]]:
        for (
            resource,
            ident,
            uuid,
            ref,
            course_id,
            status,
            start,
            end,
            role_text,
            version_id,
            series_id,
            provider_id,
        ) in rows:
            course = courses.get(course_id, unknown)
            yield (
                resource,
                TimelineBar(
                    ident,
                    uuid,
                    ref,
                    course_id,
                    course.code,
                    course.colour,
                    course.category,
                    status,
                    start,
                    end,
                    start.date(),
                    last_day_of(start, end),
                    role_text if isinstance(role_text, str) else "",
                    version_id,
                    series_id,
                    external=provider_id is not None,
                ),
            )

    connection = session.connection()
    for resource, bar in bars_of(connection.execute(query)):
        found.setdefault(resource, []).append(bar)
    if kind in ("instructor", "venue"):
        # Every event with modules in the window, to draw its modules from,
        # whether or not the event itself names anyone or anywhere.
        with_modules = columns(null(), null()).where(
            TrainingEvent.id.in_(select(EventModule.event_id))
        )
        templates = {bar.event_id: bar for _r, bar in bars_of(connection.execute(with_modules))}
        if templates:
            _module_bars(session, kind, found, templates)
    for bars in found.values():
        bars.sort(key=lambda b: (b.start, b.event_id))
    return found


def _module_bars(
    session: Session,
    kind: ResourceKind,
    found: dict[int, list[TimelineBar]],
    templates: dict[int, TimelineBar],
) -> None:
    """An event with modules holds its people and venue only on its modules'
    days: its whole-span bars on those rows become one bar per module, on
    the rows of the module's own venue or people (else the event's)."""
    modules = load_modules(session, templates)
    whole: dict[int, dict[int, TimelineBar]] = {}  # event -> resource -> its bar
    for resource, bars in found.items():
        kept = []
        for bar in bars:
            if bar.event_id in modules:
                whole.setdefault(bar.event_id, {})[resource] = bar
            else:
                kept.append(bar)
        found[resource] = kept
    for event_id, items in modules.items():
        rows = whole.get(event_id, {})
        template = templates[event_id]
        for module in items:
            if kind == "venue":
                own = [module.venue_id] if module.venue_id is not None else list(rows)
                placed = [(ident, "") for ident in own]
            elif module.staff is not None:
                placed = [(a.instructor_id, a.role) for a in module.staff]
            else:
                placed = [(ident, bar.role) for ident, bar in rows.items()]
            for ident, role in placed:
                found.setdefault(ident, []).append(
                    replace(
                        template,
                        start=module.start,
                        end=module.end,
                        first=module.start.date(),
                        last=last_day_of(module.start, module.end),
                        role=role or rows.get(ident, template).role,
                        module=module.title or "module",
                        module_offset=(module.start.date() - template.first).days,
                    )
                )


# --- rows ----------------------------------------------------------------


def _sort_key(text: str) -> str:
    return text.casefold()


def _hierarchy_order(
    resources: tuple[TimelineResource, ...],
) -> list[tuple[int, int, tuple[int, ...]]]:
    """(index, depth, ancestor ids) of units, each parent before its children."""
    ids = {r.id for r in resources}
    children: dict[int | None, list[int]] = {}
    for index, resource in enumerate(resources):
        parent = resource.parent_id if resource.parent_id in ids else None
        children.setdefault(parent, []).append(index)
    for items in children.values():
        items.sort(key=lambda i: (_sort_key(resources[i].detail), resources[i].id))
    order: list[tuple[int, int, tuple[int, ...]]] = []
    stack: list[tuple[int, int, tuple[int, ...]]] = [
        (i, 0, ()) for i in reversed(children.get(None, []))
    ]
    seen: set[int] = set()
    while stack:
        index, depth, ancestors = stack.pop()
        if index in seen:
            continue
        seen.add(index)
        order.append((index, depth, ancestors))
        ident = resources[index].id
        for child in reversed(children.get(ident, [])):
            stack.append((child, depth + 1, (*ancestors, ident)))
    return order


def arrange_rows(
    data: TimelineResources,
    grouping: str,
    collapsed: Collection[str] = (),
    only: Collection[int] | None = None,
) -> list[TimelineRow]:
    """The rows to paint, top to bottom: group headers and resources.

    ``collapsed`` holds keys of closed groups (``g:<label>``) and, in the
    unit hierarchy, of units whose subordinates are hidden (``u:<id>``).
    ``only`` keeps just those resource ids (the free-rows filter); groups
    left empty disappear.
    """
    resources = data.resources
    keep = set(only) if only is not None else None
    shut = set(collapsed)

    def group_of(resource: TimelineResource) -> str:
        if grouping == "organisation":
            return resource.detail or "No organisation"
        if grouping in ("nation", "hierarchy"):
            return resource.nation_name
        if grouping == "kind":
            return resource.role.capitalize()
        return ""

    if grouping == "hierarchy":
        order = _hierarchy_order(resources)
    else:
        order = [
            (i, 0, ())
            for i in sorted(
                range(len(resources)),
                key=lambda i: (_sort_key(resources[i].name), resources[i].id),
            )
        ]
    with_children = {a for _i, _d, ancestors in order for a in ancestors[-1:]}
    groups: dict[str, list[tuple[int, int, tuple[int, ...]]]] = {}
    for item in order:
        resource = resources[item[0]]
        if keep is not None and resource.id not in keep:
            continue
        groups.setdefault(group_of(resource), []).append(item)
    rows: list[TimelineRow] = []
    for label in sorted(groups, key=_sort_key):
        members = groups[label]
        key = f"g:{label}"
        indent = 0
        if label:
            closed = key in shut
            rows.append(TimelineRow("group", key, label, 0, -1, True, closed, len(members)))
            indent = 1
            if closed:
                continue
        for index, depth, ancestors in members:
            if any(f"u:{a}" in shut for a in ancestors):
                continue
            resource = resources[index]
            unit_key = f"u:{resource.id}"
            parent = grouping == "hierarchy" and resource.id in with_children and keep is None
            rows.append(
                TimelineRow(
                    "resource",
                    unit_key if parent else f"r:{resource.id}",
                    resource.name,
                    indent + (depth if keep is None else 0),
                    index,
                    parent,
                    parent and unit_key in shut,
                )
            )
    return rows


# --- questions a planner asks of the rows ---------------------------------


def booked_days(
    bars: Iterable[TimelineBar], calendar: WorkingCalendar, first: date, last: date
) -> int:
    """Working days in [first, last] on which at least one bar runs.

    Overlapping bars are merged first, so a double-booked day counts once;
    each merged span is then counted from the calendar's running totals.
    """
    spans = sorted(
        (max(bar.first, first), min(bar.last, last))
        for bar in bars
        if bar.first <= last and bar.last >= first
    )
    count = 0
    current: tuple[date, date] | None = None
    for low, high in spans:
        if current is not None and low <= current[1] + timedelta(days=1):
            current = (current[0], max(current[1], high))
            continue
        if current is not None:
            count += calendar.working_days_between(*current)
        current = (low, high)
    if current is not None:
        count += calendar.working_days_between(*current)
    return count


def qualification_gaps(
    data: TimelineResources, instructor_id: int, course_id: int, last_day: date
) -> list[str]:
    """Names of qualifications the course needs that the instructor lacks or
    will have let lapse by ``last_day`` (the rule the conflict check applies)."""
    course = data.courses.get(course_id)
    if course is None:
        return []
    held = data.qualifications.get(instructor_id, {})
    gaps = []
    for qualification in sorted(course.required_qualifications):
        name = data.qualification_names.get(qualification, str(qualification))
        if qualification not in held:
            gaps.append(name)
        else:
            expires = held[qualification]
            if expires is not None and expires < last_day:
                gaps.append(f"{name} (lapses {expires:%d %b %Y})")
    return gaps


def free_resources(
    plan: PlanData,
    kind: ResourceKind,
    course_id: int,
    first: date,
    last: date,
    *,
    nation_code: str | None = None,
    bookings: BookingIndex | None = None,
) -> set[int]:
    """Ids of the resources free for ``course_id`` from ``first`` to ``last``.

    Asked of the slot finder itself, so "who can teach course X in week 23"
    lists exactly the people it would pick from: qualified instructors
    (qualifications valid to the last day), not away, not booked, and, when
    ``nation_code`` names the host nation, not teaching abroad within a
    day's travel. Venues must have the facilities, be open and unbooked;
    units must be unbooked.
    """
    finder = SlotFinder(plan, bookings)
    course = plan.courses.get(course_id)
    if course is None or last < first:
        return set()
    request = SlotRequest(
        course_id,
        (),
        first,
        count=1,
        horizon_days=0,
        travel_time=timedelta(hours=24) if nation_code else timedelta(0),
    )
    start = datetime.combine(first, request.day_start)
    end = datetime.combine(last, request.day_start) + timedelta(hours=course.daily_hours)
    free: set[int] = set()
    if kind == "instructor":
        place = VenueData(0, "", "", nation_code)
        for person in plan.instructors.values():
            if person.role != ROLE_INSTRUCTOR:
                continue
            if not course.required_qualifications <= {
                q.qualification_id for q in person.qualifications
            }:
                continue
            # The slot finder's own test of one person for one slot.
            picked = finder._people([person], 1, course, place, first, last, start, end, request)
            if picked:
                free.add(person.id)
    elif kind == "venue":
        for venue in finder._venues(course, 0, request):
            if any(s.first <= last and s.last >= first for s in venue.closures):
                continue
            if finder._free(finder.bookings.venues.get(venue.id), start, end, None):
                free.add(venue.id)
    elif kind == "kit":
        # Kit with room for one more run of the course (a lot of it, for
        # a course that counts per trainee).
        for need in course.kit:
            held = plan.kit.get(need.kit_id)
            if held is not None and (
                finder.kit.in_use(need.kit_id, start, end) + need.for_seats(0) <= held.quantity
            ):
                free.add(need.kit_id)
    else:
        for unit in plan.units.values():
            if finder._free(finder.bookings.units.get(unit.id), start, end, None):
                free.add(unit.id)
    return free
