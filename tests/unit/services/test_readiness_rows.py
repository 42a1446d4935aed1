"""Readiness read from a plan file built by hand: the issue's case, exact numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scheduler.errors import UserError
from scheduler.planning.pathway import PathwayStatus, pathway, requirement_bar
from scheduler.planning.readiness import readiness
from scheduler.services.plan_snapshot import load_plan_data
from scheduler.services.readiness_rows import load_readiness, target_due_dates
from scheduler.storage import open_plan
from tests.readiness_plan import build


def test_the_issue_case_from_a_plan_file(empty_plan_path: Path) -> None:
    build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        rows = load_readiness(session)
        whole = readiness(load_plan_data(session))
        dues = target_due_dates(session)
    assert rows == whole  # the same numbers as from the whole plan
    mk_row = next(r for r in rows if r.unit_code == "MK-1BN")
    assert (mk_row.required, mk_row.scheduled, mk_row.delivered) == (40, 20, 12)
    assert (mk_row.scheduled_by_due, mk_row.delivered_by_due, mk_row.late) == (8, 12, 12)
    assert mk_row.due == date(2027, 5, 31)  # the target's date
    assert mk_row.nation_code == "MK"
    bar = requirement_bar(mk_row)
    assert bar.status is PathwayStatus.AT_RISK
    assert bar.reason == (
        "12 of 40 delivered, 20 seats booked; 20 short by 31 May 2027 "
        "(12 seats only after the due date 31 May 2027)."
    )
    partners = pathway(rows, dues)
    assert [(p.code, [t.name for t in p.targets]) for p in partners] == [
        ("AL", ["Gati për NATO"]),
        ("MK", ["Battalion ready"]),
    ]
    assert partners[0].targets[0].due == date(2027, 9, 30)
    assert partners[0].targets[0].bars[0].status is PathwayStatus.ON_TRACK


def test_one_partner_only(empty_plan_path: Path) -> None:
    build(empty_plan_path)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        assert [r.unit_code for r in load_readiness(session, "al")] == ["AL-BPU"]
        assert [r.unit_code for r in load_readiness(session, "MK-1BN")] == ["MK-1BN"]
        assert load_readiness(session, "MK-1BN-A") == []  # the requirement is the battalion's
        with pytest.raises(UserError, match="no partner “ZZ”"):
            load_readiness(session, "ZZ")


def test_empty_plan(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        assert load_readiness(session) == []
        assert load_readiness(session, "MK") == []


def test_same_rows_as_the_whole_plan_on_the_demo(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        rows = load_readiness(session)
        assert rows and rows == readiness(load_plan_data(session))
        statuses = {requirement_bar(r).status for r in rows}
    assert PathwayStatus.AT_RISK in statuses or PathwayStatus.LATE in statuses
