"""Every control a planner can reach, clicked the way a planner clicks it.

For each page of the navigation, with the first row selected in each list,
every visible and enabled button is clicked with the mouse, every entry of
its drop-down menu and of the list's context menu is triggered, then every
action of the window's menus. Dialogs that open are backed out of (Escape,
Cancel), as a newcomer exploring does. An exception in any slot fails the
test (pytest-qt reports exceptions raised in the Qt event loop); so does the
"Something went wrong" dialog.

It was written after "Accept…" on the Conflicts page crashed on every click
while its test, calling the slot, passed.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QDialog,
    QMenu,
    QPushButton,
    QToolButton,
    QWidget,
)
from pytestqt.exceptions import TimeoutError
from pytestqt.qtbot import QtBot

from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import click_nav

# What would end the session under test (they have their own tests).
LAST = ("close", "quit")


class BackingOut:
    """Backs out of every modal dialog and popup menu as soon as it shows."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.bugs: list[str] = []
        self.timer = QTimer()
        self.timer.setInterval(15)
        self.timer.timeout.connect(self._back_out)
        self.timer.start()

    def _back_out(self) -> None:
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
            return
        modal = QApplication.activeModalWidget()
        if modal is None or not modal.isVisible():
            return
        self.seen.append(modal.windowTitle() or modal.objectName())
        if modal.objectName() == "bug_dialog":
            self.bugs.append(modal.property("detailedText") or modal.windowTitle())
        if isinstance(modal, QDialog):
            modal.reject()
        else:
            modal.close()

    def stop(self) -> None:
        self.timer.stop()


def _alive(widget: QWidget) -> bool:
    return shiboken6.isValid(widget)


def _go_to(qtbot: QtBot, window: MainWindow, row: int) -> QWidget:
    return click_nav(qtbot, window, row)


def _select_first_rows(qtbot: QtBot, page: QWidget) -> list[QAbstractItemView]:
    views = []
    for view in page.findChildren(QAbstractItemView):
        model = view.model()
        if not view.isVisible() or model is None:
            continue
        try:  # lists load on a worker; some are empty
            qtbot.waitUntil(lambda m=model: m.rowCount() > 0, timeout=3000)
        except TimeoutError:
            continue
        index = model.index(0, 0)
        while True:  # down to the first leaf of a tree (a conflict, not its rule)
            rect = view.visualRect(index)
            if not rect.isValid():
                break
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            if model.rowCount(index) == 0:
                views.append(view)
                break
            qtbot.keyClick(view, Qt.Key.Key_Right)  # open the branch, as from the keyboard
            index = model.index(0, 0, index)
    return views


def _menu_of(button: QAbstractButton) -> QMenu | None:
    if isinstance(button, QPushButton | QToolButton):
        return button.menu()
    return None


def _trigger_all(actions: list[QAction], done: list[str], where: str) -> None:
    for action in actions:
        if action.isSeparator() or not action.isEnabled() or not action.isVisible():
            continue
        if action.menu() is not None:
            _trigger_all(action.menu().actions(), done, where)
            continue
        action.trigger()
        QApplication.processEvents()
        done.append(f"{where}: {action.text()}")


