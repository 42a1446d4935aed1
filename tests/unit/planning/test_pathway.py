"""The readiness pathway per partner: statuses, reasons and grouping."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from plan_factory import PlanFactory

from scheduler.planning.data import RequirementData
from scheduler.planning.pathway import (
    PathwayStatus,
    pathway,
    requirement_bar,
    requirement_reason,
    requirement_status,
)
from scheduler.planning.readiness import ReadinessRow, readiness


def row(
    required: int,
    scheduled: int,
    delivered: int,
    scheduled_by_due: int | None = None,
    delivered_by_due: int | None = None,
    due: date | None = date(2027, 5, 31),
    **kw: object,
) -> ReadinessRow:
    values: dict[str, object] = {
        "requirement_id": 1,
        "target_id": 1,
        "target": "Battalion ready",
        "unit_id": 1,
        "unit_code": "MK-1BN",
        "unit_name": "1st battalion",
        "course_id": 1,
        "course_code": "CFA",
        "course_title": "Combat first aid",
        "required": required,
        "scheduled": scheduled,
        "delivered": delivered,
        "due": due,
        "scheduled_by_due": scheduled if scheduled_by_due is None else scheduled_by_due,
        "delivered_by_due": delivered if delivered_by_due is None else delivered_by_due,
        "nation_code": "MK",
    }
    values.update(kw)
    return ReadinessRow(**values)  # type: ignore[arg-type]


def test_the_issue_case_built_by_hand() -> None:
    """Required 40, 20 seats scheduled, 12 delivered, due before the last event."""
    f = PlanFactory()
    cfa = f.course("CFA", "Combat first aid")
    battalion = f.unit("MK-1BN", nation="MK")
    company = f.unit("MK-1BN-A", nation="MK", parent_id=battalion.id)
    f.event(
        cfa,
        "2027-03-01",
        "2027-03-05",
        units=[(battalion, 15)],
        status="delivered",
        attended=14,
        passed=12,
    )
    f.event(cfa, "2027-04-05", "2027-04-09", units=[(company, 8)], status="planned")
    f.event(cfa, "2027-06-07", "2027-06-11", units=[(battalion, 12)], status="confirmed")
    f.event(cfa, "2027-04-12", units=[(battalion, 30)], status="draft")  # not booked yet
    f.requirement(battalion, cfa, 40, "2027-05-31")
    [readiness_row] = readiness(f.plan())
    assert (readiness_row.required, readiness_row.scheduled, readiness_row.delivered) == (
        40,
        20,
        12,
    )
    bar = requirement_bar(readiness_row)
    assert bar.status is PathwayStatus.AT_RISK and bar.status.needs_attention
    assert bar.numbers == "12 delivered · 20 scheduled · 40 required"
    assert bar.reason == (
        "12 of 40 delivered, 20 seats booked; 20 short by 31 May 2027 "
        "(12 seats only after the due date 31 May 2027)."
    )
    [partner] = pathway([readiness_row])
    assert partner.code == "MK"
    [target] = partner.targets
    assert (target.name, target.due, target.status) == (
        "Battalion ready",
        date(2027, 5, 31),
        PathwayStatus.AT_RISK,
    )
    assert partner.summary() == "1 of 1 target needs attention (1 requirement late or at risk)"


def test_statuses_and_reasons_in_planners_words() -> None:
    short = row(40, 20, 12)
    assert requirement_status(short) is PathwayStatus.AT_RISK
    assert (
        requirement_reason(short) == "12 of 40 delivered, 20 seats booked; 8 short by 31 May 2027."
    )
    late = row(40, 28, 12, scheduled_by_due=8)
    assert requirement_status(late) is PathwayStatus.LATE
    assert requirement_reason(late) == (
        "12 of 40 delivered, 28 seats booked; 20 seats only after the due date 31 May 2027."
    )
    fine = row(40, 28, 12)
    assert requirement_status(fine) is PathwayStatus.ON_TRACK
    assert requirement_reason(fine) == "12 of 40 delivered, 28 seats booked: enough by 31 May 2027."
    done = row(40, 0, 41, delivered_by_due=30)
    assert requirement_status(done) is PathwayStatus.DONE
    assert requirement_reason(done) == "41 of 40 delivered."
    undated = row(10, 1, 0, due=None)
    assert requirement_reason(undated) == "0 of 10 delivered, 1 seat booked; 9 short."
    assert requirement_status(row(0, 0, 0)) is PathwayStatus.DONE


def test_grouped_by_partner_then_target_soonest_first() -> None:
    rows = [
        row(
            10,
            10,
            0,
            target_id=2,
            target="Border unit ready",
            nation_code="AL",
            unit_code="AL-BPU",
            due=date(2027, 9, 1),
        ),
        row(40, 20, 12, requirement_id=2),
        row(20, 20, 0, requirement_id=3, course_code="BLS", due=date(2027, 4, 30)),
        row(5, 5, 0, requirement_id=4, target_id=3, target="Академија", due=date(2027, 2, 1)),
        row(5, 0, 0, requirement_id=5, target_id=4, target="No nation", nation_code=None),
    ]
    partners = pathway(rows, target_dues={1: date(2027, 6, 30)})
    assert [p.code for p in partners] == ["AL", "MK", "—"]
    mk = partners[1]
    assert [(t.name, t.due) for t in mk.targets] == [
        ("Академија", date(2027, 2, 1)),
        ("Battalion ready", date(2027, 6, 30)),  # the target's own date
    ]
    battalion = mk.targets[1]
    assert [b.row.course_code for b in battalion.bars] == ["BLS", "CFA"]  # by due date
    assert [b.status for b in battalion.bars] == [PathwayStatus.ON_TRACK, PathwayStatus.AT_RISK]
    assert battalion.status is PathwayStatus.AT_RISK and battalion.attention == 1
    assert mk.summary() == "1 of 2 targets needs attention (1 requirement late or at risk)"
    assert partners[0].summary() == "All 1 target on track or done."


def test_factory_requirements_keep_their_targets() -> None:
    """Two targets of one unit stay apart even when named alike."""
    f = PlanFactory()
    cfa = f.course("CFA")
    unit = f.unit("RS-1BN", nation="RS")
    first = f.requirement(unit, cfa, 5, "2027-05-31")
    f.requirements.append(replace(first, id=99, target_id=2))
    assert isinstance(first, RequirementData)
    [partner] = pathway(readiness(f.plan()))
    assert [t.target_id for t in partner.targets] == [1, 2]
