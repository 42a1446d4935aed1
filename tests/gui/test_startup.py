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
