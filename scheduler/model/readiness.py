"""How NATO declares a unit ready: dated evaluation milestones, and the
collective tasks they rate, each trained by courses and exercises."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Base, Record
from scheduler.model.enums import MilestoneKind, MilestoneResult, TaskRating, enum_column

if TYPE_CHECKING:
    from scheduler.model.organisation import CapabilityTarget
    from scheduler.model.reference import Course


class EvaluationMilestone(Record):
    """One evaluation of a capability target's unit (self-evaluation or NATO
    evaluation, level 1 or 2) on a date; its result once it has been held."""

    __tablename__ = "evaluation_milestone"

    target_id: Mapped[int] = mapped_column(
        ForeignKey("capability_target.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MilestoneKind] = mapped_column(
        enum_column(MilestoneKind), default=MilestoneKind.SEL1
    )
    day: Mapped[date] = mapped_column(Date)
    result: Mapped[MilestoneResult] = mapped_column(
        enum_column(MilestoneResult), default=MilestoneResult.PENDING
    )
    notes: Mapped[str | None] = mapped_column(Text)

    target: Mapped[CapabilityTarget] = relationship(back_populates="milestones")


task_course = Table(
    "task_course",
    Base.metadata,
    Column("task_id", ForeignKey("collective_task.id", ondelete="CASCADE"), primary_key=True),
    # Deleting a course a task names is refused by the course's usage check.
    Column("course_id", ForeignKey("course.id", ondelete="RESTRICT"), primary_key=True),
)


class CollectiveTask(Record):
    """A task the target's unit must perform as a unit (defend a position,
    run a border crossing point), the training that prepares it and its
    last rating: trained, needs practice or untrained."""

    __tablename__ = "collective_task"

    target_id: Mapped[int] = mapped_column(
        ForeignKey("capability_target.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    rating: Mapped[TaskRating] = mapped_column(
        enum_column(TaskRating), default=TaskRating.UNTRAINED
    )
    rated_on: Mapped[date | None] = mapped_column(Date)
    # Who rated it: "SEL1 March 2027", "unit commander"…
    rating_source: Mapped[str | None] = mapped_column(String(200))

    target: Mapped[CapabilityTarget] = relationship(back_populates="tasks")
    courses: Mapped[list[Course]] = relationship(secondary=task_course)
