"""Taking a shared plan offline and synchronising it back, on a real PostgreSQL server,
through the commands a planner types."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scheduler.cli import main
from scheduler.errors import UserError
from scheduler.model import (
    ChangeLog,
    ConflictAcceptance,
    EventAudience,
    EventInstructor,
    EventSeries,
    Instructor,
    Nation,
    Release,
    Trainee,
    TrainingEvent,
    Venue,
)
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage.merge import Side
from scheduler.storage.syncing import (
    WRITING_OTHER,
    SyncError,
    _Run,
    checkout_plan,
    sync_plan,
    sync_with_file,
)
from tests.integration.postgres import PostgresServer
from tests.sync_plans import (
    demo_template,
    edit,
    events,
    shared_with_checkout,
    snapshot,
    without_sync_lines,
)


@pytest.fixture(scope="session")
def small_plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_template(tmp_path_factory, "small", events=150, seed=3)


@pytest.fixture
def pair(small_plan_template: Path, server_url: str, tmp_path: Path) -> tuple[str, Path]:
    return shared_with_checkout(small_plan_template, server_url, tmp_path)


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out + err


def _event(session: Session, ref: str) -> TrainingEvent:
    return session.scalars(select(TrainingEvent).where(TrainingEvent.ref == ref)).one()


def _add_event_like(session: Session, model: TrainingEvent, notes: str) -> str:
    added = TrainingEvent(
        course_id=model.course_id,
        venue_id=model.venue_id,
        start=model.start + timedelta(days=400),
        end=model.end + timedelta(days=400),
        notes=notes,
    )
    session.add(added)
    session.flush()
    return added.ref


def test_changes_made_apart_reach_both_sides(
    pair: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, laptop = pair
    refs = edit(laptop, lambda s: [event.ref for event in events(s, 6)])

    def on_laptop(session: Session) -> str:
        _event(session, refs[0]).outcome = "Range day moved by the deployed team"
        _event(session, refs[1]).start += timedelta(hours=1)
        session.delete(_event(session, refs[2]))
        return _add_event_like(session, _event(session, refs[0]), "added in Skopje")

    def on_server(session: Session) -> str:
        _event(session, refs[3]).notes = "Кратка белешка"  # Cyrillic survives both ways
        _event(session, refs[1]).outcome = "server's outcome"  # another field of the same event
        session.delete(_event(session, refs[4]))
        return _add_event_like(session, _event(session, refs[0]), "added at the cell")

    laptop_ref, server_ref = edit(laptop, on_laptop), edit(server, on_server)
    # Both sides counted up from the same number while apart.
    assert laptop_ref == server_ref

    code, out = _cli(capsys, "sync", str(laptop))
    assert code == 0, out
    assert "Brought into this file: 1 event added, 3 events changed, 1 event removed" in out
    assert f"Event {laptop_ref}, added on this laptop, is now" in out
    assert "open clash" in out

    both = snapshot(laptop)
    assert both == snapshot(server)
    by_ref = {row["ref"]: row for row in both["training_event"].values()}
    assert by_ref[refs[0]]["outcome"] == "Range day moved by the deployed team"
    assert by_ref[refs[1]]["outcome"] == "server's outcome"
    assert by_ref[refs[3]]["notes"] == "Кратка белешка"
    assert refs[2] not in by_ref and refs[4] not in by_ref
    notes = sorted(row["notes"] or "" for row in by_ref.values() if row["start"].year > 2027)
    assert "added at the cell" in notes and "added in Skopje" in notes
    assert by_ref[server_ref]["notes"] == "added at the cell"

    # The change log says which changes came by sync, from whom, on both sides.
    for location in (laptop, server):
        with open_plan(location, access=PlanAccess.READ) as plan, plan.session() as session:
            lines = session.scalars(select(ChangeLog).where(ChangeLog.entity == "Sync")).all()
            assert {line.action for line in lines} == {"checked out", "synchronised"}
            assert any(
                "to the shared plan: 1 event added" in (line.new_value or "") for line in lines
            )

    code, out = _cli(capsys, "sync", str(laptop))
    assert code == 0 and "Brought into this file: nothing" in out
    assert snapshot(laptop) == snapshot(server)


def test_a_ref_given_again_after_a_deletion_changes_hands(pair: tuple[str, Path]) -> None:
    """The server deleted the highest event of a prefix and added one that took its ref."""
    server, laptop = pair

    def renew(session: Session) -> tuple[str, str]:
        last = session.scalars(select(TrainingEvent).order_by(TrainingEvent.ref.desc())).first()
        assert last is not None
        old_ref, model = last.ref, last
        added = TrainingEvent(course_id=model.course_id, venue_id=model.venue_id,
                              start=model.start, end=model.end, notes="the new one")  # fmt: skip
        session.delete(last)
        session.flush()
        session.add(added)
        session.flush()
        return old_ref, added.ref

    old_ref, new_ref = edit(server, renew)
    assert old_ref == new_ref
    assert sync_plan(laptop).applied
    assert snapshot(laptop) == snapshot(server)
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        assert _event(session, new_ref).notes == "the new one"


def test_the_same_venue_and_booking_added_on_both_sides_become_one(
    pair: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    """Both planners add the range and put the same instructor on the same event:
    the plan allows one of each, so each pair becomes one record, not a refusal."""
    server, laptop = pair
    ref = edit(laptop, lambda s: events(s, 1)[0].ref)

    def add(capacity: int, who: str) -> Callable[[Session], None]:
        def change(session: Session) -> None:
            nation = session.scalars(select(Nation).where(Nation.code == "MK")).one()
            session.add(Venue(name="Стрелиште Пепелиште", nation=nation, capacity=capacity))
            event = _event(session, ref)
            spare = session.scalars(
                select(Instructor)
                .where(Instructor.id.not_in([i.instructor_id for i in event.instructors]))
                .order_by(Instructor.name)
            ).first()
            assert spare is not None
            event.instructors.append(EventInstructor(instructor=spare))
            event.outcome = who

        return change

    edit(laptop, add(40, "laptop"))
    edit(server, add(60, "cell"))
    code, out = _cli(capsys, "sync", str(laptop))
    assert code == 1  # the two differ in what was typed: capacity, and the event's outcome
    assert "2 conflicts need a decision" in out and "venue Стрелиште Пепелиште · capacity" in out
    code, out = _cli(capsys, "sync", str(laptop), "--prefer", "theirs")
    assert code == 0, out
    assert "Venue Стрелиште Пепелиште was added on both sides: kept as one." in out
    assert "capacity: kept the other side's “60”" in out
    both = snapshot(laptop)
    assert both == snapshot(server)
    ranges = [row for row in both["venue"].values() if row["name"] == "Стрелиште Пепелиште"]
    assert [row["capacity"] for row in ranges] == [60]
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        event = _event(session, ref)
        names = [line.instructor.name for line in event.instructors]
        assert len(names) == len(set(names))


def test_a_conflict_stops_the_sync_until_a_side_is_preferred(
    pair: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    server, laptop = pair
    ref = edit(laptop, lambda s: events(s, 1)[0].ref)
    edit(laptop, lambda s: setattr(_event(s, ref), "outcome", "the laptop's"))
    edit(server, lambda s: setattr(_event(s, ref), "outcome", "the cell's"))
    before = snapshot(server), snapshot(laptop)

    code, out = _cli(capsys, "sync", str(laptop))
    assert code == 1
    assert "1 conflict needs a decision; nothing was written" in out
    assert f"event {ref} · outcome" in out
    assert "this file: “the laptop's”" in out and "the server: “the cell's”" in out
    assert "@" in out  # who made each change
    assert (snapshot(server), snapshot(laptop)) == before

    code, out = _cli(capsys, "sync", str(laptop), "--dry-run", "--prefer", "mine")
    assert code == 0 and "Would bring to the server: 1 event changed" in out
    assert (snapshot(server), snapshot(laptop)) == before

    code, out = _cli(capsys, "sync", str(laptop), "--prefer", "theirs")
    assert code == 0 and "kept the other side's “the cell's”" in out
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        assert _event(session, ref).outcome == "the cell's"
    assert snapshot(laptop) == snapshot(server)


def test_edit_versus_delete_keeps_the_event_whole_when_kept(pair: tuple[str, Path]) -> None:
    server, laptop = pair

    def busy(session: Session) -> str:
        found = session.scalars(
            select(TrainingEvent)
            .join(EventInstructor)
            .join(EventAudience)
            .order_by(TrainingEvent.ref)
        ).first()
        assert found is not None
        return found.ref

    ref = edit(server, busy)
    edit(laptop, lambda s: s.delete(_event(s, ref)))
    edit(server, lambda s: setattr(_event(s, ref), "outcome", "still running"))

    report = sync_plan(laptop)
    [conflict] = report.unsettled
    assert conflict.field is None and conflict.deleted_by is Side.MINE
    assert not report.applied

    sync_plan(laptop, resolutions={conflict.ident: _keep_theirs(conflict)})
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        event = _event(session, ref)
        assert event.outcome == "still running"
        assert event.audience and event.instructors
    assert snapshot(laptop) == snapshot(server)


def _keep_theirs(conflict: object) -> object:
    from scheduler.storage.merge import Resolution

    return Resolution(Side.THEIRS)


def test_series_people_and_new_records_merge_like_any_other(pair: tuple[str, Path]) -> None:
    server, laptop = pair

    def on_laptop(session: Session) -> None:
        series = session.scalars(select(EventSeries).order_by(EventSeries.uuid)).first()
        assert series is not None
        series.exdates = [*series.exdates, "2027-12-24"]
        occurrence = session.scalars(
            select(TrainingEvent)
            .where(TrainingEvent.series_id == series.id)
            .order_by(TrainingEvent.start)
        ).first()
        assert occurrence is not None
        occurrence.start += timedelta(days=1)
        occurrence.end += timedelta(days=1)
        occurrence.is_override = True
        nation = session.scalars(select(Nation).where(Nation.code == "MK")).one()
        session.add(Trainee(name="Ана Петровска", name_latin="Ana Petrovska", nation=nation))
        accepted = ConflictAcceptance(
            rule="venue_closed",
            conflict_key="venue_closed:x",
            event_uuids=[occurrence.uuid],
            fingerprint="f" * 64,
            reason="The range opens for us",
            accepted_by="ana@laptop",
        )
        session.add(accepted)

    def on_server(session: Session) -> None:
        nation = session.scalars(select(Nation).where(Nation.code == "AL")).one()
        session.add(Venue(name="Poligoni i Zallit të Herrit", nation=nation))
        session.add(Trainee(name="Dritan Hoxha", nation=nation))
        session.add(Release(partner_code="AL", released_by="bora@cell", file_name="AL.xlsx",
                            file_hash="0" * 64, marking="OFFICIAL", snapshot=[]))  # fmt: skip

    edit(laptop, on_laptop)
    edit(server, on_server)
    report = sync_plan(laptop)
    assert report.applied and not report.unsettled
    both = snapshot(server)
    assert both == snapshot(laptop)
    assert {row["name"] for row in both["trainee"].values()} >= {"Ана Петровска", "Dritan Hoxha"}
    assert any(row["name"] == "Poligoni i Zallit të Herrit" for row in both["venue"].values())
    assert any("2027-12-24" in row["exdates"] for row in both["event_series"].values())
    assert any(row["is_override"] for row in both["training_event"].values())
    assert [row["reason"] for row in both["conflict_acceptance"].values()] == [
        "The range opens for us"
    ]
    assert [row["file_name"] for row in both["release"].values()] == ["AL.xlsx"]


def test_a_sync_cut_between_the_server_and_the_file_finishes_next_time(
    pair: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, laptop = pair
    refs = edit(laptop, lambda s: [event.ref for event in events(s, 3)])
    edit(laptop, lambda s: setattr(_event(s, refs[0]), "outcome", "mine"))
    edit(laptop, lambda s: setattr(_event(s, refs[1]), "notes", "only on the laptop"))
    edit(server, lambda s: setattr(_event(s, refs[0]), "outcome", "theirs"))
    edit(server, lambda s: setattr(_event(s, refs[2]), "notes", "only on the server"))
    laptop_before = snapshot(laptop)

    def cut(*_args: object) -> None:
        raise KeyboardInterrupt  # the laptop's lid closed after the server committed

    monkeypatch.setattr(_Run, "_write_file", cut)
    with pytest.raises(KeyboardInterrupt):
        sync_plan(laptop, prefer=Side.THEIRS)
    monkeypatch.undo()
    assert snapshot(laptop) == laptop_before  # the file as it was
    with open_plan(server, access=PlanAccess.READ) as plan, plan.session() as session:
        assert _event(session, refs[1]).notes == "only on the laptop"  # the server took it

    # No --prefer now: the conflict settled then is not asked again.
    report = sync_plan(laptop)
    assert report.finished_interrupted and report.applied and not report.unsettled
    assert snapshot(laptop) == snapshot(server)
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        assert _event(session, refs[0]).outcome == "theirs"
        assert _event(session, refs[2]).notes == "only on the server"


def test_two_laptops_meet_in_the_field_then_both_come_home(
    small_plan_template: Path, server_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    server, first = shared_with_checkout(small_plan_template, server_url, tmp_path)
    second = tmp_path / "second.tsplan"
    checkout_plan(server, second)  # a second checkout of the same, unchanged state
    third = tmp_path / "third.tsplan"
    shutil.copyfile(first, third)  # a copy on a USB stick descends from the same checkout
    refs = edit(first, lambda s: [event.ref for event in events(s, 4)])
    edit(first, lambda s: setattr(_event(s, refs[0]), "outcome", "first laptop"))
    edit(second, lambda s: setattr(_event(s, refs[1]), "outcome", "second laptop"))
    edit(second, lambda s: s.delete(_event(s, refs[2])))

    code, out = _cli(capsys, "sync", str(first), "--with", str(second))
    assert code == 0, out
    assert snapshot(first) == snapshot(second)

    # Apart again: each changes what the meeting brought it; the next meeting is clean.
    edit(first, lambda s: setattr(_event(s, refs[1]), "outcome", "first corrects second"))
    report = sync_with_file(first, second)
    assert report.applied and not report.unsettled
    assert snapshot(first) == snapshot(second)

    edit(server, lambda s: setattr(_event(s, refs[3]), "outcome", "the cell"))
    assert sync_plan(first).applied
    with pytest.raises(SyncError, match="different times"):
        sync_with_file(second, first)
    assert sync_plan(second).applied
    both = snapshot(server)
    assert both == snapshot(second)
    # First lacks only the line of second's sync (which reaches it with its next sync).
    assert without_sync_lines(both) == without_sync_lines(snapshot(first))
    edit(third, lambda s: setattr(_event(s, refs[3]), "notes", "from the stick"))
    with pytest.raises(SyncError, match="different times"):
        sync_with_file(third, first)
    assert sync_plan(third).applied
    assert snapshot(third) == snapshot(server)
    by_ref = {row["ref"]: row for row in both["training_event"].values()}
    assert by_ref[refs[0]]["outcome"] == "first laptop"
    assert by_ref[refs[1]]["outcome"] == "first corrects second"
    assert refs[2] not in by_ref
    assert by_ref[refs[3]]["outcome"] == "the cell"


def test_refusals_say_why_and_change_nothing(
    pair: tuple[str, Path],
    demo_plan_path: Path,
    postgres_server: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, laptop = pair
    code, out = _cli(capsys, "sync", str(demo_plan_path))
    assert code != 0 and "was not taken offline" in out

    other = postgres_server.new_database()  # type: ignore[attr-defined]
    main(["copy", str(demo_plan_path), other])
    capsys.readouterr()
    code, out = _cli(capsys, "sync", str(laptop), "--server", other)
    assert code != 0 and "holds another plan" in out

    code, out = _cli(capsys, "checkout", str(laptop), str(laptop.with_name("x.tsplan")))
    assert code != 0 and "is a plan file" in out
    code, out = _cli(capsys, "checkout", server, str(laptop))
    assert code != 0 and "already exists" in out


def test_copies_and_counts_of_a_checkout_stay_plain(pair: tuple[str, Path], tmp_path: Path) -> None:
    """A copy of a checkout is an ordinary plan: it does not think it has an origin."""
    _, laptop = pair
    copied = tmp_path / "copied.tsplan"
    main(["copy", str(laptop), str(copied)])
    with pytest.raises(SyncError, match="not taken offline"):
        sync_plan(copied)
    with open_plan(laptop, access=PlanAccess.READ) as plan, plan.session() as session:
        assert session.scalar(select(func.count()).select_from(TrainingEvent)) == 150


def test_a_server_paused_mid_sync_ends_in_a_sentence_and_the_next_sync_completes(
    pair: tuple[str, Path], postgres_server: PostgresServer
) -> None:
    server, laptop = pair
    refs = edit(laptop, lambda s: [event.ref for event in events(s, 2)])
    edit(laptop, lambda s: setattr(_event(s, refs[0]), "outcome", "from the laptop"))
    edit(server, lambda s: setattr(_event(s, refs[1]), "outcome", "from the cell"))
    laptop_before, server_before = snapshot(laptop), snapshot(server)
    writing, paused = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def step(name: str) -> None:
        if name == WRITING_OTHER:
            writing.set()
            assert paused.wait(30)

    def run() -> None:
        started = time.monotonic()
        try:
            sync_plan(laptop, progress=step)
        except UserError as exc:
            outcome["error"] = str(exc)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert writing.wait(30)
    database = server.rsplit("/", 1)[1]
    with postgres_server.paused(postgres_server.backend_pids(database)):
        paused.set()
        thread.join(40)
        still_waiting = thread.is_alive()
    thread.join(60)
    assert not still_waiting
    assert "did not answer" in str(outcome.get("error")), outcome
    assert snapshot(laptop) == laptop_before and snapshot(server) == server_before

    report = sync_plan(laptop)
    assert report.applied and not report.finished_interrupted
    assert snapshot(laptop) == snapshot(server)
