"""The Series and Events sheets: repeating events as stored, and every event.

An Events row is one event. Which one: its UID when the plan has it (the
Ref may then change, unless another event has it); else its Ref; else, when
it says exactly what a stored event says (course, start, end, venue and
units), that event, so importing the same hand-typed sheet twice adds
nothing. A row with a Recurrence makes a new series and all its events; a
row naming a Series (of the Series sheet) is one stored event of it, as
``template --plan`` writes them.

Who teaches: a name on its own takes the person's own role (an interpreter
interprets); "Name (interpreter)" or "Name:interpreter" says the role.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Table, select

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.model import (
    Course,
    EventAudience,
    EventInstructor,
    EventSeries,
    Instructor,
    Provider,
    Record,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.model.enums import EventStatus
from scheduler.model.refs import RefAllocator
from scheduler.planning.recurrence import RecurrenceError, parse_rule, to_rrule
from scheduler.services.importing.changeset import Link, LogEntry, Update
from scheduler.services.importing.context import ImportRun, fold, same_value

MAX_OCCURRENCES = 520
EVENT_COLUMNS = (
    "ref",
    "course_id",
    "venue_id",
    "start",
    "end",
    "status",
    "series_id",
    "recurrence_id",
    "is_override",
    "notes",
    "partner_remarks",
    "attended",
    "passed",
    "outcome",
    "provider_id",
    "funding_line",
)
# Sheet key -> event column, for the cells that are plain values.
_PLAIN = {
    "start": "start",
    "end": "end",
    "status": "status",
    "notes": "notes",
    "partner_remarks": "partner_remarks",
    "attended": "attended",
    "passed": "passed",
    "outcome": "outcome",
    "occurrence": "recurrence_id",
    "override": "is_override",
    "funding_line": "funding_line",
}
_REQUIRED = frozenset({"start", "end", "status", "course_id", "is_override"})
_LINKS = {
    "course_id": Course,
    "venue_id": Venue,
    "series_id": EventSeries,
    "provider_id": Provider,
}


def exdate_text(value: date | datetime) -> str:
    """An exception as the plan stores it (ISO text, as the series editor writes it)."""
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value.isoformat()


def occurrences(rule: str, start: datetime) -> list[datetime]:
    found = []
    for moment in to_rrule(rule, start):
        found.append(moment)
        if len(found) > MAX_OCCURRENCES:
            break
    return found


@dataclass(slots=True)
class _Event:
    row: ParsedRow
    uuid: str
    stored: dict[str, Any] | None
    ref: str | None  # the ref the row asks for, if any


class EventSheets:
    """Works out the Series and Events sheets of one import; used once."""

    def __init__(self, run: ImportRun) -> None:
        self.run = run
        self.series_by_name: dict[str, str] = {}  # folded name on the Series sheet -> uuid
        self.rows: list[_Event] = []
        self.refs: dict[str, str] = {}  # folded ref -> stored event uuid
        self.allocator = RefAllocator(())

    def work_out(self) -> None:
        run = self.run
        if not run.rows(schema.EVENTS.name) and not run.rows(schema.SERIES.name):
            return
        self.events = run.stored(TrainingEvent, EVENT_COLUMNS)
        self.series = run.stored(EventSeries, ("rrule", "dtstart", "exdates"))
        self._series_sheet()
        for uuid, stored in self.events.rows.items():
            self.refs[fold(stored["ref"])] = uuid
        self._identify()
        self.allocator = RefAllocator(
            [*(r["ref"] for r in self.events.rows.values()), *(e.ref for e in self.rows if e.ref)]
        )
        for event in self.rows:
            self._event(event)

    # -- series ------------------------------------------------------------------------

    def _series_sheet(self) -> None:
        run, spec = self.run, schema.SERIES
        seen: dict[str, int] = {}
        for row in run.rows(spec.name):
            name = row.get("series")
            if name is None:
                continue
            if fold(name) in seen:
                run.error(spec, row, "series", f"“{name}” is on row {seen[fold(name)]} already")
                continue
            seen[fold(name)] = row.number
            uid = row.get("uid")
            if uid in self.series_by_name.values():
                run.error(spec, row, "uid", "this UID is on another row already")
                continue
            stored = self.series.rows.get(uid) if uid is not None else None
            uuid = uid or str(uuid_module.uuid4())
            values: dict[str, Any] = {}
            if row.given("rule"):
                try:
                    rule = parse_rule(row.values["rule"])
                except RecurrenceError as exc:
                    run.error(spec, row, "rule", str(exc))
                    continue
                values["rrule"] = rule.to_text()  # as the series editor writes it
            if row.given("start"):
                values["dtstart"] = row.values["start"]
            if row.given("exceptions"):
                values["exdates"] = [exdate_text(v) for v in row.values["exceptions"] or []]
            self.series_by_name[fold(name)] = uuid
            if stored is None:
                run.changes.insert(
                    EventSeries,
                    {"uuid": uuid, "exdates": [], **values},
                )
                run.counts.count(spec.name, "added")
                continue
            changed = {
                column: (stored[column], value)
                for column, value in values.items()
                if value != stored[column]
                and not (column == "rrule" and _same_rule(value, stored[column]))
            }
            if changed:
                run.changes.update(
                    EventSeries, Update(uuid, stored["id"], stored["version_id"], changed)
                )
            run.counts.count(spec.name, "changed" if changed else "unchanged")

    # -- which event is each row -------------------------------------------------------

    def _identify(self) -> None:
        run, spec = self.run, schema.EVENTS
        seen_uid: dict[str, int] = {}
        seen_ref: dict[str, int] = {}
        seen_same: dict[tuple[Any, ...], int] = {}
        same = self._same_index()
        for row in run.rows(spec.name):
            uid, ref = row.get("uid"), row.get("ref")
            if uid is not None:
                if uid in seen_uid:
                    run.error(spec, row, "uid", f"this UID is on row {seen_uid[uid]} already")
                    continue
                seen_uid[uid] = row.number
            if ref is not None:
                if fold(ref) in seen_ref:
                    run.error(
                        spec,
                        row,
                        "ref",
                        f"duplicate Ref “{ref}” (also on row {seen_ref[fold(ref)]})",
                    )
                    continue
                seen_ref[fold(ref)] = row.number
            by_ref = self.refs.get(fold(ref)) if ref is not None else None
            if uid is not None and uid in self.events.rows:
                if by_ref is not None and by_ref != uid:
                    run.error(
                        spec,
                        row,
                        "ref",
                        f"“{ref}” is another event in this plan than this row's UID; "
                        "clear the Ref to keep the event's own",
                    )
                    continue
                self.rows.append(_Event(row, uid, self.events.rows[uid], ref))
                continue
            if uid is not None and by_ref is not None:
                run.error(
                    spec,
                    row,
                    "ref",
                    f"“{ref}” is another event in this plan (its UID differs); clear the Ref "
                    "to add this one under a new Ref, or clear the UID to change the plan's",
                )
                continue
            if by_ref is not None:
                self.rows.append(_Event(row, by_ref, self.events.rows[by_ref], ref))
                continue
            if uid is None and ref is None:
                signature = self._signature(row)
                if signature is not None:
                    if signature in seen_same:
                        run.error(
                            spec,
                            row,
                            None,
                            f"the same event as row {seen_same[signature]} (course, start, "
                            "end, venue and units); give each a Ref, or remove one",
                        )
                        continue
                    seen_same[signature] = row.number
                    matches = same.get(signature, [])
                    if len(matches) == 1 and not row.get("recurrence"):
                        self.rows.append(
                            _Event(row, matches[0], self.events.rows[matches[0]], None)
                        )
                        continue
                    if len(matches) > 1:
                        refs = ", ".join(sorted(self.events.rows[m]["ref"] for m in matches))
                        run.error(
                            spec,
                            row,
                            "ref",
                            f"the plan holds this event more than once ({refs}); "
                            "write the Ref of the one to change",
                        )
                        continue
            self.rows.append(_Event(row, uid or str(uuid_module.uuid4()), None, ref))

    def _signature(self, row: ParsedRow) -> tuple[Any, ...] | None:
        run = self.run
        course = run.registry("course").find(row.get("course"))
        if course is None or row.get("start") is None or row.get("end") is None:
            return None
        venue = run.registry("venue").find(row.get("venue")) if row.get("venue") else None
        units = frozenset(
            (run.registry("unit").find(code), seats) for code, seats in row.get("units") or []
        )
        return (course, row.values["start"], row.values["end"], venue, units)

    def _same_index(self) -> dict[tuple[Any, ...], list[str]]:
        """Stored events by what a row without Ref says, when any row lacks both."""
        if all(r.get("uid") or r.get("ref") for r in self.run.rows(schema.EVENTS.name)):
            return {}
        audience = self._audience()
        found: dict[tuple[Any, ...], list[str]] = {}
        for uuid, stored in self.events.rows.items():
            signature = (
                self.run.uuid_of(Course, stored["course_id"]),
                stored["start"],
                stored["end"],
                self.run.uuid_of(Venue, stored["venue_id"]),
                frozenset(audience.get(stored["id"], ())),
            )
            found.setdefault(signature, []).append(uuid)
        return found

    # -- children as stored ------------------------------------------------------------

    def _audience(self) -> dict[int, list[tuple[str, int]]]:
        found = self.run.cache.get("audience")
        if found is None:
            found = self.run.cache["audience"] = {}
            units = self.run.stored(Unit, ())
            for event_id, unit_id, seats in self.run.session.execute(
                select(EventAudience.event_id, EventAudience.unit_id, EventAudience.seats)
            ):
                found.setdefault(event_id, []).append((units.by_id[unit_id], seats))
        return cast(dict[int, list[tuple[str, int]]], found)

    def _staff(self) -> dict[int, list[tuple[str, str]]]:
        found = self.run.cache.get("staff")
        if found is None:
            found = self.run.cache["staff"] = {}
            people = self.run.stored(Instructor, ())
            for event_id, instructor_id, role in self.run.session.execute(
                select(
                    EventInstructor.event_id, EventInstructor.instructor_id, EventInstructor.role
                )
            ):
                found.setdefault(event_id, []).append((people.by_id[instructor_id], str(role)))
        return cast(dict[int, list[tuple[str, str]]], found)

    # -- one event ---------------------------------------------------------------------

    def _event(self, event: _Event) -> None:
        run, spec, row = self.run, schema.EVENTS, event.row
        stored = event.stored
        if row.get("recurrence") is not None:
            if stored is not None:
                run.error(
                    spec,
                    row,
                    "recurrence",
                    f"“{stored['ref']}” exists already; change a repeating event in the program",
                )
                return
            if row.given("series") and row.values["series"] is not None:
                run.error(spec, row, "recurrence", "give a Recurrence or a Series, not both")
                return
        values = self._linked(stored) if stored is not None else self._defaults()
        ok = self._cells(event, values)
        audience, audience_ok = self._audience_cells(row)
        staff, staff_ok = self._staff_cells(row)
        if not (ok and audience_ok and staff_ok):
            return
        if stored is None and values.get("series_id") and values.get("recurrence_id") is None:
            values["recurrence_id"] = values["start"]
        if values.get("series_id") is None:
            values["recurrence_id"] = None
        if not self._consistent(row, values) or not self._seats_fit(row, values, audience):
            return
        if stored is None:
            rule = row.get("recurrence")
            if rule is not None:
                self._new_series(event, values, audience or [], staff or [], rule)
            else:
                self._new_event(event, values, audience or [], staff or [])
            return
        self._changed_event(event, stored, values, audience, staff)

    def _defaults(self) -> dict[str, Any]:
        values: dict[str, Any] = dict.fromkeys(EVENT_COLUMNS)
        values.update(status=EventStatus.PLANNED.value, is_override=False)
        return values

    def _linked(self, stored: dict[str, Any]) -> dict[str, Any]:
        values = {name: stored[name] for name in EVENT_COLUMNS}
        for column, model in _LINKS.items():
            values[column] = self.run.uuid_of(model, stored[column])
        return values

    def _cells(self, event: _Event, values: dict[str, Any]) -> bool:
        run, spec, row = self.run, schema.EVENTS, event.row
        ok = True
        for key, column in _PLAIN.items():
            if row.given(key):
                if row.values[key] is None and column in _REQUIRED:
                    run.error(spec, row, key, "an event needs it; it cannot be emptied")
                    ok = False
                    continue
                values[column] = row.values[key]
        for key, column, entity in (
            ("course", "course_id", "course"),
            ("venue", "venue_id", "venue"),
            ("provider", "provider_id", "provider"),
        ):
            if row.given(key):
                if row.values[key] is None:
                    if column in _REQUIRED:
                        run.error(spec, row, key, "an event needs it; it cannot be emptied")
                        ok = False
                    values[column] = None
                    continue
                found = run.lookup(spec, row, key, entity)
                if found is None:
                    ok = False
                values[column] = found
        if row.given("series"):
            name = row.values["series"]
            if name is None:
                values["series_id"] = None
                values["is_override"] = False
            elif fold(name) in self.series_by_name:
                values["series_id"] = self.series_by_name[fold(name)]
            else:
                run.error(spec, row, "series", f"no series “{name}” on the Series sheet")
                ok = False
        if event.ref is not None:
            values["ref"] = event.ref
        for key in ("attended", "passed"):
            if row.get(key) is not None and row.values[key] < 0:
                run.error(spec, row, key, f"must be at least 0, not {row.values[key]}")
                ok = False
        return ok

    def _consistent(self, row: ParsedRow, values: dict[str, Any]) -> bool:
        run, spec = self.run, schema.EVENTS
        start, end = values.get("start"), values.get("end")
        if start is None or end is None:
            return False
        if end <= start:
            key = "end" if row.given("end") else "start"
            run.error(spec, row, key, "End is before Start" if end < start else "End equals Start")
            return False
        if row.given("end") and end.time() == time(0) and end.date() > start.date():
            last = end.date() - timedelta(days=1)
            run.warn(
                spec,
                row,
                "end",
                f"ends at midnight, so its last day is {last:%d/%m/%Y}; "
                f"write {end:%d/%m/%Y} 17:00 if it runs on {end:%d/%m/%Y}",
            )
        attended, passed = values.get("attended"), values.get("passed")
        if attended is not None and passed is not None and passed > attended:
            run.error(spec, row, "passed", f"is more than attended ({passed} > {attended})")
            return False
        return True

    def _seats_fit(
        self, row: ParsedRow, values: dict[str, Any], audience: list[tuple[str, int]] | None
    ) -> bool:
        """A unit on a course has at least one seat; only an exercise takes units
        without seats (they take part as a whole)."""
        if not audience or all(seats > 0 for _unit, seats in audience):
            return True
        course = self.run.registry("course").values.get(values.get("course_id") or "", {})
        if str(course.get("kind") or "course") == "exercise":
            return True
        self.run.error(
            schema.EVENTS,
            row,
            "units",
            "a unit on a course has at least one seat; only an exercise takes units with 0 seats",
        )
        return False

    def _members(
        self, row: ParsedRow, key: str, entity: str
    ) -> tuple[list[tuple[str, Any]] | None, bool]:
        """The records a list cell names, each with what follows its name (seats, a role):
        None when the cell is blank; and whether every one was found, once."""
        run, spec = self.run, schema.EVENTS
        if not row.given(key):
            return None, True
        found: list[tuple[str, Any]] = []
        ok = True
        for name, extra in row.values[key] or []:
            uuid = run.lookup(spec, row, key, entity, name)
            if uuid is None:
                ok = False
            elif any(u == uuid for u, _ in found):
                run.error(spec, row, key, f"“{name}” is listed twice")
                ok = False
            else:
                found.append((uuid, extra))
        return found, ok

    def _audience_cells(self, row: ParsedRow) -> tuple[list[tuple[str, int]] | None, bool]:
        return self._members(row, "units", "unit")

    def _staff_cells(self, row: ParsedRow) -> tuple[list[tuple[str, str]] | None, bool]:
        """People and roles; a person named without a role takes their own."""
        found, ok = self._members(row, "instructors", "instructor")
        if found is None:
            return None, ok
        people = self.run.registry("instructor").values
        return [
            (person, role or str(people[person].get("role") or "instructor"))
            for person, role in found
        ], ok

    def _host_code(self, values: dict[str, Any], audience: list[tuple[str, int]]) -> str:
        run = self.run
        nations = run.registry("nation")
        nation = None
        if values.get("venue_id"):
            nation = run.registry("venue").values[values["venue_id"]].get("nation_id")
        elif audience:
            nation = run.registry("unit").values[audience[0][0]].get("nation_id")
        return str(nations.values.get(nation or "", {}).get("code") or "XX")

    def _insert(
        self,
        uuid: str,
        values: dict[str, Any],
        audience: list[tuple[str, int]],
        staff: list[tuple[str, str]],
    ) -> None:
        run = self.run
        row = {"uuid": uuid}
        for column in EVENT_COLUMNS:
            value = values[column]
            if column in _LINKS and value is not None:
                value = Link(_LINKS[column], value)
            row[column] = value
        run.changes.insert(TrainingEvent, row)
        self._children(uuid, audience, staff)
        run.counts.count(schema.EVENTS.name, "added")

    def _children(
        self, uuid: str, audience: list[tuple[str, int]] | None, staff: list[tuple[str, str]] | None
    ) -> None:
        changes = self.run.changes
        if audience is not None:
            changes.child_rows(_table(EventAudience), "event_id", TrainingEvent).rows[uuid] = [
                {"unit_id": Link(Unit, unit), "seats": seats} for unit, seats in audience
            ]
        if staff is not None:
            changes.child_rows(_table(EventInstructor), "event_id", TrainingEvent).rows[uuid] = [
                {"instructor_id": Link(Instructor, person), "role": role} for person, role in staff
            ]

    def _new_event(
        self,
        event: _Event,
        values: dict[str, Any],
        audience: list[tuple[str, int]],
        staff: list[tuple[str, str]],
    ) -> None:
        if not values.get("ref"):
            values["ref"] = self.allocator.allocate(
                self._host_code(values, audience), values["start"].year
            )
        self._insert(event.uuid, values, audience, staff)

    def _new_series(
        self,
        event: _Event,
        values: dict[str, Any],
        audience: list[tuple[str, int]],
        staff: list[tuple[str, str]],
        rule: str,
    ) -> None:
        run, spec, row = self.run, schema.EVENTS, event.row
        try:
            parsed = parse_rule(rule)
        except RecurrenceError as exc:
            run.error(spec, row, "recurrence", str(exc))
            return
        if parsed.count is None and parsed.until is None:
            run.error(spec, row, "recurrence", "needs COUNT or UNTIL (an end)")
            return
        starts = occurrences(rule, values["start"])
        if len(starts) > MAX_OCCURRENCES:
            run.error(spec, row, "recurrence", f"gives more than {MAX_OCCURRENCES} events")
            return
        series = str(uuid_module.uuid4())
        run.changes.insert(
            EventSeries,
            {"uuid": series, "rrule": parsed.to_text(), "dtstart": values["start"], "exdates": []},
        )
        length = values["end"] - values["start"]
        host = self._host_code(values, audience)
        for index, start in enumerate(starts):
            occurrence = dict(values)
            occurrence.update(
                start=start,
                end=start + length,
                series_id=series,
                recurrence_id=start,
                is_override=False,
            )
            if index or not occurrence.get("ref"):
                occurrence["ref"] = self.allocator.allocate(host, start.year)
            self._insert(
                event.uuid if index == 0 else str(uuid_module.uuid4()), occurrence, audience, staff
            )

    def _changed_event(
        self,
        event: _Event,
        stored: dict[str, Any],
        values: dict[str, Any],
        audience: list[tuple[str, int]] | None,
        staff: list[tuple[str, str]] | None,
    ) -> None:
        run = self.run
        before = self._linked(stored)
        changed: dict[str, tuple[Any, Any]] = {}
        for column in EVENT_COLUMNS:
            new, old = values[column], before[column]
            if same_value(new, old):
                continue
            if column in _LINKS and new is not None:
                new = Link(_LINKS[column], new)
            changed[column] = (stored[column], new)
        old_audience = self._audience().get(stored["id"], [])
        old_staff = self._staff().get(stored["id"], [])
        new_audience = (
            audience if audience is not None and set(audience) != set(old_audience) else None
        )
        new_staff = staff if staff is not None and set(staff) != set(old_staff) else None
        self._children(event.uuid, new_audience, new_staff)
        if new_audience is not None:
            run.changes.log.append(
                LogEntry(
                    "TrainingEvent",
                    event.uuid,
                    "audience",
                    self._seats_text(old_audience),
                    self._seats_text(new_audience),
                )
            )
        if new_staff is not None:
            run.changes.log.append(
                LogEntry(
                    "TrainingEvent",
                    event.uuid,
                    "instructors",
                    self._staff_text(old_staff),
                    self._staff_text(new_staff),
                )
            )
        touched = new_audience is not None or new_staff is not None
        if changed or touched:
            run.changes.update(
                TrainingEvent,
                Update(event.uuid, stored["id"], stored["version_id"], changed, touch=touched),
            )
        run.counts.count(schema.EVENTS.name, "changed" if changed or touched else "unchanged")

    def _seats_text(self, audience: list[tuple[str, int]]) -> str:
        units = self.run.registry("unit").values
        return "; ".join(f"{units.get(u, {}).get('code')}:{s}" for u, s in audience)

    def _staff_text(self, staff: list[tuple[str, str]]) -> str:
        people = self.run.registry("instructor").values
        return "; ".join(f"{people.get(p, {}).get('name')} ({r})" for p, r in staff)


def _table(model: type[Record]) -> Table:
    return cast(Table, model.__table__)


def _same_rule(a: str, b: str) -> bool:
    try:
        return parse_rule(a).to_text() == parse_rule(b).to_text()
    except RecurrenceError:
        return False
