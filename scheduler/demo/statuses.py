"""Where each demo event stands on the plan's "as of" day, and what the
planners wrote about it.

The demo plan lies in the future, so "past" is measured against an as-of
day a few months into it: what ended before is delivered (with attendance),
what starts soon is confirmed, what lies far ahead is still a draft. That
gives the readiness and release views something delivered to show.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from scheduler.model.enums import EventStatus

if TYPE_CHECKING:
    from scheduler.demo.placement import Placement

PARTNER_REMARKS: tuple[str, ...] = (
    "Joining instructions sent to the unit; nominations by {due:%d %b %Y}, please.",
    "Trainees bring their personal kit and identity cards.",
    "Transport from the unit's barracks is arranged by the host nation.",
    "Lunch is provided on site.",
    "Ве молиме потврдете ги имињата на учесниците до {due:%d.%m.%Y}.",
    "Ju lutemi konfirmoni emrat e pjesëmarrësve deri më {due:%d.%m.%Y}.",
    "Molimo potvrdite spisak polaznika do {due:%d.%m.%Y}.",
    "Молимо потврдите списак полазника до {due:%d.%m.%Y}.",
    "Course material is in English; glossaries in the local language are handed out.",
)

INTERNAL_NOTES: tuple[str, ...] = (
    "Interpreter booked through the embassy contract.",
    "Range safety brief on day one; ambulance cover requested.",
    "Check accommodation numbers with the host two weeks out.",
    "Partner asked for a shorter course; kept the standard length.",
    "Funding line: Conflict, Stability and Security Fund.",
    "Vehicles to be signed out from the host's transport section.",
    "Nominee list still incomplete — chase the liaison officer.",
)

OUTCOMES: tuple[str, ...] = (
    "All trainees assessed competent.",
    "Two trainees withdrew (injury); the rest passed.",
    "Good standard; recommend two trainees for the instructor course.",
    "Weather cut the field phase short by half a day.",
)

CANCEL_REMARKS: tuple[str, ...] = (
    "Cancelled at the partner's request: the unit is committed to a national exercise.",
    "Cancelled: too few nominations; the course will be offered again.",
    "Cancelled: venue unavailable after flooding.",
)


def settle(placement: Placement, rng: random.Random, as_of: date, cancellable: bool) -> None:
    """Set status, attendance and remarks from the event's dates."""
    first = date.fromordinal(placement.first)
    last = date.fromordinal(placement.last)
    seats = placement.seats
    roll = rng.random()
    if placement.protected:
        placement.status = EventStatus.PLANNED if roll < 0.6 else EventStatus.CONFIRMED
    elif last < as_of:
        if cancellable and roll < 0.03:
            placement.status = EventStatus.CANCELLED
        else:
            placement.status = EventStatus.DELIVERED
            placement.attended = max(0, seats - rng.randint(0, max(1, seats // 8)))
            placement.passed = max(0, placement.attended - rng.randint(0, placement.attended // 8))
            if rng.random() < 0.3:
                placement.outcome = rng.choice(OUTCOMES)
    elif cancellable and roll < 0.025:
        placement.status = EventStatus.CANCELLED
    elif first <= as_of + timedelta(days=42):
        placement.status = EventStatus.CONFIRMED if roll < 0.85 else EventStatus.PLANNED
    elif first <= as_of + timedelta(days=150):
        placement.status = (
            EventStatus.PLANNED
            if roll < 0.7
            else EventStatus.CONFIRMED
            if roll < 0.85
            else EventStatus.DRAFT
        )
    else:
        placement.status = EventStatus.DRAFT if roll < 0.45 else EventStatus.PLANNED

    if placement.status is EventStatus.CANCELLED:
        placement.partner_remarks = rng.choice(CANCEL_REMARKS)
    elif placement.partner_remarks is None and rng.random() < 0.25:
        due = first - timedelta(days=21)
        placement.partner_remarks = rng.choice(PARTNER_REMARKS).format(due=due)
    if rng.random() < 0.15:
        placement.notes.append(rng.choice(INTERNAL_NOTES))
