"""The dashboard: counts and the next two weeks of training at a glance."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.services.changes import Changes
from scheduler.services.dashboard import upcoming_events
from scheduler.services.plan_info import plan_counts
from scheduler.ui.document import PlanDocument


class DashboardPage(QWidget):
    def __init__(self, document: PlanDocument, today: date | None = None) -> None:
        super().__init__()
        self.setObjectName("page_dashboard")
        self.document = document
        self.today = today or date.today()
        self.counts = QLabel(self)
        self.counts.setObjectName("counts")
        self.counts.setWordWrap(True)
        self.upcoming = QTableWidget(0, 5, self)
        self.upcoming.setObjectName("upcoming")
        self.upcoming.setHorizontalHeaderLabels(["Ref", "Course", "Start", "End", "Venue"])
        self.upcoming.verticalHeader().setVisible(False)
        self.upcoming.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.upcoming.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.upcoming.horizontalHeader().setStretchLastSection(True)
        self.heading = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.upcoming, 1)
        document.changed.connect(self.on_changed)
        self.reload()

    def on_changed(self, changes: Changes) -> None:
        if changes.touches("event", "course", "venue", "unit", "instructor"):
            self.reload()

    def reload(self) -> None:
        counts = self.document.read(plan_counts)
        upcoming = self.document.read(lambda s: upcoming_events(s, self.today))
        self.counts.setText(
            "   ·   ".join(
                f"<b>{n:,}</b> {name}" for name, n in counts.items() if name != "nations"
            )
        )
        self.heading.setText(f"<b>Coming up</b> from {self.today:%d %b %Y}: {len(upcoming)} events")
        self.upcoming.setRowCount(len(upcoming))
        for row, event in enumerate(upcoming):
            for column, text in enumerate(
                (
                    event.ref,
                    event.course,
                    f"{event.start:%a %d %b %H:%M}",
                    f"{event.end:%a %d %b %H:%M}",
                    event.venue,
                )
            ):
                self.upcoming.setItem(row, column, QTableWidgetItem(text))
        self.upcoming.resizeColumnsToContents()
