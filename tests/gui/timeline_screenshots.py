"""Render the timeline of the demo plan at week, quarter and year zoom.

    QT_QPA_PLATFORM=offscreen python tests/gui/timeline_screenshots.py docs/screenshots

Not a test: run it after a visible change and look at the pictures.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("TRAINING_SCHEDULER_HOME", tempfile.mkdtemp(prefix="ts-shots-"))

ZOOMS = {
    "week": (7, date(2027, 6, 7)),
    "quarter": (91, date(2027, 4, 1)),
    "year": (365, date(2027, 1, 1)),
}


def main(out: Path, dark: bool = False) -> None:
    from PySide6.QtWidgets import QApplication

    from scheduler.commands.plan_file import write_demo_plan
    from scheduler.ui.app import make_application
    from scheduler.ui.main_window import MainWindow
    from scheduler.ui.timeline.page import TimelinePage

    out.mkdir(parents=True, exist_ok=True)
    plan = Path(os.environ["TRAINING_SCHEDULER_HOME"]) / "Demo plan.tsplan"
    write_demo_plan(plan, events=None, seed=1, force=True)
    app = make_application()
    if dark:
        from PySide6.QtCore import Qt

        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
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
    window.show_page("timeline")
    page = window.current_page()
    assert isinstance(page, TimelinePage)
    suffix = "-dark" if dark else ""
    for name, (days, first) in ZOOMS.items():
        page.set_visible_days(days)
        page.scroll_to(first)
        settle(0.5)
        window.grab().save(str(out / f"timeline-{name}{suffix}.png"))
    window.close()
    app.processEvents()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots"), "--dark" in sys.argv)
