"""The lock beside a plan: one editing program at a time, stale locks taken over."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from scheduler.errors import PlanLockedError
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.lock import lock_path_for


def _write_lock(plan: Path, *, host: str, pid: int) -> None:
    lock_path_for(plan).write_text(
        json.dumps(
            {"host": host, "user": "ana@elsewhere", "pid": pid, "since": "2027-01-04T08:00:00"}
        ),
        encoding="utf-8",
    )


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_second_editor_in_the_same_process_is_refused(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path):
        assert lock_path_for(empty_plan_path).exists()
        with pytest.raises(PlanLockedError, match="is open in Training Scheduler"):
            open_plan(empty_plan_path)
        # Reading needs no lock.
        with open_plan(empty_plan_path, access=PlanAccess.READ):
            pass
    assert not lock_path_for(empty_plan_path).exists()


def test_lock_of_a_live_program_on_another_computer_names_it(empty_plan_path: Path) -> None:
    _write_lock(empty_plan_path, host="laptop-ohrid", pid=4242)
    with pytest.raises(PlanLockedError) as caught:
        open_plan(empty_plan_path)
    assert "ana@elsewhere on laptop-ohrid" in str(caught.value)
    assert caught.value.holder["host"] == "laptop-ohrid"
    # The planner may take over once they know that program is gone.
    with open_plan(empty_plan_path, take_over_lock=True) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None
    assert not lock_path_for(empty_plan_path).exists()


def test_stale_lock_of_a_crashed_program_here_is_taken_over(empty_plan_path: Path) -> None:
    _write_lock(empty_plan_path, host=socket.gethostname(), pid=_dead_pid())
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None


def test_half_written_lock_counts_as_stale(empty_plan_path: Path) -> None:
    lock_path_for(empty_plan_path).write_text('{"host": "lap', encoding="utf-8")
    with open_plan(empty_plan_path):
        pass


def test_plan_held_by_another_process_is_refused(empty_plan_path: Path, tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time, pathlib
                from scheduler.storage import open_plan
                with open_plan(pathlib.Path({str(empty_plan_path)!r})):
                    pathlib.Path({str(ready)!r}).write_text("x")
                    sys.stdin.read()
                """
            ),
        ],
        stdin=subprocess.PIPE,
        env=os.environ.copy(),
    )
    try:
        for _ in range(200):
            if ready.exists():
                break
            holder.poll()
            assert holder.returncode is None, "the holder process died"
            import time

            time.sleep(0.05)
        with pytest.raises(PlanLockedError, match=f"process {holder.pid}"):
            open_plan(empty_plan_path)
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)
    with open_plan(empty_plan_path):
        pass
