"""The events list holds ids and reads the rows a planner scrolls to; acting
on a selection reaches rows never painted; a sort is the list's query."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import EventStatus, TrainingEvent
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.main_window import MainWindow
from scheduler.ui.pages import PAGES
from scheduler.ui.tables.events_page import EventsPage
from scheduler.ui.tables.id_list_model import PAGE
from tests.gui.conftest import click_nav


def _events(window: MainWindow, qtbot: QtBot, plan: Path) -> EventsPage:
    window.resize(1366, 768)
    window.open_path(plan)
    page = click_nav(qtbot, window, [info.key for info in PAGES].index("events"))
    assert isinstance(page, EventsPage)
    qtbot.waitUntil(lambda: not page.loading and page.model.rowCount() > 0, timeout=30_000)
    return page


def _refs_by_start(plan: Path) -> list[str]:
    with open_plan(plan, access=PlanAccess.READ) as opened, opened.session() as session:
        query = select(TrainingEvent.ref).order_by(TrainingEvent.start, TrainingEvent.id)
        return list(session.scalars(query))


def _statuses(plan: Path) -> set[EventStatus]:
    with open_plan(plan, access=PlanAccess.READ) as opened, opened.session() as session:
        return set(session.scalars(select(TrainingEvent.status)))


def test_rows_are_read_as_the_planner_scrolls_to_them(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _events(window, qtbot, demo_plan_path)
    refs = _refs_by_start(demo_plan_path)
    model = page.model
    assert model.rowCount() == len(refs) > PAGE
    assert page.count_label.text() == f"{len(refs):,}"
    assert model.index(0, 0).data() == refs[0]
    assert model.row_at(len(refs) - 1) is None  # not read: far below the screen

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    last = model.index(len(refs) - 1, 0)
    qtbot.waitUntil(lambda: last.data() == refs[-1], timeout=20_000)
    assert 0 <= page.table.visualRect(last).y() < page.table.viewport().height()  # in view
    shown = [model.index(r, 0).data() for r in range(len(refs) - 5, len(refs))]
    assert shown == refs[-5:]


def test_a_selection_of_rows_never_painted_is_acted_on_whole_and_undone(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _events(window, qtbot, demo_plan_path)
    total = page.model.rowCount()
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.table.selectionModel().selectedRows()) == total
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.mouseClick(
            page.findChild(type(page.add_button), "button_cancel"), Qt.MouseButton.LeftButton
        )
    assert _statuses(demo_plan_path) == {EventStatus.CANCELLED}
    assert page.model.index(total - 1, 11).data() in (None, "Cancelled")
    assert len(page.table.selectionModel().selectedRows()) == total  # kept by the reload

    window.actions_by_name["undo"].trigger()
    assert len(_statuses(demo_plan_path)) > 1


def test_clicking_a_heading_sorts_the_whole_list_by_it(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    page = _events(window, qtbot, demo_plan_path)
    header = page.table.horizontalHeader()
    units = page.model.headers.index("Units")
    point = QPoint(header.sectionViewportPosition(units) + 5, header.height() // 2)
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    firsts = [page.model.index(r, units).data().split(", ")[0] for r in range(20)]
    assert firsts == sorted(firsts, key=str.casefold)
    with qtbot.waitSignal(page.rows_loaded, timeout=20_000):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=point)
    lasts = [page.model.index(r, units).data().split(", ")[0] for r in range(20)]
    assert lasts == sorted(lasts, key=str.casefold, reverse=True)
    assert lasts[0].casefold() >= firsts[-1].casefold()
