"""Names are kept only as long as they are needed: the purge of old trainees.

A trainee is purged when their last event ended before the cut-off (the
retention setting: years after the event); one on no event at all, when the
plan has known them that long. What the plan counts survives them: an event whose
attendance and passes were never typed in gets them from its enrolments
first when its named people held every seat (otherwise its seats go on
counting, as they did), so the readiness forecast keeps its numbers. The
change log keeps that something changed, when and by whom, but not the
names it recorded for them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from scheduler.model import (
    ChangeLog,
    Enrolment,
    EnrolmentStatus,
    Trainee,
    TrainingEvent,
    current_user,
    new_uuid,
)

PURGED = "(personal data purged)"
_ATTENDED = (EnrolmentStatus.ATTENDED, EnrolmentStatus.PASSED, EnrolmentStatus.FAILED)


@dataclass(frozen=True, slots=True)
class PurgeResult:
    cut_off: date
    trainees: int
    enrolments: int
    events_counted: int  # events whose attendance came from the enrolments removed

    def text(self, *, dry_run: bool) -> str:
        if not self.trainees:
            return (
                f"No trainee's last event ended before {self.cut_off:%d %b %Y}: nothing to purge."
            )
        verb = "Would remove" if dry_run else "Removed"
        counted = (
            f"; attendance and passes of {self.events_counted} event(s) kept as counts"
            if self.events_counted
            else ""
        )
        return (
            f"{verb} {self.trainees} trainee(s) and their {self.enrolments} enrolment(s): "
            f"their last event ended before {self.cut_off:%d %b %Y}{counted}."
        )


def record_names_export(session: Session, target: Path, people: list[list[Any]]) -> None:
    """Say in the change log that a file of names left the plan: which, how many,
    by whom and when (a partner's release records whom it named itself)."""
    named = len({(row[3], row[4], row[6]) for row in people})
    session.add(
        ChangeLog(
            entity="Export",
            entity_uuid=new_uuid(),
            action="exported",
            field="names",
            old_value=None,
            new_value=f"{named} trainees' names in {target.name}",
            changed_by=session.info.get("user") or current_user(),
        )
    )
    session.flush()


def cut_off(today: date, years: int) -> date:
    return today - relativedelta(years=years)


def purge_personal_data(session: Session, before: date, *, dry_run: bool = False) -> PurgeResult:
    """Remove the trainees whose last event ended before ``before`` (see the module doc)."""
    last_end = (
        select(Enrolment.trainee_id, func.max(TrainingEvent.end).label("last"))
        .join(TrainingEvent, TrainingEvent.id == Enrolment.event_id)
        .group_by(Enrolment.trainee_id)
        .subquery()
    )
    moment = datetime.combine(before, time.min)
    people = list(
        session.scalars(
            select(Trainee)
            .outerjoin(last_end, last_end.c.trainee_id == Trainee.id)
            .where(
                (last_end.c.last <= moment)
                | (last_end.c.last.is_(None) & (Trainee.created_at < moment))
            )
        )
    )
    enrolments = [e for person in people for e in person.enrolments]
    counted = _keep_counts({e.event for e in enrolments}, dry_run=dry_run)
    if not dry_run and people:
        _scrub_log(session, [p.uuid for p in people])
        for person in people:
            session.delete(person)  # its postings and enrolments with it (ORM cascades)
        session.flush()
    return PurgeResult(before, len(people), len(enrolments), counted)


def _keep_counts(events: Iterable[TrainingEvent], *, dry_run: bool) -> int:
    """Put attendance and passes on events that have none typed, from their
    enrolments, where the named people hold every seat: the readiness forecast
    counts an event's seats while it has no numbers, so numbers from fewer
    people than seats would lower it. Events with numbers keep theirs."""
    filled = 0
    for event in events:
        if event.attended is not None or event.passed is not None:
            continue
        seats = sum(a.seats or 0 for a in event.audience)
        if len(event.enrolments) < seats:
            continue
        attended = sum(1 for e in event.enrolments if e.status in _ATTENDED)
        if not attended:
            continue
        filled += 1
        if not dry_run:
            event.attended = attended
            event.passed = sum(1 for e in event.enrolments if e.status == EnrolmentStatus.PASSED)
    return filled


def _scrub_log(session: Session, uuids: list[str]) -> None:
    """The change log's old and new values for these people, blanked (the rows stay)."""
    for start in range(0, len(uuids), 500):
        session.execute(
            update(ChangeLog)
            .where(
                ChangeLog.entity == "Trainee", ChangeLog.entity_uuid.in_(uuids[start : start + 500])
            )
            .values(old_value=PURGED, new_value=PURGED)
        )
