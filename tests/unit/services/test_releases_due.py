"""Which partners are due their schedule again, after real partner exports."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from scheduler.model import EventAudience, EventStatus, TrainingEvent, Unit
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.releases_due import releases_due
from scheduler.storage import open_plan
from tests.readiness_plan import build


def test_never_sent_partners_are_due(empty_plan_path: Path) -> None:
    build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        due = releases_due(session)
    # MK: MK-1, MK-2, MK-3, MK-5, MK-6 (the draft is not sent); AL: AL-1.
    assert [(d.partner, d.events, d.never_sent) for d in due] == [("MK", 5, True), ("AL", 1, True)]
    assert due[0].reason() == "Never sent: 5 events to send."
    assert due[1].reason() == "Never sent: 1 event to send."


def test_changes_since_the_last_release(empty_plan_path: Path, tmp_path: Path) -> None:
    build(empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "mk.xlsx", partner="MK"))
        export_plan(plan, ExportRequest(tmp_path / "company.xlsx", partner="MK-1BN-A"))
        with plan.session() as session:
            due = releases_due(session)
        # Just sent: nothing to send again (the entries compare equal to the snapshot).
        assert [d.partner for d in due] == ["AL"]
        with plan.session() as session:
            events = {e.ref: e for e in session.scalars(select(TrainingEvent))}
            events["MK-3"].start = datetime(2027, 6, 14, 8)  # moved
            events["MK-3"].end = datetime(2027, 6, 18, 16)
            events["MK-5"].status = EventStatus.CANCELLED  # cancelled
            events["MK-4"].status = EventStatus.PLANNED  # a draft now sent: added
            company = session.scalars(select(Unit).where(Unit.code == "MK-1BN-A")).one()
            events["MK-6"].audience.append(EventAudience(unit=company, seats=2))  # company added
        with plan.session() as session:
            due = {d.partner: d for d in releases_due(session)}
    assert sorted(due) == ["AL", "MK", "MK-1BN-A"]
    mk = due["MK"]
    assert (mk.changes, mk.by_kind) == (3, {"Added": 1, "Moved": 1, "Cancelled": 1})
    assert mk.last_release is not None
    assert mk.reason() == (
        f"3 changes since {mk.last_release.day} {mk.last_release:%b %Y}: "
        "1 added, 1 moved and 1 cancelled."
    )
    company_due = due["MK-1BN-A"]
    assert (company_due.changes, company_due.by_kind, company_due.events) == (1, {"Added": 1}, 2)
    assert company_due.name == "Чета А"
    # The partners never sent come first, then the most changes.
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        assert [d.partner for d in releases_due(session)] == ["AL", "MK", "MK-1BN-A"]
