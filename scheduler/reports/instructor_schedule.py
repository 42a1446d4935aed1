"""An instructor's personal schedule: their events and leave over a period, in date order.

The total counts booked working days once each (two events on one day are
one day booked), on the host nation's working calendar, as the workload
rule does. Cancelled events stay in the list, struck through, and count for
nothing.

Built from what ``services.report_rows.instructor_schedule`` reads (the
person, their events as export rows, their absences); nothing here reads
the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from scheduler.exchange.rows import working_days
from scheduler.planning.data import CANCELLED, last_day_of
from scheduler.planning.wording import days_text
from scheduler.progress import Progress, ProgressCallback
from scheduler.reports.frame import ReportFrame

if TYPE_CHECKING:
    from scheduler.services.report_rows import InstructorSchedule


@dataclass(frozen=True, slots=True)
class ScheduleLine:
    """An event (``kind`` "event") or an absence (leave, deployment, travel)."""

    kind: str
    first: date
    last: date
    title: str  # course code and title, or the absence's kind
    ref: str = ""
    venue: str = ""
    role: str = ""
    units: str = ""
    working_days: int = 0
    status: str = ""
    note: str = ""

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED


@dataclass(frozen=True, slots=True)
class InstructorReport:
    frame: ReportFrame
    name: str
    about: str  # role, organisation and nation
    lines: tuple[ScheduleLine, ...]
    booked_days: int
    events: int
    absent_days: int


def build_instructor_report(
    plan_name: str,
    schedule: InstructorSchedule,
    first: date,
    last: date,
    *,
    marking: str,
    progress: ProgressCallback | None = None,
    now: Callable[[], datetime] = datetime.now,
) -> InstructorReport:
    """The person's events (read as this goes, a chunk at a time) and absences
    over ``first``..``last``, in date order, with the working days booked."""
    real_name = schedule.name
    calendars = schedule.calendars
    lines: list[ScheduleLine] = []
    booked: set[date] = set()
    counter = Progress(progress, schedule.events, step=100)
    events = 0
    for row in schedule.rows:
        counter.advance()
        events += 1
        if row.modules:
            # Held in modules: the person's own modules, each with its days and place.
            for module in row.modules:
                roles = [s.role for s in module.staff if s.name == real_name]
                if not roles:
                    continue
                last_day = last_day_of(module.start, module.end)
                calendar = calendars.for_nation(module.nation_code, row.holiday_region)
                days = calendar.working_days_in(module.start.date(), last_day)
                cancelled = row.status == CANCELLED
                if not cancelled:
                    booked.update(d for d in days if first <= d <= last)
                lines.append(
                    ScheduleLine(
                        "event",
                        module.start.date(),
                        last_day,
                        f"{row.course_code} {row.course_title} — {module.title}",
                        row.ref,
                        ", ".join(p for p in (module.venue_name, module.nation_code) if p),
                        roles[0],
                        ", ".join(a.code for a in row.audience),
                        0 if cancelled else len(days),
                        row.status,
                    )
                )
            continue
        own = [s.role for s in row.staff if s.name == real_name]
        venue = ", ".join(part for part in (row.venue_name, row.nation_code) if part)
        cancelled = row.status == CANCELLED
        if not cancelled:
            calendar = calendars.for_nation(row.nation_code, row.holiday_region)
            booked.update(
                calendar.working_days_in(max(row.start.date(), first), min(row.last_day, last))
            )
        lines.append(
            ScheduleLine(
                "event",
                row.start.date(),
                row.last_day,
                f"{row.course_code} {row.course_title}",
                row.ref,
                venue,
                own[0] if own else "",
                ", ".join(a.code for a in row.audience),
                0 if cancelled else working_days(calendars, row),
                row.status,
            )
        )
    absent = 0
    for start, end, kind, reason in schedule.absences:
        absent += (min(end, last) - max(start, first)).days + 1
        label = (kind or "leave").capitalize()
        lines.append(ScheduleLine("absence", start, end, label, note=reason or ""))
    lines.sort(key=lambda line: (line.first, line.kind != "absence", line.last, line.ref))
    counter.finish()
    role, organisation, nation = schedule.role, schedule.organisation, schedule.nation
    about = " · ".join(
        part for part in (role.capitalize() if role else "", organisation, nation) if part
    )
    frame = ReportFrame(
        title=f"Schedule: {real_name}",
        plan_name=plan_name,
        period=days_text(first, last),
        marking=marking,
        printed=now(),
        orientation="portrait",
    )
    return InstructorReport(frame, real_name, about, tuple(lines), len(booked), events, absent)
