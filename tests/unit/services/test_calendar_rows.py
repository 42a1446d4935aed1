"""The calendar's range query: exactly the overlapping events, filters, shading."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from scheduler.model import TrainingEvent
from scheduler.services.calendar_rows import (
    CalendarFilters,
    Longest,
    calendar_rows,
    day_marks,
)
from scheduler.services.event_extent import longest_event
from scheduler.storage import open_plan


def test_rows_are_exactly_the_events_overlapping_the_range(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        longest = longest_event(session)
        assert longest >= timedelta(days=27)  # the demo's longest course
        everything = session.execute(
            select(TrainingEvent.ref, TrainingEvent.start, TrainingEvent.end)
        ).all()
        for first, last in (
            (date(2027, 3, 1), date(2027, 4, 4)),
            (date(2027, 4, 10), date(2027, 4, 10)),
        ):
            a, b = (
                datetime.combine(first, time()),
                datetime.combine(last + timedelta(days=1), time()),
            )
            expected = {ref for ref, start, end in everything if start < b and end > a}
            rows = calendar_rows(session, first, last, longest)
            assert {r.ref for r in rows} == expected
            assert [r.start for r in rows] == sorted(r.start for r in rows)


def test_a_longer_event_made_later_is_still_found(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        kept = Longest(longest_event(session))
        event = session.scalars(select(TrainingEvent).order_by(TrainingEvent.start)).first()
        assert event is not None
        event.end = event.start + timedelta(days=200)
        session.flush()
        late = (event.start + timedelta(days=150)).date()
        assert event.ref not in {r.ref for r in calendar_rows(session, late, late, kept.span)}
        kept.note(session, [event.id])
        assert event.ref in {r.ref for r in calendar_rows(session, late, late, kept.span)}


def test_filters_and_search_fold_case_and_unicode(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        rows = calendar_rows(session, date(2027, 1, 1), date(2027, 12, 31), longest_event(session))
        cyrillic = [r for r in rows if CalendarFilters(search="КРИВОЛАК").matches(r)]
        assert cyrillic and all("криволак" in r.haystack for r in cyrillic)
        serbia = [r for r in rows if CalendarFilters(nation="RS").matches(r)]
        assert serbia and all("RS" in (r.nation, *r.unit_nations) for r in serbia)
        cancelled = [r for r in rows if CalendarFilters(status="cancelled").matches(r)]
        assert all(r.status == "cancelled" for r in cancelled)
        assert not CalendarFilters().active and CalendarFilters(unit="X").active


def test_day_marks_name_holidays_of_the_chosen_nations(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        marks = day_marks(session, date(2027, 4, 26), date(2027, 5, 3), ["MK"])
        assert any(r.startswith("MK: ") for r in marks.reasons(date(2027, 5, 1)))
        none = day_marks(session, date(2027, 4, 26), date(2027, 5, 3), [])
        assert not none.holidays
