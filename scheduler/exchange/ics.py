"""iCalendar (RFC 5545) export: one VEVENT per event, or one per series.

Partners and instructors subscribe or import these into Outlook, Google or
Thunderbird. What matters there: UIDs that stay the same from one export to
the next (taken from the records' uuids) so a re-import updates instead of
duplicating; times in the venue's own zone with its VTIMEZONE; and a series
sent as one RRULE with EXDATEs for missing occurrences and RECURRENCE-ID
overrides for the ones that differ, so that expanding the file gives exactly
the events of the matching Schedule sheet. Internal notes are never written.

A re-import replaces what the partner has only if the calendar program sees a
newer revision (RFC 5545 3.8.7.4; RFC 5546 2.1.5): SEQUENCE grows with every
change, DTSTAMP is when the file was written (METHOD:PUBLISH) and breaks
ties, LAST-MODIFIED is when the record last changed. A single event's
SEQUENCE is its ``version_id`` - 1. Every VEVENT of a series (the RRULE one
and its RECURRENCE-ID ones) carries the same SEQUENCE, as several programs
drop an override older than its master. No stored counter covers a series
and all its occurrences (a deleted occurrence takes its edits with it), so a
series' SEQUENCE is the whole seconds from 2020 to its latest change, of the
series row or any occurrence: it never falls, and two revisions within one
second tie and are told apart by DTSTAMP, as RFC 5546 says. Cancelled
events are written with STATUS:CANCELLED so the partner's calendar shows them so.

Written as a stream (calendar header, time zones, then events) so a large
calendar does not sit in memory as one object. Formats only: the rows, their
records' versions and times, the series' rules and the time zones in use are
read by ``scheduler.services.export_rows`` and handed over as plain values;
the SEQUENCE rules above are applied here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Event, Timezone, vRecur, vText

from scheduler import __version__
from scheduler.exchange.output import PendingFile, write_error
from scheduler.exchange.rows import (
    EventRow,
    RecordTimes,
    SeriesRow,
    ZoneSpan,
    join_staff,
    join_units,
)
from scheduler.planning.recurrence import RecurrenceError, parse_rule, to_rrule
from scheduler.progress import Progress, ProgressCallback

UID_DOMAIN = "training-scheduler"
_ICS_STATUS = {
    "draft": "TENTATIVE",
    "planned": "TENTATIVE",
    "confirmed": "CONFIRMED",
    "delivered": "CONFIRMED",
    "cancelled": "CANCELLED",
}


def uid_for(uuid: str) -> str:
    return f"{uuid}@{UID_DOMAIN}"


@dataclass(frozen=True, slots=True)
class Revision:
    """How often and when a VEVENT's record(s) changed: SEQUENCE, CREATED, LAST-MODIFIED."""

    sequence: int
    created: datetime
    modified: datetime


Revised = tuple[EventRow, Revision]


@dataclass(frozen=True, slots=True)
class SeriesFacts:
    uuid: str
    rrule: str
    dtstart: datetime
    revision: Revision


# Series SEQUENCEs count seconds from here (the records' UTC times are naive).
SEQUENCE_EPOCH = datetime(2020, 1, 1)


