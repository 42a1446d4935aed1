"""People and places that training needs: instructors and venues."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Date, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import AbsenceKind, InstructorRole, WorkloadPeriod, enum_column

if TYPE_CHECKING:
    from scheduler.model.reference import Nation, Qualification


class Instructor(Record):
    """A person who teaches, interprets or supports a course."""

    __tablename__ = "instructor"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nation.id", ondelete="RESTRICT"), index=True
    )
    organisation: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[InstructorRole] = mapped_column(
        enum_column(InstructorRole), default=InstructorRole.INSTRUCTOR
    )
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_training_days: Mapped[int | None] = mapped_column(Integer)
    # Hours of courses (each its hours a day) in a workload period; empty: no limit.
    max_training_hours: Mapped[float | None] = mapped_column(Float)
    workload_period: Mapped[WorkloadPeriod] = mapped_column(
        enum_column(WorkloadPeriod), default=WorkloadPeriod.MONTH
    )
    # Whether a partner may see this person's name in its schedule.
    releasable: Mapped[bool] = mapped_column(default=True)
    contact: Mapped[str | None] = mapped_column(Text)

    nation: Mapped[Nation | None] = relationship()
    qualifications: Mapped[list[InstructorQualification]] = relationship(
        back_populates="instructor", cascade="all, delete-orphan"
    )
    unavailability: Mapped[list[Unavailability]] = relationship(
        back_populates="instructor", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Instructor({self.name!r})"


class InstructorQualification(Record):
    """An instructor's qualification, with the date it lapses (if it does)."""

    __tablename__ = "instructor_qualification"
    __table_args__ = (UniqueConstraint("instructor_id", "qualification_id"),)

    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("instructor.id", ondelete="CASCADE"), index=True
    )
    qualification_id: Mapped[int] = mapped_column(
        ForeignKey("qualification.id", ondelete="RESTRICT"), index=True
    )
    awarded_on: Mapped[date | None] = mapped_column(Date)
    expires_on: Mapped[date | None] = mapped_column(Date)

    instructor: Mapped[Instructor] = relationship(back_populates="qualifications")
    qualification: Mapped[Qualification] = relationship()


class Unavailability(Record):
    """A period (inclusive days) in which an instructor cannot teach."""

    __tablename__ = "unavailability"

    instructor_id: Mapped[int] = mapped_column(
        ForeignKey("instructor.id", ondelete="CASCADE"), index=True
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[AbsenceKind] = mapped_column(enum_column(AbsenceKind), default=AbsenceKind.LEAVE)
    reason: Mapped[str | None] = mapped_column(Text)

    instructor: Mapped[Instructor] = relationship(back_populates="unavailability")


class Venue(Record):
    """A classroom, training area, border-police centre or hotel."""

    __tablename__ = "venue"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    nation_id: Mapped[int] = mapped_column(ForeignKey("nation.id", ondelete="RESTRICT"), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None] = mapped_column(Integer)
    facilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Overrides the nation's zone when a venue lies elsewhere (rare).
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # The ``holidays`` package's subdivision whose holidays apply on top of
    # the nation's (Republika Srpska, Brčko District…); empty: national only.
    holiday_region: Mapped[str | None] = mapped_column(String(8))

    nation: Mapped[Nation] = relationship()
    closures: Mapped[list[VenueClosure]] = relationship(
        back_populates="venue", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Venue({self.name!r})"


class VenueClosure(Record):
    """A period (inclusive days) in which a venue cannot be used."""

    __tablename__ = "venue_closure"

    venue_id: Mapped[int] = mapped_column(ForeignKey("venue.id", ondelete="CASCADE"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(Text)

    venue: Mapped[Venue] = relationship(back_populates="closures")


class ClosureDay(Record):
    """A plan-defined non-working day (all nations when ``nation_id`` is empty)."""

    __tablename__ = "closure_day"
    __table_args__ = (UniqueConstraint("day", "nation_id"),)

    day: Mapped[date] = mapped_column(Date, index=True)
    nation_id: Mapped[int | None] = mapped_column(ForeignKey("nation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))

    nation: Mapped[Nation | None] = relationship()
