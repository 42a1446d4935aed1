"""Runs of courses for units, as readiness, deconfliction and costs read them:
an event's days, its course, its units and who delivers it.

Read with a few column queries (no ORM objects), narrowed in SQL to the
courses, events or days asked for, so a 100,000-event plan costs what the
question needs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from scheduler.model import EventAudience, EventStatus, Nation, Provider, TrainingEvent, Unit
from scheduler.planning.data import last_day_of
from scheduler.planning.readiness import unit_children, units_and_below
from scheduler.services.stopped_reads import stop_if_unwanted

THE_CELL = "The cell"
# Ids given in SQL up to this many (under SQLite's oldest limit on bound
# parameters); more are filtered as rows arrive.
_FEW = 900


@dataclass(frozen=True, slots=True)
class Run:
    id: int
    ref: str
    course_id: int
    first_day: date
    last_day: date
    unit_ids: frozenset[int]
    nations: frozenset[str]  # the partners: the nations of its units
    provider: str  # empty: the cell


@dataclass(frozen=True, slots=True)
class UnitTree:
    codes: dict[int, str]
    nations: dict[int, str]
    children: dict[int, list[int]]

    def below(self, unit_id: int) -> frozenset[int]:
        """The unit and every unit under it."""
        return frozenset(units_and_below((unit_id,), self.children))


def unit_tree(session: Session) -> UnitTree:
    rows = session.execute(
        select(Unit.id, Unit.code, Nation.code, Unit.parent_id).join(
            Nation, Nation.id == Unit.nation_id
        )
    ).all()
    return UnitTree(
        {r[0]: r[1] for r in rows},
        {r[0]: r[2] for r in rows},
        unit_children((r[0], r[3]) for r in rows),
    )


def load_runs(
    session: Session,
    tree: UnitTree,
    *,
    course_ids: Collection[int] | None = None,
    event_ids: Collection[int] | None = None,
    where: ColumnElement[bool] | None = None,
    cancelled: bool = False,
) -> list[Run]:
    """The plan's runs (not cancelled ones unless asked), narrowed as asked."""
    query = select(
        TrainingEvent.id,
        TrainingEvent.ref,
        TrainingEvent.course_id,
        TrainingEvent.start,
        TrainingEvent.end,
        Provider.name,
    ).outerjoin(Provider, Provider.id == TrainingEvent.provider_id)
    if not cancelled:
        query = query.where(TrainingEvent.status != EventStatus.CANCELLED)
    if course_ids is not None:
        query = query.where(TrainingEvent.course_id.in_(list(course_ids)))
    wanted = None if event_ids is None else set(event_ids)
    if wanted is not None and len(wanted) <= _FEW:
        query = query.where(TrainingEvent.id.in_(list(wanted)))
    if where is not None:
        query = query.where(where)
    events = [e for e in session.execute(query) if wanted is None or e[0] in wanted]
    if not events:
        return []
    stop_if_unwanted()
    units: dict[int, set[int]] = defaultdict(set)
    audience = select(EventAudience.event_id, EventAudience.unit_id)
    if len(events) <= _FEW:
        audience = audience.where(EventAudience.event_id.in_([e[0] for e in events]))
    else:  # only the events asked for, not the whole plan's audience
        audience = audience.where(
            EventAudience.event_id.in_(query.with_only_columns(TrainingEvent.id))
        )
    for event_id, unit_id in session.execute(audience):
        units[event_id].add(unit_id)
    stop_if_unwanted()
    # A few sets of units (and of their nations) recur over thousands of
    # runs: one frozenset each, not one per run.
    shared: dict[frozenset[Any], frozenset[Any]] = {}

    def one(values: frozenset[Any]) -> frozenset[Any]:
        return shared.setdefault(values, values)

    none: frozenset[Any] = frozenset()
    return [
        Run(
            ident,
            ref,
            course_id,
            start.date(),
            last_day_of(start, end),
            one(frozenset(units.get(ident, none))),
            one(frozenset(tree.nations[u] for u in units.get(ident, none) if u in tree.nations)),
            provider or "",
        )
        for ident, ref, course_id, start, end, provider in events
    ]
