"""Whole plans replaced under faults: kill -9 during demo --force, a copy either way and
a restore leaves the old plan or the new one, never an empty or half plan; an export
taken while another program writes the plan reads one state of it.

The work runs in a forked child killed with SIGKILL at seeded random moments
within the time the whole work takes (the helpers of test_crash_safety).
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scheduler.model import Course, TrainingEvent
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.backups import backup_plan, restore_plan
from scheduler.storage.copying import copy_plan
from tests.integration.test_crash_safety import _integrity, _kill_at, _run_to_end

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
KILLS = 20


def _content(location: Path | str) -> tuple[int, tuple[str, ...]]:
    """What tells the old plan from the new: its events and its course codes."""
    with open_plan(location, access=PlanAccess.READ) as plan, plan.session() as session:
        events = int(session.scalar(select(func.count()).select_from(TrainingEvent)) or 0)
        courses = tuple(session.scalars(select(Course.code).order_by(Course.code)))
    return events, courses


def _old_plan(path: Path) -> tuple[int, tuple[str, ...]]:
    """``path`` made a small plan of its own: one course, no events."""
    from scheduler.storage import create_plan

    with create_plan(path, force=True) as plan, plan.session() as session:
        session.add(Course(code="OLD-1", title="The plan before the replace"))
    return _content(path)


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial" in p.name)


def _kills(work_done: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(0, work_done) for _ in range(KILLS)]


def test_kill_during_demo_force_leaves_the_old_plan_or_the_demo(tmp_path: Path) -> None:
    from scheduler.commands.plan_file import write_demo_plan

    target = tmp_path / "plan Скопје.tsplan"
    old = _old_plan(target)

    def work() -> None:
        write_demo_plan(target, events=None, seed=1, force=True)

    full = _run_to_end(work)
    new = _content(target)
    assert new != old and new[0] > 300
    for delay in _kills(full, 21):
        _old_plan(target)
        _kill_at(work, delay)
        _integrity(target)
        now = _content(target)
        assert now in (old, new), now
    # What killed builds left beside the plan goes with the next build.
    _run_to_end(work)
    assert _leftovers(tmp_path) == []


def test_kill_during_restore_leaves_the_plan_or_the_backup(demo_plan_path: Path) -> None:
    saved = backup_plan(demo_plan_path, "manual")
    with open_plan(demo_plan_path, backup_on_open=False) as plan, plan.session() as session:
        session.add(Course(code="LATE", title="Added after the backup"))
    later, backed_up = _content(demo_plan_path), _content(saved)

    def work() -> None:
        restore_plan(demo_plan_path, saved)

    full = _run_to_end(work)
    assert _content(demo_plan_path) == backed_up
    for delay in _kills(full, 22):
        with open_plan(demo_plan_path, backup_on_open=False) as plan, plan.session() as session:
            if session.scalar(select(Course.id).where(Course.code == "LATE")) is None:
                session.add(Course(code="LATE", title="Added after the backup"))
        _kill_at(work, delay)
        _integrity(demo_plan_path)
        assert _content(demo_plan_path) in (later, backed_up)


def test_kill_during_a_copy_into_a_file_leaves_the_old_plan_or_the_copy(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "copy.tsplan"
    old = _old_plan(target)

    def work() -> None:
        copy_plan(demo_plan_path, target, force=True)

    full = _run_to_end(work)
    new = _content(target)
    assert new == _content(demo_plan_path)
    for delay in _kills(full, 23):
        _old_plan(target)
        _kill_at(work, delay)
        _integrity(target)
        assert _content(target) in (old, new)


def test_kill_during_copies_with_a_server_either_way(
    demo_plan_path: Path, tmp_path: Path, server_url: str
) -> None:
    """Into a server: the old plan or the copy, and it still takes new records
    afterwards (its id sequences are right). Out of it into a file: likewise."""
    copy_plan(demo_plan_path, server_url, force=True)
    demo = _content(server_url)
    small = tmp_path / "small.tsplan"
    small_content = _old_plan(small)

    def into_server() -> None:
        copy_plan(small, server_url, force=True)

    full = _run_to_end(into_server)
    for number, delay in enumerate(_kills(full, 24)):
        copy_plan(demo_plan_path, server_url, force=True)
        _kill_at(into_server, delay)
        assert _content(server_url) in (demo, small_content)
        with open_plan(server_url) as plan, plan.session() as session:
            session.add(Course(code=f"NEW-{number}", title="Added after the kill"))
        with open_plan(server_url) as plan, plan.session() as session:
            session.delete(
                session.scalars(select(Course).where(Course.code == f"NEW-{number}")).one()
            )

    copy_plan(demo_plan_path, server_url, force=True)
    target = tmp_path / "from the server.tsplan"
    old = _old_plan(target)

    def out_of_server() -> None:
        copy_plan(server_url, target, force=True)

    full = _run_to_end(out_of_server)
    assert _content(target) == demo
    for delay in _kills(full, 25):
        _old_plan(target)
        _kill_at(out_of_server, delay)
        _integrity(target)
        assert _content(target) in (old, demo)


def test_an_export_reads_one_state_while_another_program_writes(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "master.xlsx"
    written: list[str] = []

    def write_meanwhile(done: int, total: int) -> bool:
        # The first progress report comes after the Schedule sheet's first rows:
        # another program adds an event before the other sheets are read.
        if not written:
            with (
                open_plan(demo_plan_path, backup_on_open=False) as editor,
                editor.session() as session,
            ):
                event = session.scalars(select(TrainingEvent).limit(1)).one()
                copy = TrainingEvent(
                    ref="MK-2099-001",
                    course_id=event.course_id,
                    venue_id=event.venue_id,
                    start=event.start,
                    end=event.end,
                    status=event.status,
                )
                session.add(copy)
            written.append("MK-2099-001")
        return True

    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        export_plan(plan, ExportRequest(target=target, marking="OFFICIAL"), write_meanwhile)
    assert written
    workbook = load_workbook(target, read_only=True)
    refs_by_sheet = {}
    for name in ("Schedule", "By venue", "By instructor"):
        sheet = workbook[name]
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        column = header.index("Ref")
        refs_by_sheet[name] = {
            row[column] for row in sheet.iter_rows(min_row=2, values_only=True) if row[column]
        }
    assert "MK-2099-001" not in refs_by_sheet["Schedule"]
    assert "MK-2099-001" not in refs_by_sheet["By venue"]
    assert _content(demo_plan_path)[0] == 321


def test_a_killed_export_leaves_nothing_in_the_temp_folder_and_is_cleaned_up(
    demo_plan_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from scheduler.exchange.output import sweep_interrupted_exports

    system_temp = tmp_path / "system temp"
    system_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_temp))
    out = tmp_path / "exports"
    out.mkdir()
    target = out / "master.xlsx"

    def work() -> None:
        with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
            export_plan(plan, ExportRequest(target=target, marking="OFFICIAL"))

    full = _run_to_end(work)
    left_behind = 0
    for delay in _kills(full, 26)[:10]:
        _kill_at(work, delay)
        left_behind += len([p for p in out.iterdir() if p.name.startswith(".")])
    assert list(system_temp.iterdir()) == []
    assert left_behind, "no kill landed while the export was writing"
    sweep_interrupted_exports()  # what the program does when it starts
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []
