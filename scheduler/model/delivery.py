"""Who delivers an event and what it costs.

An event with no provider is the cell's own. Others who train the same
partners (a UK department, another nation, NATO, the EU) are recorded with
less detail so that duplicates and gaps show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scheduler.model.base import Record
from scheduler.model.enums import CostKind, ProviderKind, enum_column

if TYPE_CHECKING:
    from scheduler.model.events import TrainingEvent
    from scheduler.model.reference import Nation


class Provider(Record):
    """An organisation other than the cell that trains partners."""

    __tablename__ = "provider"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[ProviderKind] = mapped_column(
        enum_column(ProviderKind), default=ProviderKind.OTHER
    )
    # The nation it belongs to, for another nation's trainers.
    nation_id: Mapped[int | None] = mapped_column(
        ForeignKey("nation.id", ondelete="RESTRICT"), index=True
    )
    notes: Mapped[str | None] = mapped_column(Text)

    nation: Mapped[Nation | None] = relationship()

    def __repr__(self) -> str:
        return f"Provider({self.name!r})"


class EventCost(Record):
    """One kind of cost of one event: planned, and actual once known.

    Amounts are in the cell's accounting currency; the plan keeps no
    exchange rates.
    """

    __tablename__ = "event_cost"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("training_event.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[CostKind] = mapped_column(enum_column(CostKind), default=CostKind.OTHER)
    planned: Mapped[float | None] = mapped_column(Float)
    actual: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(String(200))

    event: Mapped[TrainingEvent] = relationship(back_populates="costs")
