"""One-click fixes for the common clashes, worked out against the engine's plan.

A fix is one edit a planner would make by hand: move the event to the next
date where it fits as it stands (same venue, people, units and kit), give a
person's place on it to another qualified person who is free, or move it to
another free venue with the room and facilities. Candidates are found
cheaply from the engine's bookings, then each is tried on the engine itself
(applied, judged, taken back): a fix is offered only when it clears the
clash and brings no new one, by every rule the check applies.

Pure: it works on the engine lent by the conflict monitor, which holds
edits back meanwhile; the window applies the chosen fix as one undoable edit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from scheduler.planning.conflicts import Conflict, Severity
from scheduler.planning.data import (
    ROLE_INTERPRETER,
    Assignment,
    EventData,
    InstructorData,
    VenueData,
    missing_facilities,
)
from scheduler.planning.engine import ConflictEngine
from scheduler.planning.rules.event_rules import check_event
from scheduler.planning.rules.kit import kit_needed
from scheduler.planning.timeline import Timeline, bookings_of
from scheduler.planning.wording import date_format

# How far ahead a move looks for a free date.
HORIZON_DAYS = 366
MOVE = "move"
INSTRUCTOR = "instructor"
VENUE = "venue"

# Rules an event's dates decide: a moved event must not meet them.
_DATE_RULES = frozenset(
    {"instructor_unavailable", "venue_closed", "public_holiday", "qualification_expired"}
)
# Rules about the venue: another venue must meet none of them.
_VENUE_RULES = frozenset(
    {"venue_closed", "venue_capacity", "venue_facility_missing", "public_holiday"}
)
_PERSON_RULES = frozenset(
    {
        "instructor_double_booked",
        "instructor_unavailable",
        "qualification_missing",
        "qualification_expired",
        "instructor_workload",
        "travel_time",
    }
)
_PLACE_RULES = frozenset(
    {"venue_double_booked", "venue_closed", "venue_capacity", "venue_facility_missing"}
)
# Clashes a move to another date can solve.
_MOVABLE = frozenset(
    {
        "instructor_double_booked",
        "venue_double_booked",
        "unit_double_booked",
        "unit_over_strength",
        "instructor_unavailable",
        "venue_closed",
        "public_holiday",
        "qualification_expired",
        "instructor_workload",
        "travel_time",
        "trainee_double_booked",
        "kit_over_quantity",
    }
)


@dataclass(frozen=True, slots=True)
class Fix:
    """One edit: move ``event_id`` to ``first_day``, and/or give ``resource``
    ``from_id``'s place (or the venue) to ``to_id``."""

    label: str
    event_id: int
    first_day: date | None = None
    resource: str | None = None
    from_id: int | None = None
    to_id: int | None = None


