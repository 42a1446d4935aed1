"""The window fits a laptop whatever page a planner has opened.

A page whose tool bar is one long row sets the window's minimum width: the
timeline's made the window 1,504 px wide for the rest of the session, wider
than a 1366x768 laptop. Tool bars now wrap (ui/flow_layout.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import click_nav

# 1366x768 at 100 %, and 1280x800 at 125 % (what Qt lays out in: 1024x640).
# Less the window frame and a task bar.
LAPTOPS = {"1366x768 at 100%": (1366, 768 - 48), "1280x800 at 125%": (1024, 640 - 40)}


def _click_every_page(qtbot: QtBot, window: MainWindow) -> list[str]:
    shown = []
    for row in range(window.nav.count()):
        click_nav(qtbot, window, row)
        QApplication.processEvents()
        shown.append(window.nav.item(row).text())
    return shown


@pytest.mark.parametrize("laptop", LAPTOPS)
def test_every_page_fits_a_laptop_screen(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path, laptop: str
) -> None:
    width, height = LAPTOPS[laptop]
    assert window.open_path(demo_plan_path)
    window.resize(width, height)
    for page in _click_every_page(qtbot, window):
        needed = window.minimumSizeHint()
        assert needed.width() <= width and needed.height() <= height, (page, needed)
        assert (window.width(), window.height()) == (width, height), page


def test_tool_bars_wrap_instead_of_clipping_at_1024(
    qtbot: QtBot, window: MainWindow, demo_plan_path: Path
) -> None:
    """Every control of every page's tool bars is inside the page, and search
    boxes keep room to show what is typed."""
    assert window.open_path(demo_plan_path)
    window.resize(1024, 600)
    for name in _click_every_page(qtbot, window):
        page = window.current_page()
        assert page is not None
        inside = page.rect()
        for child in page.findChildren(QLineEdit):
            if child.isVisibleTo(page) and child.objectName() == "search":
                assert child.width() >= 160, name
                corner = child.mapTo(page, child.rect().bottomRight())
                assert inside.contains(corner), name
