"""The dashboard: what is coming up, open conflicts, releases due, readiness.

Counts, the next two weeks and the conflict counts are cheap and shown at
once; the readiness pathway and the releases due read every relevant event
(seconds on a 100,000-event plan), so they load on a worker thread and the
page says "Loading…" meanwhile.

Signals: ``jump_to_event(ref)`` (double-click an upcoming event),
``show_page(key)`` (the conflict counts open the Conflicts page),
``show_events_for(course_code, unit_codes)`` (a readiness bar) and
``show_readiness(partner)`` (a partner's milestones and costs).
"""

from __future__ import annotations

import logging
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import count_text, date_format
from scheduler.services.coordination_rows import PartnerSummary
from scheduler.services.dashboard import (
    DashboardFacts,
    load_dashboard,
    partner_summaries,
    upcoming_events,
)
from scheduler.services.plan_info import NAMED_PEOPLE, plan_counts
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.coordination.page import AT_RISK, money
from scheduler.ui.dashboard.pathway_view import PathwayView
from scheduler.ui.document import PlanDocument
from scheduler.ui.lazy_page import LazyPage
from scheduler.ui.tables.plain_table import plain_table

log = logging.getLogger(__name__)

# Kinds of record whose change alters what the dashboard shows (targets
# carry their training requirements).
WATCHED = (
    "event",
    "target",
    "unit",
    "course",
    "venue",
    "instructor",
    "release",
    "nation",
    "task",
    "provider",
)
SEVERITIES = (("error", "error"), ("warning", "warning"), ("info", "note"))


# A new plan's order of work: each list's records name those of the lists before.
START_ORDER = (
    ("qualifications", "Qualifications"),
    ("courses", "Courses"),
    ("instructors", "Instructors"),
    ("units", "Units"),
    ("venues", "Venues"),
    ("events", "Events"),
)


