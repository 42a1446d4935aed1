"""Recurring events: make a series, change its rule, move one, the following or all.

Occurrences are stored rows (docs/decisions.md), so every operation here
edits a handful of events and the EventSeries row in one transaction.
Moving one occurrence on its own makes it an override (kept when the series
is regenerated); "this and following" splits the series in two at that
occurrence, as calendar programs do (RFC 5545 has no other way to change a
rule from a date on); "all" shifts the rule's anchor, its weekdays and its
exceptions with the events.

Undo: ``capture`` takes the state of some series and events (fields,
children, series membership) and ``restore`` brings the database back to
it, deleting what was created meanwhile, keeping uuids and refs (partners
know events by ref).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import EventSeries, Nation, TrainingEvent, Unit, Venue
from scheduler.planning.recurrence import (
    RecurrenceRule,
    Series,
    expand,
    parse_rule,
    validate_exdates,
)
from scheduler.planning.workdays import WorkingCalendar
from scheduler.services import records
from scheduler.services.changes import Changes
from scheduler.services.entity_specs import spec_for
from scheduler.services.event_modules import MODULES
from scheduler.services.event_moves import host_calendar, move_event
from scheduler.services.plan_calendars import place_calendar
from scheduler.services.records import Values

EVENT = spec_for("event")
# An open-ended rule is materialised this far ahead of its start; the
# planner extends it by editing the rule later.
OPEN_ENDED = timedelta(days=366)
MAX_OCCURRENCES = 520


class Scope(StrEnum):
    """Which occurrences of a series an edit applies to."""

    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass(frozen=True, slots=True)
class SeriesResult:
    changes: Changes
    series_uuids: tuple[str, ...] = ()
    event_uuids: tuple[str, ...] = ()


# --- undo snapshots -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Slice:
    """Some series and events as they were: uuid -> values."""

    series: dict[str, Values] = field(default_factory=dict)
    events: dict[str, Values] = field(default_factory=dict)


def _series_by_uuid(session: Session, uuid: str) -> EventSeries | None:
    return session.scalar(select(EventSeries).where(EventSeries.uuid == uuid))


def _event(session: Session, uuid: str) -> TrainingEvent:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
    if event is None:
        raise UserError("This event no longer exists (another planner may have deleted it).")
    return event


def event_state(session: Session, event: TrainingEvent) -> Values:
    """An event's editable values plus its place in a series (``_series``,
    ``_recurrence_id``, ``_is_override``: see ``series_membership.place_of``)."""
    return records.snapshot(session, EVENT, event.uuid)


def capture(
    session: Session, series_uuids: tuple[str, ...] = (), event_uuids: tuple[str, ...] = ()
) -> Slice:
    """The named series (with all their events) and the named events, as they are now."""
    found = Slice()
    for uuid in series_uuids:
        series = _series_by_uuid(session, uuid)
        if series is None:
            continue
        found.series[uuid] = {
            "rrule": series.rrule,
            "dtstart": series.dtstart,
            "exdates": list(series.exdates or []),
        }
        for member in series.events:
            found.events[member.uuid] = event_state(session, member)
    for uuid in event_uuids:
        event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
        if event is not None and uuid not in found.events:
            found.events[uuid] = event_state(session, event)
    return found


def restore(session: Session, target: Slice, other: Slice) -> Changes:
    """Make the records named in ``target`` or ``other`` be as in ``target``.

    What only ``other`` holds (created after ``target`` was taken) is deleted.
    """
    ids: set[int] = set()
    for uuid in other.events.keys() - target.events.keys():
        event = session.scalar(select(TrainingEvent).where(TrainingEvent.uuid == uuid))
        if event is not None:
            ids.add(event.id)
            session.delete(event)
    session.flush()
    for loaded in list(session.identity_map.values()):
        if isinstance(loaded, EventSeries):  # its loaded list still holds the deleted rows
            session.expire(loaded, ["events"])
    for uuid in other.series.keys() - target.series.keys():
        series = _series_by_uuid(session, uuid)
        if series is not None:
            session.delete(series)
    by_uuid: dict[str, EventSeries] = {}
    for uuid, values in target.series.items():
        series = _series_by_uuid(session, uuid)
        if series is None:
            series = EventSeries(uuid=uuid)
            session.add(series)
        series.rrule = values["rrule"]
        series.dtstart = values["dtstart"]
        series.exdates = list(values["exdates"])
        by_uuid[uuid] = series
    session.flush()
    for uuid, state in target.events.items():
        plain = {k: v for k, v in state.items() if not k.startswith("_")}
        if session.scalar(select(TrainingEvent.id).where(TrainingEvent.uuid == uuid)) is None:
            records.create(session, EVENT, plain, uuid=uuid)
        else:
            records.update(session, EVENT, uuid, plain)
        event = _event(session, uuid)
        series_uuid = state["_series"]
        event.series = (
            by_uuid.get(series_uuid) or _series_by_uuid(session, series_uuid)
            if series_uuid
            else None
        )
        event.recurrence_id = state["_recurrence_id"]
        event.is_override = state["_is_override"]
        session.flush()
        ids.add(event.id)
    return Changes.of("event", "series", event_ids=frozenset(ids))


# --- rules --------------------------------------------------------------------


def shift_rule(rule: RecurrenceRule, days: int) -> RecurrenceRule:
    """The rule moved by ``days``: weekdays, month days and UNTIL follow the events."""
    byday = tuple(((d + days) % 7, n) for d, n in rule.byday)
    bymonthday = rule.bymonthday
    if bymonthday and all(1 <= n <= 28 for n in bymonthday):
        bymonthday = tuple(sorted(((n - 1 + days) % 28) + 1 for n in bymonthday))
    until = rule.until + timedelta(days=days) if rule.until is not None else None
    return replace(rule, byday=byday, bymonthday=bymonthday, until=until)


def _length(calendar: WorkingCalendar, start: datetime, end: datetime) -> int:
    last = (end - timedelta(microseconds=1)).date() if end > start else start.date()
    return max(len(calendar.working_days_in(start.date(), last)), 1)


def _placed(
    calendar: WorkingCalendar, start: datetime, length: int, end_time: time
) -> tuple[datetime, datetime]:
    first = calendar.next_working_day(start.date())
    last = calendar.end_date(first, length)
    return datetime.combine(first, start.time()), datetime.combine(last, end_time)


def occurrence_starts(rule: str, dtstart: datetime, exdates: list[str]) -> list[datetime]:
    """The starts a series materialises: its rule from ``dtstart``, exceptions removed,
    an open-ended rule up to ``OPEN_ENDED`` ahead, at most ``MAX_OCCURRENCES``."""
    series = Series(rule, dtstart, timedelta(seconds=1), validate_exdates(exdates))
    parsed = parse_rule(rule)
    horizon = dtstart + OPEN_ENDED
    if parsed.until is not None:
        until = parsed.until
        horizon = (
            until + timedelta(seconds=1)
            if isinstance(until, datetime)
            else datetime.combine(until + timedelta(days=1), time())
        )
    if parsed.count is not None:
        horizon = dtstart + timedelta(days=366 * 20)
    return [o.start for o in expand(series, dtstart, horizon)][:MAX_OCCURRENCES]


def _materialise(
    session: Session, series: EventSeries, template: Values, keep: set[datetime]
) -> list[str]:
    """Create the series' missing occurrences as copies of ``template``."""
    calendar = calendar_for_values(session, template)
    start, end = template["start"], template["end"]
    length = _length(calendar, start, end)
    made = []
    for moment in occurrence_starts(series.rrule, series.dtstart, list(series.exdates or [])):
        if moment in keep:
            continue
        first, last = _placed(calendar, moment, length, end.time())
        values = event_copy(template)
        # Occurrences keep no modules: a series' modules are not planned yet
        # (the editor says so before saving one with them).
        values.update(start=first, end=last, modules=[])
        saved = records.create(session, EVENT, values)
        event = _event(session, saved.uuid)
        event.series = series
        event.recurrence_id = moment
        made.append(saved.uuid)
    session.flush()
    return made


