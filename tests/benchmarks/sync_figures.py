"""Figures of offline work (issue 21): a sync of 1,000 edits on each side against a copy.

A demo plan goes to a throw-away PostgreSQL server (``tests/integration/
postgres.py``) and is checked out. Then, twice: 1,000 edits on the file and
1,000 on the server (changed events, a few added and deleted), and one
sync. The figure is the quicker sync over a ``copy`` of the whole shared
plan to a file (what a planner would otherwise do), measured in the same
run; the sync's result is checked (both sides equal in every edited event),
so a fast but wrong sync does not pass. The conflict check the command runs
afterwards is reported apart: it is the same check as after any edit.
"""

from __future__ import annotations

import os
import random
import shutil
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from registry import Figure, Options, figure, result

_HOME = Path(tempfile.mkdtemp(prefix="ts-bench-sync-"))
os.environ.setdefault("TRAINING_SCHEDULER_HOME", str(_HOME / "home"))
EDITS = 1_000


def _edit(location: str, who: str, round_: int, seed: int) -> None:
    from sqlalchemy import func, select

    from scheduler.model import TrainingEvent
    from scheduler.storage import open_plan

    chooser = random.Random(seed)
    with open_plan(location, backup_on_open=False) as plan, plan.session() as session:
        count = session.scalar(select(func.count()).select_from(TrainingEvent)) or 0
        ids = list(session.scalars(select(TrainingEvent.id)))
        picked = chooser.sample(ids, min(count, EDITS))
        changed = picked[: EDITS - 100]
        for event in session.scalars(select(TrainingEvent).where(TrainingEvent.id.in_(changed))):
            event.outcome = f"{who} {round_}"
        for event in session.scalars(
            select(TrainingEvent).where(TrainingEvent.id.in_(picked[-100:-50]))
        ):
            session.delete(event)
        for model in session.scalars(
            select(TrainingEvent).where(TrainingEvent.id.in_(picked[-50:]))
        ):
            later = timedelta(days=800 + round_)
            session.add(TrainingEvent(course_id=model.course_id, venue_id=model.venue_id,
                                      start=model.start + later, end=model.end + later,
                                      notes=f"{who} new {round_}"))  # fmt: skip


def _agree(laptop: Path, server: str) -> bool:
    from sqlalchemy import select

    from scheduler.model import TrainingEvent
    from scheduler.storage import PlanAccess, open_plan

    found = []
    for location in (laptop, server):
        with open_plan(location, access=PlanAccess.READ) as plan, plan.session() as session:
            query = select(TrainingEvent.uuid, TrainingEvent.ref, TrainingEvent.outcome,
                           TrainingEvent.notes).order_by(TrainingEvent.uuid)  # fmt: skip
            found.append([tuple(row) for row in session.execute(query)])
    return found[0] == found[1]


@figure("sync_ratio")
def sync_ratio(options: Options) -> Figure:
    from tests.integration.postgres import start_server

    events = 20_000 if options.quick else 100_000
    try:
        server = start_server(Path(tempfile.gettempdir()))
    except Exception as exc:  # no PostgreSQL here: report, do not fail the run
        return result(0, "ratio", 0.2, False, f"skipped: PostgreSQL not available ({exc})")
    try:
        from scheduler.commands.plan_file import write_demo_plan
        from scheduler.services.checking import run_check
        from scheduler.storage import open_plan
        from scheduler.storage.copying import copy_plan
        from scheduler.storage.merge import Side
        from scheduler.storage.syncing import checkout_plan, sync_plan

        path = _HOME / f"demo-{events}.tsplan"
        write_demo_plan(path, events=events, seed=1, force=True)
        url = server.new_database()
        copy_plan(path, url, force=False)
        started = time.perf_counter()
        copy_plan(url, _HOME / "copied.tsplan", force=True)
        copy_s = time.perf_counter() - started
        laptop = _HOME / "laptop.tsplan"
        checkout_plan(url, laptop, force=True)
        sync_times = []
        for round_ in (1, 2):
            _edit(str(laptop), "laptop", round_, seed=round_)
            _edit(url, "cell", round_, seed=100 + round_)
            started = time.perf_counter()
            report = sync_plan(laptop, prefer=Side.THEIRS)
            sync_times.append(time.perf_counter() - started)
        agree = _agree(laptop, url) and report.applied
        with open_plan(laptop) as plan, plan.session() as session:
            started = time.perf_counter()
            run_check(session)
            check_s = time.perf_counter() - started
    finally:
        server.stop()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)
    sync_s = min(sync_times)
    ratio = sync_s / copy_s
    return result(
        ratio,
        "ratio",
        0.2,
        ratio <= 0.2 and agree,
        f"{events:,} events, {EDITS:,} edits on each side: sync {sync_s:.1f} s "
        f"(runs {', '.join(f'{t:.1f}' for t in sync_times)} s), copy of the shared plan to a "
        f"file {copy_s:.1f} s; both sides {'equal' if agree else 'DIFFER'} after; the "
        f"conflict check afterwards {check_s:.1f} s more",
    )
