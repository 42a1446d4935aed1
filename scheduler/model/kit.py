"""Bookable kit: ranges, vehicles, simulators and equipment, and what courses need.

Kit is counted, not named piece by piece: "12 rifles" is one record with a
quantity. A course lists what each run needs, as a fixed number or so many
for every few trainees, and the conflict check adds up the runs that share
time against the quantity held.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import KitKind, enum_column

if TYPE_CHECKING:
    from scheduler.model.reference import Course, Nation
    from scheduler.model.resources import Venue


class Kit(Record):
    """So many of one thing. Its owner is a venue (kept there), a partner
    nation, or neither: the cell's own."""

    __tablename__ = "kit"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[KitKind] = mapped_column(enum_column(KitKind), default=KitKind.EQUIPMENT)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    venue_id: Mapped[int | None] = mapped_column(
        ForeignKey("venue.id", ondelete="RESTRICT"), index=True
    )
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nation.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    venue: Mapped[Venue | None] = relationship()
    nation: Mapped[Nation | None] = relationship()

    def __repr__(self) -> str:
        return f"Kit({self.name!r} x{self.quantity})"


class CourseKit(Record):
    """What one run of a course needs of one kit: ``quantity``, or ``quantity``
    for every ``per_trainees`` trainees (12 rifles per 6 trainees)."""

    __tablename__ = "course_kit"
    __table_args__ = (UniqueConstraint("course_id", "kit_id"),)

    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    kit_id: Mapped[int] = mapped_column(ForeignKey("kit.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    per_trainees: Mapped[int | None] = mapped_column(Integer)

    course: Mapped[Course] = relationship(back_populates="kit")
    kit: Mapped[Kit] = relationship()
