"""Figures of the team lead's views (issue 9): readiness, utilisation, reports.

Each compares the same work on a 5,000-event and a 100,000-event demo plan
(equal density: both hold about 5,000 events a year), or the lean readiness
read against reading the whole plan, in the same run.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from registry import Figure, Options, figure, result, timed
from window_figures import demo_plan

SMALL = 5_000


def _large(options: Options) -> int:
    return 20_000 if options.quick else 100_000


@figure("readiness_read_ratio")
def readiness_read_ratio(options: Options) -> Figure:
    """``load_readiness`` (what the dashboard reads) against the whole-plan snapshot."""
    from scheduler.planning.readiness import readiness
    from scheduler.services.plan_snapshot import load_plan_data
    from scheduler.services.readiness_rows import load_readiness
    from scheduler.storage import PlanAccess, open_plan

    events = _large(options)
    with open_plan(demo_plan(events), access=PlanAccess.READ) as plan, plan.session() as session:
        lean = timed(lambda: load_readiness(session), repeats=3, best=True)
        whole = timed(lambda: readiness(load_plan_data(session)), repeats=3, best=True)
        rows = len(load_readiness(session))
    ratio = lean / whole
    return result(
        ratio,
        "ratio",
        0.6,
        ratio <= 0.6,
        f"{events:,} events, {rows:,} requirements: load_readiness {lean:.2f} s, "
        f"readiness over the whole plan {whole:.2f} s",
    )


@figure("coordination_read_ratio")
def coordination_read_ratio(options: Options) -> Figure:
    """Issue 23's reads against ``load_readiness`` on the same plan: the
    dashboard's per-partner summary (no overlaps) and the whole Readiness page
    (overlaps with other providers included); both run on a worker thread."""
    from scheduler.services.coordination_rows import load_coordination
    from scheduler.services.readiness_rows import load_readiness
    from scheduler.storage import PlanAccess, open_plan

    events = _large(options)
    with open_plan(demo_plan(events), access=PlanAccess.READ) as plan, plan.session() as session:
        base = timed(lambda: load_readiness(session), repeats=3, best=True)
        summary = timed(
            lambda: load_coordination(session, with_overlaps=False), repeats=3, best=True
        )
        page = timed(lambda: load_coordination(session), repeats=3, best=True)
        found = load_coordination(session)
    ratio = page / base
    return result(
        ratio,
        "ratio",
        5.0,
        ratio <= 5.0 and summary / base <= 2.0,
        f"{events:,} events, {len(found.others):,} other providers' runs, "
        f"{len(found.overlaps):,} overlaps: load_readiness {base:.2f} s, dashboard summary "
        f"{summary:.2f} s ({summary / base:.1f}x, target 2x), Readiness page {page:.2f} s",
    )


def _utilisation_seconds_per_cell(events: int) -> tuple[float, int]:
    from scheduler.services.utilisation import load_utilisation
    from scheduler.storage import PlanAccess, open_plan

    first, last = date(2027, 1, 1), date(2027, 12, 31)
    with open_plan(demo_plan(events), access=PlanAccess.READ) as plan, plan.session() as session:
        seconds = timed(
            lambda: load_utilisation(session, "instructor", first, last), repeats=3, best=True
        )
        table = load_utilisation(session, "instructor", first, last)
    cells = max(1, len(table.rows) * len(table.weeks))
    return seconds / cells, len(table.rows)


@figure("utilisation_year_scaling")
def utilisation_year_scaling(options: Options) -> Figure:
    """Time per heatmap cell (instructor x week) for a year, large plan over small."""
    large = _large(options)
    small_s, small_rows = _utilisation_seconds_per_cell(SMALL)
    large_s, large_rows = _utilisation_seconds_per_cell(large)
    ratio = large_s / small_s
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"per cell: {large:,} events {large_s * 1e6:.1f} µs ({large_rows} instructors), "
        f"{SMALL:,} events {small_s * 1e6:.1f} µs ({small_rows} instructors)",
    )


def _report_seconds(events: int, request: object) -> tuple[float, int]:
    """Build and paint one report to PDF; seconds per page and the pages."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from scheduler.reports.render.documents import write_pdf
    from scheduler.reports.requests import ReportRequest
    from scheduler.services.reports import read_report
    from scheduler.storage import PlanAccess, open_plan

    assert isinstance(request, ReportRequest)
    _app = QGuiApplication.instance() or QGuiApplication([])
    pages = 0
    with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
        target = Path(folder) / "report.pdf"

        def once() -> None:
            nonlocal pages
            plan_path = demo_plan(events)
            with open_plan(plan_path, access=PlanAccess.READ) as plan:
                report = read_report(plan, request)
            pages = write_pdf(report, target)

        seconds = timed(once, repeats=3, best=True)
    return seconds / max(1, pages), pages


