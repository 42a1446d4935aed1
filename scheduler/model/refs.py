"""Planner-visible event references such as ``MK-2027-014``.

The prefix is the host nation (the venue's, else the first audience unit's,
else ``XX``), then the start year, then a number counting up within that
prefix and year. A reference given explicitly (by an import, say) is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Mapper, Session

from scheduler.model.events import TrainingEvent
from scheduler.model.organisation import Unit
from scheduler.model.reference import Nation
from scheduler.model.resources import Venue

REF_PATTERN = re.compile(r"^(?P<prefix>[A-Z]{2}-\d{4})-(?P<number>\d+)$")
_COUNTERS_KEY = "scheduler.ref_counters"


def format_ref(nation_code: str, year: int, number: int) -> str:
    return f"{nation_code.upper()}-{year}-{number:03d}"


def highest_numbers(refs: Iterable[str]) -> dict[str, int]:
    """The highest number used so far for each ``NATION-YEAR`` prefix."""
    highest: dict[str, int] = {}
    for ref in refs:
        match = REF_PATTERN.match(ref)
        if match:
            prefix, number = match["prefix"], int(match["number"])
            if number > highest.get(prefix, 0):
                highest[prefix] = number
    return highest


class RefAllocator:
    """Hands out the next free reference per prefix, seeded from the plan once.

    Used directly by bulk writers (demo plans, imports) and, through the ORM
    hook below, for events added one by one.
    """

    def __init__(self, existing: Iterable[str]) -> None:
        self._next = {prefix: n + 1 for prefix, n in highest_numbers(existing).items()}

    def allocate(self, nation_code: str, year: int) -> str:
        prefix = f"{nation_code.upper()}-{year}"
        number = self._next.get(prefix, 1)
        self._next[prefix] = number + 1
        return format_ref(nation_code, year, number)


def _host_nation_code(connection: Connection, target: TrainingEvent) -> str:
    venue_id = target.venue.id if target.venue is not None else target.venue_id
    if venue_id is not None:
        code = connection.scalar(
            select(Nation.code)
            .join(Venue, Venue.nation_id == Nation.id)
            .where(Venue.id == venue_id)
        )
        if code:
            return code
    for audience in target.audience:
        unit_id = audience.unit.id if audience.unit is not None else audience.unit_id
        if unit_id is not None:
            code = connection.scalar(
                select(Nation.code)
                .join(Unit, Unit.nation_id == Nation.id)
                .where(Unit.id == unit_id)
            )
            if code:
                return code
    return "XX"


# pg_advisory_xact_lock key of ref allocation on a shared plan ("tsrf").
REF_LOCK_KEY = 0x74737266


def serialize_ref_allocation(connection: Connection) -> None:
    """On a server, wait until no other transaction is allocating refs.

    Refs are the highest number so far plus one; two planners adding events
    at once would otherwise both pick the same one (and the second commit
    would fail on the unique ref). The lock lasts until the transaction
    ends. A plan file has one writer at a time anyway.
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": REF_LOCK_KEY})


def _allocator_for(connection: Connection) -> RefAllocator:
    allocator = connection.info.get(_COUNTERS_KEY)
    if allocator is None:
        serialize_ref_allocation(connection)
        allocator = RefAllocator(connection.scalars(select(TrainingEvent.ref)))
        connection.info[_COUNTERS_KEY] = allocator
    return allocator


@event.listens_for(TrainingEvent, "before_insert")
def _assign_ref(_mapper: Mapper[Any], connection: Connection, target: TrainingEvent) -> None:
    if not target.ref:
        target.ref = _allocator_for(connection).allocate(
            _host_nation_code(connection, target), target.start.year
        )


@event.listens_for(Session, "after_flush_postexec")
def _forget_counters(session: Session, _context: Any) -> None:
    # The next flush reads the plan afresh: another process may have added
    # events in between (shared plans on a server).
    session.connection().info.pop(_COUNTERS_KEY, None)
