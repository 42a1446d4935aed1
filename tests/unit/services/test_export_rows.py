"""What an export reads: the filters as SQL, and rows handed over as streams."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import select

from scheduler.exchange.rows import EventFilter
from scheduler.model import EventInstructor, Instructor, TrainingEvent
from scheduler.services import export_rows
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import PlanAccess, open_plan


def _an_instructor_with_events(plan_path: Path) -> tuple[str, int]:
    """The first by name of the instructors who teach something: (name, id)."""
    with open_plan(plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        name, ident = session.execute(
            select(Instructor.name, Instructor.id)
            .join(EventInstructor, EventInstructor.instructor_id == Instructor.id)
            .group_by(Instructor.id)
            .order_by(Instructor.name)
        ).first() or ("", 0)
    return str(name), int(ident)


def _rows(ws: Any) -> list[dict[str, Any]]:
    values = list(ws.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def test_a_master_workbook_of_one_instructor_lists_their_events_on_every_sheet(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    """``export --instructor`` wrote no workbook: the ``By instructor`` query
    selects from the assignments, and the filter's EXISTS on them correlated
    its own table away (no FROM left). It now correlates with the event only."""
    name, ident = _an_instructor_with_events(demo_plan_path)
    target = tmp_path / "one instructor.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        result = export_plan(plan, ExportRequest(target, instructor=name.upper()))
        with plan.session() as session:
            selection = EventFilter(instructor_id=ident)
            refs = set(
                session.execute(
                    select(TrainingEvent.ref).where(*export_rows.event_conditions(selection))
                ).scalars()
            )
            assignments = export_rows.assignment_count(session, selection)
    assert result.events == len(refs) > 0
    workbook = load_workbook(target, read_only=True)
    schedule = _rows(workbook["Schedule"])
    assert {row["Ref"] for row in schedule} == refs
    by_instructor = _rows(workbook["By instructor"])
    assert len(by_instructor) == assignments  # co-instructors of those events too
    assert {row["Ref"] for row in by_instructor if row["Instructor"] == name} == refs
    workbook.close()


def test_event_rows_are_read_as_the_writer_asks_for_them(demo_plan_path: Path) -> None:
    """Rows reach the writers as generators: nothing is read before the first
    row is wanted, and a chunk at a time after that."""
    for stream in (
        export_rows.iter_events,
        export_rows.iter_events_by_id,
        export_rows.iter_assignments,
        export_rows.iter_venue_events,
        export_rows.with_record_times,
    ):
        assert inspect.isgeneratorfunction(stream), stream.__name__
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.snapshot() as session:
        ids = export_rows.ordered_ids(session, EventFilter())
        rows = export_rows.iter_events_by_id(session, ids, chunk=7)
        first = [next(rows) for _ in range(3)]
        assert [row.id for row in first] == ids[:3]
        assert sum(1 for _ in rows) == len(ids) - 3