def _utc_text(moment: datetime) -> str:
    """A UTC timestamp (stored without tzinfo) as an iCalendar UTC DATE-TIME."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


def _fold(line: bytes, limit: int = 75) -> bytes:
    """RFC 5545 line folding: at most 75 octets a line, never inside a UTF-8 character."""
    parts: list[bytes] = []
    while len(line) > limit:
        cut = limit
        while cut > 0 and (line[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(line[:cut])
        line = line[cut:]
        limit = 74  # continuation lines start with a space
    parts.append(line)
    return b"\r\n ".join(parts)


def _zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _local(moment: datetime, zone_name: str | None) -> datetime:
    """A wall time with its venue zone attached (floating when the zone is unknown)."""
    zone = _zone(zone_name)
    return moment.replace(tzinfo=zone) if zone is not None else moment


class _Writer:
    def __init__(self, handle: IO[bytes], *, partner_facing: bool, marking: str) -> None:
        self.handle = handle
        self.partner_facing = partner_facing
        self.marking = marking
        self.stamp = _utc_text(datetime.now(UTC))
        self.components = 0

    def line(self, text: str) -> None:
        self.handle.write(text.encode("utf-8") + b"\r\n")

    def property(self, name: str, value: str) -> None:
        """A calendar-level text property, escaped and folded as RFC 5545 wants."""
        text = vText(value).to_ical().decode("utf-8")
        self.handle.write(_fold(f"{name}:{text}".encode()) + b"\r\n")

    def component(self, component: Event | Timezone, head: bytes = b"") -> None:
        """Write a component; ``head`` holds ready content lines put right after its BEGIN."""
        data = component.to_ical()
        if head:
            begin = data.index(b"\r\n") + 2
            data = data[:begin] + head + data[begin:]
        self.handle.write(data)
        self.components += 1

    def description(self, row: EventRow) -> str:
        lines = [
            self.marking,
            f"Ref: {row.ref}",
            f"Course: {row.course_code} {row.course_title}",
            f"Status: {row.status.capitalize()}",
        ]
        if row.audience:
            lines.append("Units: " + join_units(row.audience, with_seats=not self.partner_facing))
            if self.partner_facing:
                lines.append(f"Seats: {row.seats}")
        staff = join_staff(row.staff, releasable_only=self.partner_facing)
        if staff:
            lines.append(f"Instructors: {staff}")
        for module in row.modules:
            # Where to be on which day: a course held in parts, each its own place.
            place = ", ".join(p for p in (module.venue_name, module.venue_location) if p)
            people = join_staff(module.staff, releasable_only=self.partner_facing)
            lines.append(
                f"{module.title}: {module.start:%a %d %b %H:%M} – {module.end:%a %d %b %H:%M}"
                + (f", {place}" if place else "")
                + (f" ({people})" if people else "")
            )
        if row.partner_remarks:
            lines.append(f"Remarks: {row.partner_remarks}")
        return "\n".join(lines)

    def event(
        self,
        row: EventRow,
        uid: str,
        revision: Revision,
        *,
        start: datetime | None = None,
        recurrence_id: datetime | None = None,
        rrule: str | None = None,
        exdates: Iterable[datetime] = (),
    ) -> None:
        vevent = Event()
        vevent.add("uid", uid)
        begin = start or row.start
        vevent.add("dtstart", _local(begin, row.time_zone))
        vevent.add("dtend", _local(begin + (row.end - row.start), row.time_zone))
        if recurrence_id is not None:
            vevent.add("recurrence-id", _local(recurrence_id, row.time_zone))
        if rrule is not None:
            vevent.add("rrule", vRecur.from_ical(rrule))
        for moment in exdates:
            vevent.add("exdate", _local(moment, row.time_zone))
        summary = f"{row.course_code} {row.course_title}"
        vevent.add("summary", summary)
        location = ", ".join(p for p in (row.venue_name, row.venue_location) if p)
        if location:
            vevent.add("location", location)
        vevent.add("description", self.description(row))
        vevent.add("status", _ICS_STATUS.get(row.status, "TENTATIVE"))
        vevent.add("categories", [row.category])
        vevent.add("class", "CONFIDENTIAL" if self.partner_facing else "PRIVATE")
        # Fixed-format ASCII lines, well short of the 75-octet fold, written
        # directly: added through icalendar they made the export a third slower.
        stamps = (
            f"DTSTAMP:{self.stamp}\r\n"
            f"SEQUENCE:{revision.sequence}\r\n"
            f"CREATED:{_utc_text(revision.created)}\r\n"
            f"LAST-MODIFIED:{_utc_text(revision.modified)}\r\n"
        )
        self.component(vevent, stamps.encode("ascii"))


def _signature(row: EventRow) -> tuple[object, ...]:
    """What an occurrence shares with its series' master VEVENT when it is regular."""
    return (
        row.end - row.start,
        row.venue_name,
        row.venue_location,
        row.time_zone,
        row.status,
        row.course_code,
        row.partner_remarks,
        row.audience,
        row.staff,
    )


def _write_series(
    writer: _Writer, series: SeriesFacts, rows: list[EventRow], own: dict[int, Revision]
) -> None:
    """One RRULE VEVENT with EXDATEs, plus RECURRENCE-ID VEVENTs for the odd ones.

    ``own`` is each row's revision, for the occurrences written on their own.
    """
    try:
        rule = parse_rule(series.rrule)
        rids = [row.recurrence_id or row.start for row in rows]
        expansion = to_rrule(series.rrule, series.dtstart).between(min(rids), max(rids), inc=True)
    except (RecurrenceError, ValueError, TypeError):
        for row in rows:
            writer.event(row, uid_for(row.uuid), own[row.id])
        return
    rule_starts = set(expansion)
    in_rule = [r for r, rid in zip(rows, rids, strict=True) if rid in rule_starts]
    for row, rid in zip(rows, rids, strict=True):
        if rid not in rule_starts:
            writer.event(row, uid_for(row.uuid), own[row.id])  # no longer on the rule: on its own
    if len(in_rule) < 2:
        for row in in_rule:
            writer.event(row, uid_for(row.uuid), own[row.id])
        return
    regular = [r for r in in_rule if not r.is_override and (r.recurrence_id in (None, r.start))]
    counts = Counter(_signature(r) for r in regular)
    template_signature = counts.most_common(1)[0][0] if counts else None
    template = next((r for r in regular if _signature(r) == template_signature), in_rule[0])
    selected: dict[datetime, EventRow] = {(r.recurrence_id or r.start): r for r in in_rule}
    first, last = min(selected), max(selected)
    zone = _zone(template.time_zone)
    until = last.replace(tzinfo=zone).astimezone(UTC) if zone is not None else last
    rrule_text = replace(rule, count=None, until=until).to_text()
    # Deleted occurrences (and those of other partners) are missing from the
    # rows: an EXDATE each, so the partner's calendar drops them.
    exdates = [moment for moment in expansion if moment not in selected]
    uid = uid_for(series.uuid)
    revision = series.revision
    writer.event(template, uid, revision, start=first, rrule=rrule_text, exdates=exdates)
    for rid, row in sorted(selected.items()):
        covered = (
            _signature(row) == template_signature
            and row.start == rid
            and not row.is_override
            and row.time_zone == template.time_zone
        )
        if not covered:
            writer.event(row, uid, revision, recurrence_id=rid)


