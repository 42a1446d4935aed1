"""Runs the conflict rules over a whole plan, then keeps the answer current.

``ConflictEngine`` checks a plan in full once (sort-and-sweep per resource,
O(n log n) in the number of bookings), then, for each edited event, drops
the conflicts that involved it and re-judges only what the edit can affect:
the event itself, its pairs on each resource it had or has, the runs of its
units' and its kit's bookings around its old and new times, its instructors' workload
periods, and the events whose prerequisites it could satisfy. The result is
always what a full check of the edited plan would report; the tests hold it
to that.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from scheduler.planning.conflicts import (
    CheckSettings,
    Conflict,
    RuleContext,
    conflict_key,
    sort_conflicts,
)
from scheduler.planning.data import AcceptanceData, EventData, PlanData
from scheduler.planning.rules.event_rules import check_event
from scheduler.planning.rules.kit import (
    KitIndex,
    episodes_around,
    full_kit_conflicts,
    kit_conflict,
    kit_needed,
)
from scheduler.planning.rules.overlaps import full_pair_conflicts, pair_conflicts_of
from scheduler.planning.rules.prerequisites import CourseAttendance, prerequisite_conflicts
from scheduler.planning.rules.runs import runs_around
from scheduler.planning.rules.strength import full_strength_conflicts, strength_conflict
from scheduler.planning.rules.trainees import trainee_conflicts
from scheduler.planning.rules.workload import (
    Period,
    WorkdayCache,
    full_workload_conflicts,
    period_conflict,
    periods_touched,
)
from scheduler.planning.timeline import Booking, BookingIndex, Timeline, occupies_time

_STRENGTH = "unit_over_strength"
RunOwner = tuple[str, int]  # ("unit", id) or ("kit", id)
_PREREQUISITE = "prerequisite_missing"


@dataclass(frozen=True, slots=True)
class CheckDelta:
    """What an edit changed: conflicts new or changed, and keys gone or changed."""

    added: tuple[Conflict, ...]
    removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class ConflictEngine:
    """Owns a plan snapshot and every conflict in it.

    The engine mutates ``plan.events`` when it is told of edits, so hand it a
    snapshot of its own. Edits to anything other than events (leave, venue
    capacity, courses) need a new engine. Not thread-safe: use it from one
    thread (a worker, in the GUI).
    """

    def __init__(self, plan: PlanData, settings: CheckSettings | None = None) -> None:
        self.plan = plan
        self.ctx = RuleContext(plan, settings)
        self._conflicts: dict[str, Conflict] = {}
        self._by_event: dict[int, set[str]] = {}
        # Conflicts over a run of overlapping bookings (a unit's strength, a
        # kit's quantity): their span per owner, so an edit re-judges the
        # runs it reaches and drops the conflicts of those runs.
        self._run_spans: dict[RunOwner, dict[str, tuple[datetime, datetime]]] = {}
        self._run_owner: dict[str, RunOwner] = {}
        # Named people: their conflicts, and who is enrolled on which event
        # (enrolments do not change in an engine's life; events do).
        self._by_trainee: dict[int, set[str]] = {}
        self._trainee_of: dict[str, int] = {}
        self._enrolled: dict[int, set[int]] = {}
        self._before: dict[str, Conflict | None] | None = None
        self.bookings = BookingIndex()
        self.kit = KitIndex(plan)
        self.attendance = CourseAttendance(PlanData())
        self.workdays = WorkdayCache(self.ctx)
        self.check_all()

    # -- reading ---------------------------------------------------------

    def conflicts(self, first: date | None = None, last: date | None = None) -> list[Conflict]:
        """Every conflict, sorted; with ``first``/``last``, those touching that window."""
        found: Iterable[Conflict] = self._conflicts.values()
        if first is not None or last is not None:
            found = [c for c in found if in_window(c, first, last)]
        return sort_conflicts(found)

    def conflicts_of(self, event_id: int) -> list[Conflict]:
        return sort_conflicts(self._conflicts[k] for k in self._by_event.get(event_id, ()))

    def get(self, key: str) -> Conflict | None:
        return self._conflicts.get(key)

    def __len__(self) -> int:
        return len(self._conflicts)

    # -- full check ------------------------------------------------------

    def check_all(self) -> list[Conflict]:
        """Judge the whole plan afresh."""
        ctx, plan = self.ctx, self.plan
        self._conflicts.clear()
        self._by_event.clear()
        self._run_spans.clear()
        self._run_owner.clear()
        self._by_trainee.clear()
        self._trainee_of.clear()
        self._enrolled.clear()
        self.bookings = BookingIndex(plan.events.values())
        self.kit = KitIndex(plan, plan.events.values())
        self.attendance = CourseAttendance(plan)
        self.workdays = WorkdayCache(ctx)
        add = self._add
        for event in plan.events.values():
            if event.cancelled:
                continue
            for conflict in check_event(ctx, event):
                add(conflict)
            for conflict in prerequisite_conflicts(ctx, event, self.attendance):
                add(conflict)
        for kind, table in (
            ("instructor", self.bookings.instructors),
            ("venue", self.bookings.venues),
            ("unit", self.bookings.units),
        ):
            for ident, timeline in table.items():
                for conflict in full_pair_conflicts(ctx, kind, ident, timeline):
                    add(conflict)
        for unit_id, timeline in self.bookings.units.items():
            for conflict in full_strength_conflicts(ctx, unit_id, timeline):
                add(conflict, ("unit", unit_id))
        for kit_id, timeline in self.kit.timelines.items():
            for conflict, episode in full_kit_conflicts(ctx, kit_id, timeline):
                add(conflict, ("kit", kit_id), (episode.start, episode.end))
        for instructor_id, timeline in self.bookings.instructors.items():
            for conflict in full_workload_conflicts(ctx, instructor_id, timeline, self.workdays):
                add(conflict)
        for trainee in plan.trainees.values():
            for enrolment in trainee.enrolments:
                self._enrolled.setdefault(enrolment.event_id, set()).add(trainee.id)
            self._recheck_trainee(trainee.id)
        return self.conflicts()

    # -- incremental -----------------------------------------------------

    def update(self, changed: Iterable[EventData] = (), removed: Iterable[int] = ()) -> CheckDelta:
        """Apply edited (or new) events and deleted event ids; say what changed."""
        self._before = {}
        try:
            for event in changed:
                self._apply(self.plan.events.get(event.id), event)
            for event_id in removed:
                old = self.plan.events.get(event_id)
                if old is not None:
                    self._apply(old, None)
            added, gone = [], []
            for key, before in self._before.items():
                now = self._conflicts.get(key)
                if now == before:
                    continue
                if before is not None:
                    gone.append(key)
                if now is not None:
                    added.append(now)
            return CheckDelta(tuple(sort_conflicts(added)), tuple(sorted(gone)))
        finally:
            self._before = None

    def set_acceptances(self, acceptances: Iterable[AcceptanceData]) -> CheckDelta:
        """Take a new set of acceptances; conflicts whose state flips are in ``added``."""
        self.ctx.set_acceptances(acceptances)
        flipped = []
        for key, conflict in self._conflicts.items():
            refreshed = self.ctx.refresh_acceptance(conflict)
            if refreshed is not conflict:
                self._conflicts[key] = refreshed
                flipped.append(refreshed)
        return CheckDelta(tuple(sort_conflicts(flipped)), ())

    def _apply(self, old: EventData | None, new: EventData | None) -> None:
        ctx, plan = self.ctx, self.plan
        old_periods: dict[int, dict[str, Period]] = {}
        # The kit episodes the old event was in go with it; the rest of each
        # (the other events then running) is judged again below.
        episodes: dict[int, list[tuple[datetime, datetime]]] = {}
        if old is not None:
            for key in list(self._by_event.get(old.id, ())):
                owner = self._run_owner.get(key)
                if owner is not None and owner[0] == "kit":
                    episodes.setdefault(owner[1], []).append(self._run_spans[owner][key])
                self._remove(key)
            old_periods = self._workload_periods(old)
            self.bookings.remove(old)
            self.kit.remove(old)
            self.attendance.remove(old)
            self.workdays.forget(old.id)
            del plan.events[old.id]
        if new is not None:
            plan.events[new.id] = new
            self.bookings.add(new)
            self.kit.add(new)
            self.attendance.add(new)
            if not new.cancelled:
                for conflict in check_event(ctx, new):
                    self._add(conflict)
                for conflict in prerequisite_conflicts(ctx, new, self.attendance):
                    self._add(conflict)
            if occupies_time(new):
                for kind, ident, timeline in self.bookings.timelines_of(new):
                    for conflict in pair_conflicts_of(ctx, kind, ident, timeline, new):
                        self._add(conflict)
        self._recheck_strength(old, new)
        self._recheck_kit(old, new, episodes)
        self._recheck_workload(old_periods, self._workload_periods(new) if new else {})
        self._recheck_prerequisites(old, new)
        for event in (old, new):
            if event is not None:
                for trainee_id in self._enrolled.get(event.id, ()):
                    self._recheck_trainee(trainee_id)

    def _recheck_trainee(self, trainee_id: int) -> None:
        """Judge one person afresh: their conflicts span several of their events."""
        for key in list(self._by_trainee.get(trainee_id, ())):
            self._remove(key)
        trainee = self.plan.trainees.get(trainee_id)
        if trainee is None:
            return
        for conflict in trainee_conflicts(self.ctx, trainee):
            self._add(conflict)
            self._by_trainee.setdefault(trainee_id, set()).add(conflict.key)
            self._trainee_of[conflict.key] = trainee_id

    def _recheck_strength(self, old: EventData | None, new: EventData | None) -> None:
        windows: dict[int, tuple[datetime, datetime]] = {}
        for event in (old, new):
            if event is None:
                continue
            for seat in event.audience:
                low, high = windows.get(seat.unit_id, (event.start, event.end))
                windows[seat.unit_id] = (min(low, event.start), max(high, event.end))
        for unit_id, (start, end) in windows.items():
            unit = self.plan.units.get(unit_id)
            timeline = self.bookings.units.get(unit_id)
            if unit is None or unit.strength is None or timeline is None:
                continue
            for run in self._runs_to_judge(("unit", unit_id), timeline, start, end):
                conflict = strength_conflict(self.ctx, unit, run)
                if conflict is not None:
                    self._add(conflict, ("unit", unit_id))

    def _recheck_kit(
        self,
        old: EventData | None,
        new: EventData | None,
        episodes: dict[int, list[tuple[datetime, datetime]]],
    ) -> None:
        windows: dict[int, tuple[datetime, datetime]] = {}
        spans = [
            (kit_id, event.start, event.end)
            for event in (old, new)
            if event is not None
            for kit_id in kit_needed(self.plan, event)
        ]
        spans += [(k, start, end) for k, found in episodes.items() for start, end in found]
        for kit_id, start, end in spans:
            low, high = windows.get(kit_id, (start, end))
            windows[kit_id] = (min(low, start), max(high, end))
        plan = self.plan
        for kit_id, (start, end) in windows.items():
            kit = plan.kit.get(kit_id)
            if kit is None:
                continue
            timeline = self.kit.timelines.setdefault(kit_id, Timeline())

            def amount(event_id: int, kit_id: int = kit_id) -> int:
                return kit_needed(plan, plan.events[event_id]).get(kit_id, 0)

            found, low, high = episodes_around(timeline, amount, kit.quantity, start, end)
            self._drop_spans(("kit", kit_id), low, high)
            for episode in found:
                conflict = kit_conflict(self.ctx, kit, episode)
                self._add(conflict, ("kit", kit_id), (episode.start, episode.end))

    def _runs_to_judge(
        self, owner: RunOwner, timeline: Timeline, start: datetime, end: datetime
    ) -> list[list[Booking]]:
        """The runs of ``owner``'s bookings around [start, end), with the
        conflicts judged on them before dropped."""
        runs, low, high = runs_around(timeline, start, end)
        self._drop_spans(owner, low, high)
        return runs

    def _drop_spans(self, owner: RunOwner, low: datetime, high: datetime) -> None:
        """Drop ``owner``'s conflicts whose span reaches into [low, high)."""
        spans = self._run_spans.get(owner, {})
        for key, (span_start, span_end) in list(spans.items()):
            if span_start < high and span_end > low:
                self._remove(key)

    def _workload_periods(self, event: EventData) -> dict[int, dict[str, Period]]:
        found: dict[int, dict[str, Period]] = {}
        for instructor_id in event.instructor_ids():
            person = self.plan.instructors.get(instructor_id)
            if person is None or not person.has_workload_limit:
                continue
            found[person.id] = periods_touched(person, self.workdays.of_person(event, person.id))
        return found

    def _recheck_workload(
        self, old: dict[int, dict[str, Period]], new: dict[int, dict[str, Period]]
    ) -> None:
        for instructor_id in old.keys() | new.keys():
            person = self.plan.instructors[instructor_id]
            periods = {**old.get(instructor_id, {}), **new.get(instructor_id, {})}
            timeline = self.bookings.instructors.get(instructor_id)
            for period_key, period in periods.items():
                self._remove(conflict_key("instructor_workload", person.uuid, period_key))
                if timeline is not None:
                    conflict = period_conflict(self.ctx, person, timeline, period, self.workdays)
                    if conflict is not None:
                        self._add(conflict)

    def _recheck_prerequisites(self, old: EventData | None, new: EventData | None) -> None:
        affected: set[int] = set()
        for event in (old, new):
            if event is not None:
                affected.update(self.attendance.affected_by(event))
        if new is not None:
            affected.discard(new.id)
        for event_id in affected:
            for key in list(self._by_event.get(event_id, ())):
                if self._conflicts[key].rule == _PREREQUISITE:
                    self._remove(key)
            event = self.plan.events[event_id]
            for conflict in prerequisite_conflicts(self.ctx, event, self.attendance):
                self._add(conflict)

    # -- bookkeeping -----------------------------------------------------

    def _add(
        self,
        conflict: Conflict,
        owner: RunOwner | None = None,
        span: tuple[datetime, datetime] | None = None,
    ) -> None:
        """``owner`` (with ``span``, else its events' span): the unit or kit
        whose runs the conflict was judged on, so an edit can drop it."""
        key = conflict.key
        if self._before is not None and key not in self._before:
            self._before[key] = self._conflicts.get(key)
        if key in self._conflicts:
            self._remove(key)
        self._conflicts[key] = conflict
        for event_id in conflict.event_ids:
            self._by_event.setdefault(event_id, set()).add(key)
        if owner is not None:
            events = self.plan.events
            span = span or (
                min(events[i].start for i in conflict.event_ids),
                max(events[i].end for i in conflict.event_ids),
            )
            self._run_spans.setdefault(owner, {})[key] = span
            self._run_owner[key] = owner

    def _remove(self, key: str) -> None:
        conflict = self._conflicts.get(key)
        if conflict is None:
            return
        if self._before is not None and key not in self._before:
            self._before[key] = conflict
        del self._conflicts[key]
        for event_id in conflict.event_ids:
            keys = self._by_event.get(event_id)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._by_event[event_id]
        owner = self._run_owner.pop(key, None)
        if owner is not None:
            self._run_spans[owner].pop(key, None)
        trainee_id = self._trainee_of.pop(key, None)
        if trainee_id is not None:
            self._by_trainee[trainee_id].discard(key)


def in_window(conflict: Conflict, first: date | None, last: date | None) -> bool:
    """Whether a conflict's days touch [first, last] (either end open)."""
    if first is not None and conflict.last_day < first:
        return False
    return not (last is not None and conflict.first_day > last)


def check_plan(plan: PlanData, settings: CheckSettings | None = None) -> list[Conflict]:
    """A one-off full check (the engine is thrown away)."""
    return ConflictEngine(plan, settings).conflicts()
