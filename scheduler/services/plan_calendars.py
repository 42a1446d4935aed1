"""The plan's working calendars, read once for whoever counts working days.

Every view, check, export and report asks here, so the window, the commands
and every planner of a shared plan count a course's days alike: the working
week is each nation's, stored in the plan, not a personal setting.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import ClosureDay, Nation
from scheduler.planning.data import MONDAY_TO_FRIDAY, ClosureData
from scheduler.planning.workdays import PlanCalendars, WorkingCalendar


def working_week(days: list[int] | None) -> frozenset[int]:
    """A stored working week; an empty or missing one is Monday to Friday."""
    return frozenset(days) if days else MONDAY_TO_FRIDAY


def load_calendars(
    session: Session, first: date | None = None, last: date | None = None
) -> PlanCalendars:
    """Every nation's calendar with the plan's closure days (those of
    [first, last] when given: a view of a few weeks needs no more)."""
    query = select(ClosureDay.day, ClosureDay.name, Nation.code).outerjoin(
        Nation, ClosureDay.nation_id == Nation.id
    )
    if first is not None:
        query = query.where(ClosureDay.day >= first)
    if last is not None:
        query = query.where(ClosureDay.day <= last)
    closures = [ClosureData(day, name, code) for day, name, code in session.execute(query)]
    nations = list(
        session.execute(select(Nation.code, Nation.holiday_calendar, Nation.working_weekdays))
    )
    return PlanCalendars(
        closures,
        {code: holiday or code for code, holiday, _week in nations},
        {code: working_week(week) for code, _holiday, week in nations},
    )


def place_calendar(
    session: Session, nation_code: str | None, region: str | None
) -> WorkingCalendar:
    """The calendar of one host place, read with the closures of that nation
    only: what an edit of one event needs."""
    closures = [
        ClosureData(day, name, code)
        for day, name, code in session.execute(
            select(ClosureDay.day, ClosureDay.name, Nation.code)
            .outerjoin(Nation, Nation.id == ClosureDay.nation_id)
            .where((ClosureDay.nation_id.is_(None)) | (Nation.code == nation_code))
        )
    ]
    nation = session.execute(
        select(Nation.holiday_calendar, Nation.working_weekdays).where(Nation.code == nation_code)
    ).first()
    holidays, week = nation if nation is not None else (None, None)
    calendars = PlanCalendars(
        closures,
        {nation_code: holidays or nation_code} if nation_code else {},
        {nation_code: working_week(week)} if nation_code else {},
    )
    return calendars.for_nation(nation_code, region)
