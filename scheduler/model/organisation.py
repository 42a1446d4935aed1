"""Partner organisations and what they have committed to reach."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import UnitKind, enum_column

if TYPE_CHECKING:
    from scheduler.model.readiness import CollectiveTask, EvaluationMilestone
    from scheduler.model.reference import Course, Nation


class Unit(Record):
    """A partner unit: battalion, company, border-police unit, academy.

    Units form a tree through ``parent``; a partner export for a unit covers
    that unit and everything below it.
    """

    __tablename__ = "unit"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind), default=UnitKind.BATTALION)
    nation_id: Mapped[int] = mapped_column(ForeignKey("nation.id", ondelete="RESTRICT"), index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("unit.id", ondelete="SET NULL"), index=True
    )
    strength: Mapped[int | None] = mapped_column(Integer)
    language: Mapped[str | None] = mapped_column(String(8))
    releasability_group: Mapped[str | None] = mapped_column(String(32))
    contact: Mapped[str | None] = mapped_column(Text)

    nation: Mapped[Nation] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side="Unit.id", back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")

    def __repr__(self) -> str:
        return f"Unit({self.code})"


class CapabilityTarget(Record):
    """What a partner unit has committed to reach, and by when."""

    __tablename__ = "capability_target"

    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str | None] = mapped_column(Text)

    unit: Mapped[Unit] = relationship()
    requirements: Mapped[list[TrainingRequirement]] = relationship(
        back_populates="target", cascade="all, delete-orphan"
    )
    milestones: Mapped[list[EvaluationMilestone]] = relationship(
        back_populates="target", cascade="all, delete-orphan", order_by="EvaluationMilestone.day"
    )
    tasks: Mapped[list[CollectiveTask]] = relationship(
        back_populates="target", cascade="all, delete-orphan"
    )


class TrainingRequirement(Record):
    """People of a unit who must complete a course by a date, toward a target."""

    __tablename__ = "training_requirement"

    target_id: Mapped[int] = mapped_column(
        ForeignKey("capability_target.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="RESTRICT"), index=True)
    people: Mapped[int] = mapped_column(Integer)
    due_date: Mapped[date | None] = mapped_column(Date)

    target: Mapped[CapabilityTarget] = relationship(back_populates="requirements")
    unit: Mapped[Unit] = relationship()
    course: Mapped[Course] = relationship()