class DashboardPage(LazyPage):
    jump_to_event = Signal(str)
    show_page = Signal(str)
    show_events_for = Signal(str, list)
    export_for = Signal(str)
    show_readiness = Signal(str)
    status = Signal(str)
    facts_loaded = Signal()
    watched = WATCHED

    def __init__(
        self,
        document: PlanDocument,
        monitor: ConflictMonitor | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("page_dashboard")
        self.document = document
        self.monitor = monitor
        self.today = today or date.today()
        self.facts: DashboardFacts | None = None

        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)

        self.heading = QLabel(self)
        self.upcoming = plain_table(self, "upcoming", ["Ref", "Course", "Start", "End", "Venue"])
        self.upcoming.setToolTip("Double-click an event to open it in the events list")
        self.upcoming.doubleClicked.connect(self._open_upcoming)
        # The course title takes what the dates and venue leave (elided),
        # so the dates stay in view without a horizontal scroll.
        self.upcoming.horizontalHeader().setStretchLastSection(False)
        self.upcoming.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.upcoming.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.upcoming.setWordWrap(False)

        conflicts = QGroupBox("Open conflicts", self)
        conflicts.setObjectName("conflicts_box")
        row = QHBoxLayout(conflicts)
        self.conflict_buttons: dict[str, QPushButton] = {}
        for severity, _word in SEVERITIES:
            button = QPushButton(conflicts)
            button.setObjectName(f"conflicts_{severity}")
            button.setToolTip("Open the Conflicts page")
            button.clicked.connect(lambda _=False: self.show_page.emit("conflicts"))
            row.addWidget(button)
            self.conflict_buttons[severity] = button
        row.addStretch(1)

        releases = QGroupBox("Releases due", self)
        self.releases = plain_table(
            releases, "releases_due", ["Partner", "Last sent", "Changes", "Why"]
        )
        self.releases.setToolTip("Double-click to export that partner's schedule")
        self.releases.doubleClicked.connect(self._explain_release)
        self.releases.setWordWrap(False)  # one line a partner; the reason is in the tooltip
        releases_layout = QVBoxLayout(releases)
        releases_layout.addWidget(self.releases)

        nato = QGroupBox("NATO milestones, other providers and costs", self)
        self.partners = plain_table(
            nato,
            "partner_summary",
            ["Partner", "At risk", "Planned", "Actual", "Other providers"],
        )
        self.partners.setToolTip("Double-click a partner to open its readiness page")
        self.partners.doubleClicked.connect(self._open_readiness)
        self.partners.setWordWrap(False)
        QVBoxLayout(nato).addWidget(self.partners)

        self.pathway = PathwayView(self)
        self.pathway.show_events_for.connect(self.show_events_for)
        self.loading = QLabel("Loading readiness and releases…", self)
        self.loading.setObjectName("loading")

        # The pathway answers the team lead's first question (who is at
        # risk, and why), so it gets the full width and most of the height;
        # the coming week, conflicts and releases sit in a band above it.
        upcoming_box = QWidget(self)
        upcoming_layout = QVBoxLayout(upcoming_box)
        upcoming_layout.setContentsMargins(0, 0, 0, 0)
        upcoming_layout.addWidget(self.heading)
        upcoming_layout.addWidget(self.upcoming, 1)
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(conflicts)
        side_layout.addWidget(releases, 1)
        band = QSplitter(Qt.Orientation.Horizontal, self)
        band.setObjectName("dashboard_band")
        band.addWidget(upcoming_box)
        band.addWidget(side)
        band.addWidget(nato)
        band.setChildrenCollapsible(False)
        band.setSizes([4400, 3000, 2600])
        readiness = QWidget(self)
        readiness_layout = QVBoxLayout(readiness)
        readiness_layout.setContentsMargins(0, 0, 0, 0)
        readiness_layout.addWidget(self.loading)
        readiness_layout.addWidget(self.pathway, 1)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("dashboard_split")
        split.addWidget(band)
        split.addWidget(readiness)
        split.setChildrenCollapsible(False)
        split.setSizes([3500, 6500])
        self.start_here = self._start_here()
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.start_here)
        layout.addWidget(split, 1)

        # A hidden dashboard only notes that it is stale (LazyPage): reading
        # the pathway costs seconds on a big plan, after every edit.
        document.changed.connect(self.on_changed)
        if monitor is not None:
            monitor.updated.connect(self.show_conflict_counts)
            # A bound slot, not a lambda: Qt drops it when this page is deleted
            # (its window closed) while the monitor still finishes a check.
            monitor.checking.connect(self._checking)
        self.reload()

    def _start_here(self) -> QGroupBox:
        """A plan without events: the order to fill it in, a button to each list.

        Each step needs the ones before it (a course names the qualification
        it requires, an instructor holds qualifications, an event needs a
        course, its units, instructors and venue).
        """
        box = QGroupBox("Start here: fill a new plan in this order", self)
        box.setObjectName("start_here")
        row = QHBoxLayout(box)
        self.start_buttons: dict[str, QPushButton] = {}
        for number, (key, _title) in enumerate(START_ORDER, start=1):
            button = QPushButton(box)
            button.setObjectName(f"start_{key}")
            button.clicked.connect(lambda _=False, k=key: self.show_page.emit(k))
            row.addWidget(button)
            self.start_buttons[key] = button
            if number < len(START_ORDER):
                row.addWidget(QLabel("→", box))
        row.addStretch(1)
        return box

    def _show_start_here(self, counts: dict[str, int]) -> None:
        self.start_here.setVisible(counts.get("events", 0) == 0)
        for number, (key, title) in enumerate(START_ORDER, start=1):
            count = counts.get(key, 0)
            done = f" ✓ {count:,}" if count else ""
            self.start_buttons[key].setText(f"{number}. {title}{done}")

    # --- loading
    def reload(self) -> None:
        self.mark_fresh()
        self.show_counts_and_upcoming()
        self.show_conflict_counts()
        self.rows_on_screen()  # the pathway, releases and partners come after
        self.load_facts()

    def show_counts_and_upcoming(self) -> None:
        counts = self.document.read(plan_counts)
        self._show_start_here(counts)
        upcoming = self.document.read(lambda s: upcoming_events(s, self.today))
        self.counts.setText(
            "   ·   ".join(
                f"<b>{n:,}</b> {name}"
                for name, n in counts.items()
                if name != "nations" and (n or name not in NAMED_PEOPLE)
            )
        )
        self.heading.setText(
            f"<b>Coming up</b> from {date_format(self.today, '%d %b %Y')}: {len(upcoming)} events"
        )
        self.upcoming.setRowCount(len(upcoming))
        for row, event in enumerate(upcoming):
            for column, text in enumerate(
                (
                    event.ref,
                    event.course,
                    f"{date_format(event.start, '%a %d %b %H:%M')}",
                    f"{date_format(event.end, '%a %d %b %H:%M')}",
                    event.venue,
                )
            ):
                self.upcoming.setItem(row, column, QTableWidgetItem(text))

    def _checking(self, _busy: bool) -> None:
        self.show_conflict_counts()

    def show_conflict_counts(self) -> None:
        ready = self.monitor is not None and self.monitor.ready
        counts = self.monitor.open_counts() if self.monitor is not None and ready else {}
        for severity, word in SEVERITIES:
            button = self.conflict_buttons[severity]
            button.setText(count_text(counts[severity], word) if ready else f"… {word}s")

    def load_facts(self) -> None:
        """Pathway and releases due, read on a worker thread."""
        self.loading.setText("Loading readiness and releases…")
        self.loading.show()
        self.read_in_background(
            self.document,
            load_dashboard,
            self.show_facts,
            say=self.loading.setText,
            what="readiness and releases",
        )

    def show_facts(self, facts: DashboardFacts) -> None:
        self.facts = facts
        self.pathway.set_pathway(facts.pathway, facts.unit_codes)
        self.releases.setRowCount(len(facts.releases))
        for row, due in enumerate(facts.releases):
            last = f"{date_format(due.last_release, '%d %b %Y')}" if due.last_release else "never"
            cells = (f"{due.partner} — {due.name}", last, f"{due.changes:,}", due.reason())
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(due.reason())
                self.releases.setItem(row, column, item)
        self.releases.resizeColumnsToContents()
        # Then the partners' milestones and costs, which need every run.
        self.loading.setText("Loading milestones and costs…")
        self.read_in_background(
            self.document,
            partner_summaries,
            self._show_partners,
            say=self.loading.setText,
            what="milestones and costs",
        )

    def _show_partners(self, partners: list[PartnerSummary]) -> None:
        self.partners.setRowCount(len(partners))
        for row, summary in enumerate(partners):
            risk = f"{summary.at_risk} of {summary.milestones}" if summary.milestones else "—"
            others = ", ".join(summary.providers) or "none"
            cells = (summary.partner, risk, money(summary.planned), money(summary.actual), others)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if column == 1 and summary.at_risk:
                    item.setForeground(QBrush(AT_RISK))
                item.setToolTip(
                    f"{summary.at_risk} of {summary.milestones} NATO evaluation milestones at "
                    f"risk; trained also by {others}. Double-click for the readiness page."
                )
                self.partners.setItem(row, column, item)
        self.loading.hide()
        self.facts_loaded.emit()

    def drop_loaded(self) -> bool:
        if self.facts is None:
            return False
        self.facts = None
        self.pathway.set_pathway([], {})
        self.partners.setRowCount(0)
        self.releases.setRowCount(0)
        return True

    # --- reactions
    def _open_upcoming(self) -> None:
        item = self.upcoming.item(self.upcoming.currentRow(), 0)
        if item is not None:
            self.jump_to_event.emit(item.text())

    def _open_readiness(self) -> None:
        item = self.partners.item(self.partners.currentRow(), 0)
        if item is not None:
            self.show_readiness.emit(item.text())

    def _explain_release(self) -> None:
        row = self.releases.currentRow()
        if self.facts is None or not 0 <= row < len(self.facts.releases):
            return
        self.export_for.emit(self.facts.releases[row].partner)
