"""What the plan remembers about itself: metadata, accepted conflicts,
every change, and what was sent to whom."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduler.model.base import Record, utc_now


class PlanMeta(Record):
    """Key/value facts about the plan file (its name, the program that made it)."""

    __tablename__ = "plan_meta"

    key: Mapped[str] = mapped_column(String(64), unique=True)
    value: Mapped[str] = mapped_column(Text)


class ConflictAcceptance(Record):
    """A conflict a planner accepted on purpose.

    ``conflict_key`` identifies the conflict (rule plus the events and the
    resource involved); ``fingerprint`` captures the involved events as they
    were when accepted, so that the acceptance lapses once they change.
    """

    __tablename__ = "conflict_acceptance"

    rule: Mapped[str] = mapped_column(String(64), index=True)
    conflict_key: Mapped[str] = mapped_column(String(400), index=True)
    event_uuids: Mapped[list[str]] = mapped_column(JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    accepted_by: Mapped[str] = mapped_column(String(120))
    accepted_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)


class ChangeLog(Record):
    """One changed field of one record: who changed what, from what, when."""

    __tablename__ = "change_log"
    __table_args__ = (Index("ix_change_log_entity_uuid", "entity_uuid"),)

    entity: Mapped[str] = mapped_column(String(64))
    entity_uuid: Mapped[str] = mapped_column(String(36))
    action: Mapped[str] = mapped_column(String(16))  # created / updated / deleted
    field: Mapped[str | None] = mapped_column(String(64))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, index=True)
    changed_by: Mapped[str] = mapped_column(String(120))


class Release(Record):
    """A schedule sent to a partner: the file's hash and a snapshot of its events.

    The snapshot (event uuid -> ref, start, end, status, venue) is what the
    next release compares against to list what changed since.
    """

    __tablename__ = "release"

    partner_code: Mapped[str] = mapped_column(String(32), index=True)
    released_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    released_by: Mapped[str] = mapped_column(String(120))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    file_name: Mapped[str] = mapped_column(String(400))
    file_hash: Mapped[str] = mapped_column(String(64))
    marking: Mapped[str] = mapped_column(String(200))
    snapshot: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The trainees the file named (uuids): who has been sent whose personal
    # data. None: it named no one (or was released before names were recorded).
    names_sent: Mapped[list[str] | None] = mapped_column(JSON)