def series_sequence(modified: datetime) -> int:
    """A series' SEQUENCE: whole seconds from 2020 to its latest change (fits
    the 32-bit integer calendar programs keep until 2088)."""
    return max(0, int((modified - SEQUENCE_EPOCH).total_seconds()))


def event_revision(times: RecordTimes) -> Revision:
    """A single event's revision: its SEQUENCE is its ``version_id`` - 1."""
    return Revision(max(times.version - 1, 0), times.created, times.updated)


def series_facts(series: SeriesRow) -> SeriesFacts:
    """A series' rule and revision (its SEQUENCE counts seconds, see the module's note)."""
    revision = Revision(series_sequence(series.modified), series.created, series.modified)
    return SeriesFacts(series.uuid, series.rrule, series.dtstart, revision)


def _zones_and_years(spans: Iterable[ZoneSpan]) -> tuple[list[str], date, date]:
    """The zones to describe (those this machine knows) and the years they must cover."""
    zones: list[str] = []
    first, last = date.max, date.min
    for name, low, high in spans:
        if name and _zone(name) is not None:
            zones.append(name)
            first, last = min(first, low.date()), max(last, high.date())
    if not zones:
        return [], date.today(), date.today()
    return sorted(zones), first, last


def _grouped(
    rows: Iterable[tuple[EventRow, RecordTimes]],
) -> Iterator[Revised | list[Revised]]:
    """Single events as they come; each series' selected occurrences together, last."""
    series: dict[int, list[Revised]] = {}
    for row, times in rows:
        item = (row, event_revision(times))
        if row.series_id is None:
            yield item
        else:
            series.setdefault(row.series_id, []).append(item)
    yield from series.values()


def write_calendar(
    target: Path,
    rows: Iterable[tuple[EventRow, RecordTimes]],
    *,
    plan_name: str,
    total: int,
    zones: Iterable[ZoneSpan],
    series: Iterable[SeriesRow],
    partner_facing: bool,
    marking: str,
    progress: ProgressCallback | None = None,
) -> int:
    """Write the events ``rows`` (in start order, each with its record's
    times; a stream) to an .ics file; returns ``total``, how many they are.

    ``series`` holds the rule of every series the rows belong to; ``zones``
    the time zones of their venues.
    """
    ticker = Progress(progress, total + 1)
    zone_names, first, last = _zones_and_years(zones)
    rules = {item.id: series_facts(item) for item in series}
    with PendingFile(target) as pending:
        try:
            with pending.temp.open("wb") as handle:
                writer = _Writer(handle, partner_facing=partner_facing, marking=marking)
                writer.line("BEGIN:VCALENDAR")
                writer.line("VERSION:2.0")
                writer.line(f"PRODID:-//Training Scheduler//{__version__}//EN")
                writer.line("CALSCALE:GREGORIAN")
                writer.line("METHOD:PUBLISH")
                writer.property("X-WR-CALNAME", f"Training — {plan_name}")
                writer.property("X-WR-CALDESC", marking)
                for zone in zone_names:
                    writer.component(
                        Timezone.from_tzid(
                            zone,
                            first_date=date(first.year - 1, 1, 1),
                            last_date=date(last.year + 2, 1, 1),
                        )
                    )
                pending_series: list[list[Revised]] = []
                for item in _grouped(rows):
                    if isinstance(item, list):
                        pending_series.append(item)
                        continue
                    row, revision = item
                    writer.event(row, uid_for(row.uuid), revision)
                    ticker.advance()
                for group in pending_series:
                    series_id = group[0][0].series_id
                    own = {row.id: revision for row, revision in group}
                    if series_id in rules:
                        _write_series(writer, rules[series_id], [row for row, _ in group], own)
                    else:
                        for row, revision in group:
                            writer.event(row, uid_for(row.uuid), revision)
                    ticker.advance(len(group))
                writer.line("END:VCALENDAR")
        except OSError as exc:
            raise write_error(target, exc) from exc
        ticker.finish()
        pending.publish()
    return total
