"""The window's road to whole plans: services/plan_files.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from scheduler.services import plan_files
from scheduler.services.plan_files import PlanAccess, UserError


def test_the_demo_command_writes_its_plan_through_the_service() -> None:
    """The window, the self-test and ``demo`` share one generator road."""
    from scheduler.commands import plan_file

    assert plan_file.write_demo_plan is plan_files.write_demo_plan


def test_back_up_now_says_what_it_did_and_how_many_are_kept(empty_plan_path: Path) -> None:
    with plan_files.open_plan(empty_plan_path) as plan:
        said = plan_files.back_up_now(plan)
        listing = plan_files.list_backups(empty_plan_path)

    assert said.startswith("Nothing new to back up")  # opening backed it up already
    assert [b.reason for b in listing.backups] == ["open"]
    assert "1 backup of this plan is kept" in said
    assert f"up to the newest {listing.keep}" in said


def test_a_restored_backup_is_the_plan_again(empty_plan_path: Path) -> None:
    from sqlalchemy import select

    from scheduler.model import Course

    with plan_files.open_plan(empty_plan_path) as plan, plan.session() as session:
        session.add(Course(code="OOPS", title="Added by mistake"))
    saved = plan_files.list_backups(empty_plan_path).backups[0]  # taken on open

    plan_files.restore_backup(empty_plan_path, saved)

    with (
        plan_files.open_plan(empty_plan_path, access=PlanAccess.READ) as plan,
        plan.session() as session,
    ):
        assert session.scalars(select(Course.code)).all() == []
    reasons = [b.reason for b in plan_files.list_backups(empty_plan_path).backups]
    assert "before-restore" in reasons


def test_a_copy_cannot_replace_the_plan_itself(empty_plan_path: Path, tmp_path: Path) -> None:
    with plan_files.open_plan(empty_plan_path) as plan:
        plan_files.save_copy(plan, tmp_path / "copy.tsplan")
        with pytest.raises(UserError, match="cannot replace the plan itself"):
            plan_files.save_copy(plan, empty_plan_path)
    with plan_files.open_plan(tmp_path / "copy.tsplan", access=PlanAccess.READ) as copy:
        assert copy.name == "Test plan"


def test_a_plan_is_recognised_by_its_file_or_its_url(empty_plan_path: Path) -> None:
    with plan_files.open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        assert plan_files.is_plan_at(plan, str(empty_plan_path))
        assert plan_files.is_plan_at(
            plan, empty_plan_path.parent / ".." / empty_plan_path.parent.name / empty_plan_path.name
        )
        assert not plan_files.is_plan_at(plan, empty_plan_path.with_name("other.tsplan"))
        assert not plan_files.is_plan_at(plan, "postgresql://anna@plans.example.org/training")


def test_locations_are_described_without_their_password() -> None:
    url = "postgresql://anna:p@ss:w/rd#1@plans.example.org:5432/training"

    assert plan_files.is_server_url(url)
    assert not plan_files.is_server_url("C://plans/2027.tsplan")
    described = plan_files.describe_location(url)
    assert "p@ss" not in described and "rd#1" not in described
    assert "plans.example.org:5432/training" in described
    assert plan_files.describe_location(Path("/plans/2027.tsplan")) == "/plans/2027.tsplan"


def test_the_upgrade_scripts_shipped_are_those_expected() -> None:
    scripts = plan_files.upgrade_scripts()

    assert scripts.complete
    assert scripts.head == plan_files.head_revision() == scripts.expected[-1]
