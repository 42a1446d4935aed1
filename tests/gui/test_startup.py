"""The window paints before the database and spreadsheet libraries load."""

from __future__ import annotations

import os
import subprocess
import sys


def test_showing_the_window_imports_no_database_or_spreadsheet_library() -> None:
    script = (
        "import sys\n"
        "from scheduler.ui.app import make_application\n"
        "from scheduler.ui.main_window import MainWindow\n"
        "app = make_application()\n"
        "window = MainWindow()\n"
        "window.show()\n"
        "app.processEvents()\n"
        "heavy = ('sqlalchemy', 'alembic', 'openpyxl', 'holidays', 'icalendar')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_date_fields_name_months_in_english_on_a_macedonian_machine() -> None:
    script = (
        "from PySide6.QtCore import QDate, QLocale\n"
        "from PySide6.QtWidgets import QDateEdit\n"
        "from scheduler.ui.app import make_application\n"
        "app = make_application()\n"
        "edit = QDateEdit(QDate(2027, 3, 2))\n"
        "edit.setDisplayFormat('ddd dd MMM yyyy')\n"
        "print(QLocale.system().name(), edit.text(), sep='|')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("LC_")}
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env, "QT_QPA_PLATFORM": "offscreen", "LANG": "mk_MK.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    system, shown = result.stdout.strip().split("|")
    assert system == "mk_MK"  # the machine speaks Macedonian…
    assert shown == "Tue 02 Mar 2027"  # …the window's dates stay English
