"""Deconfliction between providers: a planted duplicate and clash, and a clean case."""

from __future__ import annotations

from datetime import date

from scheduler.planning.deconfliction import DUPLICATE, SAME_UNIT, ProviderRun, overlaps

BN, COY = 10, 11


def _run(
    id: int, course: int, first: date, last: date, provider: str = "", *, unit: int = BN,
    nation: str = "MK",
) -> ProviderRun:  # fmt: skip
    return ProviderRun(id, f"R{id}", nation, course, first, last, frozenset({unit}), provider)


CELL = [
    _run(1, 100, date(2027, 3, 1), date(2027, 3, 12)),
    _run(2, 101, date(2027, 5, 3), date(2027, 5, 7), unit=COY),
    _run(3, 100, date(2027, 3, 15), date(2027, 3, 19), unit=COY),  # the cell's own repeat
]


def test_a_planted_duplicate_and_a_unit_booked_twice_are_found() -> None:
    nca = _run(10, 100, date(2027, 4, 5), date(2027, 4, 9), "National Crime Agency", unit=COY)
    italy = _run(11, 200, date(2027, 5, 5), date(2027, 5, 12), "Italy", unit=COY)
    found = overlaps([*CELL, nca, italy])
    assert [(o.kind, o.first.ref, o.second.ref) for o in found] == [
        (DUPLICATE, "R1", "R10"),
        (DUPLICATE, "R3", "R10"),
        (SAME_UNIT, "R2", "R11"),
    ]
    assert found[2].shared_units == frozenset({COY})


def test_a_clean_plan_has_nothing_to_deconflict() -> None:
    far = _run(10, 100, date(2027, 9, 6), date(2027, 9, 10), "National Crime Agency")
    other_partner = _run(11, 100, date(2027, 3, 1), date(2027, 3, 5), "EU", nation="RS")
    other_course = _run(12, 300, date(2027, 3, 1), date(2027, 3, 5), "NATO", unit=99)
    assert overlaps([*CELL, far, other_partner, other_course]) == []
    # The cell repeating its own course is planning, not a clash between providers.
    assert overlaps(CELL) == []
