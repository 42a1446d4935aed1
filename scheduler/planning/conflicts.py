"""What a conflict is, the rules that find them, and how acceptance works.

A conflict warns, it never blocks. Each has a ``key`` that names it stably
(rule, the resource and the events involved, by uuid) so that a planner can
accept it with a reason; the acceptance holds only while the ``fingerprint``
of the events involved (their times, venue, people, audience and status) is
unchanged, so moving an accepted clash brings it back as open.

The rule functions live in ``scheduler.planning.rules``; the engine in
``scheduler.planning.engine`` runs them over a whole plan or over what one
edit touches.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from scheduler.planning.data import (
    AcceptanceData,
    EventData,
    InstructorData,
    PlanData,
    VenueData,
    acceptances_by_key,
)
from scheduler.planning.timeline import SpanIndex
from scheduler.planning.workdays import PlanCalendars

_KEY_LIMIT = 400  # ConflictAcceptance.conflict_key column length


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in (
        Rule("instructor_double_booked", Severity.ERROR, "Instructor double-booked"),
        Rule("venue_double_booked", Severity.ERROR, "Venue double-booked"),
        Rule("unit_double_booked", Severity.WARNING, "Unit on two courses at once"),
        Rule("unit_over_strength", Severity.ERROR, "Unit committed beyond its strength"),
        Rule("instructor_unavailable", Severity.ERROR, "Instructor unavailable"),
        Rule("venue_closed", Severity.ERROR, "Venue closed"),
        Rule("public_holiday", Severity.WARNING, "Public holiday or closure day"),
        Rule("qualification_missing", Severity.ERROR, "Qualification missing"),
        Rule("qualification_expired", Severity.ERROR, "Qualification expires"),
        Rule("language_no_interpreter", Severity.ERROR, "No interpreter"),
        Rule("venue_capacity", Severity.ERROR, "Venue too small"),
        Rule("venue_facility_missing", Severity.ERROR, "Venue lacks a facility"),
        Rule("kit_over_quantity", Severity.ERROR, "Kit booked beyond what is held"),
        Rule("course_max_trainees", Severity.WARNING, "Above course maximum"),
        Rule("course_min_trainees", Severity.WARNING, "Below course minimum"),
        Rule("instructor_ratio", Severity.WARNING, "Too few instructors"),
        Rule("prerequisite_missing", Severity.WARNING, "Prerequisite missing"),
        Rule("trainee_double_booked", Severity.ERROR, "Trainee on two events at once"),
        Rule("trainee_prerequisite_missing", Severity.WARNING, "Trainee without a prerequisite"),
        Rule("instructor_workload", Severity.WARNING, "Instructor over workload"),
        Rule("travel_time", Severity.WARNING, "Too little travel time"),
    )
}
RULE_ORDER: dict[str, int] = {rule_id: i for i, rule_id in enumerate(RULES)}


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """Knobs of the rules that the plan's data does not hold.

    ``travel_time`` is the least time between the end of one event and the
    start of the next for the same person when the two are in different
    nations: by default a travel day.
    """

    travel_time: timedelta = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class Conflict:
    """One problem in the plan, ready to show: words, refs and names."""

    rule: str
    severity: Severity
    key: str
    message: str
    event_ids: tuple[int, ...]
    events: tuple[str, ...]
    resources: tuple[str, ...]
    first_day: date
    last_day: date
    accepted: bool = False

    def sort_key(self) -> tuple[int, int, date, tuple[str, ...], str]:
        return (
            self.severity.rank,
            RULE_ORDER.get(self.rule, 99),
            self.first_day,
            self.events,
            self.key,
        )

    def as_dict(self) -> dict[str, object]:
        """The CLI's and exports' JSON shape."""
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "message": self.message,
            "events": list(self.events),
            "resources": list(self.resources),
            "accepted": self.accepted,
        }


def conflict_key(rule: str, *parts: str) -> str:
    """A stable name for a conflict; long event lists are hashed to fit."""
    key = "|".join((rule, *parts))
    if len(key) <= _KEY_LIMIT:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{key[: _KEY_LIMIT - 66]}|#{digest}"


def fingerprint(plan: PlanData, events: Iterable[EventData]) -> str:
    """A hash of what matters about the events of a conflict.

    Resources are named by uuid so that a fingerprint survives copying the
    plan to another file, where integer ids differ.
    """

    def uuid_of(table: Mapping[int, object], ident: int | None) -> str:
        record = table.get(ident) if ident is not None else None
        return str(getattr(record, "uuid", ident))

    lines = []
    for event in sorted(events, key=lambda e: e.uuid):
        staff = sorted(
            uuid_of(plan.instructors, a.instructor_id) + ":" + a.role for a in event.staff
        )
        units = sorted(f"{uuid_of(plan.units, s.unit_id)}:{s.seats}" for s in event.audience)
        # Modules count only when there are some: an acceptance of an event
        # without modules keeps the fingerprint it had before they existed.
        parts = [
            ";".join(
                (
                    m.start.isoformat(),
                    m.end.isoformat(),
                    uuid_of(plan.venues, m.venue_id),
                    ",".join(
                        sorted(
                            uuid_of(plan.instructors, a.instructor_id) + ":" + a.role
                            for a in (m.staff or ())
                        )
                    ),
                )
            )
            for m in event.modules
        ]
        lines.append(
            "\t".join(
                (
                    event.uuid,
                    event.start.isoformat(),
                    event.end.isoformat(),
                    uuid_of(plan.venues, event.venue_id),
                    ",".join(staff),
                    ",".join(units),
                    event.status,
                    *(["|".join(parts)] if parts else []),
                )
            )
        )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


class RuleContext:
    """What every rule needs besides the events: the plan's facts, calendars,
    settings and the acceptances, and the one way to make a Conflict.

    Owned by one engine and used from one thread.
    """

    def __init__(
        self,
        plan: PlanData,
        settings: CheckSettings | None = None,
        calendars: PlanCalendars | None = None,
    ) -> None:
        self.plan = plan
        self.settings = settings or CheckSettings()
        self.calendars = calendars or PlanCalendars.of_plan(plan)
        self.acceptances: Mapping[str, tuple[AcceptanceData, ...]] = acceptances_by_key(
            plan.acceptances
        )
        self._leave: dict[int, SpanIndex] = {}
        self._closures: dict[int, SpanIndex] = {}
        self._held: dict[int, dict[int, date | None]] = {}

    def leave(self, instructor: InstructorData) -> SpanIndex:
        index = self._leave.get(instructor.id)
        if index is None:
            index = self._leave[instructor.id] = SpanIndex(instructor.unavailability)
        return index

    def held(self, instructor: InstructorData) -> dict[int, date | None]:
        """Qualification id -> expiry of what an instructor holds."""
        found = self._held.get(instructor.id)
        if found is None:
            found = self._held[instructor.id] = {
                q.qualification_id: q.expires_on for q in instructor.qualifications
            }
        return found

    def closures(self, venue: VenueData) -> SpanIndex:
        index = self._closures.get(venue.id)
        if index is None:
            index = self._closures[venue.id] = SpanIndex(venue.closures)
        return index

    def set_acceptances(self, acceptances: Iterable[AcceptanceData]) -> None:
        self.acceptances = acceptances_by_key(acceptances)

    def is_accepted(self, key: str, event_ids: Sequence[int]) -> bool:
        candidates = self.acceptances.get(key)
        if not candidates:
            return False
        events = self.plan.events
        current = fingerprint(self.plan, (events[i] for i in event_ids if i in events))
        return any(a.fingerprint == current for a in candidates)

    def conflict(
        self,
        rule: str,
        key: str,
        message: str,
        events: Sequence[EventData],
        resources: Sequence[str],
        first_day: date,
        last_day: date,
        severity: Severity | None = None,
    ) -> Conflict:
        """``severity`` overrides the rule's own for a milder case of it."""
        ordered = (
            list(events) if len(events) == 1 else sorted(events, key=lambda e: (e.start, e.ref))
        )
        event_ids = tuple(e.id for e in ordered)
        return Conflict(
            rule=rule,
            severity=severity or RULES[rule].severity,
            key=key,
            message=message,
            event_ids=event_ids,
            events=tuple(e.ref for e in ordered),
            resources=tuple(resources),
            first_day=first_day,
            last_day=last_day,
            accepted=self.is_accepted(key, event_ids),
        )

    def refresh_acceptance(self, conflict: Conflict) -> Conflict:
        accepted = self.is_accepted(conflict.key, conflict.event_ids)
        return conflict if accepted == conflict.accepted else replace(conflict, accepted=accepted)


def conflict_fingerprint(plan: PlanData, conflict: Conflict) -> str:
    """The fingerprint an acceptance of ``conflict`` must store."""
    return fingerprint(plan, (plan.events[i] for i in conflict.event_ids if i in plan.events))


def sort_conflicts(conflicts: Iterable[Conflict]) -> list[Conflict]:
    return sorted(conflicts, key=Conflict.sort_key)
