"""Converting between Qt's QDate and Python's date.

PySide6's ``QDate.toPython()`` is typed as returning ``object``; these two
small functions keep the conversions typed and in one place.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
