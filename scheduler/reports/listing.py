"""A list as the planner sees it (events, conflicts, courses…), printed as a marked table.

The window hands over a ``Listing``: the rows its view shows, in the order
and with the columns shown, after the search and filters. Nothing is read
from the plan here, so what prints is exactly what was on screen. Column
widths follow the texts (measured where they are painted, in
``render/listing_pages.py``), and a column of numbers is right-aligned, as
in the table it came from.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from scheduler.planning.wording import count_text
from scheduler.reports.frame import ReportFrame

_NUMBER = re.compile(r"^[-+]?[\d\s.,:/%–]+$")


@dataclass(frozen=True, slots=True)
class Listing:
    """What a view shows: ``title`` ("Events"), headings, rows of texts, and
    ``scope``, the words that say which rows these are ("12 of 3,480 ·
    search “Криволак”"). ``numeric`` marks columns of numbers; None asks
    the report to tell them from their texts."""

    title: str
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    scope: str = ""
    numeric: tuple[bool, ...] | None = None
    noun: str = "row"
    sections: frozenset[int] = frozenset()  # rows that head a group (text in column one)


@dataclass(frozen=True, slots=True)
class ListingReport:
    frame: ReportFrame
    headings: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]
    summary: str
    sections: frozenset[int] = frozenset()


def build_listing_report(
    listing: Listing,
    plan_name: str,
    *,
    marking: str,
    now: Callable[[], datetime] = datetime.now,
) -> ListingReport:
    """The list as printed; ``marking`` is the one to print (the planner's
    default resolved by ``services.reports.listing_report``)."""
    body = [row for i, row in enumerate(listing.rows) if i not in listing.sections]
    numeric = listing.numeric or numeric_columns(listing.headings, body)
    summary = count_text(len(body), listing.noun)
    if listing.scope:
        summary = f"{summary} · {listing.scope}"
    frame = ReportFrame(
        title=listing.title,
        plan_name=plan_name,
        period=summary,
        marking=marking,
        printed=now(),
        orientation="landscape",
    )
    return ListingReport(
        frame,
        listing.headings,
        listing.rows,
        tuple(numeric),
        summary,
        listing.sections,
    )


def numeric_columns(
    headings: Sequence[str], rows: Sequence[Sequence[str]], sample: int = 2000
) -> tuple[bool, ...]:
    """Columns whose filled cells all read as numbers ("12", "3/5", "80 %")."""
    found = []
    for column in range(len(headings)):
        texts = [row[column] for row in rows[:sample] if row[column]]
        found.append(bool(texts) and all(_NUMBER.match(text) for text in texts))
    return tuple(found)


def share_out(
    naturals: Sequence[float],
    flexible: Sequence[bool],
    room: float,
    minimums: Sequence[float] | None = None,
) -> tuple[float, ...]:
    """Column widths that fill ``room`` exactly.

    Spare room widens the flexible columns (texts that can wrap: titles,
    names, messages); a shortfall narrows only them, and none below its
    minimum (its longest word), so a ref, a date or a word never loses its
    end to "…". When that cannot be done, every column shares alike.
    """
    count = len(naturals)
    total = sum(naturals)
    if total <= 0:
        return tuple(room / max(count, 1) for _ in naturals)
    floors = list(minimums) if minimums is not None else [0.0] * count
    widths = list(naturals)
    growing = {i for i in range(count) if flexible[i]} or set(range(count))
    while growing:
        fixed = sum(widths[i] for i in range(count) if i not in growing)
        wanted = sum(naturals[i] for i in growing)
        share = (room - fixed) / wanted if wanted > 0 else 0.0
        pinned = {i for i in growing if naturals[i] * share < floors[i]}
        if not pinned:
            for i in growing:
                widths[i] = naturals[i] * share
            return tuple(widths)
        for i in pinned:
            widths[i] = floors[i]
        growing -= pinned
    return tuple(room * n / total for n in naturals)