def event_copy(values: Values) -> Values:
    """A new event's values from an existing one's: same course, dates, people;
    a new uuid and ref, and nothing of how the original went."""
    copy = {k: v for k, v in values.items() if k not in ("uuid", "ref") and not k.startswith("_")}
    for child in (*(c.name for c in EVENT.children), MODULES):
        copy[child] = [
            {k: v for k, v in row.items() if k != "uuid"} for row in values.get(child, [])
        ]
    copy["attended"] = copy["passed"] = copy["outcome"] = None
    for cost in copy.get("costs", []):
        cost["actual"] = None  # what this run cost; the copy's costs are planned only
    return copy


def calendar_for_values(session: Session, values: Values) -> WorkingCalendar:
    """The host calendar of an event given by values (it may not exist yet):
    the venue's nation, else the first audience unit's (as ``host_calendar``)."""
    code: str | None = None
    region: str | None = None
    if values.get("venue"):
        found = session.execute(
            select(Nation.code, Venue.holiday_region)
            .join(Venue, Venue.nation_id == Nation.id)
            .where(Venue.uuid == values["venue"])
        ).first()
        if found is not None:
            code, region = found
    if code is None:
        units = [row["unit"] for row in values.get("audience", []) if row.get("unit")]
        if units:
            code = session.scalar(select(Nation.code).join(Unit).where(Unit.uuid == units[0]))
    return place_calendar(session, code, region)