class FixFinder:
    """Works out fixes against one engine, which it leaves as it found it."""

    def __init__(self, engine: ConflictEngine) -> None:
        self.engine = engine
        self.ctx = engine.ctx
        self.plan = engine.plan
        self.bookings = engine.bookings
        self.kit = engine.kit

    def clears(self, conflict: Conflict, changed: EventData) -> bool:
        """Whether the event as ``changed`` clears ``conflict`` and brings no new
        clash: tried on the engine, then taken back."""
        original = self.plan.events[changed.id]
        delta = self.engine.update([changed])
        try:
            removed = set(delta.removed)
            added = {c.key: c for c in delta.added}
            if conflict.key not in removed or conflict.key in added:
                return False
            return not any(
                key not in removed and c.severity is not Severity.INFO and not c.accepted
                for key, c in added.items()
            )
        finally:
            self.engine.update([original])

    def fixes(self, conflict: Conflict) -> list[Fix]:
        """What could fix ``conflict``: for each of its events (the later first,
        as a planner moves the newcomer), a move, then another person or venue."""
        events = [self.plan.events[i] for i in conflict.event_ids if i in self.plan.events]
        found: list[Fix] = []
        for event in sorted(events, key=lambda e: (e.start, e.ref), reverse=True):
            if conflict.rule in _PERSON_RULES:
                found += self._other_people(conflict, event)
            if conflict.rule in _PLACE_RULES:
                found += self._other_venue(conflict, event)
            if conflict.rule in _MOVABLE:
                found += self._next_fit(conflict, event)
        return found

    # -- moving ------------------------------------------------------------

    def _next_fit(self, conflict: Conflict, event: EventData) -> list[Fix]:
        calendar = self.ctx.calendars.for_event(self.plan, event)
        # As the move itself counts them (``services.event_moves.landing_of``).
        length = max(len(calendar.working_days_in(event.start.date(), event.end.date())), 1)
        duration = event.end - event.start
        day = event.first_day + timedelta(days=1)
        for _ in range(HORIZON_DAYS):
            first = calendar.next_working_day(day)
            last = calendar.end_date(first, length)
            start = datetime.combine(first, event.start.time())
            end = datetime.combine(last, event.end.time())
            if end <= start:
                end = start + duration
            shift = start - event.start  # its modules move with it, as a drag moves them
            modules = tuple(
                m._replace(start=m.start + shift, end=m.end + shift) for m in event.modules
            )
            moved = replace(event, start=start, end=end, modules=modules)
            if self._fits(moved, event.id) and self.clears(conflict, moved):
                label = f"Move {event.ref} to {date_format(first, '%a %d %b %Y')}"
                return [Fix(label, event.id, first_day=first)]
            day = first + timedelta(days=1)
        return []

    def _fits(self, moved: EventData, ignore: int) -> bool:
        """Whether the event fits at its new time as it stands."""
        # Each resource for the time it holds it: a module's people on its days only.
        for kind, ident, (start, end, _event) in bookings_of(moved):
            timelines = (
                self.bookings.venues
                if kind == "venue"
                else self.bookings.instructors
                if kind == "instructor"
                else self.bookings.units
            )
            if not _free(timelines.get(ident), start, end, ignore):
                return False
        if not self._kit_room(moved, ignore):
            return False
        return not _meets(check_event(self.ctx, moved), _DATE_RULES)

    def _kit_room(self, event: EventData, ignore: int) -> bool:
        for kit_id, amount in kit_needed(self.plan, event).items():
            kit = self.plan.kit.get(kit_id)
            held = kit.quantity if kit is not None else 0
            if self.kit.in_use(kit_id, event.start, event.end, ignore) + amount > held:
                return False
        return True

    # -- people ------------------------------------------------------------

    def _other_people(self, conflict: Conflict, event: EventData) -> list[Fix]:
        wanted = set(conflict.resources)
        found = []
        for assignment in event.staff:
            person = self.plan.instructors.get(assignment.instructor_id)
            if person is None or person.name not in wanted:
                continue
            other = self._stand_in(conflict, event, assignment, person)
            if other is not None:
                label = f"Give {person.name}'s place on {event.ref} to {other.name}"
                found.append(Fix(label, event.id, None, INSTRUCTOR, person.id, other.id))
        return found

    def _stand_in(
        self, conflict: Conflict, event: EventData, assignment: Assignment, person: InstructorData
    ) -> InstructorData | None:
        """The first free person (by name) who can take ``person``'s place as it
        stands: the same role, the course's qualifications valid to the end,
        an interpreter's languages, no leave, no booking, no clash it brings."""
        on_event = set(event.instructor_ids())
        for other in sorted(self.plan.instructors.values(), key=lambda p: p.name.casefold()):
            if other.id in on_event or other.role != person.role:
                continue
            if other.role == ROLE_INTERPRETER and not person.languages <= other.languages:
                continue
            if not _free(self.bookings.instructors.get(other.id), event.start, event.end, None):
                continue
            staff = tuple(
                Assignment(other.id, a.role) if a == assignment else a for a in event.staff
            )
            trial = replace(event, staff=staff)
            if _meets(check_event(self.ctx, trial), _PERSON_RULES):
                continue
            if self.clears(conflict, trial):
                return other
        return None

    # -- places ------------------------------------------------------------

    def _other_venue(self, conflict: Conflict, event: EventData) -> list[Fix]:
        venue = self.plan.venues.get(event.venue_id) if event.venue_id is not None else None
        course = self.plan.courses.get(event.course_id)
        home = venue.nation_code if venue is not None else self.plan.host_nation(event)
        seats = event.seats

        def order(v: VenueData) -> tuple[bool, str]:
            return (v.nation_code != home, v.name.casefold())

        for other in sorted(self.plan.venues.values(), key=order):
            if other.id == event.venue_id:
                continue
            if other.capacity is not None and seats > other.capacity:
                continue
            if course is not None and missing_facilities(course, other):
                continue
            if not _free(self.bookings.venues.get(other.id), event.start, event.end, None):
                continue
            trial = replace(event, venue_id=other.id)
            if _meets(check_event(self.ctx, trial), _VENUE_RULES):
                continue
            if not self.clears(conflict, trial):
                continue
            label = f"Move {event.ref} to {other.name}"
            return [Fix(label, event.id, None, VENUE, event.venue_id, other.id)]
        return []


def _free(timeline: Timeline | None, start: datetime, end: datetime, ignore: int | None) -> bool:
    if timeline is None:
        return True
    return all(b[2] == ignore for b in timeline.overlapping(start, end))


def _meets(conflicts: Iterable[Conflict], rules: frozenset[str]) -> bool:
    """Whether any of ``conflicts`` is one of ``rules`` (a holiday the course
    simply pauses for, an INFO, is no clash)."""
    return any(c.rule in rules and c.severity is not Severity.INFO for c in conflicts)
