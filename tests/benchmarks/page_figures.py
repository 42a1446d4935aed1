"""Figures of moving between pages (issue 24): every page of the window, one
after another, on the demo plan and on a 100,000-event demo plan.

Each plan is visited in a process of its own (offscreen, 1366x768), so its
resident memory is its own: ``gui_memory_ratio`` is the RSS after visiting
every page and reading the last one for a moment (the pages left longest
ago let go of their data a second after being left), big plan over demo
plan. ``page_switch_scaling`` is the slowest page's time from the click to
its first rows shown (``LazyPage.rows_shown_at``: a list's rows, the
dashboard's counts and coming events; numbers that need every event may
come after), big over demo; each page's times, and when every read of it
was done, are in the note.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from functools import cache
from pathlib import Path

from registry import Figure, Options, figure, result
from window_figures import demo_plan

_VISIT = textwrap.dedent(
    """
    import json, os, sys, time
    from pathlib import Path
    from PySide6.QtCore import QThreadPool
    from scheduler.ui.app import make_application
    from scheduler.ui.lazy_page import RELEASE_AFTER_MS
    from scheduler.ui.main_window import MainWindow
    from scheduler.ui.pages import PAGES
    from scheduler.ui.ui_state import UiState

    def rss():
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmRSS"):
                    return int(line.split()[1]) / 1024
        return 0.0

    app = make_application()
    window = MainWindow(UiState())
    window.resize(1366, 768)
    window.show()
    window.open_path(Path(sys.argv[1]))
    pool = QThreadPool.globalInstance()

    def settle():
        quiet = 0
        while quiet < 4:
            app.processEvents()
            quiet = quiet + 1 if pool.activeThreadCount() == 0 else 0
            time.sleep(0.005)

    while not (window.monitor is not None and window.monitor.ready):
        app.processEvents()
        time.sleep(0.01)
    settle()
    pages = {}
    for info in PAGES:
        started = time.perf_counter()
        window.show_page(info.key)
        window.current_page().repaint()
        app.processEvents()
        shown = time.perf_counter() - started
        settle()
        loaded = time.perf_counter() - started
        at = getattr(window.current_page(), "rows_shown_at", None)
        first = at - started if at is not None and at >= started else max(shown, 0.0)
        if at is None and hasattr(window.current_page(), "rows_shown_at"):
            first = loaded  # a lazy page that never said: all of its reads
        pages[info.key] = [shown, loaded, first]
    # The planner reads the last page a moment: pages left longest ago let go
    # of what they loaded RELEASE_AFTER_MS after being left.
    idle = time.perf_counter() + RELEASE_AFTER_MS / 1000 + 0.5
    while time.perf_counter() < idle:
        app.processEvents()
        time.sleep(0.01)
    print(json.dumps({"pages": pages, "rss": rss()}))
    window.close_plan()
    """
)


@cache
def _visit(events: int | None) -> dict[str, object]:
    path = demo_plan(events) if events is not None else _default_demo()
    run = subprocess.run(
        [sys.executable, "-c", _VISIT, str(path)],
        capture_output=True,
        text=True,
        check=True,
        env=_env(),
    )
    found: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    return found


def _env() -> dict[str, str]:
    import os

    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


@cache
def _default_demo() -> Path:
    """The demo plan as ``training-scheduler demo`` writes it (320 events)."""
    from window_figures import _HOME

    from scheduler.services.plan_files import write_demo_plan

    path = _HOME / "demo-default.tsplan"
    write_demo_plan(path, seed=1, force=False)
    return path


def _large(options: Options) -> int:
    return 20_000 if options.quick else 100_000


@figure("page_switch_scaling")
def page_switch_scaling(options: Options) -> Figure:
    small, large = _visit(None), _visit(_large(options))
    small_pages: dict[str, list[float]] = small["pages"]  # type: ignore[assignment]
    large_pages: dict[str, list[float]] = large["pages"]  # type: ignore[assignment]
    slowest = max(large_pages, key=lambda key: large_pages[key][2])
    # Against the slower of the page's own demo time and the demo's slowest
    # page: a page that takes 5 ms on the demo is not held to 10 ms.
    floor = max(times[2] for times in small_pages.values())
    ratio = large_pages[slowest][2] / max(small_pages[slowest][2], floor)
    per_page = ", ".join(
        f"{key} {small_pages[key][2] * 1000:.0f}/{large_pages[key][2] * 1000:.0f} "
        f"({large_pages[key][1] * 1000:.0f}) ms"
        for key in large_pages
    )
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"slowest at {_large(options):,} events: {slowest}; each page, demo/large, click to "
        f"first rows shown (in brackets: every read of the page done): {per_page}",
    )


@figure("gui_memory_ratio")
def gui_memory_ratio(options: Options) -> Figure:
    small, large = _visit(None), _visit(_large(options))
    ratio = float(large["rss"]) / float(small["rss"])  # type: ignore[arg-type]
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"RSS after visiting every page: demo plan {float(small['rss']):.0f} MB, "  # type: ignore[arg-type]
        f"{_large(options):,} events {float(large['rss']):.0f} MB",  # type: ignore[arg-type]
    )
