"""Figures of shared plans (issue 10): the full conflict check on PostgreSQL vs a file.

A demo plan is written to a plan file, copied to a throw-away PostgreSQL
server started from the system binaries (``tests/integration/postgres.py``),
and fully checked on both; the figure is the ratio of the best times. No
PostgreSQL on the machine: the figure reports ``ok: false`` with a note.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from registry import Figure, Options, figure, result, timed

_HOME = Path(tempfile.mkdtemp(prefix="ts-bench-pg-"))
os.environ.setdefault("TRAINING_SCHEDULER_HOME", str(_HOME / "home"))


def _check_seconds(location: str, repeats: int) -> float:
    from scheduler.services.checking import run_check
    from scheduler.storage import PlanAccess, open_plan

    with open_plan(location, access=PlanAccess.READ) as plan:

        def check() -> None:
            with plan.session() as session:
                run_check(session)

        check()  # warm: connections, caches, holiday tables
        return timed(check, repeats=repeats, best=True)


@figure("postgres_check_ratio")
def postgres_check_ratio(options: Options) -> Figure:
    from tests.integration.postgres import start_server

    events = 5_000 if options.quick else 20_000
    try:
        server = start_server(Path(tempfile.gettempdir()))
    except Exception as exc:  # no PostgreSQL here: report, do not fail the run
        return result(0, "ratio", 2, False, f"skipped: PostgreSQL not available ({exc})")
    try:
        from scheduler.commands.plan_file import write_demo_plan
        from scheduler.storage.copying import copy_plan

        path = _HOME / f"demo-{events}.tsplan"
        write_demo_plan(path, events=events, seed=1, force=True)
        url = server.new_database()
        copy_plan(path, url, force=False)
        file_s = _check_seconds(str(path), repeats=3)
        server_s = _check_seconds(url, repeats=3)
    finally:
        server.stop()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)
    ratio = server_s / file_s
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"full check of {events:,} events: PostgreSQL {server_s * 1000:.0f} ms, "
        f"plan file {file_s * 1000:.0f} ms",
    )
