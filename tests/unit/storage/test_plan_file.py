"""Creating, opening and editing plan files."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from scheduler.errors import PlanFileError
from scheduler.model import ChangeLog, Course, Nation, TrainingEvent, Venue
from scheduler.storage import PlanAccess, ReadOnlyPlanError, create_plan, list_backups, open_plan


def test_new_plan_has_the_seven_nations_and_is_tuned(tmp_path: Path) -> None:
    path = tmp_path / "new plan.tsplan"
    with create_plan(path, name="Plan 2027") as plan:
        with plan.session() as session:
            codes = sorted(session.scalars(select(Nation.code)))
        assert codes == ["AL", "BA", "GB", "ME", "MK", "RS", "XK"]
        assert plan.name == "Plan 2027"
        with plan.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    # Nothing is left beside the plan once it is closed.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new plan.tsplan"]


def test_new_refuses_to_replace_a_plan_without_force(empty_plan_path: Path) -> None:
    before = empty_plan_path.read_bytes()
    with pytest.raises(PlanFileError, match="already exists"):
        create_plan(empty_plan_path)
    assert empty_plan_path.read_bytes() == before


def test_force_backs_up_the_plan_it_replaces(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan, plan.session() as session:
        session.add(Course(code="SCC", title="Section commanders' course"))
    with create_plan(empty_plan_path, force=True) as plan, plan.session() as session:
        assert session.scalars(select(Course)).all() == []
    saved = [b for b in list_backups(empty_plan_path) if b.reason == "before-replace"]
    assert len(saved) == 1
    with sqlite3.connect(saved[0].path) as backup:
        assert backup.execute("SELECT code FROM course").fetchall() == [("SCC",)]


def test_every_edit_is_committed_and_logged(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
            session.add(Venue(name="Криволак", nation=mk, capacity=120))
        with plan.session() as session:
            venue = session.scalars(select(Venue)).one()
            venue.capacity = 150
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        venue = session.scalars(select(Venue)).one()
        assert (venue.name, venue.capacity, venue.version_id) == ("Криволак", 150, 2)
        log = session.scalars(
            select(ChangeLog).where(ChangeLog.entity == "Venue").order_by(ChangeLog.id)
        ).all()
        assert [(r.action, r.field, r.old_value, r.new_value) for r in log] == [
            ("created", None, None, None),
            ("updated", "capacity", "120", "150"),
        ]
        assert all("@" in r.changed_by for r in log)


def test_read_access_refuses_writes(empty_plan_path: Path) -> None:
    before = empty_plan_path.read_bytes()
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan:
        with pytest.raises(ReadOnlyPlanError), plan.session() as session:
            session.scalars(select(Nation)).first().name = "Changed"  # type: ignore[union-attr]
        assert plan.lock is None
    assert empty_plan_path.read_bytes() == before


def test_stale_edit_is_refused_not_overwritten(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        first, second = plan.new_session(), plan.new_session()
        try:
            mine = first.scalars(select(Nation).where(Nation.code == "AL")).one()
            theirs = second.scalars(select(Nation).where(Nation.code == "AL")).one()
            theirs.name = "Republic of Albania"
            second.commit()
            mine.name = "Shqipëria"
            with pytest.raises(StaleDataError):
                first.commit()
        finally:
            first.close()
            second.close()
        with plan.session() as session:
            assert session.scalars(select(Nation.name).where(Nation.code == "AL")).one() == (
                "Republic of Albania"
            )


def test_event_refs_are_generated_per_host_nation_and_year(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
            al = session.scalars(select(Nation).where(Nation.code == "AL")).one()
            course = Course(code="CFA", title="Combat first aid")
            skopje, tirana = Venue(name="Skopje", nation=mk), Venue(name="Tiranë", nation=al)
            for venue, year in ((skopje, 2027), (skopje, 2027), (tirana, 2027), (skopje, 2028)):
                session.add(
                    TrainingEvent(
                        course=course,
                        venue=venue,
                        start=datetime(year, 3, 1, 8),
                        end=datetime(year, 3, 1, 16),
                    )
                )
            session.add(
                TrainingEvent(
                    ref="MK-2027-040",
                    course=course,
                    venue=skopje,
                    start=datetime(2027, 5, 1, 8),
                    end=datetime(2027, 5, 1, 16),
                )
            )
        with plan.session() as session:
            session.add(
                TrainingEvent(
                    course=session.scalars(select(Course)).one(),
                    venue=session.scalars(select(Venue).where(Venue.name == "Skopje")).one(),
                    start=datetime(2027, 6, 1, 8),
                    end=datetime(2027, 6, 1, 16),
                )
            )
        with plan.session() as session:
            refs = sorted(session.scalars(select(TrainingEvent.ref)))
    assert refs == [
        "AL-2027-001",
        "MK-2027-001",
        "MK-2027-002",
        "MK-2027-040",
        "MK-2027-041",
        "MK-2028-001",
    ]


def test_change_log_hooks_every_new_sessionmaker(empty_plan_path: Path) -> None:
    """SQLAlchemy's listener registry is keyed on id(): a sessionmaker that
    reuses a freed one's address must still be hooked (it once was not, and
    a plan reopened in the same process stopped logging its edits)."""
    import gc

    from sqlalchemy.orm import sessionmaker

    from scheduler.model import install_change_log

    with open_plan(empty_plan_path) as plan:
        for capacity in range(1, 21):
            sessions = sessionmaker(plan.engine)
            install_change_log(sessions)
            with sessions.begin() as session:
                mk = session.scalars(select(Nation).where(Nation.code == "MK")).one()
                session.add(Venue(name=f"Venue {capacity}", nation=mk, capacity=capacity))
            del sessions, session
            gc.collect()
        with plan.session() as session:
            logged = session.scalars(select(ChangeLog.id).where(ChangeLog.entity == "Venue"))
            assert len(logged.all()) == 20


def test_a_reference_changed_through_its_relationship_is_logged(empty_plan_path: Path) -> None:
    """``event.venue = other`` (a timeline drag to another venue) sets the key only
    while flushing; the change log still says the venue changed, from which to which."""
    with open_plan(empty_plan_path) as plan:
        with plan.session() as session:
            nation = session.scalars(select(Nation).where(Nation.code == "MK")).one()
            first, second = (
                Venue(name="Криволак", nation=nation),
                Venue(name="Пепелиште", nation=nation),
            )
            course = Course(code="C-1", title="Range safety")
            session.add_all([first, second, course])
            session.flush()
            event = TrainingEvent(course=course, venue=first, start=datetime(2027, 3, 1, 8),
                                  end=datetime(2027, 3, 2, 16))  # fmt: skip
            session.add(event)
            session.flush()
            ids = first.id, second.id
        with plan.session() as session:
            event = session.scalars(select(TrainingEvent)).one()
            event.venue = session.get(Venue, ids[1])
        with plan.session() as session:
            event = session.scalars(select(TrainingEvent)).one()
            event.venue = None
        with plan.session() as session:
            log = session.scalars(
                select(ChangeLog)
                .where(ChangeLog.entity == "TrainingEvent", ChangeLog.action == "updated")
                .order_by(ChangeLog.id)
            ).all()
    assert [(r.field, r.old_value, r.new_value) for r in log] == [
        ("venue_id", str(ids[0]), str(ids[1])),
        ("venue_id", str(ids[1]), None),
    ]
