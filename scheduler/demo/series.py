"""Recurring training of the demo plan and how its occurrences are placed.

An occurrence that would fall on a host-nation holiday, a closed venue or a
day no instructor can take is left out through the series' exception dates,
as a planner would do, so the series adds no conflicts of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from dateutil.rrule import rrulestr

from scheduler.demo.bookings import InstructorDiary, UnitDiary, VenueDiary
from scheduler.demo.catalogue import CourseSpec
from scheduler.demo.placement import Placement, Planner


@dataclass(frozen=True, slots=True)
class SeriesSpec:
    course: str
    rule: str
    start_time: time
    venue: str
    audience: tuple[tuple[str, int], ...]
    partner_remarks: str | None = None


SERIES: tuple[SeriesSpec, ...] = (
    SeriesSpec(
        "EFO", "FREQ=WEEKLY;BYDAY=WE", time(9, 0), "Касарна „Илинден“ — училници",
        (("MK-ACAD", 12),),
        "Часовите се одржуваат секоја среда; донесете го учебникот „Campaign 2“.",
    ),
    SeriesSpec(
        "JIT", "FREQ=MONTHLY;BYDAY=1TU", time(9, 0), "Хотел „Александар Палас“",
        (("MK-BP", 8), ("AL-BP", 6)),
        "Regional JIT practice: one case file per month, prosecutors invited.",
    ),
    SeriesSpec(
        "CFA-R", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", time(13, 0), "Касарна Штип — центар за обука",
        (("MK-LIB-S", 16),),
    ),
    SeriesSpec(
        "DFD-SQ", "FREQ=MONTHLY;BYDAY=3MO", time(8, 30), "Akademia e Kosovës për Siguri Publike",
        (("XK-BP-E", 10),),
        "Klinikë mujore për dokumentet e dyshimta; sillni raste nga pikat kufitare.",
    ),
)  # fmt: skip


@dataclass(slots=True, eq=False)
class PlacedSeries:
    index: int
    spec: SeriesSpec
    rrule: str
    dtstart: datetime
    exdates: list[str]
    placements: list[Placement]


def _until(day: date) -> str:
    return f"{day:%Y%m%d}T235959"


def place_series(
    planner: Planner,
    index: int,
    spec: SeriesSpec,
    course: CourseSpec,
    venue: VenueDiary,
    units: dict[str, UnitDiary],
    first_day: date,
    last_day: date,
    budget: int,
) -> PlacedSeries | None:
    """Occurrences from ``first_day`` to ``last_day``, at most ``budget`` of them."""
    calendar = planner.calendars[venue.nation]
    audience = [(units[code], seats) for code, seats in spec.audience]
    rule = rrulestr(
        f"{spec.rule};UNTIL={_until(last_day)}",
        dtstart=datetime.combine(first_day, spec.start_time),
    )
    lead: list[InstructorDiary] = []
    placed: list[Placement] = []
    exdates: list[str] = []
    occurrences: list[datetime] = list(rule)
    if not occurrences or budget <= 0:
        return None
    for when in occurrences:
        if len(placed) >= budget:
            break
        day = when.date().toordinal()
        placement = None
        if calendar.is_working(day):
            if lead:
                placement = planner.try_place(course, audience, day, [venue], fixed=lead)
            if placement is None:
                placement = planner.try_place(course, audience, day, [venue])
        if placement is None or placement.first != day:
            exdates.append(when.isoformat())
            continue
        if not lead:
            lead = [p for p, _role in placement.staff][:1]
        placement.start_time = spec.start_time
        placement.series = index
        placement.recurrence_id = when
        placement.partner_remarks = spec.partner_remarks
        placed.append(planner.commit(placement))
    if not placed:
        return None
    last = placed[-1].recurrence_id
    assert last is not None
    exdates = [text for text in exdates if text <= last.isoformat()]
    return PlacedSeries(
        index=index,
        spec=spec,
        rrule=f"{spec.rule};UNTIL={_until(last.date())}",
        dtstart=occurrences[0],
        exdates=exdates,
        placements=placed,
    )
