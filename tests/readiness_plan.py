"""A plan built by hand for readiness tests: the issue's case, exact numbers.

Shared by the service, dashboard and attendance tests so that they all
check the same hand-counted figures.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import (
    CapabilityTarget,
    Course,
    EventAudience,
    EventStatus,
    Nation,
    TrainingEvent,
    TrainingRequirement,
    Unit,
)
from scheduler.storage import open_plan


def build(path: Path) -> None:
    """MK battalion: 40 people need Combat first aid by 31 May 2027.

    12 passed on a delivered run, 8 seats for a company before the due date,
    12 seats on a run after it, 30 on a draft (not booked): required 40,
    scheduled 20, delivered 12, and the last event after the due date.
    An Albanian unit has its own target, and an MK event of another course
    and one without the battalion must not count.
    """
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        al = session.scalars(select(Nation).where(Nation.code == "AL")).one()
        battalion = Unit(code="MK-1BN", name="1-ви пешадиски баталјон", nation=mk)
        company = Unit(code="MK-1BN-A", name="Чета А", nation=mk, parent=battalion)
        other = Unit(code="MK-2BN", name="2nd battalion", nation=mk)
        albanians = Unit(code="AL-BPU", name="Njësia e Policisë Kufitare", nation=al)
        cfa = Course(code="CFA", title="Combat first aid", duration_days=5)
        scc = Course(code="SCC", title="Section commanders", duration_days=5)
        target = CapabilityTarget(
            name="Battalion ready", unit=battalion, due_date=date(2027, 5, 31)
        )
        border = CapabilityTarget(name="Gati për NATO", unit=albanians, due_date=date(2027, 9, 30))
        session.add_all(
            [
                TrainingRequirement(target=target, unit=battalion, course=cfa, people=40),
                TrainingRequirement(
                    target=border, unit=albanians, course=scc, people=10, due_date=date(2027, 8, 1)
                ),
            ]
        )

        def event(
            ref: str,
            course: Course,
            first: date,
            last: date,
            status: EventStatus,
            *seats: tuple[Unit, int],
            attended: int | None = None,
            passed: int | None = None,
        ) -> TrainingEvent:
            return TrainingEvent(
                ref=ref,
                course=course,
                start=datetime(first.year, first.month, first.day, 8),
                end=datetime(last.year, last.month, last.day, 16),
                status=status,
                audience=[EventAudience(unit=u, seats=n) for u, n in seats],
                attended=attended,
                passed=passed,
            )

        session.add_all(
            [
                event(
                    "MK-1",
                    cfa,
                    date(2027, 3, 1),
                    date(2027, 3, 5),
                    EventStatus.DELIVERED,
                    (battalion, 15),
                    attended=14,
                    passed=12,
                ),
                event(
                    "MK-2",
                    cfa,
                    date(2027, 4, 5),
                    date(2027, 4, 9),
                    EventStatus.PLANNED,
                    (company, 8),
                    (other, 4),
                ),
                event(
                    "MK-3",
                    cfa,
                    date(2027, 6, 7),
                    date(2027, 6, 11),
                    EventStatus.CONFIRMED,
                    (battalion, 12),
                ),
                event(
                    "MK-4",
                    cfa,
                    date(2027, 4, 12),
                    date(2027, 4, 16),
                    EventStatus.DRAFT,
                    (battalion, 30),
                ),
                event(
                    "MK-5",
                    cfa,
                    date(2027, 4, 19),
                    date(2027, 4, 23),
                    EventStatus.PLANNED,
                    (other, 20),
                ),
                event(
                    "MK-6",
                    scc,
                    date(2027, 4, 19),
                    date(2027, 4, 23),
                    EventStatus.PLANNED,
                    (battalion, 20),
                ),
                event(
                    "AL-1",
                    scc,
                    date(2027, 7, 5),
                    date(2027, 7, 9),
                    EventStatus.CONFIRMED,
                    (albanians, 10),
                ),
            ]
        )