def _check_rule(rule: str, exdates: list[str]) -> None:
    parse_rule(rule)  # RecurrenceError (a UserError) names the problem
    validate_exdates(exdates)


def create_series(session: Session, values: Values, rule: str, exdates: list[str]) -> SeriesResult:
    """A new event repeating by ``rule`` from its start: a series and its occurrences."""
    _check_rule(rule, exdates)
    clean = records.validate(session, EVENT, values)
    series = EventSeries(rrule=parse_rule(rule).to_text(), dtstart=clean["start"], exdates=exdates)
    session.add(series)
    session.flush()
    template = {**values, "start": clean["start"], "end": clean["end"]}
    made = _materialise(session, series, template, set())
    if not made:
        raise UserError("The rule gives no dates: check its end and the exceptions.")
    return _result(session, series, made)


def _result(session: Session, series: EventSeries, uuids: list[str]) -> SeriesResult:
    ids = frozenset(e.id for e in series.events)
    return SeriesResult(Changes.of("event", "series", event_ids=ids), (series.uuid,), tuple(uuids))


def set_rule(session: Session, event_uuid: str, rule: str, exdates: list[str]) -> SeriesResult:
    """Make an event repeat by ``rule``, or change the rule of its series.

    A single event becomes the first occurrence of a new series. In a series,
    occurrences that are not overrides and no longer match are removed, and
    missing ones are added as copies of this event; overrides stay.
    """
    _check_rule(rule, exdates)
    event = _event(session, event_uuid)
    text = parse_rule(rule).to_text()
    template = event_state(session, event)
    series = event.series
    if series is None:
        series = EventSeries(rrule=text, dtstart=event.start, exdates=list(exdates))
        session.add(series)
        session.flush()
        event.series = series
        event.recurrence_id = event.start
        session.flush()
    else:
        series.rrule = text
        series.exdates = list(exdates)
        session.flush()
    wanted = set(occurrence_starts(series.rrule, series.dtstart, list(series.exdates)))
    ids = {e.id for e in series.events}
    keep: set[datetime] = set()
    for other in list(series.events):
        rid = other.recurrence_id or other.start
        if other.uuid == event_uuid or other.is_override or rid in wanted:
            keep.add(rid)
        else:
            session.delete(other)
    session.flush()
    session.expire(series, ["events"])  # drop the deleted ones from the loaded list
    made = _materialise(session, series, template, keep)
    result = _result(session, series, made)
    return replace(result, changes=result.changes | Changes.of(event_ids=frozenset(ids)))


