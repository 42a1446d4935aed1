"""The events list: every run of every course, with period and resource filters.

It holds the ids of the events shown, in order, and reads the rows in view
(``services.event_list``): a 100,000-event plan shows its first rows in a
fraction of a second and keeps a few MB. Search, filters and sort are
queries, run on a worker; the search waits for a pause in the typing.

Status changes, duplicate, cancel and delete act on the selection; each is
one undo step.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer
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
from scheduler.planning.wording import count_text, shown_of
from scheduler.services import edits, records
from scheduler.services.entity_specs import spec_for
from scheduler.services.event_list import EventQuery, Listed, keys_of, list_events, rows_of
from scheduler.services.tables import (
    EVENT_COLUMNS,
    EVENT_NUMERIC_COLUMNS,
    Row,
    event_facet_choices,
)
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.qt_dates import to_date
from scheduler.ui.tables.id_list_model import PAGE, IdListModel
from scheduler.ui.tables.list_page import ListPage

if TYPE_CHECKING:
    from scheduler.reports.listing import Listing

# Rows of a page not yet read are asked for together, after this pause (ms):
# a drag of the scroll bar reads where it stops, not every page it passes.
FETCH_AFTER_MS = 30


class EventsPage(ListPage):
    search_delay_ms = 200
    model: IdListModel

    def __init__(self, document: PlanDocument, monitor: ConflictMonitor | None = None) -> None:
        self.monitor = monitor
        # (course code, unit codes) from a readiness click-through, until cleared.
        self.focus: tuple[str, frozenset[str]] | None = None
        self._total = 0  # events in the period, before search and filters
        self._list_number = 0  # which list the model holds: late pages of an older one are dropped
        super().__init__(document, spec_for("event"))
        self._fetch_soon = QTimer(self)
        self._fetch_soon.setSingleShot(True)
        self._fetch_soon.setInterval(FETCH_AFTER_MS)
        self._fetch_soon.timeout.connect(self._read_rows_in_view)
        self.model.rows_wanted.connect(self._fetch_soon.start)
        self.model.order_changed.connect(self.invalidate)

    def make_model(self) -> IdListModel:
        return IdListModel(
            EVENT_COLUMNS,
            self,
            numeric_columns=EVENT_NUMERIC_COLUMNS,
            sort_column=self.default_sort_column(),
        )

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

        Signals are held, so the caller reads the list once rather than
        once per box.
        """
        for combo in self.filters.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.period.blockSignals(True)
        self.period.setChecked(False)
        self.period.blockSignals(False)
        self._search_pause.stop()
        self.search.blockSignals(True)
        self.search.setText(search_text)
        self.search.blockSignals(False)

    def apply_filter(self) -> None:
        self.invalidate()

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

    def current_query(self) -> EventQuery:
        """What the planner asks the list to show."""
        return EventQuery(
            window=self.period_window(),
            search=self.search.text(),
            facets=self.current_facets(),
            focus=self.focus,
            sort_column=self.model.sort_column,
            descending=self.model.descending,
        )

    # --- reading
    def reload(self) -> None:
        selected = self.selected_uuids()
        query = self.current_query()
        in_view = self.model.pages_between(*self._rows_in_view()) if self.model.ids else [0]
        generation = self.start_load()
        self.mark_fresh()  # a reload is under way; changes meanwhile start another
        self.loading = True
        self.count_label.setText("Loading…")

        def load(session: Session) -> tuple[Listed, dict[str, list[str]]]:
            return list_events(session, query, in_view, PAGE, selected), event_facet_choices(
                session
            )

        def done(result: tuple[Listed, dict[str, list[str]]]) -> None:
            if self.is_current(generation):
                self._show_list(*result)

        def failed(error: BaseException) -> None:
            if self.is_current(generation):  # a read no longer wanted (stopped) says nothing
                self._load_failed(error)

        self.document.read_async(
            load, done, failed=failed, owner=self, cancelled=self.cancelled(generation)
        )

    def _show_list(self, listed: Listed, choices: dict[str, list[str]]) -> None:
        self.loading = False
        self._list_number += 1
        self._fetch_soon.stop()
        self.model.set_list(listed.ids, listed.pages)
        self._total = listed.total
        self._refresh_filter_values(choices)
        if listed.chosen:
            position = {event_id: row for row, event_id in enumerate(self.model.ids)}
            self.select_rows(sorted(position[i] for i in listed.chosen if i in position))
        else:
            self.select_rows([])
        self._update_count()
        self._read_shown(bool(listed.ids))

    def _rows_in_view(self) -> tuple[int, int]:
        first = self.table.rowAt(0)
        last = self.table.rowAt(self.table.viewport().height() - 1)
        return max(first, 0), last if last >= 0 else self.model.rowCount() - 1

    def _read_rows_in_view(self) -> None:
        """Read the pages painted empty that are still in view (the others
        are asked for again if painted again)."""
        wanted = self.model.take_wanted()
        first, last = self._rows_in_view()
        in_view = set(self.model.pages_between(first, last))
        chosen = [n for n in wanted if n in in_view]
        self.model.forget(n for n in wanted if n not in in_view)
        if not chosen:
            return
        number = self._list_number
        ids = {n: self.model.ids_of_page(n) for n in chosen}

        def read(session: Session) -> dict[int, list[Row | None]]:
            return {n: rows_of(session, page) for n, page in ids.items()}

        def done(found: dict[int, list[Row | None]]) -> None:
            if number == self._list_number:
                for n, rows in found.items():
                    self.model.put_rows(n, rows)

        def failed(error: BaseException) -> None:
            if number == self._list_number:
                self.model.forget(chosen)
            self._load_failed(error)

        self.document.read_async(read, done, failed=failed, owner=self)

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self._total
        self.count_label.setText(shown_of(shown, total))

    # --- selection
    def _selected_keys(self) -> list[tuple[str, int]]:
        """(uuid, version) of each selected row, in order: the version shown
        where the row was read, else the plan's."""
        model = self.model
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        rows = [r for r in rows if r < model.rowCount()]
        shown = {r: row for r in rows if (row := model.row_at(r)) is not None}
        missing = [model.ids[r] for r in rows if r not in shown]
        found = self.document.read(lambda s: keys_of(s, missing)) if missing else {}
        keys: list[tuple[str, int]] = []
        for r in rows:
            row = shown.get(r)
            if row is not None:
                keys.append((row.uuid, row.version_id or 0))
            elif (key := found.get(model.ids[r])) is not None:
                keys.append(key)
        return keys

    def selected_uuids(self) -> list[str]:
        return [uuid for uuid, _ in self._selected_keys()]

    def selected_versions(self) -> dict[str, int]:
        return dict(self._selected_keys())

    def uuid_at(self, row: int) -> str:
        shown = self.model.row_at(row)
        if shown is not None:
            return shown.uuid
        event_id = self.model.ids[row]
        key = self.document.read(lambda s: keys_of(s, [event_id])).get(event_id)
        if key is None:
            raise UserError("That event is no longer in the plan.")
        return key[0]

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": every row, in these columns and order."""
        from scheduler.reports.listing import Listing
        from scheduler.ui.printable import shown_columns, view_header

        ids = self.model.ids.tolist()
        rows = self.document.read(lambda s: rows_of(s, ids))
        columns = shown_columns(view_header(self.table))
        words = self.filter_words()
        return Listing(
            self.spec.title,
            tuple(EVENT_COLUMNS[c] for c in columns),
            tuple(tuple(row.cells[c] for c in columns) for row in rows if row is not None),
            f"filtered from {self._total:,} — {', '.join(words)}" if words else "",
            tuple(c in EVENT_NUMERIC_COLUMNS for c in columns),
            self.spec.singular,
        )

    def _period_changed(self) -> None:
        if not self.stale:
            self.reload()

    def reveal(self, ref: str) -> None:
        """Show and select the event ``ref``, clearing filters that would hide it."""
        self.focus = None
        self.focus_button.hide()
        self._clear_filters(ref)

        def select() -> None:
            row = next((r for r, shown in self.model.loaded_rows() if shown.cells[0] == ref), None)
            if row is not None:
                self.select_rows([row])
                self.table.scrollTo(self.model.index(row, 0))

        self.rows_loaded.connect(select, Qt.ConnectionType.SingleShotConnection)
        self.reload()

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
