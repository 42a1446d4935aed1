"""Milestones at risk, built by hand: a target with two evaluations and two tasks."""

from __future__ import annotations

from datetime import date

from scheduler.planning.milestones import (
    MilestoneFacts,
    TargetFacts,
    TaskFacts,
    TrainingRun,
    target_milestones,
)

SCC, FTX, CFA = 1, 2, 3
CODES = {SCC: "SCC", FTX: "FTX-1", CFA: "CFA"}
BN, COY, OTHER_BN = 10, 11, 20

SEL1 = MilestoneFacts(1, "Self-evaluation level 1", date(2027, 6, 1))
NEL1 = MilestoneFacts(2, "NATO evaluation level 1", date(2027, 10, 4))
DEFEND = TaskFacts(1, "Defend a position", "needs_practice", course_ids=(SCC, FTX))
CASEVAC = TaskFacts(2, "Evacuate casualties", "untrained", course_ids=(CFA,))


def _target(
    *tasks: TaskFacts, milestones: tuple[MilestoneFacts, ...] = (SEL1, NEL1)
) -> TargetFacts:
    return TargetFacts(
        1, "Light infantry battalion", frozenset({BN, COY}), "1BN", milestones, tasks
    )


def _run(ref: str, course: int, first: date, last: date, unit: int = COY) -> TrainingRun:
    return TrainingRun(ref, course, first, last, frozenset({unit}))


RUNS = {
    SCC: [_run("MK-2027-001", SCC, date(2027, 3, 1), date(2027, 3, 12))],
    FTX: [_run("MK-2027-007", FTX, date(2027, 9, 6), date(2027, 9, 17), unit=BN)],
    CFA: [
        _run("MK-2027-004", CFA, date(2027, 4, 5), date(2027, 4, 7)),
        # Another battalion's run never feeds this target.
        _run("MK-2027-005", CFA, date(2027, 2, 1), date(2027, 2, 3), unit=OTHER_BN),
    ],
}


def test_training_that_ends_before_each_evaluation_puts_nothing_at_risk() -> None:
    found = target_milestones(
        _target(DEFEND, CASEVAC), {SCC: RUNS[SCC], FTX: RUNS[FTX], CFA: RUNS[CFA]}, CODES
    )
    sel1, nel1 = found.milestones
    # The exercise ends in September: before NEL1, after SEL1.
    assert sel1.reasons == (
        "Defend a position: FTX-1 MK-2027-007 runs 6–17 Sep 2027, after the evaluation",
    )
    assert nel1.reasons == ()
    assert found.at_risk == 1
    assert [r.ref for r in found.tasks[1].runs] == ["MK-2027-004"]


def test_a_feeding_course_moved_past_a_milestone_puts_it_at_risk_and_says_why() -> None:
    moved = {**RUNS, CFA: [_run("MK-2027-004", CFA, date(2027, 10, 4), date(2027, 10, 6))]}
    nel1 = target_milestones(_target(CASEVAC), moved, CODES).milestones[1]
    assert nel1.at_risk
    assert nel1.reasons == (
        "Evacuate casualties: CFA MK-2027-004 runs 4–6 Oct 2027, after the evaluation",
    )
    still_running = {**RUNS, CFA: [_run("MK-2027-004", CFA, date(2027, 9, 30), date(2027, 10, 5))]}
    assert target_milestones(_target(CASEVAC), still_running, CODES).milestones[1].reasons == (
        "Evacuate casualties: CFA MK-2027-004 ends 5 Oct 2027, not before the evaluation",
    )


def test_a_task_rated_trained_before_the_milestone_needs_no_more_training() -> None:
    trained = TaskFacts(2, "Evacuate casualties", "trained", date(2027, 5, 20), "SEL1", (CFA,))
    found = target_milestones(_target(trained), {}, CODES)
    assert [m.reasons for m in found.milestones] == [(), ()]
    rated_late = TaskFacts(2, "Evacuate casualties", "trained", date(2027, 7, 1), "unit", (CFA,))
    sel1, nel1 = target_milestones(_target(rated_late), {}, CODES).milestones
    assert sel1.reasons == ("Evacuate casualties: no CFA is planned for 1BN",)
    assert nel1.reasons == ()


def test_a_held_milestone_is_not_judged_and_a_task_without_training_is_named() -> None:
    held = MilestoneFacts(1, "Self-evaluation level 1", date(2027, 6, 1), "ready_with_comments")
    bare = TaskFacts(3, "Man a checkpoint", "untrained")
    (check,) = target_milestones(_target(bare, milestones=(held,)), RUNS, CODES).milestones
    assert check.held and not check.at_risk
    (check,) = target_milestones(_target(bare, milestones=(NEL1,)), RUNS, CODES).milestones
    assert check.reasons == ("Man a checkpoint: no course or exercise is named to train it",)
