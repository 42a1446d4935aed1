"""Figures of the calendar (issue 6): a month of a large plan, and a drag.

``month_view_scaling`` compares switching to a month and painting it on a
100,000-event plan with a small one whose months hold about as many events:
the demo generator spreads a plan over ceil(events / 5,000) years, so a
5,000-event plan (one year) and a 100,000-event plan (twenty years) both
run about 420 events a month, and the ratio shows whether the cost follows
the view or the plan. (A 1,000-event demo plan has five times fewer events
a month, so it would not compare like with like.) ``drag_update_ms`` is
the time from a drop to the repaint with the conflicts re-checked.
"""

from __future__ import annotations

import os
import statistics
import time
from datetime import date

from registry import Figure, Options, figure, result, timed
from window_figures import demo_plan

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _window_on_calendar(events: int):  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication

    from scheduler.ui.app import make_application
    from scheduler.ui.calendar.page import CalendarPage
    from scheduler.ui.main_window import MainWindow
    from scheduler.ui.ui_state import UiState

    app = make_application()
    window = MainWindow(UiState())
    window.resize(1400, 900)
    window.show()
    window.open_path(demo_plan(events))
    deadline = time.monotonic() + 600
    while window.monitor is not None and not window.monitor.ready:
        QApplication.processEvents()
        time.sleep(0.01)
        if time.monotonic() > deadline:
            raise RuntimeError("the conflict check did not finish")
    window.show_page("calendar")
    page = window.current_page()
    assert isinstance(page, CalendarPage)
    page.set_mode("month")
    QApplication.processEvents()
    return app, window, page


def _busy_months(page: object) -> list[date]:
    """Twelve months of the plan's busiest year (the middle of its period)."""
    from sqlalchemy import func, select

    from scheduler.model import TrainingEvent

    document = page.document  # type: ignore[attr-defined]
    first, last = document.read(
        lambda s: s.execute(
            select(func.min(TrainingEvent.start), func.max(TrainingEvent.start))
        ).one()
    )
    middle = first + (last - first) / 2
    return [date(middle.year, m, 1) for m in range(1, 13)]


def _month_seconds(events: int) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    app, window, page = _window_on_calendar(events)
    months = iter(_busy_months(page) * 3)
    shown: list[int] = []

    def switch_and_paint() -> None:
        page.go_to_date(next(months))
        page.grid.repaint()
        QApplication.processEvents()
        shown.append(len(page.rows))

    seconds = timed(switch_and_paint, repeats=9, best=True)
    window.close_plan()
    window.close()
    app.processEvents()
    return seconds, statistics.median(shown)


@figure("month_view_scaling")
def month_view_scaling(options: Options) -> Figure:
    small, large = (5_000, 20_000) if options.quick else (5_000, 100_000)
    small_s, small_n = _month_seconds(small)
    large_s, large_n = _month_seconds(large)
    ratio = large_s / small_s
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"switch to a month and paint: {large:,} events {large_s * 1000:.1f} ms "
        f"({large_n:.0f} in the month), {small:,} events {small_s * 1000:.1f} ms "
        f"({small_n:.0f} in the month)",
    )


@figure("drag_update_ms")
def drag_update_ms(options: Options) -> Figure:
    from PySide6.QtWidgets import QApplication

    events = 20_000 if options.quick else 100_000
    app, window, page = _window_on_calendar(events)
    months = _busy_months(page)
    page.go_to_date(months[5])
    QApplication.processEvents()
    candidates = [r for r in page.visible if r.series_id is None][:5]
    times = []
    for row in candidates:
        started = time.perf_counter()
        page.move_row(row, row.first_day.replace(day=min(row.first_day.day + 7, 28)))
        page.grid.repaint()
        QApplication.processEvents()
        times.append(time.perf_counter() - started)
        window.actions_by_name["undo"].trigger()
        QApplication.processEvents()
    window.close_plan()
    window.close()
    app.processEvents()
    value = statistics.median(times) * 1000
    return result(
        value,
        "ms",
        None,
        True,
        f"median of {len(times)} drops on a {events:,}-event plan: move in one transaction, "
        "incremental conflict re-check, the changed events patched into the month, repaint "
        "(aim < 50 ms)",
    )
