"""Names are kept only for the retention period; the counts outlive them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from scheduler.cli import main
from scheduler.model import (
    ChangeLog,
    Enrolment,
    EnrolmentStatus,
    EventAudience,
    Nation,
    Trainee,
    TrainingEvent,
    Unit,
)
from scheduler.services.plan_info import plan_counts
from scheduler.storage import PlanAccess, open_plan


@pytest.fixture
def old_and_new(demo_plan_path: Path) -> tuple[Path, str]:
    """Three people on an event of 2019 (attendance never typed in): two of
    them trained then only, one came back in 2027; the names were corrected once."""
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        recent = session.scalars(
            select(TrainingEvent).where(TrainingEvent.ref.like("MK-2027-%")).limit(1)
        ).one()
        old = TrainingEvent(
            ref="MK-2019-001",
            course=recent.course,
            start=datetime(2019, 3, 4, 9),
            end=datetime(2019, 3, 8, 17),
            status="delivered",
        )
        # Twenty seats, one person named: its seats go on counting after the purge.
        unit = session.scalars(select(Unit).where(Unit.nation_id == mk.id)).first()
        crowded = TrainingEvent(
            ref="MK-2019-002",
            course=recent.course,
            start=datetime(2019, 5, 6, 9),
            end=datetime(2019, 5, 7, 17),
            status="delivered",
            audience=[EventAudience(unit=unit, seats=20)],
        )
        session.add_all([old, crowded])

        def person(name: str, *events: tuple[TrainingEvent, EnrolmentStatus]) -> Trainee:
            return Trainee(
                name=name,
                nation=mk,
                languages=[],
                enrolments=[Enrolment(event=e, status=s) for e, s in events],
            )

        session.add_all(
            [
                person("Стар Курсист", (old, EnrolmentStatus.PASSED)),
                person("Друг Курсист", (old, EnrolmentStatus.FAILED)),
                person(
                    "Се Врати",
                    (old, EnrolmentStatus.PASSED),
                    (recent, EnrolmentStatus.NOMINATED),
                ),
                person("Еден од Дваесет", (crowded, EnrolmentStatus.PASSED)),
            ]
        )
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        renamed = session.scalars(select(Trainee).where(Trainee.name == "Стар Курсист")).one()
        renamed.name_latin = "Star Kursist"  # a correction the change log remembers
    return demo_plan_path, old.ref


OURS = ("Стар Курсист", "Друг Курсист", "Се Врати", "Еден од Дваесет")


def _people(path: Path) -> list[str]:
    """The fixture's people still in the plan (the demo's own trainees are recent)."""
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        return sorted(s.scalars(select(Trainee.name).where(Trainee.name.in_(OURS))))


def test_the_purge_removes_old_names_and_keeps_the_counts(
    old_and_new: tuple[Path, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, ref = old_and_new
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        before = plan_counts(s)["trainees"]
    assert main(["purge-personal-data", str(path), "--years", "5", "--dry-run"]) == 0
    assert "Would remove 3 trainee(s) and their 3 enrolment(s)" in capsys.readouterr().out
    assert len(_people(path)) == 4
    assert main(["purge-personal-data", str(path), "--years", "5"]) == 0
    out = capsys.readouterr().out
    assert "Removed 3 trainee(s)" in out and "attendance and passes of 1 event(s)" in out
    assert _people(path) == ["Се Врати"]  # came back in 2027: kept, and all their history
    with open_plan(path, access=PlanAccess.READ) as plan, plan.session() as s:
        event = s.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()
        assert (event.attended, event.passed) == (3, 2)  # counted before the names went
        assert [e.trainee.name for e in event.enrolments] == ["Се Врати"]
        crowded = s.scalars(select(TrainingEvent).where(TrainingEvent.ref == "MK-2019-002")).one()
        assert (crowded.attended, crowded.passed, crowded.enrolments) == (None, None, [])
        logged = " ".join(
            f"{row.old_value} {row.new_value}"
            for row in s.scalars(select(ChangeLog).where(ChangeLog.entity == "Trainee"))
        )
        assert "Star Kursist" not in logged and "(personal data purged)" in logged
        assert plan_counts(s)["trainees"] == before - 3
    # Nothing older left: a second purge finds nothing.
    five_years_ago = str(date.today() - timedelta(days=365 * 5))
    assert main(["purge-personal-data", str(path), "--before", five_years_ago]) == 0
    assert "nothing to purge" in capsys.readouterr().out
