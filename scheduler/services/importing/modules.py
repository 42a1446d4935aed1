"""The Modules sheet: the parts of events held at their own venue or by their
own people.

A row names its event by Ref (one the plan holds or one the Events sheet of
the same file gives). The rows of one Ref are the event's complete list of
modules and replace the ones it has; an event the sheet does not name keeps
its own. Each module must lie inside its event's dates, as the event is
after the file's own changes, and the modules of an event one after another.
Nothing is written when an event's modules come out as they were.
"""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, select

from scheduler.exchange import import_schema as schema
from scheduler.exchange.import_rows import ParsedRow
from scheduler.model import EventModule, Instructor, ModuleInstructor, TrainingEvent, Venue
from scheduler.model.base import new_uuid
from scheduler.services.importing.changeset import Link, LogEntry
from scheduler.services.importing.context import ImportRun, fold
from scheduler.services.importing.enrolments import event_refs

_SPEC = schema.MODULES
# (title, start, end, venue uuid or None, people uuids): a module as compared.
Module = tuple[str, datetime, datetime, str | None, tuple[str, ...]]


def _spans(run: ImportRun) -> dict[str, tuple[datetime, datetime]]:
    """Each event's start and end after the file's Events sheet."""
    stored = run.stored(TrainingEvent, ("ref", "start", "end")).rows
    found = {uuid: (row["start"], row["end"]) for uuid, row in stored.items()}
    for change in run.changes.updates.get(TrainingEvent, []):
        start, end = found.get(change.uuid, (None, None))
        if "start" in change.columns:
            start = change.columns["start"][1]
        if "end" in change.columns:
            end = change.columns["end"][1]
        if start is not None and end is not None:
            found[change.uuid] = (start, end)
    for insert in run.changes.inserts.get(TrainingEvent, []):
        found[insert["uuid"]] = (insert["start"], insert["end"])
    return found


def _stored_modules(run: ImportRun) -> dict[str, list[Module]]:
    """The plan's modules by event uuid, as compared with the sheet's."""
    session = run.session
    events = run.stored(TrainingEvent, ("ref",))
    venues: dict[int | None, str] = dict(session.execute(select(Venue.id, Venue.uuid)).all())
    people: dict[int, list[str]] = {}
    for module_id, uuid in session.execute(
        select(ModuleInstructor.module_id, Instructor.uuid)
        .join(Instructor, ModuleInstructor.instructor_id == Instructor.id)
        .order_by(ModuleInstructor.id)
    ):
        people.setdefault(module_id, []).append(uuid)
    found: dict[str, list[Module]] = {}
    for ident, event_id, title, start, end, venue_id in session.execute(
        select(
            EventModule.id,
            EventModule.event_id,
            EventModule.title,
            EventModule.start,
            EventModule.end,
            EventModule.venue_id,
        ).order_by(EventModule.start, EventModule.id)
    ):
        event = events.by_id.get(event_id)
        if event is not None:
            found.setdefault(event, []).append(
                (
                    title or "",
                    start,
                    end,
                    venues.get(venue_id),
                    tuple(sorted(people.get(ident, []))),
                )
            )
    return found


def _module_of(run: ImportRun, row: ParsedRow, span: tuple[datetime, datetime]) -> Module | None:
    start, end = row.get("start"), row.get("end")
    if start is None or end is None:
        return None
    ok = True
    if end <= start:
        run.error(_SPEC, row, "end", "must be after Start")
        ok = False
    elif start < span[0] or end > span[1]:
        run.error(
            _SPEC,
            row,
            "start",
            f"lies outside its event ({span[0]:%Y-%m-%d %H:%M} – {span[1]:%Y-%m-%d %H:%M})",
        )
        ok = False
    venue = run.lookup(_SPEC, row, "venue", "venue") if row.get("venue") is not None else None
    if row.get("venue") is not None and venue is None:
        ok = False
    people: list[str] = []
    for name, _role in row.get("staff") or []:
        person = run.lookup(_SPEC, row, "staff", "instructor", name)
        if person is None:
            ok = False
        elif person not in people:
            people.append(person)
    if not ok:
        return None
    return (row.get("title") or "", start, end, venue, tuple(sorted(people)))


def work_out_modules(run: ImportRun) -> None:
    rows = run.rows(_SPEC.name)
    if not rows:
        return
    events = event_refs(run)
    spans = _spans(run)
    wanted: dict[str, list[tuple[ParsedRow, Module]]] = {}
    broken: set[str] = set()
    for row in rows:
        ref = row.get("event")
        if ref is None:
            continue
        event = events.get(fold(ref))
        if event is None:
            run.error(_SPEC, row, "event", f"no event with the Ref “{ref}”")
            continue
        module = _module_of(run, row, spans[event])
        if module is None:
            broken.add(event)
            continue
        wanted.setdefault(event, []).append((row, module))
    stored = _stored_modules(run)
    modules = run.changes.child_rows(cast(Table, EventModule.__table__), "event_id", TrainingEvent)
    staff = run.changes.child_rows(
        cast(Table, ModuleInstructor.__table__), "module_id", EventModule
    )
    roles = {
        uuid: str(getattr(role, "value", role))
        for uuid, role in run.session.execute(select(Instructor.uuid, Instructor.role))
    }
    for event, listed in wanted.items():
        if event in broken:
            continue
        listed.sort(key=lambda item: item[1][1])
        for (_row, before), (row, after) in itertools.pairwise(listed):
            if after[1] < before[2]:
                run.error(
                    _SPEC, row, "start", "overlaps the module before it: the units cannot "
                    "be in two places at once"
                )  # fmt: skip
                broken.add(event)
        if event in broken:
            continue
        new = [module for _row, module in listed]
        old = stored.get(event, [])
        if new == old:
            run.counts.count(_SPEC.name, "unchanged")
            continue
        rows_of_event: list[dict[str, Any]] = []
        for title, start, end, venue, people in new:
            uuid = new_uuid()
            rows_of_event.append(
                {
                    "uuid": uuid,
                    "title": title or None,
                    "start": start,
                    "end": end,
                    "venue_id": Link(Venue, venue) if venue is not None else None,
                }
            )
            staff.rows[uuid] = [
                {"instructor_id": Link(Instructor, person), "role": roles.get(person, "instructor")}
                for person in people
            ]
        modules.rows[event] = rows_of_event
        run.changes.log.append(LogEntry("TrainingEvent", event, "modules", _text(old), _text(new)))
        run.touch(TrainingEvent, event)  # calendars see a new revision
        run.counts.count(_SPEC.name, "changed" if old else "added")


def _text(modules: list[Module]) -> str:
    return "; ".join(
        f"{title or 'module'} {start:%Y-%m-%d %H:%M}–{end:%Y-%m-%d %H:%M}"
        for title, start, end, _venue, _people in modules
    )
