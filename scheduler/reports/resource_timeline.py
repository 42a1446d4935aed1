"""The resource timeline report: rows of people, venues or units, days across, tiled.

A year does not fit on one sheet, so the grid is cut into pages: across, a
fixed number of days per page (five weeks); down, a fixed number of rows per
page. Every page repeats the row labels at its left and the date header at
its top, so any sheet can be read alone. Pages run through all rows of the
first time slice, then all rows of the next: a team lead reading about one
month finds it on consecutive sheets. Keeping the counts fixed here (rather
than measuring fonts) means the page count is known without Qt.

Built from what ``services.report_rows.timeline_for_print`` reads (the
rows in the timeline page's default grouping, their bars and days off);
nothing here reads the plan.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil
from typing import TYPE_CHECKING, Literal

from scheduler.planning.wording import days_text
from scheduler.progress import Progress, ProgressCallback
from scheduler.reports.frame import ReportFrame

if TYPE_CHECKING:
    from scheduler.services.timeline_rows import (
        ResourceKind,
        TimelineBar,
        TimelineResources,
        TimelineRow,
    )


DAYS_PER_PAGE = 35
ROWS_PER_PAGE = 28
RESOURCE_TITLES: dict[str, str] = {
    "instructor": "Instructors",
    "venue": "Venues",
    "unit": "Units",
    "kit": "Kit",
}
# The heading of the rows' column: one of them.
RESOURCE_HEADINGS: dict[str, str] = {
    "instructor": "Instructor",
    "venue": "Venue",
    "unit": "Unit",
    "kit": "Kit",
}


@dataclass(frozen=True, slots=True)
class PrintBar:
    """A bar on a row: inclusive days, its label, and the lane it sits in when bars overlap."""

    first: date
    last: date
    label: str
    ref: str
    colour: str | None
    status: str
    lane: int = 0


@dataclass(frozen=True, slots=True)
class PrintShade:
    """Inclusive days a row is shaded: leave, a closure, a public holiday (``kind``)."""

    first: date
    last: date
    kind: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class PrintRow:
    kind: Literal["group", "resource"]
    label: str
    detail: str = ""
    depth: int = 0
    lanes: int = 1
    bars: tuple[PrintBar, ...] = ()
    off: tuple[PrintShade, ...] = ()


@dataclass(frozen=True, slots=True)
class PrintedTimelinePage:
    number: int  # 1-based
    first: date
    last: date
    rows: tuple[PrintRow, ...]
    sheet: int = 1  # which of the time slice's sheets of rows, 1-based
    sheets: int = 1  # how many sheets of rows each time slice takes
    first_row: int = 1  # 1-based position of ``rows[0]`` among all rows


@dataclass(frozen=True, slots=True)
class TimelineReport:
    frame: ReportFrame
    resource_title: str
    first: date
    last: date
    rows: tuple[PrintRow, ...]
    working_weekdays: frozenset[int]
    days_per_page: int = DAYS_PER_PAGE
    rows_per_page: int = ROWS_PER_PAGE

    @property
    def slices(self) -> list[tuple[date, date]]:
        found = []
        start = self.first
        while start <= self.last:
            end = min(start + timedelta(days=self.days_per_page - 1), self.last)
            found.append((start, end))
            start = end + timedelta(days=1)
        return found

    @property
    def sheets(self) -> int:
        """Sheets of rows a time slice takes."""
        return max(1, ceil(len(self.rows) / self.rows_per_page))

    @property
    def page_count(self) -> int:
        return len(self.slices) * self.sheets

    def pages(self) -> list[PrintedTimelinePage]:
        """All rows of the first time slice, then all rows of the next, and so on."""
        found: list[PrintedTimelinePage] = []
        size, sheets = self.rows_per_page, self.sheets
        for first, last in self.slices:
            for sheet in range(sheets):
                rows = self.rows[sheet * size : (sheet + 1) * size]
                found.append(
                    PrintedTimelinePage(
                        len(found) + 1, first, last, rows, sheet + 1, sheets, sheet * size + 1
                    )
                )
        return found


def _lanes(
    bars: Iterable[TimelineBar], first: date, last: date
) -> tuple[tuple[PrintBar, ...], int]:
    """Bars clipped to the period, each in the lowest lane free on its days."""
    ends: list[date] = []  # last day taken in each lane
    placed = []
    for bar in sorted(bars, key=lambda b: (b.first, b.last, b.ref)):
        if bar.last < first or bar.first > last:
            continue
        lane = next((i for i, end in enumerate(ends) if end < bar.first), len(ends))
        if lane == len(ends):
            ends.append(bar.last)
        else:
            ends[lane] = bar.last
        placed.append(
            PrintBar(
                max(bar.first, first),
                min(bar.last, last),
                bar.course_code,
                bar.ref,
                bar.colour,
                bar.status,
                lane,
            )
        )
    return tuple(placed), max(1, len(ends))


def _spans(days: list[tuple[date, str]], kind: str) -> list[PrintShade]:
    """Consecutive days with the same reason joined into one span."""
    spans: list[PrintShade] = []
    for day, reason in days:
        previous = spans[-1] if spans else None
        if previous and previous.reason == reason and previous.last + timedelta(days=1) == day:
            spans[-1] = PrintShade(previous.first, day, kind, reason)
        else:
            spans.append(PrintShade(day, day, kind, reason))
    return spans


def build_timeline_report(
    plan_name: str,
    first: date,
    last: date,
    *,
    kind: ResourceKind,
    resources: TimelineResources,
    layout: Sequence[TimelineRow],
    bars: Mapping[int, list[TimelineBar]],
    marking: str,
    printed: datetime,
    progress: ProgressCallback | None = None,
) -> TimelineReport:
    """Rows of ``kind`` in the order of ``layout`` (group headings and
    resources), each with its bars and days off clipped to ``first``..``last``."""
    calendars = resources.calendars
    counter = Progress(progress, len(layout), step=200)
    rows: list[PrintRow] = []
    # per nation and region: the same for every row there
    holidays: dict[tuple[str | None, str | None], list[PrintShade]] = {}
    for line in layout:
        counter.advance()
        if line.kind == "group":
            rows.append(PrintRow("group", line.label))
            continue
        resource = resources.resources[line.index]
        placed, lanes = _lanes(bars.get(resource.id, []), first, last)
        off = [
            PrintShade(max(s.first, first), min(s.last, last), s.kind, s.reason)
            for s in resources.shades.get(resource.id, ())
            if s.first <= last and s.last >= first
        ]
        if kind != "unit":
            place = (resource.nation_code, resource.holiday_region)
            if place not in holidays:
                holidays[place] = _spans(
                    calendars.for_nation(*place).days_off_between(first, last), "holiday"
                )
            off += holidays[place]
        rows.append(
            PrintRow(
                "resource", resource.name, resource.detail, line.depth, lanes, placed, tuple(off)
            )
        )
    counter.finish()
    title = RESOURCE_TITLES[kind]
    frame = ReportFrame(
        title=f"Resource timeline: {title.lower()}",
        plan_name=plan_name,
        period=days_text(first, last),
        marking=marking,
        printed=printed,
        orientation="landscape",
    )
    return TimelineReport(
        frame, RESOURCE_HEADINGS[kind], first, last, tuple(rows), calendars.any_working_weekdays()
    )