def _report_scaling(options: Options, request: object, what: str) -> Figure:
    large = _large(options)
    small_s, small_pages = _report_seconds(SMALL, request)
    large_s, large_pages = _report_seconds(large, request)
    ratio = large_s / small_s
    return result(
        ratio,
        "ratio",
        2,
        ratio <= 2,
        f"{what}, per page: {large:,} events {large_s * 1000:.0f} ms ({large_pages} pages), "
        f"{SMALL:,} events {small_s * 1000:.0f} ms ({small_pages} pages)",
    )


@figure("report_calendar_scaling")
def report_calendar_scaling(options: Options) -> Figure:
    from scheduler.reports.requests import ReportRequest

    request = ReportRequest("calendar", date_from=date(2027, 3, 1), date_to=date(2027, 5, 31))
    return _report_scaling(options, request, "month calendar Mar-May 2027")


@figure("report_timeline_scaling")
def report_timeline_scaling(options: Options) -> Figure:
    from scheduler.reports.requests import ReportRequest

    request = ReportRequest("timeline", date_from=date(2027, 3, 1), date_to=date(2027, 5, 31))
    return _report_scaling(options, request, "instructor timeline Mar-May 2027")


@figure("report_listing_scaling")
def report_listing_scaling(options: Options) -> Figure:
    """File ▸ Print… "This list as shown" on the Events list: the cost of a page
    must not grow with the length of the list (layout fits each text once)."""
    from scheduler.services.tables import event_rows
    from scheduler.storage import PlanAccess, open_plan

    plan_path = demo_plan(_large(options))
    with open_plan(plan_path, access=PlanAccess.READ) as plan, plan.session() as session:
        rows = [tuple(row.cells) for row in event_rows(session)]
    counts = (1_000, 5_000) if options.quick else (2_000, 20_000)
    with tempfile.TemporaryDirectory() as folder:
        measured = [_listing_page_seconds(rows[:count], Path(folder)) for count in counts]
    (small_s, small_pages), (large_s, large_pages) = measured
    ratio = large_s / small_s
    return result(
        ratio,
        "ratio",
        1.5,
        ratio <= 1.5,
        f"events list as shown, per page: {counts[1]:,} rows {large_s * 1000:.1f} ms "
        f"({large_pages} pages), {counts[0]:,} rows {small_s * 1000:.1f} ms ({small_pages} pages)",
    )


def _listing_page_seconds(rows: list[tuple[str, ...]], folder: Path) -> tuple[float, int]:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from scheduler.reports.listing import Listing
    from scheduler.reports.render.documents import write_pdf
    from scheduler.services.reports import listing_report
    from scheduler.services.tables import EVENT_COLUMNS, EVENT_NUMERIC_COLUMNS

    numeric = tuple(i in EVENT_NUMERIC_COLUMNS for i in range(len(EVENT_COLUMNS)))
    listing = Listing("Events", EVENT_COLUMNS, tuple(rows), numeric=numeric, noun="event")
    report = listing_report(listing, "Benchmark")
    _app = QGuiApplication.instance() or QGuiApplication([])
    pages = 0

    def once() -> None:
        nonlocal pages
        pages = write_pdf(report, folder / f"events {len(rows)}.pdf")

    seconds = timed(once, repeats=2, best=True)
    return seconds / max(1, pages), pages
