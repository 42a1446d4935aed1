"""The printed list: which columns are numbers, how the page width is shared out."""

from __future__ import annotations

from datetime import datetime

import pytest

from scheduler.reports.listing import Listing, numeric_columns, share_out
from scheduler.services.reports import listing_report


def test_numbers_counts_and_ratios_are_numeric_dates_and_refs_are_not() -> None:
    headings = ("Ref", "Seats", "Week", "Start", "Share")
    rows = [
        ("MK-2027-001", "12", "3/5", "2027-01-04 08:30", "80 %"),
        ("AL-2027-002", "", "–", "2027-01-05 08:30", "5 %"),
    ]
    assert numeric_columns(headings, rows) == (False, True, True, False, True)


def test_spare_room_widens_only_the_columns_that_wrap() -> None:
    widths = share_out([100, 300, 50], [False, True, False], 600)
    assert widths == pytest.approx((100, 450, 50))


def test_a_shortfall_narrows_only_wrapping_columns_and_never_below_their_longest_word() -> None:
    widths = share_out([100, 300, 200, 50], [False, True, True, False], 500, [0, 40, 150, 0])
    assert sum(widths) == pytest.approx(500)
    assert widths[0] == 100 and widths[3] == 50  # a ref and a count stay whole
    assert widths[2] == pytest.approx(150)  # pinned at its longest word
    assert widths[1] == pytest.approx(200)


def test_when_fixed_columns_alone_overflow_every_column_shares_alike() -> None:
    widths = share_out([400, 300, 300], [False, True, False], 500, [0, 250, 0])
    assert sum(widths) == pytest.approx(500)
    assert widths == pytest.approx((200, 150, 150))


def test_the_summary_counts_rows_not_section_headings_and_says_what_was_filtered() -> None:
    listing = Listing(
        "Conflicts",
        ("Conflict", "Severity"),
        (("Venue double-booked (1 open)", ""), ("Касарна Штип is booked twice", "Error")),
        scope="search “Штип”",
        noun="conflict",
        sections=frozenset({0}),
    )
    report = listing_report(listing, "Plan", now=lambda: datetime(2027, 1, 4, 9, 30))
    assert report.summary == "1 conflict · search “Штип”"
    assert report.frame.period == report.summary
    assert report.frame.marking == "OFFICIAL"
    assert report.frame.orientation == "landscape"
    assert report.numeric == (False, False)
