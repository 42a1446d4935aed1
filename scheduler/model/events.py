"""Runs of courses: training events, their audiences, instructors and series."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import EventStatus, InstructorRole, enum_column

if TYPE_CHECKING:
    from scheduler.model.delivery import EventCost, Provider
    from scheduler.model.organisation import Unit
    from scheduler.model.reference import Course
    from scheduler.model.resources import Instructor, Venue
    from scheduler.model.trainees import Enrolment, PartnerResponse


class EventSeries(Record):
    """A recurrence rule whose occurrences are stored as TrainingEvents.

    Occurrences are materialised (one row each, ``series_id`` set) so that
    conflict checks, views and exports treat them like any other event and
    range queries stay indexed. ``rrule`` is RFC 5545 text without DTSTART;
    ``dtstart`` anchors it; ``exdates`` lists removed occurrence starts (ISO
    text). An occurrence edited on its own is marked ``is_override`` and kept
    when the series is regenerated.
    """

    __tablename__ = "event_series"

    rrule: Mapped[str] = mapped_column(Text)
    dtstart: Mapped[datetime] = mapped_column(DateTime)
    exdates: Mapped[list[str]] = mapped_column(JSON, default=list)

    events: Mapped[list[TrainingEvent]] = relationship(back_populates="series")


class TrainingEvent(Record):
    """One run of a course. ``start``/``end`` are the venue's local wall time."""

    __tablename__ = "training_event"
    __table_args__ = (
        # Overlap queries (start < b and end > a) use this index together
        # with a lower bound on start; see storage notes in DESIGN.md.
        Index("ix_training_event_start_end", "start", "end"),
    )

    ref: Mapped[str] = mapped_column(String(32), unique=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venue.id", ondelete="SET NULL"), index=True
    )
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[EventStatus] = mapped_column(
        enum_column(EventStatus), default=EventStatus.PLANNED, index=True
    )
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("event_series.id", ondelete="SET NULL"), index=True
    )
    # The start this occurrence has by the series' rule (RFC 5545 RECURRENCE-ID).
    recurrence_id: Mapped[datetime | None] = mapped_column(DateTime)
    is_override: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)  # internal: never sent to partners
    partner_remarks: Mapped[str | None] = mapped_column(Text)
    attended: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(Text)
    # Who delivers it: empty for the cell, else another provider (recorded
    # with less detail: course, partner, dates, place).
    provider_id: Mapped[int | None] = mapped_column(
        ForeignKey("provider.id", ondelete="RESTRICT"), index=True
    )
    funding_line: Mapped[str | None] = mapped_column(String(64))

    course: Mapped[Course] = relationship()
    provider: Mapped[Provider | None] = relationship()
    costs: Mapped[list[EventCost]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    venue: Mapped[Venue | None] = relationship()
    series: Mapped[EventSeries | None] = relationship(back_populates="events")
    audience: Mapped[list[EventAudience]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    instructors: Mapped[list[EventInstructor]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    partner_responses: Mapped[list[PartnerResponse]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    modules: Mapped[list[EventModule]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventModule.start"
    )

    @property
    def seats(self) -> int:
        return sum(a.seats for a in self.audience)

    def __repr__(self) -> str:
        return f"TrainingEvent({self.ref} {self.start:%Y-%m-%d})"


class EventAudience(Record):
    """Seats on an event given to one unit."""

    __tablename__ = "event_audience"
    __table_args__ = (UniqueConstraint("event_id", "unit_id"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="RESTRICT"), index=True)
    seats: Mapped[int] = mapped_column(Integer, default=0)

    event: Mapped[TrainingEvent] = relationship(back_populates="audience")
    unit: Mapped[Unit] = relationship()


class EventInstructor(Record):
    """An instructor (or interpreter, support) assigned to an event."""

    __tablename__ = "event_instructor"
    __table_args__ = (UniqueConstraint("event_id", "instructor_id"),)

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("instructor.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[InstructorRole] = mapped_column(
        enum_column(InstructorRole), default=InstructorRole.INSTRUCTOR
    )

    event: Mapped[TrainingEvent] = relationship(back_populates="instructors")
    instructor: Mapped[Instructor] = relationship()


class EventModule(Record):
    """A part of an event (a day, a span of days, half a day) held at its own
    venue or by its own people; either, left empty, is the event's.

    An event with modules holds its venue and its people only during its
    modules; its units are on it from its first day to its last.
    """

    __tablename__ = "event_module"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    start: Mapped[datetime] = mapped_column(DateTime)
    end: Mapped[datetime] = mapped_column(DateTime)
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venue.id", ondelete="SET NULL"), index=True
    )

    event: Mapped[TrainingEvent] = relationship(back_populates="modules")
    venue: Mapped[Venue | None] = relationship()
    staff: Mapped[list[ModuleInstructor]] = relationship(
        back_populates="module", cascade="all, delete-orphan"
    )


class ModuleInstructor(Record):
    """A person on one module, in a role, instead of the event's people."""

    __tablename__ = "module_instructor"
    __table_args__ = (UniqueConstraint("module_id", "instructor_id"),)

    module_id: Mapped[int] = mapped_column(
        ForeignKey("event_module.id", ondelete="CASCADE"), index=True
    )
    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("instructor.id", ondelete="RESTRICT"), index=True
    )
    role: Mapped[InstructorRole] = mapped_column(
        enum_column(InstructorRole), default=InstructorRole.INSTRUCTOR
    )

    module: Mapped[EventModule] = relationship(back_populates="staff")
    instructor: Mapped[Instructor] = relationship()
