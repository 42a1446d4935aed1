"""Printing a plan: the report a request asks for, read and built. Shared by GUI and CLI.

The reads are ``services.report_rows``'; the content is ``scheduler.reports``'
(plain data, no Qt), painted afterwards by ``scheduler.reports.render``. The
marking and the working week are resolved here from the planner's
preferences, so the content modules read neither plan nor settings.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from scheduler.preferences import load_preferences
from scheduler.progress import ProgressCallback
from scheduler.reports.instructor_schedule import build_instructor_report
from scheduler.reports.listing import Listing, ListingReport, build_listing_report
from scheduler.reports.month_calendar import build_calendar_report
from scheduler.reports.partner_readiness import build_readiness_report
from scheduler.reports.requests import Report, ReportRequest
from scheduler.reports.resource_timeline import build_timeline_report
from scheduler.services.coordination_rows import partner_coordination
from scheduler.services.markings import marking_for
from scheduler.services.plan_calendars import load_calendars
from scheduler.services.report_rows import (
    calendar_months,
    instructor_schedule,
    partner_readiness,
    report_period,
    timeline_for_print,
)
from scheduler.storage import Plan


def read_report(
    plan: Plan, request: ReportRequest, progress: ProgressCallback | None = None
) -> Report:
    """The report ``request`` asks for, read from one state of ``plan`` (the
    window calls this on a worker; the command with the plan opened read-only)."""
    plan_name = plan.name
    with plan.snapshot() as session:
        return build_report(session, plan_name, request, progress)


def build_report(
    session: Session,
    plan_name: str,
    request: ReportRequest,
    progress: ProgressCallback | None = None,
    *,
    now: Callable[[], datetime] = datetime.now,
) -> Report:
    """The report's content, read in the caller's session; no Qt."""
    request.check()
    if request.kind == "readiness":
        assert request.partner is not None
        partner, rows = partner_readiness(session, request.partner)
        readiness, providers = partner_coordination(session, partner)
        return build_readiness_report(
            plan_name,
            partner,
            rows,
            first=request.date_from,
            last=request.date_to,
            marking=marking_for(request.marking, partner.releasability),
            readiness=readiness,
            providers=providers,
            now=now,
        )
    first, last = report_period(session, request.date_from, request.date_to)
    marking = marking_for(request.marking)
    if request.kind == "calendar":
        preferences = load_preferences()
        read = calendar_months(session, first, last, progress)
        return build_calendar_report(
            plan_name,
            read.months,
            read.marks,
            week_start=preferences.week_start,
            working=load_calendars(session).any_working_weekdays(),
            marking=marking,
            now=now,
        )
    if request.kind == "timeline":
        printed = now()
        timeline = timeline_for_print(session, request.resource, first, last, printed.date())
        return build_timeline_report(
            plan_name,
            first,
            last,
            kind=request.resource,
            resources=timeline.resources,
            layout=timeline.layout,
            bars=timeline.bars,
            marking=marking,
            printed=printed,
            progress=progress,
        )
    assert request.instructor is not None
    return build_instructor_report(
        plan_name,
        instructor_schedule(session, request.instructor, first, last),
        first,
        last,
        marking=marking,
        progress=progress,
        now=now,
    )


def listing_report(
    listing: Listing,
    plan_name: str,
    *,
    marking: str | None = None,
    now: Callable[[], datetime] = datetime.now,
) -> ListingReport:
    """A list as shown on screen, marked as typed or by the planner's default."""
    return build_listing_report(listing, plan_name, marking=marking_for(marking), now=now)
