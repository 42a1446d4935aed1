"""Which partners should be sent their schedule again, and why.

A partner is due a release when what its workbook would hold now differs
from what the releases sent to it hold (each event as last sent, whatever
period that release covered: ``export_rows.previous_release``; events added, moved, cancelled,
withdrawn or changed), or when it has events but was never sent any. The
partners are the nations with units on events and every partner code (a
nation or a unit) that has had a release.

The comparison is the partner workbook's own (``changes_since`` over
``snapshot_entry``-shaped entries), so "3 changes" here is what the next
workbook's "Changes" sheet will list. Events are read once for all
partners, as plain columns: a 100,000-event plan takes about a second,
which is why the dashboard calls this off the GUI thread.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.exchange.release_changes import (
    ADDED,
    CANCELLED,
    CHANGED,
    MOVED,
    WITHDRAWN,
    changes_since,
    event_entry,
)
from scheduler.exchange.rows import PARTNER_STATUSES, modules_text
from scheduler.model import EventAudience, Nation, Release, TrainingEvent, Unit
from scheduler.planning.readiness import unit_children, units_and_below
from scheduler.planning.wording import and_list, count_text, day_text
from scheduler.services.event_listing import STATUS_TEXT, event_listing, listed
from scheduler.services.export_rows import module_rows, modules_by_event, previous_release

_KIND_WORDS = {
    ADDED: "added",
    MOVED: "moved",
    CANCELLED: "cancelled",
    WITHDRAWN: "withdrawn",
    CHANGED: "changed",
}


@dataclass(frozen=True, slots=True)
class ReleaseDue:
    """A partner whose schedule changed since its last release (or was never sent)."""

    partner: str
    name: str
    last_release: datetime | None
    events: int
    changes: int
    # Change kind ("Added", "Moved", …) -> how many.
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def never_sent(self) -> bool:
        return self.last_release is None

    def reason(self) -> str:
        """``3 changes since 12 Mar 2027: 2 added and 1 moved``."""
        if self.last_release is None:
            return f"Never sent: {count_text(self.events, 'event')} to send."
        kinds = and_list(
            f"{self.by_kind[kind]} {word}"
            for kind, word in _KIND_WORDS.items()
            if kind in self.by_kind
        )
        since = day_text(self.last_release.date())
        return f"{count_text(self.changes, 'change')} since {since}: {kinds}."


def releases_due(session: Session) -> list[ReleaseDue]:
    """Partners due a release, never-sent ones first, then most changes first."""
    nations = {
        ident: (code, name)
        for ident, code, name in session.execute(select(Nation.id, Nation.code, Nation.name))
    }
    units = {
        ident: (code, name, nation_id, parent)
        for ident, code, name, nation_id, parent in session.execute(
            select(Unit.id, Unit.code, Unit.name, Unit.nation_id, Unit.parent_id)
        )
    }
    audience = _partner_audience(session)
    codes = session.scalars(select(Release.partner_code).distinct()).all()
    last = {code: known for code in codes if (known := previous_release(session, code))}

    # Partner code -> (name, the units it covers).
    partners: dict[str, tuple[str, set[int]]] = {}
    for unit_id, (_code, _name, nation_id, _parent) in units.items():
        nation_code, nation_name = nations[nation_id]
        partners.setdefault(nation_code, (nation_name, set()))[1].add(unit_id)
    with_events = {units[u][2] for unit_ids in audience.values() for u in unit_ids if u in units}
    wanted = {nations[n][0] for n in with_events} | set(last)
    children = unit_children((unit_id, unit[3]) for unit_id, unit in units.items())
    by_code = {code.upper(): unit_id for unit_id, (code, *_rest) in units.items()}
    for code in last:
        if code not in partners and code.upper() in by_code:
            unit_id = by_code[code.upper()]
            partners[code] = (units[unit_id][1], units_and_below((unit_id,), children))

    # Only partners sent a release before are compared event by event; the
    # others are counted (at 100,000 events that halves the read).
    released = {u for code in wanted & set(last) if code in partners for u in partners[code][1]}
    entries = _partner_entries(session, released) if released else {}
    found = []
    for code in sorted(wanted, key=str.casefold):
        if code not in partners:
            continue  # a release for a unit or nation since deleted
        name, unit_ids = partners[code]
        shown = [event_id for event_id, on_event in audience.items() if on_event & unit_ids]
        previous = last.get(code)
        if previous is None:
            if shown:
                found.append(ReleaseDue(code, name, None, len(shown), len(shown)))
            continue
        current = [entries[event_id] for event_id in shown if event_id in entries]
        current.sort(key=lambda e: (e["start"], e["ref"]))
        period_start = previous.periods[-1][1] if previous.periods else None
        if period_start is not None:
            # What ended before the last release's period is history, not news.
            since = datetime.combine(period_start, time()).isoformat(timespec="minutes")
            current = [e for e in current if e["end"] > since]
        changes = changes_since(previous.snapshot, current, first=period_start)
        if changes:
            kinds = Counter(c.kind for c in changes)
            found.append(
                ReleaseDue(
                    code, name, previous.released_at, len(current), len(changes), dict(kinds)
                )
            )
    found.sort(key=lambda r: (not r.never_sent, -r.changes, r.partner.casefold()))
    return found


def _partner_audience(session: Session) -> dict[int, set[int]]:
    """The units on each event a partner may see."""
    query = (
        select(EventAudience.event_id, EventAudience.unit_id)
        .join(TrainingEvent, TrainingEvent.id == EventAudience.event_id)
        .where(STATUS_TEXT.in_(sorted(PARTNER_STATUSES)))
    )
    audience: dict[int, set[int]] = {}
    for event_id, unit_id in session.execute(query):
        audience.setdefault(event_id, set()).add(unit_id)
    return audience


def _partner_entries(session: Session, unit_ids: set[int]) -> dict[int, dict[str, str]]:
    """The events a partner may see with one of these units on them, as
    release snapshot entries."""
    on_them = select(EventAudience.event_id).where(EventAudience.unit_id.in_(sorted(unit_ids)))
    where = STATUS_TEXT.in_(sorted(PARTNER_STATUSES)) & TrainingEvent.id.in_(on_them)
    listing = list(map(listed, session.connection().execute(event_listing(where=where))))
    modules = modules_by_event(session, [e.id for e in listing])
    return {
        e.id: event_entry(
            e.uuid,
            e.ref,
            e.course_code,
            e.course_title,
            e.start,
            e.end,
            e.status,
            e.venue,
            modules_text(module_rows(modules[e.id], e.venue, None, None, ()))
            if e.id in modules
            else "",
        )
        for e in listing
    }
