"""How dates, periods and lists read in messages a planner sees.

Month names are spelled out here rather than taken from ``strftime`` so that
a message reads the same whatever the machine's locale is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAY_DATE = "%a %d %b %Y"  # Tue 02 Mar 2027


def date_format(moment: date, pattern: str) -> str:
    """``moment.strftime(pattern)`` with English day and month names.

    ``strftime`` names days and months in the C library's locale, which Qt
    sets from the machine's on Linux: a Serbian laptop would show "уто" in
    an English window. %a, %A, %b and %B are spelled out here instead.
    """
    names = {
        "%a": WEEKDAYS[moment.weekday()],
        "%A": WEEKDAY_NAMES[moment.weekday()],
        "%b": MONTHS[moment.month - 1],
        "%B": MONTH_NAMES[moment.month - 1],
    }
    for code, name in names.items():
        pattern = pattern.replace(code, name)
    return moment.strftime(pattern)


def day_text(day: date) -> str:
    """``3 Mar 2027``."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def days_text(first: date, last: date) -> str:
    """``3–5 Mar 2027``, ``28 Feb – 2 Mar 2027`` or ``30 Dec 2027 – 2 Jan 2028``."""
    if last < first:
        first, last = last, first
    if first == last:
        return day_text(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {MONTHS[last.month - 1]} {last.year}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def and_list(items: Iterable[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    words = list(items)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def count_text(number: int, noun: str) -> str:
    """``1 error``, ``3 errors``, ``1,204 events`` (nouns whose plural adds an s)."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def shown_of(shown: int, total: int) -> str:
    """A list's count: "1,204" when it shows everything, "37 of 1,204" when narrowed."""
    return f"{shown:,} of {total:,}" if shown != total else f"{total:,}"
