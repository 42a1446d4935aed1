"""The events list's queries (``services.event_list``) show exactly what the
table's own search, filters and sort showed when it held every row: the
same events, in the same order, on a plan file and on a shared plan."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from scheduler.cli import main
from scheduler.model import EventStatus, Instructor, TrainingEvent, Unit, Venue
from scheduler.services.event_list import EventQuery, keys_of, list_events, rows_of
from scheduler.services.tables import EVENT_COLUMNS, EVENT_NUMERIC_COLUMNS, Row, event_rows
from scheduler.storage import PlanAccess, open_plan


@pytest.fixture(scope="module", params=["file", "server"])
def demo_location(
    request: pytest.FixtureRequest,
    demo_plan_template: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> str:
    """The demo plan, as a file or copied to a database on the test server,
    once for the module: these tests only read it."""
    path = tmp_path_factory.mktemp("event list") / "demo Đurić.tsplan"
    shutil.copyfile(demo_plan_template, path)
    if request.param == "file":
        return str(path)
    server = request.getfixturevalue("postgres_server")
    location = str(server.new_database())
    assert main(["copy", str(path), location]) == 0
    return location


@pytest.fixture
def session(demo_location: str) -> Iterator[Session]:
    with open_plan(demo_location, access=PlanAccess.READ) as plan, plan.session() as opened:
        yield opened


def _ids_by_uuid(session: Session) -> dict[str, int]:
    return {
        uuid: event_id
        for uuid, event_id in session.execute(select(TrainingEvent.uuid, TrainingEvent.id))
    }


def _expected(session: Session, query: EventQuery) -> list[str]:
    """What the table showed when it held every row: each word in the row's
    text, every facet one of the row's values, sorted by the cell's text
    (numbers by number, a list by its first name), empty cells last."""
    rows = event_rows(session)
    words = query.search.casefold().split()
    shown = [
        row
        for row in rows
        if all(word in row.haystack for word in words)
        and all(
            value in row.facets.get(name, "").split("|") for name, value in query.facets.items()
        )
    ]
    ids = _ids_by_uuid(session)
    column = query.sort_column

    def key(row: Row) -> object:
        text = row.cells[column]
        if column in EVENT_NUMERIC_COLUMNS:
            return int(text)
        if EVENT_COLUMNS[column] in ("Units", "Instructors"):
            text = min((part.casefold() for part in text.split(", ")), default="")
        return text.casefold()

    def order(row: Row) -> tuple[object, ...]:
        return (row.cells[4], ids[row.uuid])  # then by start, then as entered

    shown.sort(key=order)
    filled = [row for row in shown if row.cells[column] != ""]
    empty = [row for row in shown if row.cells[column] == ""]
    filled.sort(key=key, reverse=query.descending)
    if query.descending:  # ties keep start order: sort by key alone, stable
        filled = sorted(sorted(shown, key=order), key=key, reverse=True)
        filled = [row for row in filled if row.cells[column] != ""]
    return [row.uuid for row in filled + empty]


def _listed(session: Session, query: EventQuery) -> list[str]:
    listed = list_events(session, query, pages=(), keep=())
    keys = keys_of(session, listed.ids)
    return [keys[i][0] for i in listed.ids]


@pytest.mark.parametrize(
    "search",
    ["first aid", "ĐURIĆ", "КРИВОЛАК", "mk-2027-00", "2027-03", "CANCEL", "1", "no such thing"],
)
def test_a_search_finds_the_rows_whose_text_holds_every_word(session: Session, search: str) -> None:
    query = EventQuery(search=search)
    assert _listed(session, query) == _expected(session, query)


def test_each_filter_and_the_period_narrow_as_the_table_did(session: Session) -> None:
    unit = session.scalars(select(Unit.code).order_by(Unit.code)).first()
    venue = session.scalars(select(Venue.name).order_by(Venue.name)).first()
    person = session.scalars(select(Instructor.name).order_by(Instructor.name)).first()
    assert unit and venue and person
    for facets in (
        {"status": "Cancelled"},
        {"nation": "MK"},
        {"unit": unit},
        {"venue": venue},
        {"instructor": person},
        {"nation": "AL", "status": "Planned"},
    ):
        query = EventQuery(facets=facets, search="a")
        expected = _expected(session, query)
        assert expected, facets  # the filter is tried on something
        assert _listed(session, query) == expected, facets


def test_every_column_sorts_as_its_cells_read_both_ways(session: Session) -> None:
    for column in range(len(EVENT_COLUMNS)):
        for descending in (False, True):
            query = EventQuery(sort_column=column, descending=descending)
            assert _listed(session, query) == _expected(session, query), EVENT_COLUMNS[column]


def test_rows_come_in_the_order_asked_and_a_deleted_one_as_none(session: Session) -> None:
    listed = list_events(session, EventQuery(search="кривол"), pages=(0,), page_size=5)
    assert len(listed.pages[0]) == 5
    assert listed.total > len(listed.ids) > 5
    backwards = list(reversed(listed.ids[:5]))
    rows = rows_of(session, [*backwards, -1])
    assert [row.uuid for row in rows[:5] if row] == [keys_of(session, [i])[i][0] for i in backwards]
    assert rows[5] is None


def test_a_selection_is_found_again_in_a_new_order(session: Session) -> None:
    first = list_events(session, EventQuery(), pages=(0,), page_size=10)
    chosen = [row.uuid for row in first.pages[0][2:5] if row]
    again = list_events(session, EventQuery(descending=True), keep=chosen)
    assert sorted(again.chosen) == sorted(first.ids[2:5])


def test_the_period_counts_what_it_holds(demo_plan_path: Path) -> None:
    with open_plan(demo_plan_path) as plan, plan.session() as session:
        session.execute(
            update(TrainingEvent)
            .where(TrainingEvent.ref == "MK-2027-001")
            .values(status=EventStatus.CANCELLED)
        )
        session.commit()
        first = session.scalars(select(TrainingEvent.start).order_by(TrainingEvent.start)).first()
        assert first is not None
        window = (first, first.replace(month=min(first.month + 2, 12)))
        everything = list_events(session, EventQuery(window=window))
        cancelled = list_events(session, EventQuery(window=window, facets={"status": "Cancelled"}))
        assert 0 < len(cancelled.ids) < len(everything.ids)
        assert cancelled.total == everything.total == len(everything.ids)
