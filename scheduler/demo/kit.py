"""The demo plan's kit: rifles and range lanes for marksmanship, mannequins for
first aid, cameras and vehicles for border surveillance.

Quantities are set after the year is laid out: each kit holds what its
busiest moment needs, so kit adds no clash of its own, except the deliberate
one: a second range course placed while another is on the range, with the
lanes held one short of that moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from scheduler.demo.clashes import RANGE_COURSES, Clash
from scheduler.demo.placement import Placement
from scheduler.demo.rows import RowFactory
from scheduler.demo.writer import end_of
from scheduler.model.enums import KitKind
from scheduler.planning.data import KitNeed
from scheduler.planning.rules.runs import peak, runs


@dataclass(frozen=True, slots=True)
class KitSpec:
    name: str
    kind: KitKind
    # course code -> (how many, per so many trainees or None)
    needs: dict[str, tuple[int, int | None]]
    notes: str = ""
    scarce: bool = False  # held one short of the deliberate clash


KIT_CLASH = "kit_over_quantity"


KIT: tuple[KitSpec, ...] = (
    KitSpec(
        "Rifles M70 (training pool)",
        KitKind.EQUIPMENT,
        {"MCC": (12, 6), "RCO": (6, 6)},
        "Held by the cell; signed out for each course",
    ),
    KitSpec(
        "Range lanes (25 m)",
        KitKind.RANGE,
        {code: (1, None) for code in RANGE_COURSES},
        "Booked through the range office a month ahead",
        scarce=True,
    ),
    KitSpec(
        "Casualty simulation mannequins",
        KitKind.SIMULATOR,
        {"CFA": (1, 4), "CFA-MK": (1, 4), "CFA-R": (1, 4), "TCCC": (1, 2)},
    ),
    KitSpec("Thermal imaging cameras", KitKind.EQUIPMENT, {"BSV": (2, None), "VSB": (1, None)}),
    KitSpec("Patrol vehicles (4x4)", KitKind.VEHICLE, {"BSV": (2, None), "VSB": (1, None)}),
)


def add_kit(
    factory: RowFactory,
    placements: Sequence[Placement],
    course_ids: dict[str, int],
    clashes: list[Clash],
) -> list[Clash]:
    """Kit rows and each course's needs; ``clashes`` less the kit clash when
    the plan is so busy that the range lanes are shared elsewhere too."""
    placed = next((events for rule, events in clashes if rule == KIT_CLASH), [])
    clash_keys = {id(p) for p in placed}
    real = False
    for spec in KIT:
        amounts: dict[int, int] = {}
        bookings = []
        for placement in placements:
            need = spec.needs.get(placement.course.code)
            if need is None or placement.status == "cancelled":
                continue
            amounts[id(placement)] = KitNeed(0, *need).for_seats(placement.seats)
            bookings.append((_start(placement), end_of(placement), id(placement)))
        bookings.sort()
        peaks = [peak(run, amounts) for run in runs(bookings)]
        if spec.scarce and clash_keys:
            others = [p.total for p in peaks if not p.event_ids & clash_keys]
            quantity = max(others, default=1)
            real = any(p.total > quantity for p in peaks if p.event_ids & clash_keys)
        else:
            quantity = max((p.total for p in peaks), default=1)
        kit_id = factory.add(
            "kit",
            name=spec.name,
            kind=spec.kind,
            quantity=max(quantity, 1),
            venue_id=None,
            nation_id=None,
            notes=spec.notes or None,
        )["id"]
        for code, (count, per) in spec.needs.items():
            if code in course_ids:
                factory.add(
                    "course_kit",
                    course_id=course_ids[code],
                    kit_id=kit_id,
                    quantity=count,
                    per_trainees=per,
                )
    return [(rule, events) for rule, events in clashes if rule != KIT_CLASH or real]


def _start(placement: Placement) -> datetime:
    return datetime.combine(date.fromordinal(placement.first), placement.start_time)
