"""Help ▸ About names the version, the plan schema, the shipped components and the folders."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from scheduler import __version__
from scheduler.app_paths import backups_root
from scheduler.storage.schema import head_revision
from scheduler.ui.dialogs.about_dialog import AboutDialog
from scheduler.ui.main_window import MainWindow
from tests.gui.conftest import when_modal


def _rows(table: QTableWidget) -> dict[str, tuple[str, str]]:
    rows = {}
    for row in range(table.rowCount()):
        name, version, licence = (table.item(row, c).text() for c in range(3))
        rows[name] = (version, licence)
    return rows


def test_about_lists_versions_licences_and_folders(qtbot: QtBot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)

    summary = dialog.summary.text()
    assert f"Version {__version__}" in summary
    assert f"schema revision: {head_revision()}" in summary
    assert "PySide6 6." in summary and "Python 3." in summary
    rows = _rows(dialog.components)
    assert rows["Qt"][1] == "LGPL-3.0-only"
    assert rows["PySide6-Essentials"][1].startswith("LGPL-3.0")
    for name in ("SQLAlchemy", "alembic", "openpyxl", "holidays", "platformdirs", "defusedxml"):
        assert rows[name][0][0].isdigit(), (name, rows[name])
        assert rows[name][1] not in ("", "?", "see the package"), (name, rows[name])
    assert rows["python-dateutil"][1] == "BSD License / Apache Software License"
    assert str(backups_root()) in dialog.places.text()
    assert f"{__version__} (plan schema {head_revision()})" in dialog.details_text()


def test_help_about_opens_the_dialog(qtbot: QtBot, window: MainWindow) -> None:
    seen: list[str] = []

    def look(dialog: object) -> None:
        assert isinstance(dialog, AboutDialog)
        seen.append(dialog.windowTitle())
        dialog.reject()

    when_modal(look)
    window.actions_by_name["about"].trigger()

    assert seen == ["About Training Scheduler"]
