"""A course held in parts reaches the partner as it runs: each module's days,
place and people on a Modules sheet, only releasable names, and a module
moved later is on the next release's changes."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.model import (
    EventAudience,
    EventModule,
    Instructor,
    ModuleInstructor,
    TrainingEvent,
    Unit,
    Venue,
)
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.releases_due import releases_due
from scheduler.storage import open_plan
from tests.printed import printed_pages


def _rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    header = [str(title).split("\n")[0] for title in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


def _split(path: Path) -> str:
    """Split a planned MK-LIB event in two: a first half as it is, a second
    half at another venue with a named (releasable) and a withheld person."""
    with open_plan(path) as plan, plan.session() as session:
        mk_lib = select(EventAudience.event_id).join(Unit).where(Unit.code.like("MK-LIB%"))
        event = next(
            e
            for e in session.scalars(
                select(TrainingEvent)
                .where(TrainingEvent.id.in_(mk_lib), TrainingEvent.status == "planned")
                .order_by(TrainingEvent.start)
            )
            if e.end - e.start >= timedelta(days=2) and e.venue is not None
        )
        other = session.scalars(select(Venue).where(Venue.id != event.venue_id)).first()
        shown, withheld = session.scalars(select(Instructor).limit(2)).all()
        shown.releasable, withheld.releasable = True, False
        middle = event.start + (event.end - event.start) / 2
        event.modules = [
            EventModule(title="Classroom", start=event.start, end=middle),
            EventModule(
                title="Полигон",
                start=middle,
                end=event.end,
                venue=other,
                staff=[
                    ModuleInstructor(instructor=shown, role=shown.role),
                    ModuleInstructor(instructor=withheld, role=withheld.role),
                ],
            ),
        ]
        return event.ref


@pytest.mark.slow
def test_partner_sees_each_module_and_a_moved_module_is_a_change(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    ref = _split(demo_plan_path)
    first = tmp_path / "MK-LIB first.xlsx"
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(first, partner="MK-LIB"))
        with plan.session() as session:
            shown, withheld = session.scalars(select(Instructor).limit(2)).all()
            names = (shown.name, withheld.name)
    book = load_workbook(first)
    assert "Modules" in book.sheetnames
    modules = [r for r in _rows(book["Modules"]) if r["Ref"] == ref]
    assert [r["Module"] for r in modules] == ["Classroom", "Полигон"]
    assert isinstance(modules[0]["Start"], datetime)
    assert names[0] in modules[1]["Instructors"]
    assert names[1] not in modules[1]["Instructors"]
    assert "1 more (name not released)" in modules[1]["Instructors"]
    pages = printed_pages(first, tmp_path / "pdf")
    assert any("Полигон" in page.text for page in pages)

    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            due = {d.partner: d.changes for d in releases_due(session)}
            module = session.scalars(
                select(EventModule).where(EventModule.title == "Полигон")
            ).one()
            module.start += timedelta(hours=1)
        with plan.session() as session:
            assert {d.partner: d.changes for d in releases_due(session)} != due
        result = export_plan(plan, ExportRequest(tmp_path / "second.xlsx", partner="MK-LIB"))
    assert [(c.kind, c.ref, c.detail) for c in result.changes] == [
        ("Moved", ref, "New days or places of its modules")
    ]


def test_master_workbook_has_no_modules_sheet_without_modules(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "master.xlsx"))
    assert "Modules" not in load_workbook(tmp_path / "master.xlsx", read_only=True).sheetnames


def test_an_instructors_and_a_venues_export_hold_the_events_of_their_modules(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    ref = _split(demo_plan_path)
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            module = session.scalars(
                select(EventModule).where(EventModule.title == "Полигон")
            ).one()
            person = module.staff[0].instructor.name
            venue = module.venue.name
        for kind, name in (("instructor", person), ("venue", venue)):
            target = tmp_path / f"{kind}.xlsx"
            export_plan(plan, ExportRequest(target, **{kind: name}))
            refs = {row["Ref"] for row in _rows(load_workbook(target)["Schedule"])}
            assert ref in refs, kind


def test_the_master_workbook_lists_each_person_on_their_own_modules(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    ref = _split(demo_plan_path)
    target = tmp_path / "master.xlsx"
    with open_plan(demo_plan_path) as plan:
        with plan.session() as session:
            module = session.scalars(
                select(EventModule).where(EventModule.title == "Полигон")
            ).one()
            person = module.staff[0].instructor.name
            start, end = module.start, module.end
        export_plan(plan, ExportRequest(target))
    book = load_workbook(target)
    rows = [r for r in _rows(book["By instructor"]) if r["Ref"] == ref]
    mine = [r for r in rows if r["Instructor"] == person]
    assert [(r["Start"], r["End"]) for r in mine] == [(start, end)]
    assert mine[0]["Course title"].endswith("— Полигон")
    names = [r["Instructor"] for r in _rows(book["By instructor"])]
    assert names == sorted(names)  # still one list by name
    at = [r for r in _rows(book["By venue"]) if r["Ref"] == ref]
    assert [r["Course title"].rsplit("— ", 1)[-1] for r in at] == ["Classroom", "Полигон"]
    venues = [r["Venue"] for r in _rows(book["By venue"])]
    assert venues == sorted(venues)


def test_a_persons_printed_schedule_shows_their_modules_days_only(
    demo_plan_path: Path,
) -> None:
    from scheduler.reports.instructor_schedule import build_instructor_report
    from scheduler.services.report_rows import instructor_schedule

    ref = _split(demo_plan_path)
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        module = session.scalars(select(EventModule).where(EventModule.title == "Полигон")).one()
        person = module.staff[0].instructor.name
        first, last = module.start.date(), module.end.date()
        schedule = instructor_schedule(session, person, first, last)
        report = build_instructor_report("Demo", schedule, first, last, marking="OFFICIAL")
    (line,) = [line for line in report.lines if line.ref == ref]
    assert line.title.endswith("— Полигон")
    assert (line.first, line.last) == (first, last)


def test_a_partners_calendar_says_where_each_module_is(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    from icalendar import Calendar

    ref = _split(demo_plan_path)
    target = tmp_path / "MK-LIB.ics"
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(target, partner="MK-LIB"))
        with plan.session() as session:
            withheld = session.scalars(select(Instructor).limit(2)).all()[1].name
    (text,) = [
        str(event.get("description"))
        for event in Calendar.from_ical(target.read_bytes()).walk("VEVENT")
        if f"Ref: {ref}" in str(event.get("description"))
    ]
    (line,) = [line for line in text.splitlines() if line.startswith("Полигон:")]
    assert "1 more (name not released)" in line and withheld not in line
