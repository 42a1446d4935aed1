"""Exported workbooks read back: values, types, marking, print setup, data minimisation."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scheduler.exchange.cells import as_stored
from scheduler.model import (
    EventAudience,
    EventCost,
    EventStatus,
    Nation,
    Release,
    TrainingEvent,
    Unit,
)
from scheduler.progress import Cancelled
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.training_runs import THE_CELL
from scheduler.storage import PlanAccess, open_plan

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]
SECRET = "INTERNAL-ONLY-NOTE"


def _all_text(path: Path) -> str:
    workbook = load_workbook(path)
    parts: list[str] = []
    for ws in workbook.worksheets:
        for row in ws.iter_rows(values_only=True):
            parts.extend(str(v) for v in row if v is not None)
        for hf in (ws.oddHeader, ws.oddFooter):
            parts.extend(p.text or "" for p in (hf.left, hf.center, hf.right))
    return "\n".join(parts)


def _rows(ws: Any) -> list[dict[str, Any]]:
    """Rows by their English heading (a partner's headings add its language below)."""
    values = list(ws.iter_rows(values_only=True))
    header = [str(title).split("\n")[0] for title in values[0]]
    return [dict(zip(header, row, strict=False)) for row in values[1:]]


def _prepare(path: Path) -> dict[str, str]:
    """Hostile remarks on MK events, internal notes on every event; returns ref -> remark."""
    with open_plan(path) as plan, plan.session() as session:
        mk_units = select(Unit.id).join(Nation).where(Nation.code == "MK")
        events = session.scalars(
            select(TrainingEvent)
            .where(
                TrainingEvent.id.in_(
                    select(EventAudience.event_id).where(EventAudience.unit_id.in_(mk_units))
                )
            )
            .where(TrainingEvent.status.in_(["planned", "confirmed"]))
            .order_by(TrainingEvent.start)
        ).all()
        remarks = {}
        for event, value in zip(events, HOSTILE, strict=False):
            event.partner_remarks = value
            remarks[event.ref] = value
        for event in session.scalars(select(TrainingEvent)):
            event.notes = f"{SECRET} {event.ref}"
    return remarks


def _check_every_sheet(path: Path, marking: str) -> None:
    workbook = load_workbook(path)
    for ws in workbook.worksheets:
        assert marking in ws.oddHeader.center.text.replace("&&", "&"), ws.title
        assert marking in ws.oddFooter.center.text.replace("&&", "&"), ws.title
        assert ws.oddFooter.right.text == "Page &P of &N"
        assert ws.page_setup.orientation == "landscape"
        assert str(ws.page_setup.paperSize) == "9"
        # A fixed scale (page_setup), large enough for 7 pt in every cell.
        assert not ws.sheet_properties.pageSetUpPr.fitToPage
        smallest = 10 if ws.title.startswith("Calendar") else 11  # calendar labels and bars
        assert ws.page_setup.scale * smallest / 100 >= 7, ws.title
        assert ws.print_title_cols is None, ws.title  # one page wide


def _check_coordination_sheets(workbook: Any, planned: float) -> None:
    """The demo's readiness, other providers and costs, read back as typed."""
    milestones = _rows(workbook["Milestones"])
    assert {r["Evaluation"] for r in milestones} >= {
        "Self-evaluation level 1", "NATO evaluation level 1"
    }  # fmt: skip
    assert all(isinstance(r["Date"], datetime) for r in milestones)
    assert {r["Status"] for r in milestones} <= {
        "At risk", "On track", "Held: ready", "Held: ready with comments", "Held: not ready"
    }  # fmt: skip
    assert all(r["Why"] for r in milestones if r["Status"] == "At risk")
    tasks = _rows(workbook["Tasks"])
    assert tasks and all(r["Rating"] in ("Untrained", "Needs practice", "Trained") for r in tasks)
    others = _rows(workbook["Other providers"])
    assert others and all(r["Delivered by"] not in (None, THE_CELL) for r in others)
    for overlap in _rows(workbook["Overlaps"]):  # only pairs with someone else
        assert THE_CELL not in (overlap["Delivered by"], overlap["Other run by"]) or (
            overlap["Delivered by"] != overlap["Other run by"]
        )
    costs = _rows(workbook["Costs"])
    assert {r["Totalled by"] for r in costs} == {"Partner", "Target", "Provider"}
    # Each event has one provider: their totals add up to every planned line.
    by_provider = sum(r["Planned"] for r in costs if r["Totalled by"] == "Provider")
    assert by_provider == pytest.approx(planned) and planned > 0


def test_master_workbook(demo_plan_path: Path, tmp_path: Path) -> None:
    _prepare(demo_plan_path)
    target = tmp_path / "master Đурић.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        result = export_plan(plan, ExportRequest(target, marking="OFFICIAL-SENSITIVE"))
        with plan.session() as session:
            total = len(session.scalars(select(TrainingEvent.id)).all())
            planned = float(session.scalar(select(func.sum(EventCost.planned))) or 0)
    assert result.events == total
    workbook = load_workbook(target)
    months = [f"Calendar {month} 2027" for month in ("Jan", "Feb", "Mar", "Apr", "May", "Jun")]
    assert workbook.sheetnames[:8] == ["Cover", "Schedule", *months]
    assert workbook.sheetnames[-8:] == [
        "Calendar Dec 2027", "By instructor", "By venue",
        "Milestones", "Tasks", "Other providers", "Overlaps", "Costs",
    ]  # fmt: skip
    _check_every_sheet(target, "OFFICIAL-SENSITIVE")
    _check_coordination_sheets(workbook, planned)
    ws = workbook["Schedule"]
    assert ws.freeze_panes == "B2"
    assert ws.print_title_rows == "$1:$1"
    assert "Schedule" in ws.tables and ws.tables["Schedule"].ref == f"A1:N{total + 1}"
    rows = _rows(ws)
    assert len(rows) == total
    for needed in (
        "Ref",
        "Course code",
        "Course title",
        "Category",
        "Start",
        "End",
        "Work days",
        "Venue",
        "Units",
        "Seats",
        "Instructors",
        "Status",
        "Partner remarks",
        "Internal notes",
    ):
        assert needed in rows[0]
    starts = [r["Start"] for r in rows]
    assert all(isinstance(s, datetime) for s in starts) and starts == sorted(starts)
    assert all(isinstance(r["End"], datetime) and r["End"] > r["Start"] for r in rows)
    assert all(isinstance(r["Work days"], int) for r in rows)
    assert all(str(r["Venue"]).endswith(")") for r in rows if r["Venue"])  # "… (MK)"
    assert all(str(r["Internal notes"]).startswith(SECRET) for r in rows)
    assert ws["E2"].number_format == "yyyy-mm-dd hh:mm"
    assert "Скопје" in _all_text(target) or "Криволак" in _all_text(target)
    assert workbook["By instructor"].auto_filter.ref or workbook["By instructor"].tables


def test_partner_workbook_holds_only_what_the_partner_may_see(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    remarks = _prepare(demo_plan_path)
    target = tmp_path / "mk.xlsx"
    with open_plan(demo_plan_path) as plan:
        result = export_plan(plan, ExportRequest(target, partner="MK"))
        with plan.session() as session:
            others = session.scalars(
                select(Unit.name).join(Nation).where(Nation.code != "MK")
            ).all()
            other_codes = session.scalars(
                select(Unit.code).join(Nation).where(Nation.code != "MK")
            ).all()
            release = session.scalars(select(Release)).one()
    assert result.marking == "OFFICIAL RELEASABLE TO MKD"
    assert release.partner_code == "MK" and len(release.snapshot) == result.events
    assert release.file_hash and release.marking == result.marking
    workbook = load_workbook(target)
    assert workbook.sheetnames[:4] == ["Cover", "Schedule", "Nominations", "Calendar Jan 2027"]
    assert workbook.sheetnames[-3:] == [
        "Calendar Dec 2027",
        "Changes since last release",
        "Reply key",  # very hidden: the reply loop's own
    ]
    _check_every_sheet(target, "OFFICIAL RELEASABLE TO MKD")
    text = _all_text(target)
    assert SECRET not in text
    for name in others:
        assert name not in text, name
    for code in other_codes:
        assert f"{code} " not in text and f"{code}\n" not in text, code
    rows = _rows(workbook["Schedule"])
    assert "Internal notes" not in rows[0]
    statuses = {r["Status"] for r in rows}
    assert statuses <= {"Planned\nПланирано", "Confirmed\nПотврдено", "Delivered\nИзведено",
                        "Cancelled\nОткажано"}, statuses  # fmt: skip
    by_ref = {r["Ref"]: r for r in rows}
    for ref, value in remarks.items():
        cell_value = by_ref[ref]["Remarks"]
        assert cell_value == as_stored(value)
    schedule = workbook["Schedule"]
    for row in schedule.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"


def test_second_release_lists_changes(demo_plan_path: Path, tmp_path: Path) -> None:
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "first.xlsx", partner="MK-LIB"))
        with plan.session() as session:
            mk_lib = select(EventAudience.event_id).join(Unit).where(Unit.code.like("MK-LIB%"))
            event = session.scalars(
                select(TrainingEvent)
                .where(TrainingEvent.id.in_(mk_lib), TrainingEvent.status == "planned")
                .order_by(TrainingEvent.start)
            ).first()
            assert event is not None
            moved_ref = event.ref
            event.start = event.start.replace(hour=7)
        result = export_plan(plan, ExportRequest(tmp_path / "second.xlsx", partner="MK-LIB"))
    assert [(c.kind, c.ref) for c in result.changes] == [("Moved", moved_ref)]
    rows = _rows(load_workbook(tmp_path / "second.xlsx")["Changes since last release"])
    # In English and, under it, in Macedonian (resources/translations).
    assert rows[0]["Change"] == "Moved\nПоместено" and rows[0]["Ref"] == moved_ref


