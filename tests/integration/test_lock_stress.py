"""Four programs fighting over one plan's lock: never two of them hold it at once.

Each worker process takes and gives back the lock of one plan file as fast
as it can and appends "enter PID" / "leave PID" to a shared log (O_APPEND,
one write per line) while it holds it. Read back in order, an "enter" while
another worker is inside is an overlap: two programs editing one plan.

The lock file of issue 16 (exclusive create, stale take-over by pid, removal
on release) overlapped thousands of times in ten seconds. To measure any
other lock module the same way:
``python tests/integration/test_lock_stress.py /tmp/old_lock.py [SECONDS]``
(e.g. after ``git show HEAD~1:scheduler/storage/lock.py > /tmp/old_lock.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

WORKERS = 4
SECONDS = 10.0  # all four hammering the lock at once; start-up (3-8 s) comes before

WORKER = textwrap.dedent(
    """
    import importlib.util, os, random, sys, time
    from pathlib import Path

    module_file, plan, log_path, folder, seconds = sys.argv[1:6]
    if module_file == "-":
        from scheduler.storage import lock as lock_module
    else:
        spec = importlib.util.spec_from_file_location("lock_under_test", module_file)
        lock_module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = lock_module
        spec.loader.exec_module(lock_module)
    from scheduler.errors import PlanFileError

    log = os.open(log_path, os.O_WRONLY | os.O_APPEND)
    pid = os.getpid()
    Path(folder, f"ready-{pid}").touch()
    while not Path(folder, "go").exists():
        time.sleep(0.005)
    end = time.monotonic() + float(seconds)
    while time.monotonic() < end:
        lock = lock_module.PlanLock(Path(plan))
        try:
            lock.acquire()
        except PlanFileError:
            time.sleep(random.random() * 0.002)
            continue
        os.write(log, f"enter {pid}\\n".encode())
        time.sleep(random.random() * 0.001)
        os.write(log, f"leave {pid}\\n".encode())
        lock.release()
    """
)


@dataclass
class StressResult:
    overlaps: int = 0  # entries while another worker was inside
    most_inside: int = 0
    entries: Counter[str] = field(default_factory=Counter)


def run_stress(module_file: str, folder: Path, seconds: float = SECONDS) -> StressResult:
    """Run the workers against ``module_file`` ("-" for scheduler.storage.lock)."""
    plan = folder / "contested.tsplan"
    plan.write_bytes(b"")
    log = folder / "holders.log"
    log.write_bytes(b"")
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, module_file, *map(str, (plan, log, folder, seconds))]
        )
        for _ in range(WORKERS)
    ]
    try:
        deadline = time.monotonic() + 60
        while len(list(folder.glob("ready-*"))) < WORKERS:
            assert all(w.poll() is None for w in workers), "a worker died while starting"
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.02)
        (folder / "go").touch()
        codes = [w.wait(timeout=seconds + 60) for w in workers]
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
    assert codes == [0] * WORKERS
    return tally(log.read_text().splitlines())


def tally(lines: list[str]) -> StressResult:
    result = StressResult()
    inside: set[str] = set()
    for line in lines:
        what, pid = line.split()
        if what == "enter":
            result.overlaps += bool(inside)
            inside.add(pid)
            result.entries[pid] += 1
            result.most_inside = max(result.most_inside, len(inside))
        else:
            inside.discard(pid)
    return result


def test_tally_counts_an_overlap() -> None:
    result = tally(["enter 1", "leave 1", "enter 2", "enter 3", "leave 2", "leave 3"])
    assert (result.overlaps, result.most_inside) == (1, 2)


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="spawns worker processes the POSIX way")
def test_four_processes_never_hold_one_lock_at_once(tmp_path: Path) -> None:
    result = run_stress("-", tmp_path)

    assert result.overlaps == 0, f"{result.overlaps} overlaps, up to {result.most_inside} inside"
    assert result.most_inside == 1
    # The lock was really contested: it changed hands between the workers.
    assert len(result.entries) >= 2, result.entries
    assert not list(tmp_path.glob("contested.tsplan.lock*")), "a lock file was left behind"


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as scratch:
        seconds = float(sys.argv[2]) if len(sys.argv) > 2 else SECONDS
        measured = run_stress(str(Path(sys.argv[1]).resolve()), Path(scratch), seconds)
    total = sum(measured.entries.values())
    print(
        f"{measured.overlaps} overlaps in {total} holds over {seconds:g} s "
        f"(up to {measured.most_inside} holders at once); holds per worker: "
        + ", ".join(str(n) for n in measured.entries.values())
    )
