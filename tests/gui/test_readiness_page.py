"""The Readiness page as a team lead uses it: a feeding course moved past a NATO
milestone puts the milestone at risk and says why; another provider and the
event's costs are typed on the editor's Delivery and costs tab and show on
the page, its workbook and the dashboard."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QTreeWidgetItem,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from scheduler.model import (
    CapabilityTarget,
    CollectiveTask,
    Course,
    EvaluationMilestone,
    EventAudience,
    Nation,
    Provider,
    TrainingEvent,
    Unit,
)
from scheduler.model.enums import MilestoneKind, ProviderKind
from scheduler.storage import PlanAccess, open_plan
from scheduler.ui.coordination import CoordinationPage
from scheduler.ui.dashboard.page import DashboardPage
from scheduler.ui.event_editor.dialog import EventEditor
from scheduler.ui.main_window import MainWindow
from scheduler.ui.pages import PAGES
from scheduler.ui.tables.list_page import ListPage
from scheduler.ui.tables.record_page import RecordPage
from tests.gui.conftest import click_nav, double_click_row, press, when_modal

TARGET = "Лесен пешадиски баталјон — NATO"
BORDER_FORCE = "Home Office Border Force"


def _seed(path: Path) -> None:
    with open_plan(path) as plan, plan.session() as session:
        mk = session.scalar(select(Nation).where(Nation.code == "MK"))
        unit = Unit(code="MK-1BN", name="1-ви баталјон", nation=mk)
        scc = Course(code="SCC", title="Section commanders", duration_days=10)
        target = CapabilityTarget(name=TARGET, unit=unit, due_date=date(2027, 12, 1))
        session.add_all([
            target,
            EvaluationMilestone(target=target, kind=MilestoneKind.SEL1, day=date(2027, 9, 1)),
            EvaluationMilestone(target=target, kind=MilestoneKind.NEL1, day=date(2027, 11, 15)),
            CollectiveTask(target=target, name="Defend a position", courses=[scc]),
            Provider(name=BORDER_FORCE, kind=ProviderKind.UK_GOVERNMENT),
            TrainingEvent(ref="MK-2027-001", course=scc, start=datetime(2027, 6, 7, 8, 30),
                          end=datetime(2027, 6, 18, 16, 0),
                          audience=[EventAudience(unit=unit, seats=8)]),
        ])  # fmt: skip


def _open(window: MainWindow, qtbot: QtBot, path: Path) -> None:
    _seed(path)
    window.open_path(path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)


def _page(window: MainWindow, qtbot: QtBot, key: str) -> QWidget:
    return click_nav(qtbot, window, [info.key for info in PAGES].index(key))


def _readiness(window: MainWindow, qtbot: QtBot) -> CoordinationPage:
    page = _page(window, qtbot, "readiness")
    assert isinstance(page, CoordinationPage)
    qtbot.waitUntil(lambda: page.export.isEnabled() and "Loading" not in page.summary.text())
    return page


def _milestones(page: CoordinationPage) -> dict[str, tuple[str, str]]:
    """What the tree shows per milestone: status and why."""
    found = {}
    for top in range(page.tree.topLevelItemCount()):
        target = page.tree.topLevelItem(top)
        assert isinstance(target, QTreeWidgetItem)
        for index in range(target.childCount()):
            item = target.child(index)
            if not item.text(0).startswith("Task"):
                found[item.text(0)] = (item.text(2), item.text(3))
    return found


def _edit_event(window: MainWindow, qtbot: QtBot, change: object) -> list[str]:
    events = _page(window, qtbot, "events")
    assert isinstance(events, ListPage)
    qtbot.waitUntil(lambda: events.model.rowCount() == 1, timeout=20_000)
    problems: list[str] = []

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, EventEditor)
        change(dialog)  # type: ignore[operator]
        press(qtbot, dialog, "Save")
        if dialog.isVisible():
            problems.append(dialog.problems.text())
            dialog.reject()

    when_modal(edit, timeout_ms=10_000)
    double_click_row(qtbot, events.table, "MK-2027-001")
    return problems


def test_a_course_moved_past_a_milestone_puts_it_at_risk_and_the_workbook_says_why(
    window: MainWindow, qtbot: QtBot, empty_plan_path: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _open(window, qtbot, empty_plan_path)
    page = _readiness(window, qtbot)
    shown = _milestones(page)
    assert shown["Self-evaluation level 1"][0] == "On track"
    assert shown["NATO evaluation level 1"][0] == "On track"
    assert page.summary.text().startswith("0 milestones at risk of 2")

    def move_to_september(dialog: EventEditor) -> None:
        dialog.start_date.setDate(QDate(2027, 9, 6))
        dialog.end_date.setDate(QDate(2027, 9, 17))

    assert _edit_event(window, qtbot, move_to_september) == []
    page = _readiness(window, qtbot)
    qtbot.waitUntil(lambda: _milestones(page)["Self-evaluation level 1"][0].startswith("At risk"))
    _status, why = _milestones(page)["Self-evaluation level 1"]
    assert "SCC MK-2027-001" in why and "after the evaluation" in why, why
    assert _milestones(page)["NATO evaluation level 1"][0] == "On track"
    assert page.summary.text().startswith("1 milestone at risk of 2")

    target = tmp_path / "спремност MK.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    qtbot.mouseClick(page.export, Qt.MouseButton.LeftButton)
    sheet = load_workbook(target)["Milestones"]
    rows = [dict(zip([c.value for c in sheet[1]], row, strict=True))
            for row in sheet.iter_rows(min_row=2, values_only=True)]  # fmt: skip
    sel1 = next(r for r in rows if r["Evaluation"] == "Self-evaluation level 1")
    assert sel1["Capability target"] == TARGET and sel1["Status"] == "At risk"
    assert sel1["Date"] == datetime(2027, 9, 1) and "MK-2027-001" in sel1["Why"]


def test_delivery_and_costs_typed_in_the_editor_reach_the_page_and_the_dashboard(
    window: MainWindow, qtbot: QtBot, empty_plan_path: Path
) -> None:
    _open(window, qtbot, empty_plan_path)

    def delivered_by_border_force(dialog: EventEditor) -> None:
        tabs = dialog.findChild(QTabWidget, "editor_tabs")
        assert tabs is not None
        delivery = dialog.findChild(QWidget, "delivery")
        assert delivery is not None
        tabs.setCurrentWidget(delivery)
        provider = delivery.findChild(QComboBox, "provider")
        assert provider is not None
        provider.setCurrentIndex(provider.findText(BORDER_FORCE))
        funding = delivery.findChild(QLineEdit, "funding_line")
        assert funding is not None
        qtbot.keyClicks(funding, "ISF Western Balkans")
        add = delivery.findChild(QPushButton, "add_costs")
        assert add is not None
        qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
        table = delivery.findChild(QTableWidget, "child_costs")
        assert table is not None
        headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
        kind = table.cellWidget(0, headers.index("Cost"))
        assert isinstance(kind, QComboBox)
        kind.setCurrentIndex(kind.findText("Interpreters"))
        table.item(0, headers.index("Planned")).setText("1250.50")

    assert _edit_event(window, qtbot, delivered_by_border_force) == []
    with open_plan(empty_plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        event = session.scalars(select(TrainingEvent)).one()
        assert event.provider is not None and event.provider.name == BORDER_FORCE
        assert event.funding_line == "ISF Western Balkans"
        assert [(str(c.kind), c.planned, c.actual) for c in event.costs] == [
            ("interpreters", 1250.5, None)
        ]

    page = _readiness(window, qtbot)
    others = page.findChild(QTableWidget, "other_runs")
    assert others is not None and others.rowCount() == 1
    assert [others.item(0, c).text() for c in range(3)] == [BORDER_FORCE, "MK", "MK-2027-001"]
    providers = page.cost_tables["provider"]
    assert [providers.item(0, c).text() for c in range(3)] == [BORDER_FORCE, "1,250.50", "0.00"]

    dashboard = _page(window, qtbot, "dashboard")
    assert isinstance(dashboard, DashboardPage)
    table = dashboard.partners
    # The dashboard read the plan when it opened; shown again, it reads the edit.
    qtbot.waitUntil(lambda: not dashboard.loading.isVisible(), timeout=20_000)
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(5)] == [
        "MK", "0 of 2", "1,250.50", "0.00", BORDER_FORCE
    ]  # fmt: skip
    double_click_row(qtbot, table, "MK")
    page = window.current_page()
    assert isinstance(page, CoordinationPage)
    assert page.partner.currentData() == "MK"


def test_the_tasks_list_names_the_courses_that_train_each_task(
    window: MainWindow, qtbot: QtBot, empty_plan_path: Path
) -> None:
    _open(window, qtbot, empty_plan_path)
    tasks = _page(window, qtbot, "tasks")
    assert isinstance(tasks, RecordPage)
    qtbot.waitUntil(lambda: tasks.model.rowCount() == 1, timeout=20_000)
    model = tasks.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = [model.index(0, c).data() for c in range(model.columnCount())]
    shown = dict(zip(headers, row, strict=True))
    assert shown["Collective task"] == "Defend a position"
    assert shown["Capability target"] == TARGET
    assert shown["Trained by"] == "SCC" and shown["Rating"] == "Untrained"
