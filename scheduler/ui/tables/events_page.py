"""The events list: every run of every course, with period and resource filters.

Status changes, duplicate, cancel and delete act on the selection; each is
one undo step.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
)
from sqlalchemy.orm import Session

from scheduler.errors import UserError
from scheduler.model import EventStatus
from scheduler.planning.wording import count_text
from scheduler.services import edits, records
from scheduler.services.entity_specs import spec_for
from scheduler.services.tables import (
    EVENT_COLUMNS,
    EVENT_NUMERIC_COLUMNS,
    Row,
    event_facet_choices,
    event_rows,
)
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.qt_dates import to_date
from scheduler.ui.tables.record_page import RecordPage


class EventsPage(RecordPage):
    load_in_background = True

    def __init__(self, document: PlanDocument, monitor: ConflictMonitor | None = None) -> None:
        self.monitor = monitor
        # (course code, unit codes) from a readiness click-through, until cleared.
        self.focus: tuple[str, frozenset[str]] | None = None
        super().__init__(document, spec_for("event"), headers=EVENT_COLUMNS)

    def edit_uuid(self, uuid: str) -> None:
        """Events open in the event editor (live conflicts, recurrence, free dates)."""
        if self.monitor is None:
            super().edit_uuid(uuid)
            return
        from scheduler.ui.event_editor.dialog import edit_event

        edit_event(self, self.document, self.monitor, uuid)

    def add_record(self, initial: records.Values | None = None) -> None:
        if self.monitor is None:
            super().add_record(initial)
            return
        from scheduler.ui.event_editor.dialog import new_event

        new_event(self, self.document, self.monitor)

    def numeric_columns(self) -> frozenset[int]:
        return EVENT_NUMERIC_COLUMNS

    def facet_choices(self, session: Session) -> dict[str, list[str]] | None:
        return event_facet_choices(session)

    def default_sort_column(self) -> int:
        return EVENT_COLUMNS.index("Start")

    def filter_names(self) -> tuple[str, ...]:
        return ("status", "nation", "unit", "instructor", "venue")

    def add_filter_widgets(self, bar: FlowLayout) -> None:
        self.period = QCheckBox("From", self)
        self.period.setObjectName("period_enabled")
        self.period.setToolTip("Show only events in a period")
        today = QDate.currentDate()
        self.period_from = QDateEdit(QDate(today.year(), today.month(), 1), self)
        self.period_to = QDateEdit(self.period_from.date().addMonths(3).addDays(-1), self)
        for edit in (self.period_from, self.period_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.dateChanged.connect(self._period_changed)
        self.period.toggled.connect(self._period_changed)
        bar.addWidget(
            kept_together(self, self.period, self.period_from, QLabel("to", self), self.period_to)
        )
        self.focus_button = QPushButton(self)
        self.focus_button.setObjectName("focus")
        self.focus_button.setToolTip("Click to show all events again")
        self.focus_button.clicked.connect(lambda: self.filter_to(None))
        self.focus_button.hide()
        bar.addWidget(self.focus_button)

    def add_buttons(self, bar: QHBoxLayout) -> None:
        self.status_button = QPushButton("Set status", self)
        self.status_button.setObjectName("button_status")
        menu = QMenu(self.status_button)
        for status in EventStatus:
            action = menu.addAction(status.label)
            action.triggered.connect(lambda _=False, s=status: self.set_status(s))
        self.status_button.setMenu(menu)
        duplicate = QPushButton("Duplicate", self)
        duplicate.setObjectName("button_duplicate")
        duplicate.clicked.connect(self.duplicate_selected)
        cancel = QPushButton("Cancel event", self)
        cancel.setObjectName("button_cancel")
        cancel.clicked.connect(lambda: self.set_status(EventStatus.CANCELLED))
        for button in (self.status_button, duplicate, cancel):
            bar.addWidget(button)

    def context_actions(self) -> list[QAction]:
        duplicate = QAction("Duplicate", self)
        duplicate.triggered.connect(self.duplicate_selected)
        cancel = QAction("Cancel event", self)
        cancel.triggered.connect(lambda: self.set_status(EventStatus.CANCELLED))
        attendance = QAction("Record attendance…", self)
        attendance.setObjectName("record_attendance")
        attendance.triggered.connect(self.record_attendance)
        roll = QAction("Roll call…", self)
        roll.setObjectName("roll_call")
        roll.triggered.connect(self.roll_call)
        certificates = QAction("Certificates…", self)
        certificates.setObjectName("certificates")
        certificates.triggered.connect(self.certificates)
        return [duplicate, cancel, attendance, roll, certificates]

    def record_attendance(self) -> None:
        from scheduler.ui.dialogs.attendance_dialog import record_attendance

        uuids = self.selected_uuids()
        if uuids and not self.document.read_only:
            record_attendance(self, self.document, uuids[0])

    def certificates(self) -> None:
        """A certificate for each trainee who passed the selected event (one PDF)."""
        from scheduler.ui.certificate_actions import print_certificates

        uuids = self.selected_uuids()
        if uuids and not self.document.read_only:
            print_certificates(self, self.document, uuids[0])

    def roll_call(self) -> None:
        """Who is on the selected event and how each did, as one undo step."""
        from scheduler.services.roll_call import read_roll_call
        from scheduler.ui.dialogs.roll_call_dialog import RollCallDialog

        uuids = self.selected_uuids()
        if not uuids:
            return
        try:
            roll = self.document.read(lambda s: read_roll_call(s, uuids[0]))
        except UserError as exc:
            QMessageBox.warning(self, "Roll call", str(exc))
            return
        dialog = RollCallDialog(roll, self)
        dialog.save_button.setEnabled(not self.document.read_only)
        if not dialog.exec():
            return
        self.document.push(
            UndoStep(
                f"Roll call of {roll.ref}",
                edits.record_roll_call,
                roll.event_uuid,
                dialog.rows(),
                dialog.count_on_event(),
            )
        )

    def filter_to(self, course_code: str | None, unit_codes: Collection[str] = ()) -> None:
        """Show only the events of one course with one of these units on them (or all again)."""
        self.focus = (course_code, frozenset(unit_codes)) if course_code else None
        if self.focus is not None:
            self._clear_filters("")
            units = ", ".join(sorted(unit_codes)[:3]) + ("…" if len(unit_codes) > 3 else "")
            self.focus_button.setText(f"✕ Only {course_code} for {units}")
        self.focus_button.setVisible(self.focus is not None)
        self.apply_filter()

    def _clear_filters(self, search_text: str) -> None:
        """Every facet back to all, no period, ``search_text`` searched for.

        Signals are held, so the caller filters the (up to 100,000) rows once
        rather than once per box.
        """
        for combo in self.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.period.setChecked(False)
        self.search.blockSignals(True)
        self.search.setText(search_text)
        self.search.blockSignals(False)

    def apply_filter(self) -> None:
        super().apply_filter()
        if self.focus is None:
            return
        course, units = self.focus
        model = self.model
        model.beginResetModel()
        model.visible = [
            i
            for i in model.visible
            if model.rows[i].cells[1] == course
            and not units.isdisjoint(model.rows[i].facets.get("unit", "").split("|"))
        ]
        model.endResetModel()
        self._update_count()

    def filter_words(self) -> list[str]:
        words = super().filter_words()
        if self.period.isChecked():
            first, last = to_date(self.period_from.date()), to_date(self.period_to.date())
            words.append(f"from {first.isoformat()} to {last.isoformat()}")
        if self.focus is not None:
            words.append(self.focus_button.text().removeprefix("✕ ").strip())
        return words

    def watched_kinds(self) -> tuple[str, ...]:
        return ("event", "course", "venue", "unit", "instructor", "nation")

    def period_window(self) -> tuple[datetime, datetime] | None:
        if not self.period.isChecked():
            return None
        first, last = to_date(self.period_from.date()), to_date(self.period_to.date())
        return datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())

    def row_loader(self) -> Callable[[Session], list[Row]]:
        window = self.period_window() or (None, None)
        return lambda session: event_rows(session, *window)

    def _period_changed(self) -> None:
        if not self.stale:
            self.reload()

    def reveal(self, ref: str) -> None:
        """Show and select the event ``ref``, clearing filters that would hide it."""
        self.focus = None
        self.focus_button.hide()
        self._clear_filters(ref)
        self.apply_filter()

        def select() -> None:
            row = next(
                (r for r in range(self.model.rowCount()) if self.model.index(r, 0).data() == ref),
                None,
            )
            if row is not None:
                self.table.selectRow(row)
                self.table.scrollTo(self.model.index(row, 0))

        if self.model.rows:
            select()
        else:
            self.rows_loaded.connect(select, Qt.ConnectionType.SingleShotConnection)

    def set_status(self, status: EventStatus) -> None:
        uuids = self.selected_uuids()
        if not uuids:
            return
        text = f"Set {count_text(len(uuids), 'event')} to {status.label.lower()}"
        self.document.push(
            UndoStep(
                text,
                edits.set_event_status,
                uuids,
                status.value,
                expected=self.selected_versions(),
            )
        )

    def duplicate_selected(self) -> None:
        uuids = self.selected_uuids()
        if uuids:
            text = "Duplicate event" if len(uuids) == 1 else f"Duplicate {len(uuids)} events"
            self.document.push(UndoStep(text, edits.duplicate_events, uuids))
