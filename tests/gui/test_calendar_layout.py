"""The month grid's lanes: one pass gives what laying out twice gave."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

import pytest

from scheduler.services.calendar_rows import CalendarRow
from scheduler.ui.calendar.layout import GridLayout, layout_fitting, layout_rows


def _row(n: int, first: date, days: int) -> CalendarRow:
    start = datetime.combine(first, datetime.min.time()) + timedelta(hours=9)
    return CalendarRow(
        id=n,
        uuid=f"u{n}",
        ref=f"EV-{n:03}",
        course_code="C",
        title="Course",
        category="",
        colour=None,
        start=start,
        end=start + timedelta(days=days - 1, hours=8),
        status="planned",
        venue="",
        nation="",
    )


def _twice(rows: list[CalendarRow], days: list[date], lanes: int) -> GridLayout:
    """The old rule: lay out again with one lane fewer when anything was hidden."""
    full = layout_rows(rows, days, 7, lanes)
    return layout_rows(rows, days, 7, max(lanes - 1, 0)) if full.hidden else full


@pytest.mark.parametrize("seed", range(25))
def test_one_pass_keeps_the_last_lane_for_more_as_before(seed: int) -> None:
    chance = random.Random(seed)
    grid = [date(2027, 2, 22) + timedelta(days=i) for i in range(42)]
    rows = [
        _row(n, chance.choice(grid) - timedelta(days=chance.randint(0, 3)), chance.randint(1, 9))
        for n in range(chance.randint(0, 60))
    ]
    lanes = chance.randint(1, 6)
    one_pass, before = layout_fitting(rows, grid, 7, lanes), _twice(rows, grid, lanes)
    assert sorted(one_pass.segments, key=repr) == sorted(before.segments, key=repr)
    assert one_pass.hidden == before.hidden
