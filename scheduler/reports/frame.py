"""What every page of a report carries around its body: marking, title, plan, period.

The marking is printed in a header band and a footer band on every page, so
a page torn off a printout still says how it must be handled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from scheduler.planning.wording import day_text
from scheduler.preferences import load_preferences

Orientation = Literal["landscape", "portrait"]
DEFAULT_MARKING = "OFFICIAL"


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


def resolve_marking(marking: str | None) -> str:
    """The marking asked for, else the planner's default, else OFFICIAL."""
    if marking and marking.strip():
        return marking.strip()
    return (load_preferences().marking or "").strip() or DEFAULT_MARKING


def partner_marking(marking: str | None, releasability: str | None) -> str:
    """As for a partner's workbook: the default marking gains the partner's
    releasability caveat; a marking typed by the planner is used as typed."""
    if marking and marking.strip():
        return marking.strip()
    base = resolve_marking(None)
    if releasability and "RELEASABLE" not in base.upper():
        return f"{base} RELEASABLE TO {releasability}"
    return base
