"""Named people of partner units, where they serve, and the events they are on.

A battalion is ready when named commanders are qualified and current, not
when seats were filled; partner staff rotate, so a person keeps their
history of units (``TraineePosting``) and of events (``Enrolment``). What is
kept of a person is the minimum a course needs: names in the partner's
script and in Latin letters, rank, nation, an optional service number and
languages. Names are personal data (marked OFFICIAL-SENSITIVE by default
wherever they are sent).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import EnrolmentStatus, enum_column

if TYPE_CHECKING:
    from scheduler.model.events import TrainingEvent
    from scheduler.model.organisation import Unit
    from scheduler.model.reference import Nation


class Trainee(Record):
    """A person of a partner unit who is nominated for training."""

    __tablename__ = "trainee"

    name: Mapped[str] = mapped_column(String(200))  # as the partner writes it
    name_latin: Mapped[str | None] = mapped_column(String(200))
    rank: Mapped[str | None] = mapped_column(String(60))
    nation_id: Mapped[int] = mapped_column(ForeignKey("nation.id", ondelete="RESTRICT"), index=True)
    service_number: Mapped[str | None] = mapped_column(String(40))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)

    nation: Mapped[Nation] = relationship()
    # Deleted with the person by the ORM, so undo records them too.
    postings: Mapped[list[TraineePosting]] = relationship(
        back_populates="trainee", cascade="all, delete-orphan"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="trainee", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Trainee({self.name})"


class TraineePosting(Record):
    """A trainee's unit from one date to another: moves keep the history.

    No ``date_from`` means "since before the plan knew"; no ``date_to``
    means "still there".
    """

    __tablename__ = "trainee_posting"

    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainee.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    date_from: Mapped[date | None] = mapped_column(Date)
    date_to: Mapped[date | None] = mapped_column(Date)

    trainee: Mapped[Trainee] = relationship(back_populates="postings")
    unit: Mapped[Unit] = relationship()


class Enrolment(Record):
    """A trainee on an event, from nomination to result."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("event_id", "trainee_id"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("trainee.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_column(EnrolmentStatus), default=EnrolmentStatus.NOMINATED
    )
    # When a pass or a fail was recorded: a result stays current for the
    # course's validity from here.
    result_date: Mapped[date | None] = mapped_column(Date)
    certificate_serial: Mapped[str | None] = mapped_column(String(32), unique=True)
    remarks: Mapped[str | None] = mapped_column(Text)

    event: Mapped[TrainingEvent] = relationship(back_populates="enrolments")
    trainee: Mapped[Trainee] = relationship(back_populates="enrolments")


class PartnerResponse(Record):
    """What a partner answered about one event in its reply workbook.

    Kept apart from the event's own fields: the remarks the cell sends
    (``TrainingEvent.partner_remarks``) are not the partner's, and two
    partners on one event each answer for their own seats.
    """

    __tablename__ = "partner_response"
    __table_args__ = (UniqueConstraint("event_id", "partner_code"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    partner_code: Mapped[str] = mapped_column(String(32))  # a nation or unit code, as exported
    confirmed_seats: Mapped[int | None] = mapped_column(Integer)
    remarks: Mapped[str | None] = mapped_column(Text)
    # When the reply that last changed it was imported (UTC, naive).
    received_at: Mapped[datetime | None] = mapped_column(DateTime)

    event: Mapped[TrainingEvent] = relationship(back_populates="partner_responses")
