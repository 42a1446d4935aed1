"""Render the main views of the demo plan to PNG files for the README.

    QT_QPA_PLATFORM=offscreen python tests/gui/screenshots.py docs/screenshots

Not a test: run it after a visible change and look at the pictures.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TRAINING_SCHEDULER_HOME", tempfile.mkdtemp(prefix="ts-shots-"))


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from scheduler.commands.plan_file import write_demo_plan
    from scheduler.services.records import read_values
    from scheduler.ui.app import make_application
    from scheduler.ui.main_window import MainWindow
    from scheduler.ui.tables.record_page import RecordPage

    out.mkdir(parents=True, exist_ok=True)
    plan = Path(os.environ["TRAINING_SCHEDULER_HOME"]) / "Demo plan.tsplan"
    write_demo_plan(plan, events=None, seed=1, force=True)
    app = make_application()
    window = MainWindow()
    window.resize(1400, 820)
    window.show()
    window.open_path(plan)

    def settle(seconds: float = 0.3) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.02)

    assert window.monitor is not None
    while not window.monitor.ready:
        settle(0.1)
    for key in (
        "dashboard",
        "events",
        "units",
        "instructors",
        "conflicts",
        "requirements",
        "trainees",
    ):
        window.show_page(key)
        settle(1.0)
        window.grab().save(str(out / f"{key}.png"))
    window.show_page("courses")
    settle(0.5)
    page = window.current_page()
    assert isinstance(page, RecordPage)
    editor = page.open_editor(
        page.document.read(lambda s: read_values(s, page.spec, page.model.uuid_at(0))),
        page.model.uuid_at(0),
    )
    editor.show()
    settle(0.5)
    editor.grab().save(str(out / "course-editor.png"))
    editor.close()
    window.close()
    app.processEvents()
    laptop_shots(out, plan)


def laptop_shots(out: Path, demo: Path) -> None:
    """A laptop's view (issue 18): the timeline at 1280x800 and 125 % (1024x600
    laid out), a new plan's "start here", the user guide at 1366x768."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from scheduler.services.plan_files import create_plan
    from scheduler.ui.app import make_application
    from scheduler.ui.main_window import MainWindow

    app = make_application()
    window = MainWindow()
    window.show()
    window.open_path(demo)
    window.resize(1024, 600)
    window.show_page("timeline")
    for _ in range(50):
        app.processEvents()
    window.grab().save(str(out / "timeline-laptop.png"))
    empty = demo.with_name("New plan.tsplan")
    create_plan(empty, force=True).close()
    window.open_path(empty)
    window.resize(1366, 768)
    window.show_page("dashboard")
    for _ in range(50):
        app.processEvents()
    window.grab().save(str(out / "start-here.png"))

    def shoot() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, shoot)
            return
        dialog.grab().save(str(out / "user-guide.png"))
        dialog.close()

    QTimer.singleShot(50, shoot)
    window.actions_by_name["guide"].trigger()
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"))
