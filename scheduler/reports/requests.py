"""What the command and the window ask to print, and what they get back.

``services.reports.build_report`` reads the plan for a request and builds
the report from these modules; nothing here reads the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Literal

from scheduler.errors import UserError
from scheduler.reports.certificates import CertificateReport
from scheduler.reports.instructor_schedule import InstructorReport
from scheduler.reports.listing import ListingReport
from scheduler.reports.month_calendar import CalendarReport
from scheduler.reports.partner_readiness import ReadinessReport
from scheduler.reports.resource_timeline import TimelineReport

if TYPE_CHECKING:
    from scheduler.services.timeline_rows import ResourceKind

ReportKind = Literal["calendar", "timeline", "readiness", "instructor"]
REPORT_KINDS: tuple[ReportKind, ...] = ("calendar", "timeline", "readiness", "instructor")
# A ListingReport is printed from the window only: its rows are the view's.
Report = (
    CalendarReport
    | TimelineReport
    | ReadinessReport
    | InstructorReport
    | ListingReport
    | CertificateReport
)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What to print. ``marking`` None means the planner's default (preferences)."""

    kind: ReportKind
    partner: str | None = None
    instructor: str | None = None
    resource: ResourceKind = "instructor"
    date_from: date | None = None
    date_to: date | None = None
    marking: str | None = None

    def check(self) -> None:
        """Refuse what cannot work before the plan is opened."""
        if self.kind not in REPORT_KINDS:
            raise UserError(f"There is no report “{self.kind}”; choose {', '.join(REPORT_KINDS)}.")
        if self.kind == "readiness" and not (self.partner or "").strip():
            raise UserError("The readiness report is for one partner: give --partner CODE.")
        if self.kind == "instructor" and not (self.instructor or "").strip():
            raise UserError("The instructor report is for one person: give --instructor NAME.")
        if self.date_from and self.date_to and self.date_to < self.date_from:
            raise UserError(
                f"The period ends ({self.date_to}) before it starts ({self.date_from})."
            )
