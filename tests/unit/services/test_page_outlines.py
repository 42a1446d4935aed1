"""What the Requirements and Readiness pages show at once on a big plan
(the records as entered) agrees with what follows once every event is
read: the same rows, in the same order, with the same recorded facts."""

from __future__ import annotations

from pathlib import Path

from scheduler.services.coordination_rows import load_coordination, load_outline
from scheduler.services.requirement_rows import requirement_outline, requirement_rows
from scheduler.storage import PlanAccess, open_plan


def test_the_requirements_outline_is_the_list_the_numbers_fill(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        outline = requirement_outline(session)
        full = requirement_rows(session)
    assert len(outline) == len(full) > 20
    assert [r.uuid for r in outline] == [r.uuid for r in full]
    for first, then in zip(outline, full, strict=True):
        assert first.target == then.numbers.target
        assert first.target_uuid == then.target_uuid
        assert first.required == then.numbers.required
        assert first.due == then.numbers.due
        assert first.unit.startswith(then.numbers.unit_code)
        assert first.course.startswith(then.numbers.course_code)


def test_the_readiness_outline_holds_every_target_milestone_and_task(
    demo_plan_path: Path,
) -> None:
    with open_plan(demo_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        for nation in (None, "MK"):
            outline = load_outline(session, nation)
            full = load_coordination(session, nation, with_overlaps=False)
            assert [t.id for t in outline.targets] == [t.target.id for t in full.targets]
            assert [t.milestones for t in outline.targets] == [
                t.target.milestones for t in full.targets
            ]
            assert [t.tasks for t in outline.targets] == [
                tuple(training.task for training in t.tasks) for t in full.targets
            ]
            assert any(t.milestones for t in outline.targets)
