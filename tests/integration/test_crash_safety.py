"""Plan files under faults: kill -9 mid-import, mid-export, mid-edits; a full disk;
a read-only file. Each time the plan must open, pass ``integrity_check`` and hold
the state before or after each transaction, never something in between.

The work runs in a forked child (the libraries are already loaded, so twenty
kills take seconds, not a minute) which is killed with SIGKILL at a random
moment within the time the work takes.
"""

from __future__ import annotations

import os
import random
import resource
import signal
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from scheduler.errors import UserError
from scheduler.model import TrainingEvent
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.services.imports import import_file, write_template
from scheduler.storage import PlanAccess, open_plan
from tests.forked import fork

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
KILLS = 20


def _run_to_end(work: Callable[[], None]) -> float:
    started = time.perf_counter()
    pid = fork(work)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return time.perf_counter() - started


def _kill_at(work: Callable[[], None], delay: float) -> None:
    pid = fork(work)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _integrity(path: Path) -> None:
    """The plan opens (WAL recovered, stale lock taken over) and is sound."""
    with open_plan(path, backup_on_open=False) as plan, plan.engine.connect() as connection:
        rows = connection.exec_driver_sql("PRAGMA integrity_check").all()
        assert [tuple(row) for row in rows] == [("ok",)]
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []


def _event_count(path: Path) -> int:
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as session:
        return int(session.scalar(select(func.count()).select_from(TrainingEvent)) or 0)


def _events_file(demo_plan_path: Path, target: Path, count: int) -> int:
    """An import file adding ``count`` new events to the demo plan: copies of
    single events a year (52 weeks) later, without Ref or UID."""
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
        write_template(target, plan=plan, marking="OFFICIAL")
    workbook = load_workbook(target)
    sheet = workbook["Events"]
    headers = [cell.value for cell in sheet[1]]
    column = {name: index for index, name in enumerate(headers)}
    rows = [
        list(row)
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if not row[column["Series"]]
    ][:count]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        for name in ("Ref", "UID"):
            row[column[name]] = None
        for name in ("Start", "End"):
            row[column[name]] += timedelta(weeks=52)
        sheet.append(row)
    workbook.save(target)
    return len(rows)


def test_kill_during_import_leaves_before_or_after(demo_plan_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "more.xlsx"
    added = _events_file(demo_plan_path, source, 150)

    def work() -> None:
        with open_plan(demo_plan_path) as plan:
            report = import_file(plan, source)
            assert not report.errors

    full = _run_to_end(work)
    count = _event_count(demo_plan_path)
    rng = random.Random(10)
    for _ in range(KILLS):
        _kill_at(work, rng.uniform(0, full))
        _integrity(demo_plan_path)
        now = _event_count(demo_plan_path)
        assert now in (count, count + added)
        count = now


def test_kill_during_export_leaves_the_plan_and_no_half_file(
    demo_plan_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "schedule.xlsx"

    def work() -> None:
        with open_plan(demo_plan_path, access=PlanAccess.READ) as plan:
            export_plan(plan, ExportRequest(target=target, marking="OFFICIAL"))

    full = _run_to_end(work)
    expected = load_workbook(target, read_only=True)["Schedule"].max_row
    rng = random.Random(11)
    for _ in range(KILLS // 2):  # each export reads for a while: half as many
        target.unlink(missing_ok=True)
        _kill_at(work, rng.uniform(0, full))
        _integrity(demo_plan_path)
        if target.exists():  # complete, or not there at all
            assert load_workbook(target, read_only=True)["Schedule"].max_row == expected


def test_kill_during_a_burst_of_edits_keeps_every_committed_edit(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        ids = list(session.scalars(select(TrainingEvent.id).order_by(TrainingEvent.id)).all())
    burst = ids[:60]

    def edits(round_: int) -> Callable[[], None]:
        def work() -> None:
            with open_plan(demo_plan_path, backup_on_open=False) as plan:
                for event_id in burst:  # one transaction each, in order
                    with plan.session() as session:
                        event = session.get(TrainingEvent, event_id)
                        assert event is not None
                        event.notes = f"round {round_}"

        return work

    full = _run_to_end(edits(0))
    rng = random.Random(12)
    for round_ in range(1, KILLS + 1):
        _kill_at(edits(round_), rng.uniform(0, full))
        _integrity(demo_plan_path)
        with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as s:
            notes = dict(
                s.execute(
                    select(TrainingEvent.id, TrainingEvent.notes).where(TrainingEvent.id.in_(burst))
                ).all()
            )
        states = [notes[i] for i in burst]
        # A prefix of this round's edits, then the last complete state: nothing torn.
        done = sum(1 for n in states if n == f"round {round_}")
        assert states[:done] == [f"round {round_}"] * done
        assert len(set(states[done:])) <= 1
        if done < len(burst):  # finish the round so the next one starts from one state
            _run_to_end(edits(round_))


def test_full_disk_gives_a_message_and_loses_nothing(demo_plan_path: Path, tmp_path: Path) -> None:
    source = tmp_path / "more.xlsx"
    _events_file(demo_plan_path, source, 300)
    before = _event_count(demo_plan_path)
    _integrity(demo_plan_path)
    read_end, write_end = os.pipe()

    def work() -> None:
        os.close(read_end)
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead
        size = demo_plan_path.stat().st_size
        with open_plan(demo_plan_path, backup_on_open=False) as plan:
            # The backup before an import would meet the full disk first (and
            # refuse, as it should): skip it to reach the plan's own writes.
            plan.backup = lambda reason="": demo_plan_path  # type: ignore[method-assign]
            # No file may grow past a twentieth of the plan: the WAL fills up.
            resource.setrlimit(resource.RLIMIT_FSIZE, (size // 20, size // 20))
            try:
                import_file(plan, source)
            except UserError as exc:
                os.write(write_end, str(exc).encode())
                raise
            os.write(write_end, b"imported?!")

    pid = fork(work)
    os.close(write_end)
    os.waitpid(pid, 0)
    message = os.read(read_end, 4000).decode()
    os.close(read_end)
    assert "full" in message and "was not saved" in message, message
    _integrity(demo_plan_path)
    assert _event_count(demo_plan_path) == before


def test_read_only_plan_is_refused_untouched(demo_plan_path: Path) -> None:
    before = demo_plan_path.read_bytes()
    demo_plan_path.chmod(0o444)
    try:
        with pytest.raises(UserError, match="read-only"):
            open_plan(demo_plan_path)
        assert demo_plan_path.read_bytes() == before
        assert not Path(f"{demo_plan_path}-wal").exists()
    finally:
        demo_plan_path.chmod(0o644)
