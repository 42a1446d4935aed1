"""Where things are on the timeline: days to x, rows to y, zoom steps.

Kept apart from painting so the mouse code and the painter agree on one
layout, and so the sizes are named once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

LABEL_WIDTH = 270  # names on the left, with the utilisation strip
USE_WIDTH = 54  # the utilisation strip at the right of the names
BAND_HEIGHT = 18  # one header band: months, ISO weeks, days
HEADER_HEIGHT = 3 * BAND_HEIGHT
ROW_HEIGHT = 24
MIN_DAYS, MAX_DAYS = 7.0, 371.0  # zoom: one week to a whole year (and a bit)
SLIDER_STEPS = 100


def days_for_slider(value: int) -> float:
    """Visible days for a slider position: logarithmic, so each step feels alike."""
    fraction = min(max(value, 0), SLIDER_STEPS) / SLIDER_STEPS
    return MIN_DAYS * (MAX_DAYS / MIN_DAYS) ** fraction


def slider_for_days(days: float) -> int:
    days = min(max(days, MIN_DAYS), MAX_DAYS)
    return round(SLIDER_STEPS * math.log(days / MIN_DAYS) / math.log(MAX_DAYS / MIN_DAYS))


@dataclass(frozen=True, slots=True)
class DayAxis:
    """Days across: ``first`` at x = LABEL_WIDTH when scrolled to 0."""

    first: date
    days: int
    day_width: float
    scroll_x: int
    data_width: int

    def x_of(self, day: date) -> float:
        return LABEL_WIDTH + (day - self.first).days * self.day_width - self.scroll_x

    def day_at(self, x: float) -> date:
        offset = (x - LABEL_WIDTH + self.scroll_x) / self.day_width
        return self.first + timedelta(days=math.floor(offset))

    def visible(self) -> tuple[date, date]:
        """The first and last day at least partly in view, clipped to the period."""
        low = self.day_at(LABEL_WIDTH)
        high = self.day_at(LABEL_WIDTH + self.data_width - 1)
        last = self.first + timedelta(days=self.days - 1)
        return max(low, self.first), min(high, last)

    @property
    def total_width(self) -> int:
        return math.ceil(self.days * self.day_width)
