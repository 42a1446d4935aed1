"""What every page of a report carries around its body: marking, title, plan, period.

The marking is printed in a header band and a footer band on every page, so
a page torn off a printout still says how it must be handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from scheduler.planning.wording import day_text

Orientation = Literal["landscape", "portrait"]


@dataclass(frozen=True, slots=True)
class ReportFrame:
    """The texts around a report's body, the same on each page but the page number."""

    title: str
    plan_name: str
    period: str
    marking: str
    printed: datetime
    orientation: Orientation = "landscape"

    @property
    def printed_text(self) -> str:
        return f"Printed {day_text(self.printed.date())} {self.printed:%H:%M}"
