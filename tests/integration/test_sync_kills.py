"""kill -9 during a sync, at seeded moments: each time the next sync completes,
both sides end equal, and every change made on either side is there."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import TrainingEvent
from scheduler.storage import open_plan
from scheduler.storage.merge import Side
from scheduler.storage.syncing import READING, WRITING_FILE, WRITING_OTHER, sync_plan
from tests.forked import fork
from tests.sync_plans import edit, shared_with_checkout, snapshot

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork (POSIX)")
KILLS = 20
SEED = 2126


STEPS = (READING, WRITING_OTHER, WRITING_FILE)


def _killer(step: str, delay: float) -> Callable[[str], None]:
    """A progress callback that kills its own process ``delay`` seconds into ``step``."""

    def progress(now: str) -> None:
        if now == step:
            threading.Timer(delay, os.kill, (os.getpid(), signal.SIGKILL)).start()

    return progress


def _later_copy(event: TrainingEvent, notes: str) -> TrainingEvent:
    later = timedelta(days=900)
    return TrainingEvent(
        course_id=event.course_id, start=event.start + later, end=event.end + later, notes=notes
    )


def _edit_round(laptop: Path, server: str, round_: int) -> None:
    """Edits on both sides that never meet: notes on the laptop, outcomes at the cell,
    an event added on each side (their refs collide) and one deleted on each."""

    def ordered(session: Session) -> list[TrainingEvent]:
        return list(session.scalars(select(TrainingEvent).order_by(TrainingEvent.uuid)))

    def on_laptop(session: Session) -> None:
        found = ordered(session)
        for event in found[:120]:
            event.notes = f"laptop round {round_}"
        session.delete(found[-1])
        session.add(_later_copy(found[0], f"laptop new {round_}"))

    def on_server(session: Session) -> None:
        found = ordered(session)
        for event in found[60:180]:
            event.outcome = f"server round {round_}"
        session.delete(found[-2])
        session.add(_later_copy(found[0], f"server new {round_}"))

    edit(laptop, on_laptop)
    edit(server, on_server)


def _complete_and_check(laptop: Path, server: str, round_: int) -> bool:
    """Sync to the end and check both sides; True when it finished a cut sync."""
    report = sync_plan(laptop, prefer=Side.THEIRS)
    assert report.applied and not report.unsettled
    both = snapshot(laptop)
    assert both == snapshot(server)
    events = list(both["training_event"].values())
    assert sum(row["notes"] == f"laptop round {round_}" for row in events) >= 100
    assert sum(row["outcome"] == f"server round {round_}" for row in events) >= 100
    assert {f"laptop new {round_}", f"server new {round_}"} <= {row["notes"] for row in events}
    assert len({row["ref"] for row in events}) == len(events)
    with open_plan(laptop, backup_on_open=False) as plan, plan.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
        assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert sync_plan(laptop).nothing_to_do
    return report.finished_interrupted


@pytest.mark.slow
def test_a_sync_killed_at_any_moment_completes_next_time(
    demo_plan_path: Path, server_url: str, tmp_path: Path
) -> None:
    server, laptop = shared_with_checkout(demo_plan_path, server_url, tmp_path)
    _edit_round(laptop, server, 0)
    started = time.perf_counter()
    pid = fork(lambda: sync_plan(laptop, prefer=Side.THEIRS))
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    duration = time.perf_counter() - started
    _complete_and_check(laptop, server, 0)

    moments = random.Random(SEED)
    finished = 0
    for round_ in range(1, KILLS + 1):
        _edit_round(laptop, server, round_)
        if round_ % 2:  # any moment of the whole sync
            pid = fork(lambda: sync_plan(laptop, prefer=Side.THEIRS))
            time.sleep(moments.uniform(0, duration * 1.1))
            os.kill(pid, signal.SIGKILL)
        else:  # a moment just after a seeded step began: reading, the server's write, the file's
            killer = _killer(moments.choice(STEPS), moments.uniform(0, 0.05))
            pid = fork(lambda: sync_plan(laptop, prefer=Side.THEIRS, progress=killer))  # noqa: B023
        os.waitpid(pid, 0)
        finished += _complete_and_check(laptop, server, round_)
    print(f"{finished} of {KILLS} kills fell between the server's commit and the file's")
