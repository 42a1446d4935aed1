"""Reference data: nations, qualifications and the course catalogue."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, Float, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Base, Record
from scheduler.model.enums import CourseKind, enum_column

if TYPE_CHECKING:
    from scheduler.model.kit import CourseKit
    from scheduler.model.organisation import Unit


class Nation(Record):
    """A partner or delivering nation; its code names its holiday calendar."""

    __tablename__ = "nation"

    code: Mapped[str] = mapped_column(String(2), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    time_zone: Mapped[str] = mapped_column(String(64))
    # Country code understood by the ``holidays`` package (usually ``code``).
    holiday_calendar: Mapped[str | None] = mapped_column(String(8))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The days its people work (0 = Monday … 6 = Sunday). It belongs to the
    # plan, not to a planner's settings, so every planner, the window and the
    # commands count a course's working days the same way.
    working_weekdays: Mapped[list[int]] = mapped_column(JSON, default=lambda: [0, 1, 2, 3, 4])
    # Releasability caveat used on partner files, e.g. ``MKD``.
    releasability: Mapped[str | None] = mapped_column(String(16))

    units: Mapped[list[Unit]] = relationship(back_populates="nation")

    def __repr__(self) -> str:
        return f"Nation({self.code})"


class Qualification(Record):
    """A qualification an instructor holds; expires ``validity_months`` after award."""

    __tablename__ = "qualification"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    validity_months: Mapped[int | None] = mapped_column(Integer)


course_qualification = Table(
    "course_qualification",
    Base.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "qualification_id", ForeignKey("qualification.id", ondelete="RESTRICT"), primary_key=True
    ),
)

course_prerequisite = Table(
    "course_prerequisite",
    Base.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("prerequisite_id", ForeignKey("course.id", ondelete="RESTRICT"), primary_key=True),
)


class Course(Record):
    """A catalogue entry; each run of it is a TrainingEvent."""

    __tablename__ = "course"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64), default="General")
    # An exercise trains units at their collective tasks; it fills no seats
    # of a training requirement.
    kind: Mapped[CourseKind] = mapped_column(enum_column(CourseKind), default=CourseKind.COURSE)
    duration_days: Mapped[int] = mapped_column(Integer, default=1)
    daily_hours: Mapped[float] = mapped_column(Float, default=7.0)
    min_trainees: Mapped[int | None] = mapped_column(Integer)
    max_trainees: Mapped[int | None] = mapped_column(Integer)
    trainees_per_instructor: Mapped[int | None] = mapped_column(Integer)
    # How long a pass stays current (like a qualification's validity): named
    # readiness counts only people whose result has not run out by the due date.
    validity_months: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(8), default="en")
    required_facilities: Mapped[list[str]] = mapped_column(JSON, default=list)
    colour: Mapped[str | None] = mapped_column(String(9))
    description: Mapped[str | None] = mapped_column(Text)

    required_qualifications: Mapped[list[Qualification]] = relationship(
        secondary=course_qualification
    )
    prerequisites: Mapped[list[Course]] = relationship(
        secondary=course_prerequisite,
        primaryjoin=lambda: Course.id == course_prerequisite.c.course_id,
        secondaryjoin=lambda: Course.id == course_prerequisite.c.prerequisite_id,
    )
    kit: Mapped[list[CourseKit]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"Course({self.code})"