def test_period_and_unknown_partner(demo_plan_path: Path, tmp_path: Path) -> None:
    from scheduler.errors import UserError

    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        export_plan(
            plan,
            ExportRequest(
                tmp_path / "march.xlsx", date_from=date(2027, 3, 1), date_to=date(2027, 3, 31)
            ),
        )
        with pytest.raises(UserError, match="no partner"):
            export_plan(plan, ExportRequest(tmp_path / "x.xlsx", partner="ZZ"))
    rows = _rows(load_workbook(tmp_path / "march.xlsx")["Schedule"])
    assert rows and all(
        r["Start"] < datetime(2027, 4, 1) and r["End"] > datetime(2027, 3, 1) for r in rows
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_cancel_leaves_no_file(demo_plan_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "cancelled.xlsx"
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, pytest.raises(Cancelled):
        export_plan(plan, ExportRequest(target), progress=lambda done, total: done < 50)
    assert list(tmp_path.iterdir()) == [demo_plan_path] or not target.exists()
    assert not any(p.name.endswith(".partial") for p in tmp_path.iterdir())


def test_cli_handlers(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import argparse

    from scheduler.commands import exchange

    parser = argparse.ArgumentParser()
    exchange.register(parser.add_subparsers())
    args = parser.parse_args(
        [
            "export",
            str(demo_plan_path),
            "-o",
            str(tmp_path / "al.xlsx"),
            "--partner",
            "AL",
            "--marking",
            "OFFICIAL-SENSITIVE RELEASABLE TO ALB",
        ]
    )
    assert args.handler(args) == 0
    assert "OFFICIAL-SENSITIVE RELEASABLE TO ALB" in capsys.readouterr().out
    _check_every_sheet(tmp_path / "al.xlsx", "OFFICIAL-SENSITIVE RELEASABLE TO ALB")


def _mk_events(session: Any, first: date, last: date) -> list[TrainingEvent]:
    mk = select(EventAudience.event_id).join(Unit).join(Nation).where(Nation.code == "MK")
    return list(
        session.scalars(
            select(TrainingEvent)
            .where(
                TrainingEvent.id.in_(mk),
                TrainingEvent.status == "planned",
                TrainingEvent.series_id.is_(None),
                TrainingEvent.start >= datetime.combine(first, datetime.min.time()),
                TrainingEvent.start < datetime.combine(last, datetime.min.time()),
            )
            .order_by(TrainingEvent.start)
        )
    )


def test_changes_compare_with_what_each_release_sent_whatever_its_period(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    """Issue 19's sequence: full year, then a quarter, then one event moved and
    one cancelled, then the full year again: two changes, not 'all new'."""
    quarter = {"date_from": date(2027, 4, 1), "date_to": date(2027, 6, 30)}
    with open_plan(demo_plan_path) as plan:
        export_plan(plan, ExportRequest(tmp_path / "1 year.xlsx", partner="MK"))
        export_plan(plan, ExportRequest(tmp_path / "2 quarter.xlsx", partner="MK", **quarter))
        with plan.session() as session:
            found = _mk_events(session, date(2027, 1, 1), date(2027, 12, 31))
            early, late = found[0], found[-1]
            early.start, early.end = (
                early.start + timedelta(hours=1),
                early.end + timedelta(hours=1),
            )
            late.status = EventStatus.CANCELLED
            moved, cancelled = early.ref, late.ref
        again = export_plan(plan, ExportRequest(tmp_path / "3 year.xlsx", partner="MK"))
        assert sorted((c.kind, c.ref) for c in again.changes) == sorted(
            [("Moved", moved), ("Cancelled", cancelled)]
        )
        book = load_workbook(tmp_path / "3 year.xlsx")
        cover = " ".join(
            str(v) for row in book["Cover"].iter_rows(values_only=True) for v in row if v
        )
        assert "(all dates) and " in cover and "(2027-04-01 to 2027-06-30)" in cover
        rows = _rows(book["Changes since last release"])
        assert sorted((r["Change"].split("\n")[0], r["Ref"]) for r in rows) == sorted(
            [("Moved", moved), ("Cancelled", cancelled)]
        )

        # Quarter, year, quarter: the second quarter lists only the quarter's change.
        with plan.session() as session:
            inside = _mk_events(session, date(2027, 4, 1), date(2027, 6, 30))[0]
            outside = _mk_events(session, date(2027, 9, 1), date(2027, 12, 1))[0]
            for event in (inside, outside):
                event.start, event.end = (
                    event.start + timedelta(hours=1),
                    event.end + timedelta(hours=1),
                )
            inside_ref = inside.ref
        last = export_plan(
            plan, ExportRequest(tmp_path / "4 quarter.xlsx", partner="MK", **quarter)
        )
    assert [(c.kind, c.ref) for c in last.changes] == [("Moved", inside_ref)]


def test_a_marking_too_long_for_a_page_header_is_refused_before_writing(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    from scheduler.cli import main

    target = tmp_path / "MK.xlsx"
    marking = "OFFICIAL-SENSITIVE " + "FOR TRAINING COORDINATION ONLY " * 6
    code = main(["export", str(demo_plan_path), "-o", str(target), "--partner", "MK",
                 "--marking", marking])  # fmt: skip
    assert code == 2 and not target.exists()


def test_a_typed_marking_keeps_the_partner_caveat_and_is_shown_before_writing(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.cli import main

    target = tmp_path / "MK.xlsx"
    code = main(["export", str(demo_plan_path), "-o", str(target), "--partner", "MK",
                 "--marking", "OFFICIAL-SENSITIVE"])  # fmt: skip
    out = capsys.readouterr().out.splitlines()
    assert code == 0
    assert out[0] == "Every page will be marked “OFFICIAL-SENSITIVE RELEASABLE TO MKD”."
    assert out[1].startswith(f"Wrote {target}")
    _check_every_sheet(target, "OFFICIAL-SENSITIVE RELEASABLE TO MKD")
    # Typing a caveat of one's own replaces the partner's: explicitly.
    main(["export", str(demo_plan_path), "-o", str(target), "--partner", "MK",
          "--marking", "OFFICIAL RELEASABLE TO MKD AND NATO"])  # fmt: skip
    assert "marked “OFFICIAL RELEASABLE TO MKD AND NATO”." in capsys.readouterr().out
