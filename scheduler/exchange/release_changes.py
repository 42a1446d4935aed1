"""What changed for a partner since the schedule last sent to it.

A Release keeps a snapshot of the events it contained (uuid, ref, course,
start, end, status, venue). Comparing that snapshot with what a new release
contains lists the events added, moved, cancelled, withdrawn or otherwise
changed, which is what a partner's staff look for first. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.exchange.partner_language import ENGLISH, Wording
from scheduler.exchange.rows import EventRow, modules_text

ADDED, MOVED, CANCELLED, WITHDRAWN, CHANGED = "Added", "Moved", "Cancelled", "Withdrawn", "Changed"
_ORDER = {ADDED: 0, MOVED: 1, CANCELLED: 2, WITHDRAWN: 3, CHANGED: 4}


def snapshot_entry(row: EventRow) -> dict[str, str]:
    return event_entry(
        row.uuid,
        row.ref,
        row.course_code,
        row.course_title,
        row.start,
        row.end,
        row.status,
        row.venue_name,
        modules_text(row.modules),
    )


def event_entry(
    uuid: str,
    ref: str,
    course_code: str,
    course_title: str,
    start: datetime,
    end: datetime,
    status: str,
    venue: str | None,
    modules: str = "",
) -> dict[str, str]:
    """One event as a release's snapshot keeps it: the one shape both the
    workbook and "releases due" compare, so they count the same changes.
    ``modules`` (``rows.modules_text``) is kept only for an event with some,
    so snapshots of events without modules are as they always were."""
    entry = {
        "uuid": uuid,
        "ref": ref,
        "course": course_code,
        "title": course_title,
        "start": start.isoformat(timespec="minutes"),
        "end": end.isoformat(timespec="minutes"),
        "status": status,
        "venue": venue or "",
    }
    if modules:
        entry["modules"] = modules
    return entry


@dataclass(frozen=True, slots=True)
class Change:
    kind: str
    ref: str
    course: str
    was: str
    now: str
    detail: str


def _when(entry: dict[str, str]) -> str:
    start = entry.get("start", "").replace("T", " ")
    end = entry.get("end", "").replace("T", " ")
    venue = entry.get("venue", "")
    text = f"{start} – {end}"
    return f"{text}, {venue}" if venue else text


def _overlaps(entry: dict[str, str], first: date | None, last: date | None) -> bool:
    try:
        start = datetime.fromisoformat(entry["start"])
        end = datetime.fromisoformat(entry["end"])
    except (KeyError, ValueError):
        return True
    if first is not None and end <= datetime.combine(first, datetime.min.time()):
        return False
    return not (
        last is not None
        and start >= datetime.combine(last + timedelta(days=1), datetime.min.time())
    )


@dataclass(frozen=True, slots=True)
class SentRelease:
    """One earlier release to a partner: the period it covered and its events."""

    released_at: datetime
    first: date | None
    last: date | None
    snapshot: list[dict[str, str]]


def known_to_partner(releases: Iterable[SentRelease]) -> list[dict[str, str]]:
    """What a partner holds of each event after ``releases`` (oldest first).

    Each release replaces what the partner knew of the events it contains,
    and withdraws those it covered (by period) and left out; events outside
    its period keep what an earlier release said. Comparing against the
    last release alone told a partner, after a release of one quarter, that
    every other event of the year was new.
    """
    known: dict[str, dict[str, str]] = {}
    for release in releases:
        sent = {entry["uuid"]: entry for entry in release.snapshot if "uuid" in entry}
        for uuid in [
            uuid
            for uuid, entry in known.items()
            if uuid not in sent and _overlaps(entry, release.first, release.last)
        ]:
            del known[uuid]
        known.update(sent)
    return list(known.values())


def describe_releases(
    periods: Iterable[tuple[datetime, date | None, date | None]],
    wording: Wording = ENGLISH,
) -> str:
    """``the releases of 2027-01-05 (all dates) and 2027-02-01 (2027-04-01 to 2027-06-30)``:
    what a partner's changes sheet compares with, so a staff officer knows
    which earlier files it assumes they hold; in the partner's language with
    ``wording`` (English where it has no words for it)."""

    def say(english: str, **values: str) -> str:
        return wording.local(english, **values) or english.format(**values)

    parts = []
    for released_at, first, last in periods:
        if first is None and last is None:
            covered = say("all dates")
        else:
            covered = say(
                "{first} to {last}",
                first=first.isoformat() if first else "…",
                last=last.isoformat() if last else "…",
            )
        parts.append(f"{released_at:%Y-%m-%d} ({covered})")
    if not parts:
        return ""
    if len(parts) == 1:
        return say("the release of {release}", release=parts[0])
    return say(
        "the releases of {releases} and {last}", releases=", ".join(parts[:-1]), last=parts[-1]
    )


def changes_since(
    previous: Iterable[dict[str, str]],
    current: Iterable[dict[str, str]],
    *,
    first: date | None = None,
    last: date | None = None,
) -> list[Change]:
    """Differences between two snapshots, limited to the period now exported."""
    before = {e["uuid"]: e for e in previous if "uuid" in e and _overlaps(e, first, last)}
    found: list[Change] = []
    seen: set[str] = set()
    for entry in current:
        uuid = entry["uuid"]
        seen.add(uuid)
        course = f"{entry['course']} {entry['title']}"
        old = before.get(uuid)
        if old is None:
            found.append(
                Change(ADDED, entry["ref"], course, "", _when(entry), "New in this release")
            )
            continue
        if entry["status"] == "cancelled" and old.get("status") != "cancelled":
            found.append(
                Change(CANCELLED, entry["ref"], course, _when(old), "", "Will not take place")
            )
            continue
        moved = [
            what
            for what, key in (("start", "start"), ("end", "end"), ("venue", "venue"))
            if old.get(key) != entry[key]
        ]
        if old.get("modules", "") != entry.get("modules", ""):
            moved.append("days or places of its modules")
        if moved:
            found.append(
                Change(
                    MOVED, entry["ref"], course, _when(old), _when(entry), "New " + ", ".join(moved)
                )
            )
        elif old.get("status") != entry["status"] or old.get("course") != entry["course"]:
            details = []
            if old.get("status") != entry["status"]:
                details.append(f"status {old.get('status', '?')} → {entry['status']}")
            if old.get("course") != entry["course"]:
                details.append(f"course {old.get('course', '?')} → {entry['course']}")
            found.append(
                Change(CHANGED, entry["ref"], course, _when(old), _when(entry), "; ".join(details))
            )
    for uuid, old in before.items():
        if uuid not in seen and old.get("status") != "cancelled":
            course = f"{old.get('course', '')} {old.get('title', '')}".strip()
            found.append(
                Change(
                    WITHDRAWN,
                    old.get("ref", ""),
                    course,
                    _when(old),
                    "",
                    "No longer in your schedule (removed, or no longer for your units)",
                )
            )
    found.sort(key=lambda c: (_ORDER[c.kind], c.ref))
    return found
