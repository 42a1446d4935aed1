"""Report content without Qt: periods, month grids, timeline tiling."""

from __future__ import annotations

from datetime import date, datetime

from scheduler.planning.periods import add_months, month_end, months_between
from scheduler.reports.frame import ReportFrame
from scheduler.reports.month_calendar import _month
from scheduler.reports.resource_timeline import PrintRow, TimelineReport
from scheduler.services.calendar_rows import DayMarks


def test_months_between_and_ends() -> None:
    assert months_between(date(2027, 1, 15), date(2027, 3, 2)) == [
        date(2027, 1, 1),
        date(2027, 2, 1),
        date(2027, 3, 1),
    ]
    assert month_end(date(2028, 2, 3)) == date(2028, 2, 29)
    assert add_months(date(2027, 11, 30), 3) == date(2028, 2, 1)


def test_month_grid_starts_on_the_chosen_weekday() -> None:
    working = frozenset({0, 1, 2, 3, 4})
    monday = _month(date(2027, 2, 1), [], 0, working, DayMarks())
    assert monday.weeks[0][0].day == date(2027, 2, 1)  # a Monday
    assert len(monday.weeks) == 4
    sunday = _month(date(2027, 2, 1), [], 6, working, DayMarks())
    assert sunday.weeks[0][0].day == date(2027, 1, 31)
    assert not sunday.weeks[0][0].in_month
    assert all(len(week) == 7 for week in sunday.weeks)
    assert sunday.weeks[0][0].day_off and not sunday.weeks[0][1].day_off


def test_timeline_pages_run_down_the_rows_then_across_the_days() -> None:
    frame = ReportFrame("t", "p", "", "OFFICIAL", datetime(2027, 1, 1))
    rows = tuple(PrintRow("resource", f"Person {i}") for i in range(60))
    report = TimelineReport(
        frame, "Instructor", date(2027, 1, 1), date(2027, 3, 31), rows, frozenset(range(5))
    )
    pages = report.pages()
    assert report.page_count == len(pages) == 3 * 3  # 91 days / 35, 60 rows / 28
    assert [p.first for p in pages[:4]] == [date(2027, 1, 1)] * 3 + [date(2027, 2, 5)]
    assert pages[0].rows[0].label == "Person 0" and pages[1].rows[0].label == "Person 28"
    assert pages[-1].last == date(2027, 3, 31)
