"""Figures of the resource timeline (issue 7): painting and scrolling.

``timeline_paint_scaling`` paints one viewport of 2,000 rows and of 50 rows
over a year (same viewport size) from bars already in memory: painting
must cost what is in view, not what the plan holds. ``timeline_scroll_ms``
scrolls the year view of the 100,000-event demo plan (20,000 in quick mode)
one viewport at a time through the real page, database included.
"""

from __future__ import annotations

import statistics
import time
from datetime import date, datetime, timedelta

from registry import Figure, Options, figure, result, timed
from window_figures import demo_plan

_YEAR = date(2027, 1, 1)


def _synthetic_view(rows: int) -> object:
    """A timeline view over ``rows`` instructors with a year of bars each, no database."""
    import random

    from scheduler.planning.workdays import PlanCalendars
    from scheduler.services.timeline_rows import (
        Shade,
        TimelineBar,
        TimelineCourse,
        TimelineResource,
        TimelineResources,
        arrange_rows,
    )
    from scheduler.ui.timeline.source import TimelineSource
    from scheduler.ui.timeline.view import TimelineView

    class MemorySource(TimelineSource):
        def ensure(self, first: date, last: date) -> None:
            return

        def prefetch(self, first: date, last: date) -> None:
            return

    rng = random.Random(1)
    nations = ("MK", "AL", "ME", "BA", "RS", "XK")
    courses = {
        i: TimelineCourse(i, f"C{i:02d}", f"Course {i}", f"Category {i % 7}", None, 5)
        for i in range(1, 31)
    }
    resources = tuple(
        TimelineResource(i, f"u{i}", f"Instructor {i:04d}", nations[i % 6], nations[i % 6])
        for i in range(1, rows + 1)
    )
    shades = {
        r.id: (Shade(_YEAR + timedelta(days=rng.randrange(330)), _YEAR, "leave"),)
        for r in resources
    }
    shades = {
        k: (Shade(s[0].first, s[0].first + timedelta(days=9), "leave"),) for k, s in shades.items()
    }
    data = TimelineResources(
        "instructor",
        resources,
        shades,
        courses,
        (_YEAR, date(2027, 12, 31)),
        timedelta(days=14),
        PlanCalendars(holiday_calendars={n: n for n in nations}),
    )
    source = MemorySource(None, date(2027, 6, 1))  # type: ignore[arg-type]
    source.data = data
    source.calendars = data.calendars
    found: dict[int, list[TimelineBar]] = {}
    ident = 0
    for resource in resources:
        day = _YEAR + timedelta(days=rng.randrange(10))
        while day < date(2027, 12, 20):
            length = rng.choice((1, 2, 5, 5, 10))
            ident += 1
            course = courses[rng.randrange(1, 31)]
            start = datetime.combine(day, datetime.min.time()) + timedelta(hours=8)
            end = start + timedelta(days=length - 1, hours=8)
            found.setdefault(resource.id, []).append(
                TimelineBar(
                    ident,
                    f"e{ident}",
                    f"MK-2027-{ident:05d}",
                    course.id,
                    course.code,
                    None,
                    course.category,
                    "planned",
                    start,
                    end,
                    day,
                    day + timedelta(days=length - 1),
                    "instructor",
                )
            )
            day += timedelta(days=length + rng.randrange(3, 25))
    source._store(0, 400, found)
    view = TimelineView(source)
    view.resize(1400, 800)
    view.show()
    view.set_rows(arrange_rows(data, "nation"))
    view.set_period(*data.period)
    view.set_visible_days(365)
    view.scroll_to(_YEAR)
    return view


@figure("timeline_paint_scaling")
def timeline_paint_scaling(options: Options) -> Figure:
    from PySide6.QtWidgets import QApplication

    from scheduler.ui.app import make_application
    from scheduler.ui.timeline.view import TimelineView

    app = make_application()
    repeats = 5 if options.quick else 15
    seconds = {}
    for rows in (50, 2_000):
        view = _synthetic_view(rows)
        assert isinstance(view, TimelineView)
        QApplication.processEvents()
        view.viewport().repaint()  # warm: fonts, holiday tables
        seconds[rows] = timed(view.viewport().repaint, repeats=repeats, best=True)
        view.close()
        view.deleteLater()
        app.processEvents()
    ratio = seconds[2_000] / seconds[50]
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"one 1400x800 viewport at year zoom: 2,000 rows {seconds[2_000] * 1000:.1f} ms, "
        f"50 rows {seconds[50] * 1000:.1f} ms",
    )


@figure("timeline_scroll_ms")
def timeline_scroll_ms(options: Options) -> Figure:
    from PySide6.QtWidgets import QApplication

    from scheduler.ui.app import make_application
    from scheduler.ui.main_window import MainWindow
    from scheduler.ui.timeline.page import TimelinePage
    from scheduler.ui.ui_state import UiState

    events = 20_000 if options.quick else 100_000
    app = make_application()
    window = MainWindow(UiState())
    window.resize(1400, 820)
    window.show()
    window.open_path(demo_plan(events))
    window.show_page("timeline")
    page = window.current_page()
    assert isinstance(page, TimelinePage)
    page.set_visible_days(365)
    page.scroll_to(_YEAR)
    QApplication.processEvents()
    view = page.view
    bar = view.horizontalScrollBar()

    def idle(seconds: float) -> None:
        """The planner looks at the view: the read-ahead job runs meanwhile."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline or page.source.prefetching:
            QApplication.processEvents()
            time.sleep(0.005)

    def steps(count: int, pause: float) -> list[float]:
        times = []
        for _ in range(count):
            if bar.value() >= bar.maximum():
                bar.setValue(0)
                view.viewport().repaint()
                idle(pause)
            started = time.perf_counter()
            bar.setValue(bar.value() + bar.pageStep())
            view.viewport().repaint()
            times.append(time.perf_counter() - started)
            idle(pause)
        return times

    idle(0.3)
    made = view.body.tiles.made
    warm = steps(8 if options.quick else 15, 0.25)
    made = view.body.tiles.made - made  # detail only: tiles painted ahead and during the steps
    page.source.invalidate()
    page.scroll_to(_YEAR)
    view.viewport().repaint()
    cold = steps(6, 0.0)  # no pause: every step reads its year from the plan
    rows = len(view.rows)
    idle(0.0)  # no read-ahead job may outlive the window
    window.close_plan()
    window.close()
    app.processEvents()
    value = statistics.median(warm) * 1000
    return result(
        value,
        "ms",
        16,
        value <= 16,
        f"year zoom, {rows} instructor rows, {events:,} events: median of {len(warm)} "
        f"one-viewport steps with the next year read ahead while idle "
        f"(max {max(warm) * 1000:.1f} ms; {made} body tiles painted meanwhile); "
        f"without read-ahead {statistics.median(cold) * 1000:.1f} ms per step",
    )
