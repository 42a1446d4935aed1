"""Random edits on a checkout and on its server, then a sync (hypothesis).

Judged against whole snapshots of the three states, not against the sync's
own bookkeeping: a conflict is reported exactly when both sides changed a
field differently or one deleted what the other changed; after the sync
both sides are equal; a change made on one side only is never lost.
"""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from scheduler.model import EventSeries, TrainingEvent, Venue
from scheduler.storage.merge import Side
from scheduler.storage.syncing import sync_plan
from tests.integration.postgres import PostgresServer
from tests.sync_plans import (
    Snapshot,
    demo_template,
    edit,
    shared_with_checkout,
    snapshot,
    without_sync_lines,
)

WATCHED = 8  # edits fall on the first few events, so both sides often meet
_VALUES = ("a", "b", None)

_edit = st.one_of(
    st.tuples(st.just("set"), st.integers(0, WATCHED - 1),
              st.sampled_from(("outcome", "notes", "attended", "venue")), st.integers(0, 2)),
    st.tuples(st.just("delete"), st.integers(0, WATCHED - 1)),
    st.tuples(st.just("create"), st.integers(0, WATCHED - 1), st.sampled_from(_VALUES)),
    st.tuples(st.just("move"), st.integers(0, WATCHED - 1), st.integers(-2, 2)),
    st.tuples(st.just("series"), st.integers(0, 1), st.integers(1, 3)),
)  # fmt: skip


def _apply(session: Session, step: tuple[Any, ...]) -> None:
    oldest = select(TrainingEvent).order_by(TrainingEvent.created_at, TrainingEvent.uuid)
    watched = list(session.scalars(oldest.limit(WATCHED)))
    kind = step[0]
    if kind == "series":
        series = list(session.scalars(select(EventSeries).order_by(EventSeries.uuid)))
        if len(series) > step[1]:
            found = series[step[1]]
            found.exdates = [*found.exdates, f"2029-0{step[2]}-01"]
        return
    if step[1] >= len(watched):
        return
    event = watched[step[1]]
    if kind == "set":
        name, pick = step[2], step[3]
        if name == "venue":
            venues = list(session.scalars(select(Venue).order_by(Venue.uuid).limit(3)))
            event.venue = venues[pick]
        elif name == "attended":
            event.attended = [4, 5, None][pick]
        else:
            setattr(event, name, _VALUES[pick])
    elif kind == "delete":
        session.delete(event)
    elif kind == "create":
        session.add(
            TrainingEvent(
                course_id=event.course_id,
                venue_id=event.venue_id,
                start=event.start + timedelta(days=700),
                end=event.end + timedelta(days=700),
                notes=step[2],
            )
        )
    elif kind == "move":
        event.start += timedelta(days=step[2])
        event.end += timedelta(days=step[2])


def _expected_conflicts(base: Snapshot, mine: Snapshot, theirs: Snapshot) -> set[str]:
    expected = set()
    for table, rows in base.items():
        for key in set(rows) | set(mine[table]) | set(theirs[table]):
            b, m, t = rows.get(key), mine[table].get(key), theirs[table].get(key)
            if m == t or b is None:
                continue
            if m is None or t is None:
                if (t if m is None else m) != b:
                    expected.add(f"{table}/{key}/")
                continue
            for name in b:
                if m[name] != b[name] and t[name] != b[name] and m[name] != t[name]:
                    expected.add(f"{table}/{key}/{name}")
    return expected


def _one_sided_changes_kept(
    base: Snapshot, mine: Snapshot, theirs: Snapshot, after: Snapshot, conflicted: set[str]
) -> None:
    events_in_doubt = {ident.split("/")[1] for ident in conflicted if ident.endswith("/")}
    for table, rows in base.items():
        for key in set(rows) | set(mine[table]) | set(theirs[table]):
            b, m, t = rows.get(key), mine[table].get(key), theirs[table].get(key)
            if f"{table}/{key}/" in conflicted or (m == b and t == b):
                continue
            parent = (m or t or b or {}).get("event_id")
            if key in events_in_doubt or parent in events_in_doubt:
                continue  # a deletion a planner decided on, and what it took along
            final = after[table].get(key)
            if b is None:  # added on one side
                assert final is not None, (table, key)
                added = m if m is not None else t
                assert {k: v for k, v in final.items() if k != "ref"} == {
                    k: v for k, v in added.items() if k != "ref"
                }
                continue
            if m is None or t is None:  # deleted on one side, untouched on the other
                assert final is None, (table, key)
                continue
            for name in b:
                if f"{table}/{key}/{name}" in conflicted:
                    continue
                changed = m if m[name] != b[name] else t
                assert final is not None and final[name] == changed[name], (table, key, name)


@pytest.fixture(scope="module")
def tiny_plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return demo_template(tmp_path_factory, "tiny", events=60, seed=5)


# No shrinking: each example needs a server database; a failure prints its edits as they are.
@settings(
    max_examples=25,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    on_laptop=st.lists(_edit, max_size=6),
    on_server=st.lists(_edit, max_size=6),
    prefer=st.sampled_from(list(Side)),
    seed=st.integers(0, 10**6),
)
def test_sync_after_random_edits_loses_nothing(
    postgres_server: PostgresServer,
    tiny_plan_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
    on_laptop: list[tuple[Any, ...]],
    on_server: list[tuple[Any, ...]],
    prefer: Side,
    seed: int,
) -> None:
    folder = tmp_path_factory.mktemp("sync-example")
    server, laptop = shared_with_checkout(
        tiny_plan_template, postgres_server.new_database(), folder
    )
    base = snapshot(server)
    # Equal but for the file's line saying it was checked out (it goes with the sync).
    assert without_sync_lines(base) == without_sync_lines(snapshot(laptop))
    for step in on_laptop:
        edit(laptop, lambda session, step=step: _apply(session, step))
    for step in on_server:
        edit(server, lambda session, step=step: _apply(session, step))
    mine, theirs = snapshot(laptop), snapshot(server)
    expected = _expected_conflicts(base, mine, theirs)
    event(f"conflicts: {min(len(expected), 3)}{'+' if len(expected) > 3 else ''}")
    event(f"deleted against changed: {any(ident.endswith('/') for ident in expected)}")

    looked = sync_plan(laptop, dry_run=True)
    assert {conflict.ident for conflict in looked.unsettled} == expected
    assert (snapshot(laptop), snapshot(server)) == (mine, theirs)

    # Settle some conflicts one by one, the rest by --prefer.
    chooser = random.Random(seed)
    from scheduler.storage.merge import Resolution

    picked = {
        conflict.ident: Resolution(
            chooser.choice(list(Side)), seen=(conflict.mine, conflict.theirs)
        )
        for conflict in looked.unsettled
        if chooser.random() < 0.5
    }
    report = sync_plan(laptop, prefer=prefer, resolutions=picked)
    assert report.applied and not report.unsettled
    after = snapshot(laptop)
    assert after == snapshot(server)
    _one_sided_changes_kept(base, mine, theirs, after, expected)
    again = sync_plan(laptop)
    assert again.applied and again.nothing_to_do
