"""Dates read the same in every message, whatever the machine's locale."""

from __future__ import annotations

from datetime import date, datetime

from scheduler.planning.wording import date_format, day_text, days_text


def test_dates_spell_out_english_day_and_month_names() -> None:
    moment = datetime(2027, 3, 2, 8, 30)
    assert date_format(moment, "%a %d %b %Y %H:%M") == "Tue 02 Mar 2027 08:30"
    assert date_format(moment, "%A %d %B %Y") == "Tuesday 02 March 2027"
    assert date_format(date(2027, 12, 26), "%B %Y") == "December 2027"


def test_periods_read_short() -> None:
    assert day_text(date(2027, 3, 3)) == "3 Mar 2027"
    assert days_text(date(2027, 2, 28), date(2027, 3, 2)) == "28 Feb – 2 Mar 2027"
