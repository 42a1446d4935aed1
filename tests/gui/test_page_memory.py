"""Pages let go of what they loaded once the planner has moved on, and read
it again on return; a page left while it reads stops reading, and reads
again when shown."""

from __future__ import annotations

import gc
import sys
import threading
import time
import weakref
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from scheduler.services.stopped_reads import ReadCancelled
from scheduler.ui.coordination import CoordinationPage
from scheduler.ui.dashboard.page import DashboardPage
from scheduler.ui.heap import give_back_freed
from scheduler.ui.lazy_page import RELEASE_AFTER_MS
from scheduler.ui.main_window import MainWindow
from scheduler.ui.pages import PAGES
from scheduler.ui.tables.requirements_page import RequirementsPage
from scheduler.ui.utilisation.model import FIRST_WEEK
from scheduler.ui.utilisation.page import UtilisationPage
from tests.gui.conftest import click_nav

KEYS = [info.key for info in PAGES]


def _open(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    """Open the plan and wait for its conflict check, as every test here starts."""
    window.open_path(path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)


def _read_readiness(window: MainWindow, qtbot: QtBot) -> CoordinationPage:
    """Go to Readiness and wait until it has read everything."""
    readiness = _go(window, qtbot, "readiness")
    assert isinstance(readiness, CoordinationPage)
    qtbot.waitUntil(lambda: readiness.coordination is not None, timeout=20_000)
    return readiness


def _go(window: MainWindow, qtbot: QtBot, key: str) -> object:
    return click_nav(qtbot, window, KEYS.index(key))


def test_pages_left_behind_let_go_and_read_again_on_return(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    dashboard = _go(window, qtbot, "dashboard")
    assert isinstance(dashboard, DashboardPage)
    qtbot.waitUntil(lambda: dashboard.facts is not None, timeout=20_000)
    readiness = _read_readiness(window, qtbot)
    for key in ("courses", "units", "venues"):  # three more pages left after them
        _go(window, qtbot, key)
    qtbot.waitUntil(
        lambda: dashboard.facts is None and readiness.coordination is None, timeout=5_000
    )
    assert readiness.tree.topLevelItemCount() == 0 and dashboard.partners.rowCount() == 0

    _go(window, qtbot, "readiness")  # back: read again, as before
    qtbot.waitUntil(lambda: readiness.coordination is not None, timeout=20_000)
    assert readiness.tree.topLevelItemCount() > 0
    assert readiness.summary.text().startswith("4 milestones at risk of 6")
    _go(window, qtbot, "dashboard")
    qtbot.waitUntil(lambda: dashboard.partners.rowCount() > 0, timeout=20_000)


def test_long_requirements_and_a_busy_heatmap_are_let_go_and_read_again(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The demo plan as if it were a big one: 20 requirements or booked events make a long list.
    for module in ("scheduler.ui.tables.requirements_page", "scheduler.ui.utilisation.page"):
        monkeypatch.setattr(f"{module}.LONG_LIST", 20)
    _open(window, qtbot, demo_plan_path)
    requirements = _go(window, qtbot, "requirements")
    assert isinstance(requirements, RequirementsPage)

    def numbers_shown() -> bool:
        model = requirements.model
        return model.rowCount() > 0 and model.requirement_at(0) is not None

    qtbot.waitUntil(numbers_shown, timeout=20_000)
    listed = requirements.model.rowCount()
    assert listed >= 20
    _click_cell(qtbot, requirements.table, 5, 0)
    chosen = requirements.selected_requirement()
    assert chosen is not None
    utilisation = _go(window, qtbot, "utilisation")
    assert isinstance(utilisation, UtilisationPage)
    qtbot.waitUntil(lambda: utilisation.model.rowCount() > 0, timeout=20_000)
    rows = utilisation.model.rowCount()
    _click_cell(qtbot, utilisation.weeks, 2, FIRST_WEEK)
    qtbot.keyClick(utilisation.weeks, Qt.Key.Key_End)  # to the period's last week
    across = utilisation.weeks.horizontalScrollBar().value()
    assert across > 0
    for key in ("courses", "units", "venues"):
        _go(window, qtbot, key)
    qtbot.waitUntil(
        lambda: requirements.model.rowCount() == 0 and utilisation.model.rowCount() == 0,
        timeout=5_000,
    )

    _go(window, qtbot, "requirements")  # back: the same rows, with their numbers
    qtbot.waitUntil(numbers_shown, timeout=20_000)
    assert requirements.model.rowCount() == listed
    again = requirements.selected_requirement()
    assert again is not None and again.uuid == chosen.uuid  # still the one chosen
    _go(window, qtbot, "utilisation")
    qtbot.waitUntil(lambda: utilisation.model.rowCount() == rows, timeout=20_000)
    assert utilisation.weeks.horizontalScrollBar().value() == across  # where the planner was


def _click_cell(qtbot: QtBot, view: QTableView, row: int, column: int) -> None:
    """Click a cell as the planner does."""
    index = view.model().index(row, column)
    view.scrollTo(index)
    qtbot.mouseClick(
        view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
    )


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the RSS")
def test_freed_heap_goes_back_to_the_system() -> None:
    def resident_mb() -> float:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS")

    blocks = [bytes(2_000) for _ in range(50_000)]  # 100 MB from the C heap
    kept = blocks[::64]  # a few left among them: the heap cannot shrink from its top
    del blocks
    before = resident_mb()
    give_back_freed()
    assert resident_mb() < before - 50
    del kept  # held until measured


def test_a_page_left_while_it_reads_reads_again_when_shown(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    readiness = _go(window, qtbot, "readiness")  # its read starts...
    assert isinstance(readiness, CoordinationPage)
    _go(window, qtbot, "courses")  # ...and the planner has moved on at once
    assert readiness.stale
    qtbot.wait(500)  # the read came back meanwhile and was dropped
    assert readiness.coordination is None
    _go(window, qtbot, "readiness")
    qtbot.waitUntil(lambda: readiness.coordination is not None, timeout=20_000)
    assert readiness.tree.topLevelItemCount() > 0


def test_a_read_no_longer_wanted_stops_its_statement(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    window.open_path(demo_plan_path)
    document = window.document
    assert document is not None
    stop = threading.Event()
    outcome: list[object] = []
    # Some minutes of counting, unless stopped.
    counting = text(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 500000000) "
        "SELECT count(*) FROM n"
    )
    document.read_async(
        lambda session: session.execute(counting).scalar(),
        outcome.append,
        failed=outcome.append,
        owner=window,
        cancelled=stop.is_set,
    )
    qtbot.wait(300)
    assert outcome == []  # still counting
    started = time.monotonic()
    stop.set()  # as a page left does
    qtbot.waitUntil(lambda: bool(outcome), timeout=10_000)
    assert isinstance(outcome[0], ReadCancelled)
    assert time.monotonic() - started < 2
    assert document.read(lambda s: s.execute(text("SELECT 1")).scalar()) == 1  # still usable


def test_the_plans_engine_is_left_out_of_full_collections_while_open(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    _open(window, qtbot, demo_plan_path)
    assert window.monitor is not None and window.monitor.engine is not None
    kept_out = gc.get_freeze_count()
    assert kept_out > 1_000  # the engine's events among them
    window.actions_by_name["close"].trigger()
    assert window.document is None
    assert gc.get_freeze_count() == 0  # a closed plan's objects may be collected again


def test_a_closed_plan_leaves_nothing_behind(
    window: MainWindow, qtbot: QtBot, demo_plan_path: Path
) -> None:
    left_behind = _open_and_read(window, qtbot, demo_plan_path)
    window.actions_by_name["close"].trigger()
    qtbot.wait(RELEASE_AFTER_MS + 300)  # the pages' deletion, then the tidying after it
    gc.collect()
    assert [what for what, ref in left_behind.items() if ref() is not None] == []


def _open_and_read(window: MainWindow, qtbot: QtBot, path: Path) -> dict[str, weakref.ref[object]]:
    """Open the plan, read its Readiness and Requirements pages; what they hold."""
    _open(window, qtbot, path)
    readiness = _read_readiness(window, qtbot)
    requirements = _go(window, qtbot, "requirements")
    assert isinstance(requirements, RequirementsPage)
    qtbot.waitUntil(lambda: requirements.model.rowCount() > 0, timeout=20_000)
    assert window.monitor is not None and window.document is not None
    return {
        "the conflict engine": weakref.ref(window.monitor.engine),
        "the Readiness page": weakref.ref(readiness),
        "the Requirements page": weakref.ref(requirements),
        "the plan": weakref.ref(window.document.plan),
    }
