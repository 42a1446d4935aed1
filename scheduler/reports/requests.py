"""One entry point for every report kind, shared by the command and the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.exchange.progress import ProgressCallback
from scheduler.reports.instructor_schedule import InstructorReport, build_instructor_report
from scheduler.reports.listing import ListingReport
from scheduler.reports.month_calendar import CalendarReport, build_calendar_report
from scheduler.reports.partner_readiness import ReadinessReport, build_readiness_report
from scheduler.reports.periods import report_period
from scheduler.reports.resource_timeline import TimelineReport, build_timeline_report
from scheduler.services.timeline_rows import ResourceKind

ReportKind = Literal["calendar", "timeline", "readiness", "instructor"]
REPORT_KINDS: tuple[ReportKind, ...] = ("calendar", "timeline", "readiness", "instructor")
# A ListingReport is printed from the window only: its rows are the view's.
Report = CalendarReport | TimelineReport | ReadinessReport | InstructorReport | ListingReport


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


def build_report(
    session: Session,
    plan_name: str,
    request: ReportRequest,
    progress: ProgressCallback | None = None,
) -> Report:
    """The report's content, read in the caller's session; no Qt."""
    request.check()
    if request.kind == "readiness":
        assert request.partner is not None
        return build_readiness_report(
            session,
            plan_name,
            request.partner,
            first=request.date_from,
            last=request.date_to,
            marking=request.marking,
        )
    first, last = report_period(session, request.date_from, request.date_to)
    if request.kind == "calendar":
        return build_calendar_report(
            session, plan_name, first, last, marking=request.marking, progress=progress
        )
    if request.kind == "timeline":
        return build_timeline_report(
            session,
            plan_name,
            first,
            last,
            kind=request.resource,
            marking=request.marking,
            progress=progress,
        )
    assert request.instructor is not None
    return build_instructor_report(
        session,
        plan_name,
        request.instructor,
        first,
        last,
        marking=request.marking,
        progress=progress,
    )
