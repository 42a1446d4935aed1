"""Rotating backups and restoring from them."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import select

from scheduler.model import Course
from scheduler.storage import list_backups, open_plan
from scheduler.storage.backups import backup_plan, needs_backup, restore_plan, rotate


def test_open_backs_up_once_until_the_plan_changes(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path):
        pass
    assert [b.reason for b in list_backups(empty_plan_path)] == ["open"]
    with open_plan(empty_plan_path):
        pass  # unchanged since the last backup: no second copy
    assert len(list_backups(empty_plan_path)) == 1
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        session.add(Course(code="EFO", title="English for operations"))
    assert needs_backup(empty_plan_path)
    with open_plan(empty_plan_path):
        pass
    assert len(list_backups(empty_plan_path)) == 2


def test_backups_are_whole_plans_and_rotate(empty_plan_path: Path) -> None:
    for number in range(5):
        with open_plan(empty_plan_path, backup_on_open=False) as plan, plan.session() as session:
            session.add(Course(code=f"C{number}", title="A change to back up"))
        backup_plan(empty_plan_path, "manual")
    rotate(empty_plan_path, keep=3)
    kept = list_backups(empty_plan_path)
    assert len(kept) == 3
    assert kept[0].taken_at > kept[-1].taken_at
    with sqlite3.connect(kept[0].path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("SELECT count(*) FROM nation").fetchone() == (7,)
        assert copy.execute("SELECT count(*) FROM course").fetchone() == (5,)
    assert not list(kept[0].path.parent.glob("*.partial"))


def test_restore_brings_back_the_backed_up_content(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            session.add(Course(code="DFD", title="Document fraud detection"))
        saved = plan.backup("before-mistake")
        with plan.session() as session:
            session.delete(session.scalars(select(Course)).one())
    restore_plan(empty_plan_path, saved)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        assert session.scalars(select(Course.code)).all() == ["DFD"]


def test_an_unchanged_plan_is_not_backed_up_twice(empty_plan_path: Path) -> None:
    first = backup_plan(empty_plan_path, "manual")
    assert backup_plan(empty_plan_path, "before-import") == first
    assert len(list_backups(empty_plan_path)) == 1
    with open_plan(empty_plan_path, backup_on_open=False) as plan, plan.session() as session:
        session.add(Course(code="EFO", title="English for operations"))
    assert backup_plan(empty_plan_path, "manual") != first
    assert len(list_backups(empty_plan_path)) == 2


def test_restore_plan_keeps_the_current_state_and_respects_the_lock(
    empty_plan_path: Path,
) -> None:
    import pytest

    from scheduler.errors import PlanLockedError
    from scheduler.storage.backups import restore_plan

    saved = backup_plan(empty_plan_path, "manual")
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            session.add(Course(code="LATE", title="Added after the backup"))
        with pytest.raises(PlanLockedError):
            restore_plan(empty_plan_path, saved)  # the plan is open here
    restore_plan(empty_plan_path, saved)
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        assert session.scalars(select(Course.code)).all() == []
    before_restore = next(b for b in list_backups(empty_plan_path) if b.reason == "before-restore")
    with sqlite3.connect(before_restore.path) as copy:
        assert copy.execute("SELECT code FROM course").fetchall() == [("LATE",)]
