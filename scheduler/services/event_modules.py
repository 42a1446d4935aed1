"""An event's modules as the editor and the undo stack see them: plain values.

A module is ``{"uuid", "title", "start", "end", "venue", "staff"}`` with the
venue's uuid (None: the event's) and the uuids of its people (empty: the
event's). Modules lie inside the event's days, one after another: an
event's units are on it throughout, so two modules at once would put them
in two places.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import EventModule, Instructor, ModuleInstructor, TrainingEvent, Venue
from scheduler.planning.wording import date_format

Values = dict[str, Any]
MODULES = "modules"


def module_values(event: TrainingEvent) -> list[Values]:
    return [
        {
            "uuid": module.uuid,
            "title": module.title or "",
            "start": module.start,
            "end": module.end,
            "venue": module.venue.uuid if module.venue is not None else None,
            "staff": [person.instructor.uuid for person in module.staff],
        }
        for module in sorted(event.modules, key=lambda m: (m.start, m.id or 0))
    ]


def _moment(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _when(moment: datetime) -> str:
    return date_format(moment, "%a %d %b %H:%M")


def clean_modules(
    session: Session,
    rows: list[Values],
    start: datetime | None,
    end: datetime | None,
    problems: dict[str, str],
    *,
    recurring: bool = False,
) -> list[Values]:
    """The modules as they will be stored; what is wrong goes into ``problems``
    under ``modules`` (the editor shows it above the modules)."""
    if not rows:
        return []
    if recurring:
        problems[MODULES] = (
            "A course that repeats cannot be split into modules yet: "
            "give it modules on an occurrence of its own, or stop it repeating."
        )
        return []
    cleaned: list[Values] = []
    for number, row in enumerate(rows, start=1):
        low, high = _moment(row.get("start")), _moment(row.get("end"))
        name = (row.get("title") or "").strip() or f"Module {number}"
        if low is None or high is None:
            problems[MODULES] = f"{name}: give its start and end (YYYY-MM-DD HH:MM)."
            return []
        if high <= low:
            problems[MODULES] = f"{name} must end after it starts."
            return []
        if start is not None and end is not None and (low < start or high > end):
            problems[MODULES] = (
                f"{name} ({_when(low)} – {_when(high)}) lies outside the event "
                f"({_when(start)} – {_when(end)}): move it inside, or the event's dates."
            )
            return []
        venue = row.get("venue") or None
        if (
            venue is not None
            and session.scalar(select(Venue.id).where(Venue.uuid == venue)) is None
        ):
            problems[MODULES] = f"{name}: choose its venue from the list."
            return []
        staff = list(dict.fromkeys(row.get("staff") or []))
        known = set(session.scalars(select(Instructor.uuid).where(Instructor.uuid.in_(staff))))
        if len(known) != len(staff):
            problems[MODULES] = f"{name}: choose its people from the list."
            return []
        cleaned.append(
            {
                "uuid": row.get("uuid") or None,
                "title": (row.get("title") or "").strip() or None,
                "start": low,
                "end": high,
                "venue": venue,
                "staff": staff,
            }
        )
    cleaned.sort(key=lambda m: m["start"])
    for before, after in itertools.pairwise(cleaned):
        if after["start"] < before["end"]:
            first = before["title"] or "A module"
            second = after["title"] or "the next one"
            problems[MODULES] = (
                f"{first} and {second} overlap ({_when(after['start'])}): the units "
                "cannot be in two places at once."
            )
            return []
    return cleaned


def assign_modules(session: Session, event: TrainingEvent, rows: list[Values]) -> None:
    """Make the event's modules ``rows`` (cleaned): kept by uuid, others replaced."""
    current = {module.uuid: module for module in event.modules}
    kept: list[EventModule] = []
    for row in rows:
        module = current.get(row["uuid"]) if row.get("uuid") else None
        if module is None:
            module = EventModule()
            if row.get("uuid"):
                module.uuid = row["uuid"]
        module.title = row["title"]
        module.start, module.end = row["start"], row["end"]
        venue = row["venue"]
        module.venue = (
            session.scalar(select(Venue).where(Venue.uuid == venue)) if venue is not None else None
        )
        people = {p.instructor.uuid: p for p in module.staff}
        staff = []
        for uuid in row["staff"]:
            found = people.get(uuid)
            if found is None:
                person = session.scalar(select(Instructor).where(Instructor.uuid == uuid))
                assert person is not None  # checked by clean_modules
                found = ModuleInstructor(instructor=person, role=person.role)
            staff.append(found)
        module.staff = staff
        kept.append(module)
    event.modules = kept


def shift_modules(event: TrainingEvent, delta: timedelta) -> None:
    """Move the event's modules with it (a drag, a move to another date)."""
    for module in event.modules:
        module.start += delta
        module.end += delta
