"""A long read nobody waits for any more stops between its Python steps,
not only inside its SQL statements: most of a readiness read is Python."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.planning import milestones
from scheduler.services import coordination_rows
from scheduler.services.coordination_rows import load_coordination
from scheduler.services.stopped_reads import ReadCancelled, interrupted_when, stop_if_unwanted
from scheduler.storage import PlanAccess, open_plan


def test_outside_a_stoppable_read_nothing_stops() -> None:
    stop_if_unwanted()  # an export or a test calling the same reads


def test_a_readiness_read_left_during_its_python_work_stops_at_the_next_step(
    demo_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    left = False
    paired = []

    def judged_then_left(*args: object) -> object:
        nonlocal left
        found = milestones.target_milestones(*args)  # type: ignore[arg-type]
        left = True  # the planner moved on while the milestones were judged
        return found

    def pairing(*args: object) -> object:
        paired.append(args)
        raise AssertionError("the overlaps were paired after the read was left")

    monkeypatch.setattr(coordination_rows, "target_milestones", judged_then_left)
    monkeypatch.setattr(coordination_rows, "overlaps", pairing)
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        with pytest.raises(ReadCancelled), interrupted_when(session, lambda: left):
            load_coordination(session)
        assert left and not paired

        monkeypatch.undo()
        left = False
        with interrupted_when(session, lambda: left):  # still wanted: read to its end
            assert load_coordination(session).overlaps
