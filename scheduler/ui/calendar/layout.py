"""Where bars go in a grid of days: lanes per week row, and what does not fit.

Pure arithmetic on plain rows, so the painting widget only draws rectangles
and the rules (one lane per overlapping event, bars cut at week ends,
"+N more" when a day is full) are easy to follow.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from scheduler.services.calendar_rows import CalendarRow


@dataclass(frozen=True, slots=True)
class Segment:
    """The piece of one event's bar inside one week row."""

    row: CalendarRow
    week: int  # row of the grid
    first_col: int
    last_col: int
    lane: int
    continues_left: bool
    continues_right: bool


@dataclass(frozen=True, slots=True)
class GridLayout:
    segments: list[Segment]
    hidden: dict[date, int]  # day -> events not drawn there ("+N more")


def layout_rows(
    rows: Sequence[CalendarRow], days: Sequence[date], columns: int, lanes: int
) -> GridLayout:
    """Give every event a lane in each grid row it touches.

    ``days`` is the grid in reading order, ``columns`` per row; at most
    ``lanes`` lanes are drawn per row. Long events first, so that a course
    keeps a steady lane across its days; an event that does not fit is
    counted as hidden on each of its days.
    """
    if not days:
        return GridLayout([], {})
    index = {day: i for i, day in enumerate(days)}
    first_day, last_day = days[0], days[-1]
    per_week: dict[int, list[tuple[int, int, CalendarRow]]] = {}
    for row in rows:
        first = max(row.first_day, first_day)
        last = min(row.last_day, last_day)
        if first > last:
            continue
        position = index[first]
        end = index[last]
        while position <= end:
            week = position // columns
            week_end = min(end, (week + 1) * columns - 1)
            per_week.setdefault(week, []).append((position, week_end, row))
            position = week_end + 1
    segments: list[Segment] = []
    hidden: dict[date, int] = {}
    for week, pieces in per_week.items():
        pieces.sort(key=lambda p: (p[0], -(p[1] - p[0]), p[2].start, p[2].ref))
        # Only the lanes that are drawn are tracked: a piece that finds none of
        # them free is hidden, whichever lane it would have had beyond them
        # (first fit gives the same answer, without tracking hundreds of
        # lanes on a busy month of a large plan).
        used: list[list[bool]] = []  # lane -> column busy
        for start, end, row in pieces:
            cols = range(start - week * columns, end - week * columns + 1)
            lane = next(
                (n for n, busy in enumerate(used) if not any(busy[c] for c in cols)), len(used)
            )
            if lane >= lanes:
                for position in range(start, end + 1):
                    hidden[days[position]] = hidden.get(days[position], 0) + 1
                continue
            if lane == len(used):
                used.append([False] * columns)
            for c in cols:
                used[lane][c] = True
            segments.append(
                Segment(
                    row,
                    week,
                    cols.start,
                    cols.stop - 1,
                    lane,
                    row.first_day < days[start],
                    row.last_day > days[end],
                )
            )
    return GridLayout(segments, hidden)


def layout_fitting(
    rows: Sequence[CalendarRow], days: Sequence[date], columns: int, lanes: int
) -> GridLayout:
    """``layout_rows`` with ``lanes`` drawn, keeping the last one for "+N more"
    when anything is hidden.

    One pass: first fit puts a piece in the lowest free lane, and which lanes
    below the last are free never depends on the last lane, so laying out with
    one lane fewer gives the same lanes 0..lanes-2 and hides what was in the
    last one.
    """
    full = layout_rows(rows, days, columns, lanes)
    if not full.hidden:
        return full
    hidden = dict(full.hidden)
    kept = []
    for segment in full.segments:
        if segment.lane < lanes - 1:
            kept.append(segment)
            continue
        for column in range(segment.first_col, segment.last_col + 1):
            day = days[segment.week * columns + column]
            hidden[day] = hidden.get(day, 0) + 1
    return GridLayout(kept, hidden)
