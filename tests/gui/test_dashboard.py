"""The dashboard as a team lead reads it: readiness bars, conflicts, click-through."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from scheduler.planning.wording import count_text
from scheduler.ui.dashboard import DashboardPage
from scheduler.ui.main_window import MainWindow
from scheduler.ui.palette_colours import attention_colour
from scheduler.ui.tables.events_page import EventsPage
from tests.readiness_plan import build


def open_dashboard(window: MainWindow, path: Path, qtbot: QtBot) -> DashboardPage:
    window.open_path(path)
    window.show_page("dashboard")
    page = window.current_page()
    assert isinstance(page, DashboardPage)
    qtbot.waitUntil(lambda: page.facts is not None, timeout=60_000)
    return page


def bar_row(page: DashboardPage, label_start: str) -> QTreeWidgetItem:
    return next(i for i in page.pathway.bar_items() if i.text(0).startswith(label_start))


def test_pathway_per_partner_with_the_late_requirement_in_red(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    build(empty_plan_path)
    page = open_dashboard(window, empty_plan_path, qtbot)
    view = page.pathway
    assert [view.partner.itemData(i) for i in range(view.partner.count())] == ["AL", "MK"]
    view.show_partner("MK")
    assert view.summary.text() == "1 of 1 target needs attention (1 requirement late or at risk)"
    target = view.tree.topLevelItem(0)
    assert (target.text(0), target.text(2)) == ("Battalion ready", "due 31 May 2027")
    cfa = bar_row(page, "CFA Combat first aid · MK-1BN")
    assert cfa.text(2) == "12 delivered · 20 scheduled · 40 required"
    # Beside the numbers, the why without them; the tooltip has the whole sentence.
    assert (
        cfa.text(3)
        == "At risk: 20 short by 31 May 2027 (12 seats only after the due date 31 May 2027)."
    )
    assert cfa.toolTip(3).startswith(
        "12 of 40 delivered, 20 seats booked; 20 short by 31 May 2027 "
        "(12 seats only after the due date 31 May 2027)."
    )
    red = attention_colour(view.tree.palette())
    assert cfa.foreground(0).color() == red
    view.show_partner("AL")
    scc = bar_row(page, "SCC Section commanders · AL-BPU")
    assert scc.text(2) == "0 delivered · 10 scheduled · 10 required"
    assert scc.text(3).startswith("On track")
    assert scc.foreground(0).color() != red
    # Releases due: both partners were never sent their schedule.
    releases = [page.releases.item(r, 0).text() for r in range(page.releases.rowCount())]
    assert [text.split(" — ")[0] for text in releases] == ["MK", "AL"]


def test_conflict_counts_follow_the_monitor(
    window: MainWindow, demo_plan_path: Path, qtbot: QtBot
) -> None:
    page = open_dashboard(window, demo_plan_path, qtbot)
    monitor = window.monitor
    assert monitor is not None
    qtbot.waitUntil(lambda: monitor.ready, timeout=60_000)
    counts = monitor.open_counts()
    assert page.conflict_buttons["error"].text() == count_text(counts["error"], "error")
    assert page.conflict_buttons["warning"].text() == count_text(counts["warning"], "warning")
    assert page.conflict_buttons["info"].text() == count_text(counts["info"], "note")
    # The demo plants exactly one warning: "1 warning", not "1 warnings".
    assert page.conflict_buttons["warning"].text() == "1 warning"
    qtbot.mouseClick(page.conflict_buttons["error"], Qt.MouseButton.LeftButton)
    assert window.current_page() is window.pages["conflicts"]


def test_a_bar_opens_the_events_of_its_course_and_units(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    build(empty_plan_path)
    page = open_dashboard(window, empty_plan_path, qtbot)
    page.pathway.show_partner("MK")
    cfa = bar_row(page, "CFA")
    page.pathway.tree.setCurrentItem(cfa)
    page.pathway.tree.setFocus()
    qtbot.keyClick(page.pathway.tree, Qt.Key.Key_Return)  # keyboard reachable
    events = window.current_page()
    assert isinstance(events, EventsPage)
    qtbot.waitUntil(lambda: not events.loading and events.model.rowCount() > 0, timeout=30_000)
    shown = sorted(events.model.index(r, 0).data() for r in range(events.model.rowCount()))
    # CFA with the battalion or its company: not MK-5 (another battalion), not MK-6 (SCC).
    assert shown == ["MK-1", "MK-2", "MK-3", "MK-4"]
    assert events.focus_button.isVisible()
    with qtbot.waitSignal(events.rows_loaded, timeout=20_000):
        events.focus_button.click()
    assert events.model.rowCount() == 7


def test_print_on_the_dashboard_offers_the_readiness_of_the_partner_shown(
    window: MainWindow, empty_plan_path: Path, qtbot: QtBot
) -> None:
    from tests.gui.report_dialogs import open_report_dialog

    build(empty_plan_path)
    page = open_dashboard(window, empty_plan_path, qtbot)
    page.pathway.show_partner("MK")
    dialog = open_report_dialog(window, qtbot)
    assert dialog.kind() == "readiness"
    assert dialog.partner_box.currentData() == "MK"
    dialog.close()


def test_a_new_plan_shows_the_order_to_fill_it_with_a_button_to_each_list(
    window: MainWindow, empty_plan_path: Path, demo_plan_path: Path, qtbot: QtBot
) -> None:
    window.resize(1366, 768)
    page = open_dashboard(window, empty_plan_path, qtbot)
    assert page.start_here.isVisible()
    buttons = [b.text() for b in page.start_buttons.values()]
    assert buttons == [
        "1. Qualifications", "2. Courses", "3. Instructors", "4. Units", "5. Venues", "6. Events"
    ]  # fmt: skip
    assert page.start_here.width() <= page.width()
    qtbot.mouseClick(page.start_buttons["courses"], Qt.MouseButton.LeftButton)
    assert window.current_page() is not None
    assert window.current_page().objectName() == "page_course"
    # A plan with events has no need of it.
    page = open_dashboard(window, demo_plan_path, qtbot)
    assert not page.start_here.isVisible()