def test_every_button_menu_and_context_action_on_every_page(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    window.resize(1366, 768)
    assert window.open_path(demo_plan_path)
    qtbot.waitUntil(lambda: window.monitor is not None and window.monitor.ready, timeout=30_000)
    backing = BackingOut()
    done: list[str] = []
    try:
        for row in range(window.nav.count()):
            name = window.nav.item(row).text()
            page = _go_to(qtbot, window, row)
            views = _select_first_rows(qtbot, page)
            buttons = [
                b
                for b in page.findChildren(QAbstractButton)
                if b.isVisible() and b.isEnabled() and b.window() is window
            ]
            for button in buttons:
                if not _alive(button):
                    continue
                if window.current_page() is not page:
                    page = _go_to(qtbot, window, row)
                    _select_first_rows(qtbot, page)
                if not (button.isVisible() and button.isEnabled()):
                    continue
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
                QApplication.processEvents()
                done.append(f"{name}: {button.text() or button.objectName()}")
                menu = _menu_of(button) if _alive(button) else None
                if menu is not None:
                    _trigger_all(menu.actions(), done, f"{name} ▸ {button.text()}")
            for view in views:
                if not _alive(view):
                    continue
                if window.current_page() is not page:
                    page = _go_to(qtbot, window, row)
                _select_first_rows(qtbot, page)
                if view.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu:
                    _trigger_all(view.actions(), done, f"{name} context menu")
        _go_to(qtbot, window, 0)
        for key, action in window.actions_by_name.items():
            if key not in LAST and action.isEnabled():
                action.trigger()
                QApplication.processEvents()
                done.append(f"menu: {key}")
        for key in LAST[:1]:
            window.actions_by_name[key].trigger()
            QApplication.processEvents()
    finally:
        backing.stop()
    assert not backing.bugs, backing.bugs
    # Nobody else edits this plan: one's own quick second click is no "other planner".
    assert "Changed by another planner" not in backing.seen, backing.seen
    assert {"Conflicts: Accept…", "Conflicts: Go to event", "Events: Edit…"} <= set(done), done
    # Every dialog says what it is for ("Edit course — " and "Event new event" did not).
    assert not [title for title in backing.seen if title.endswith("— ") or "new event" in title]
    assert {"New course", "New event"} <= set(backing.seen), backing.seen
    # The walk reached every page and a good number of controls.
    assert {entry.split(":")[0] for entry in done} >= {
        window.nav.item(r).text() for r in range(window.nav.count())
    } - {"Timeline"}
    assert len(done) > 80, done
    assert window.document is None  # Close plan, last, closed it


def _open_menu_and_pick(widget: QWidget, point: QPoint, at: int) -> str | None:
    """Open ``widget``'s context menu at ``point`` as a right click does and
    trigger its ``at``-th usable entry; its text, or None past the last."""
    from PySide6.QtGui import QContextMenuEvent

    picked: list[str | None] = []

    def pick() -> None:
        menu = QApplication.activePopupWidget()
        if not isinstance(menu, QMenu):
            QTimer.singleShot(10, pick)
            return
        usable = [a for a in menu.actions() if not a.isSeparator() and a.isEnabled()]
        menu.close()
        if at < len(usable):
            picked.append(usable[at].text())
            usable[at].trigger()
        else:
            picked.append(None)

    QTimer.singleShot(0, pick)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, widget.mapToGlobal(point))
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()
    return picked[0] if picked else None


def test_every_entry_of_the_calendars_context_menu_on_an_event(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    """The painted calendar's menu on a bar, every entry in turn (dialogs backed out of)."""
    from datetime import date

    from scheduler.ui.calendar.page import CalendarPage

    window.resize(1400, 1000)
    assert window.open_path(demo_plan_path)
    window.show_page("calendar")
    page = window.current_page()
    assert isinstance(page, CalendarPage)
    page.set_mode("week")
    page.go_to_date(date(2027, 3, 3))
    qtbot.waitExposed(page)
    qtbot.wait(20)
    uuid = next(r.uuid for r in page.rows if r.ref == "MK-2027-025")
    picked: list[str] = []
    backing = BackingOut()
    try:
        for at in range(20):
            rect = page.grid.bar_rect_of(uuid)
            if rect is None:  # deleted: the last entry there was
                break
            point = QPoint(int(rect.left() + 10), int(rect.center().y()))
            text = _open_menu_and_pick(page.grid, point, at)
            if text is None:
                break
            picked.append(text)
    finally:
        backing.stop()
    assert not backing.bugs, backing.bugs
    assert "Changed by another planner" not in backing.seen, backing.seen
    assert len(picked) >= 4, picked
