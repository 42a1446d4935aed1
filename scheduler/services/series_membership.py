"""An occurrence's place in its series, kept through delete and undo.

Deleting one occurrence of a series records its start among the series'
exceptions (EXDATE), as calendar programs do, so that regenerating the
series (a new rule, a longer open-ended one) does not bring it back, and the
iCalendar export tells partners it is gone. When the last occurrence goes,
the series goes with it. The snapshot taken before a delete holds the
event's place and the series as it was, so undo puts back both the event
(same uuid and ref, by ``records.restore``) and the exceptions.

Kept apart from ``services/series.py`` because ``records`` needs it and
``series`` needs ``records``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.model import EventSeries, TrainingEvent

# Snapshot keys; a leading underscore keeps them out of field validation.
SERIES = "_series"
RECURRENCE_ID = "_recurrence_id"
IS_OVERRIDE = "_is_override"
SERIES_STATE = "_series_state"


def rule_start(event: TrainingEvent) -> datetime:
    """The start the series' rule gives this occurrence (its RECURRENCE-ID)."""
    return event.recurrence_id or event.start


def place_of(event: TrainingEvent) -> dict[str, Any]:
    """The event's place in a series, and the series as it is, for a snapshot."""
    series = event.series
    place: dict[str, Any] = {
        SERIES: series.uuid if series is not None else None,
        RECURRENCE_ID: event.recurrence_id,
        IS_OVERRIDE: event.is_override,
    }
    if series is not None:
        place[SERIES_STATE] = {
            "rrule": series.rrule,
            "dtstart": series.dtstart,
            "exdates": list(series.exdates or []),
        }
    return place


def leave_series(session: Session, event: TrainingEvent) -> bool:
    """Before ``event`` is deleted: record its start as an exception of its series,
    or delete the series if this is its last occurrence. True if a series changed."""
    series = event.series
    if series is None:
        return False
    others = session.scalar(
        select(func.count())
        .select_from(TrainingEvent)
        .where(TrainingEvent.series_id == series.id, TrainingEvent.id != event.id)
    )
    if not others:
        session.delete(series)  # flushed together with the event's delete
        return True
    moment = rule_start(event).isoformat()
    exdates = list(series.exdates or [])
    if moment not in exdates:
        series.exdates = [*exdates, moment]  # a new list: JSON columns track assignment only
    return True


def rejoin_series(session: Session, event: TrainingEvent, values: dict[str, Any]) -> bool:
    """After ``event`` is recreated from a snapshot: put it back in its series
    (recreated if it went with the event) and drop the exception its delete
    added. True if a series changed."""
    uuid = values.get(SERIES)
    if not uuid:
        return False
    state = values.get(SERIES_STATE)
    series = session.scalar(select(EventSeries).where(EventSeries.uuid == uuid))
    if series is None:
        if state is None:
            return False  # the series was removed by other means: the event stays single
        series = EventSeries(
            uuid=uuid,
            rrule=state["rrule"],
            dtstart=state["dtstart"],
            exdates=list(state["exdates"]),
        )
        session.add(series)
    event.series = series
    event.recurrence_id = values.get(RECURRENCE_ID)
    event.is_override = bool(values.get(IS_OVERRIDE))
    moment = rule_start(event).isoformat()
    had = state is not None and moment in state["exdates"]
    if not had and moment in (series.exdates or []):
        series.exdates = [x for x in series.exdates if x != moment]
    session.flush()
    return True
