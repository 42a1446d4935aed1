"""The Timeline page: who is where, and who is free.

Resources of one kind down the side (instructors, venues or units, grouped
and collapsible), days across from a week to a year. Dragging a bar asks
the page to move, reassign or resize the event; the page checks what a
planner should confirm (a qualification the new instructor lacks), then
pushes one ``SnapshotEdit`` so each drag is one undo step. It listens to
the document (refresh what changed) and to the conflict monitor (outline
clashing bars at once). Signals: ``status(str)`` for the status bar and
``jump_to_event(str)`` to open an event (the window connects both).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QMessageBox,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import date_format
from scheduler.services.changes import Changes
from scheduler.services.timeline_rows import (
    GROUPING_TITLES,
    GROUPINGS,
    RESOURCE_KINDS,
    ResourceKind,
    TimelineBar,
    arrange_rows,
    qualification_gaps,
)
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.landings import Landings
from scheduler.ui.qt_dates import to_date, to_qdate
from scheduler.ui.series_scope import ask_series_scope
from scheduler.ui.timeline.geometry import SLIDER_STEPS, days_for_slider, slider_for_days
from scheduler.ui.timeline.source import TimelineSource
from scheduler.ui.timeline.view import TimelineView

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)
KIND_TITLES = {"instructor": "Instructors", "venue": "Venues", "unit": "Units", "kit": "Kit"}
RESOURCE_CHANGES = ("instructor", "venue", "unit", "course", "nation", "qualification")
_UNKNOWN = "?"


class TimelinePage(QWidget):
    """Owns a ``TimelineSource`` and a ``TimelineView``; turns drags into undo steps."""

    status = Signal(str)
    jump_to_event = Signal(str)

    def __init__(
        self,
        document: PlanDocument,
        monitor: ConflictMonitor,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)

        self.setObjectName("timeline_page")
        self.document = document
        self.monitor = monitor
        self.source = TimelineSource(document, today or date.today(), parent=self)
        self.view = TimelineView(self.source, self)
        self.view.clash_of = self.clash_of
        self.kind: ResourceKind = "instructor"
        self.collapsed: dict[str, set[str]] = {kind: set() for kind in RESOURCE_KINDS}
        self.free_ids: set[int] | None = None
        self._clashes: dict[int, str | None] = {}
        self._filter_generation = 0

        self.kind_box = QComboBox(self)
        self.kind_box.setObjectName("timeline_kind")
        for kind in RESOURCE_KINDS:
            self.kind_box.addItem(KIND_TITLES[kind], kind)
        self.group_box = QComboBox(self)
        self.group_box.setObjectName("timeline_grouping")
        self.zoom = QSlider(Qt.Orientation.Horizontal, self)
        self.zoom.setObjectName("timeline_zoom")
        self.zoom.setRange(0, SLIDER_STEPS)
        self.zoom.setFixedWidth(160)
        self.zoom.setToolTip("Zoom from one week to a year (or Ctrl + mouse wheel)")
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(70)
        today_button = QPushButton("Today", self)
        today_button.setObjectName("timeline_today")
        today_button.clicked.connect(self.show_today)

        self.free_check = QCheckBox("Only free for", self)
        self.free_check.setObjectName("timeline_free")
        self.free_check.setToolTip(
            "Show only the rows free for this course on these days, as the slot finder sees them"
        )
        self.free_course = QComboBox(self)
        self.free_course.setObjectName("timeline_free_course")
        self.free_course.setMinimumWidth(110)
        self.free_from = QDateEdit(self)
        self.free_from.setObjectName("timeline_free_from")
        self.free_to = QDateEdit(self)
        self.free_to.setObjectName("timeline_free_to")
        for edit in (self.free_from, self.free_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        self.free_nation = QComboBox(self)
        self.free_nation.setObjectName("timeline_free_nation")
        self.free_nation.setToolTip(
            "Host nation: people teaching elsewhere the day before or after need travel time"
        )
        monday = self.source.today + timedelta(days=7 - self.source.today.weekday())
        self.free_from.setDate(to_qdate(monday))
        self.free_to.setDate(to_qdate(monday + timedelta(days=4)))

        bar = FlowLayout()
        bar.addWidget(kept_together(self, QLabel("Rows:", self), self.kind_box))
        bar.addWidget(kept_together(self, QLabel("Grouped by:", self), self.group_box))
        bar.addSpacing(12)
        bar.addWidget(
            kept_together(self, QLabel("Zoom:", self), self.zoom, self.zoom_label, today_button)
        )
        bar.addSpacing(12)
        bar.addWidget(kept_together(self, self.free_check, self.free_course))
        bar.addWidget(
            kept_together(self, self.free_from, QLabel("to", self), self.free_to, self.free_nation)
        )
        legend = QLabel(
            "Hatched: leave, deployment, travel or venue closure · orange: public holiday · "
            "dimmed: weekend · pale bar: another provider's event · red line: today · "
            "outlined red/orange: conflict. Drag a bar "
            "to move it or onto another row to reassign; drag its right end to resize; "
            "double-click to open.",
            self,
        )
        legend.setObjectName("timeline_legend")
        legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(legend)

        self.kind_box.currentIndexChanged.connect(
            lambda _i: self.set_kind(self.kind_box.currentData())
        )
        self.group_box.currentIndexChanged.connect(lambda _i: self.rebuild_rows())
        self.zoom.valueChanged.connect(self._zoom_moved)
        self.view.zoomed.connect(self._zoomed)
        self.view.toggled.connect(self.toggle)
        self.landings = Landings(document)
        self.view.landing = lambda bar, day: self.landings.span(bar.uuid, day)
        self.view.move_requested.connect(self.move_bar)
        self.view.resize_requested.connect(self.resize_bar)
        self.view.open_requested.connect(self.open_event)
        self.free_check.toggled.connect(lambda _on: self.update_free_filter())
        self.free_course.currentIndexChanged.connect(lambda _i: self.update_free_filter())
        self.free_from.dateChanged.connect(lambda _d: self.update_free_filter())
        self.free_to.dateChanged.connect(lambda _d: self.update_free_filter())
        self.free_nation.currentIndexChanged.connect(lambda _i: self.update_free_filter())
        document.changed.connect(self.on_changed)
        monitor.updated.connect(self._conflicts_updated)

        self.view.set_visible_days(91)
        self.set_kind("instructor")
        self.show_today()

    # --- rows
    def set_kind(self, kind: ResourceKind) -> None:
        self.kind = kind
        self._load()
        self.group_box.blockSignals(True)
        self.group_box.clear()
        for grouping in GROUPINGS[kind]:
            self.group_box.addItem(GROUPING_TITLES[grouping], grouping)
        self.group_box.blockSignals(False)
        self.kind_box.blockSignals(True)
        self.kind_box.setCurrentIndex(RESOURCE_KINDS.index(kind))
        self.kind_box.blockSignals(False)
        self.free_ids = None
        self.rebuild_rows()
        self.update_free_filter()

    def _load(self) -> None:
        data = self.source.load_data(self.kind)
        self.view.set_period(*data.period)
        self._fill_free_choices()

    def _fill_free_choices(self) -> None:
        data = self.source.data
        assert data is not None
        chosen = self.free_course.currentData()
        self.free_course.blockSignals(True)
        self.free_course.clear()
        for course in sorted(data.courses.values(), key=lambda c: c.code.casefold()):
            self.free_course.addItem(course.code, course.id)
            self.free_course.setItemData(
                self.free_course.count() - 1, course.title, Qt.ItemDataRole.ToolTipRole
            )
        index = self.free_course.findData(chosen)
        self.free_course.setCurrentIndex(max(index, 0))
        self.free_course.blockSignals(False)
        nation = self.free_nation.currentData()
        self.free_nation.blockSignals(True)
        self.free_nation.clear()
        self.free_nation.addItem("Any host nation", None)
        for code in data.nation_codes():
            self.free_nation.addItem(f"in {code}", code)
        self.free_nation.setCurrentIndex(max(self.free_nation.findData(nation), 0))
        self.free_nation.blockSignals(False)

    @property
    def grouping(self) -> str:
        found = self.group_box.currentData()
        return str(found) if found else GROUPINGS[self.kind][0]

    def rebuild_rows(self) -> None:
        data = self.source.data
        if data is None:
            return
        rows = arrange_rows(data, self.grouping, self.collapsed[self.kind], self.free_ids)
        total = len(data.resources)
        shown = sum(1 for r in rows if r.kind == "resource")
        title = KIND_TITLES[self.kind]
        self.view.corner_text = (
            f"{title}: {shown} of {total} free"
            if self.free_ids is not None
            else f"{title} ({total})"
        )
        self.view.set_rows(rows)

    def toggle(self, key: str) -> None:
        shut = self.collapsed[self.kind]
        shut.symmetric_difference_update({key})
        self.rebuild_rows()

    def visible_resource_ids(self) -> list[int]:
        data = self.source.data
        assert data is not None
        return [data.resources[r.index].id for r in self.view.rows if r.kind == "resource"]

    # --- zoom and scrolling
    def _zoom_moved(self, value: int) -> None:
        self.view.set_visible_days(days_for_slider(value))

    def _zoomed(self, days: float) -> None:
        self.zoom.blockSignals(True)
        self.zoom.setValue(slider_for_days(days))
        self.zoom.blockSignals(False)
        if days < 14:
            text = f"{round(days)} days"
        elif days < 70:
            text = f"{round(days / 7)} weeks"
        else:
            text = f"{round(days / 30.4)} months"
        self.zoom_label.setText(text)

    def set_visible_days(self, days: float) -> None:
        self.view.set_visible_days(days)

    def show_today(self) -> None:
        today = self.source.today
        self.view.scroll_to(today - timedelta(days=today.weekday() + 7))

    def scroll_to(self, day: date) -> None:
        self.view.scroll_to(day)

    # --- conflicts
    def clash_of(self, event_id: int) -> str | None:
        """'error' or 'warning' when the event has an open conflict of that severity."""
        if event_id in self._clashes:
            return self._clashes[event_id]
        worst: str | None = None
        for conflict in self.monitor.conflicts_of(event_id):
            severity = str(conflict.severity)
            if conflict.accepted or severity == "info":
                continue
            worst = severity
            if severity == "error":
                break
        self._clashes[event_id] = worst
        return worst

    def _conflicts_updated(self) -> None:
        self._clashes.clear()
        self.view.clashes_changed()
        if self.free_ids is not None:
            self.update_free_filter()

    # --- the plan changed
    def on_changed(self, changes: Changes) -> None:
        if changes.touches(*RESOURCE_CHANGES):
            self._load()
            self.rebuild_rows()
        elif changes.event_ids or changes.touches("event"):
            self.source.invalidate()
        else:
            return
        self._clashes.clear()
        self.view.clashes_changed()
        if self.free_ids is not None:
            self.update_free_filter()

    # --- free rows
    def update_free_filter(self) -> None:
        """Show only rows free for the chosen course and days (the slot finder's answer)."""
        from scheduler.services.timeline_rows import free_resources

        self._filter_generation += 1
        generation = self._filter_generation
        course_id = self.free_course.currentData()
        if not self.free_check.isChecked() or course_id is None:
            if self.free_ids is not None:
                self.free_ids = None
                self.rebuild_rows()
            return
        first, last = to_date(self.free_from.date()), to_date(self.free_to.date())
        nation = self.free_nation.currentData()
        kind = self.kind
        engine = self.monitor.engine
        if engine is not None:
            found = free_resources(
                engine.plan, kind, course_id, first, last,
                nation_code=nation, bookings=engine.bookings,
            )  # fmt: skip
            self._show_free(found)
            return

        def work(session: Session) -> set[int]:
            from scheduler.services.plan_snapshot import load_plan_data

            snapshot = load_plan_data(session)
            return free_resources(snapshot, kind, course_id, first, last, nation_code=nation)

        def done(found: set[int]) -> None:
            if generation == self._filter_generation and kind == self.kind:
                self._show_free(found)

        def failed(error: BaseException) -> None:
            log.error("the free-rows filter failed", exc_info=error)

        self.status.emit("Finding free rows…")
        self.document.read_async(work, done, failed=failed, owner=self)

    def _show_free(self, found: set[int]) -> None:
        self.free_ids = found
        self.rebuild_rows()
        self.status.emit(f"{len(found)} {KIND_TITLES[self.kind].lower()} free")

    # --- edits from the view
    def move_bar(self, bar: TimelineBar, from_index: int, to_index: int, first_day: date) -> None:
        """Move ``bar`` to ``first_day`` and/or give it to another row: one undo step.

        An occurrence of a series asks which occurrences change, as the calendar does.
        """
        from scheduler.services import edits
        from scheduler.services.series import Scope

        data = self.source.data
        assert data is not None
        old, new = data.resources[from_index], data.resources[to_index]
        reassign = from_index != to_index
        moved = first_day != bar.first
        if bar.module:
            if reassign:
                self.status.emit(
                    f"{bar.ref}'s {bar.module} has its own people and venue: change them in "
                    "the event's Modules, not by dragging."
                )
                self.view.viewport().update()
                return
            # A module dragged moves its whole event by as much.
            first_day -= timedelta(days=bar.module_offset)
            bar = replace(bar, first=bar.first - timedelta(days=bar.module_offset))
        if reassign and data.kind == "unit":
            self.status.emit(
                "A unit's place on an event is changed in the event's audience, not by dragging."
            )
            self.view.viewport().update()
            return
        if reassign and data.kind == "kit":
            self.status.emit(
                "The kit an event needs comes from its course: change it in the course, "
                "not by dragging."
            )
            self.view.viewport().update()
            return
        if reassign and data.kind == "instructor":
            last_day = bar.last + (first_day - bar.first)
            gaps = qualification_gaps(data, new.id, bar.course_id, last_day)
            if gaps and not self._confirm_unqualified(bar, new.name, gaps):
                self.view.viewport().update()
                return
        scope = Scope.THIS
        if bar.series_id is not None:
            asked = ask_series_scope(self, bar.ref, "move" if moved else "reassign")
            if asked is None:
                self.view.viewport().update()
                return
            scope = asked
        parts = []
        if moved:
            parts.append(f"to {date_format(first_day, '%d %b %Y')}")
        if reassign:
            parts.append(f"from {old.name} to {new.name}")
        text = f"Move {bar.ref} " + " and ".join(parts)
        if scope is not Scope.THIS:
            text += f" ({scope.value})"
        step = UndoStep(
            text,
            edits.move_and_reassign,
            bar.uuid,
            first_day=first_day if moved else None,
            resource=data.kind,
            from_uuid=old.uuid if reassign else None,
            to_uuid=new.uuid if reassign else None,
            scope=scope,
            expected_version=bar.version_id,
        )
        if self.document.push(step):
            self.status.emit(text)

    def _confirm_unqualified(self, bar: TimelineBar, name: str, gaps: list[str]) -> bool:
        answer = QMessageBox.question(
            self,
            "Qualification missing",
            f"{name} lacks what {bar.course_code} requires: {', '.join(gaps)}.\n\n"
            f"Give {bar.ref} to {name} anyway? The conflict check will list it.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def resize_bar(self, bar: TimelineBar, last_day: date) -> None:
        from scheduler.services import edits

        if bar.module:
            self.status.emit(
                f"{bar.ref}'s {bar.module} keeps its days: change them in the event's Modules."
            )
            self.view.viewport().update()
            return

        text = f"End {bar.ref} on {date_format(last_day, '%d %b %Y')}"
        step = UndoStep(
            text, edits.resize_event, bar.uuid, last_day, expected_version=bar.version_id
        )
        if self.document.push(step):
            self.status.emit(text)

    def open_event(self, bar: TimelineBar) -> None:
        """The one place a bar opens its event: the window shows it (the event editor later)."""
        self.jump_to_event.emit(bar.ref)