# --- moves --------------------------------------------------------------------


def move_occurrence(session: Session, uuid: str, first_day: date, scope: Scope) -> SeriesResult:
    """Move an occurrence to start on ``first_day``: alone, with the following, or all."""
    event = _event(session, uuid)
    series = event.series
    if series is None or scope is Scope.THIS:
        return SeriesResult(move_event(session, uuid, first_day), (), (uuid,))
    days = (first_day - event.start.date()).days
    rid = event.recurrence_id or event.start
    if scope is Scope.ALL:
        moved = list(series.events)
        series.rrule = shift_rule(parse_rule(series.rrule), days).to_text()
        series.dtstart = series.dtstart + timedelta(days=days)
        series.exdates = _shift_exdates(list(series.exdates or []), days)
        target = series
    else:
        moved = [e for e in series.events if (e.recurrence_id or e.start) >= rid]
        rule = parse_rule(series.rrule)
        before = [e for e in series.events if (e.recurrence_id or e.start) < rid]
        kept = [x for x in series.exdates or [] if x < rid.isoformat()]
        later = [x for x in series.exdates or [] if x >= rid.isoformat()]
        remaining = (
            replace(rule, count=max(rule.count - len(before), 1))
            if rule.count is not None
            else rule
        )
        series.rrule = replace(rule, count=None, until=rid - timedelta(seconds=1)).to_text()
        series.exdates = kept
        target = EventSeries(
            rrule=shift_rule(remaining, days).to_text(),
            dtstart=rid + timedelta(days=days),
            exdates=_shift_exdates(later, days),
        )
        session.add(target)
        session.flush()
    ids = set()
    for other in moved:
        calendar = host_calendar(session, other)
        length = _length(calendar, other.start, other.end)
        other.start, other.end = _placed(
            calendar, other.start + timedelta(days=days), length, other.end.time()
        )
        if other.recurrence_id is not None:
            other.recurrence_id = other.recurrence_id + timedelta(days=days)
        other.series = target
        ids.add(other.id)
    session.flush()
    if scope is Scope.FOLLOWING and not series.events:
        session.delete(series)
        session.flush()
    return SeriesResult(
        Changes.of("event", "series", event_ids=frozenset(ids)),
        tuple({series.uuid, target.uuid}),
        tuple(e.uuid for e in moved),
    )


def _shift_exdates(values: list[str], days: int) -> list[str]:
    shifted: list[str] = []
    for value in values:
        parsed: Any = (
            date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
        )
        shifted.append((parsed + timedelta(days=days)).isoformat())
    return shifted


def series_info(session: Session, event_uuid: str) -> tuple[str, str, datetime, list[str]] | None:
    """(series uuid, rule, dtstart, exdates) of the event's series, or None."""
    event = _event(session, event_uuid)
    if event.series is None:
        return None
    s = event.series
    return s.uuid, s.rrule, s.dtstart, list(s.exdates or [])


def mark_override(session: Session, uuid: str) -> None:
    """An occurrence edited on its own: kept as it is when the series is regenerated."""
    event = _event(session, uuid)
    if event.series_id is not None:
        event.is_override = True
        session.flush()


def detach(session: Session, uuid: str) -> Changes:
    """Take an occurrence out of its series (it becomes a single event)."""
    event = _event(session, uuid)
    series = event.series
    if series is not None and event.recurrence_id is not None:
        series.exdates = [*(series.exdates or []), event.recurrence_id.isoformat()]
    event.series = None
    event.recurrence_id = None
    event.is_override = False
    session.flush()
    return Changes.of("event", "series", event_ids=frozenset({event.id}))
