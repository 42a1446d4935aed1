"""The event editor: one run of a course, its people, its dates and its recurrence.

Shows while the planner types what the event would clash with: the edited
event is applied to the conflict monitor's engine, its conflicts read and
the engine put back (``ConflictEngine.update`` both ways, milliseconds on a
100,000-event plan; no copy of the plan). "Find free dates" asks the slot
finder on the same snapshot. Saving is one undo step through the services:
a record create or edit, or a series edit (``services.series``) when the
event repeats. GUI thread only.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from PySide6.QtCore import Qt, QTime, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.planning.wording import WEEKDAY_DATE, count_text, date_format
from scheduler.services.event_form import (
    EditorChoices,
    as_event_data,
    editor_choices,
    event_id_of,
    working_end,
)
from scheduler.services.records import Values
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.dialogs.attendance_dialog import OutcomeFields
from scheduler.ui.dialogs.discard_changes import may_discard
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.event_editor.delivery_editor import DeliveryEditor
from scheduler.ui.event_editor.modules_editor import ModulesEditor, module_count_text
from scheduler.ui.event_editor.recurrence_editor import RecurrenceEditor
from scheduler.ui.qt_dates import to_date, to_qdate

STATUSES = ("draft", "planned", "confirmed", "delivered", "cancelled")
ROLES = ("instructor", "interpreter", "support")
NEW_EVENT_ID = -1  # the engine's id for an event not saved yet


def _time(value: QTime) -> time:
    return time(value.hour(), value.minute())


class EventEditor(QDialog):
    """Edits ``values`` (records' event values) of event ``uuid`` (None: a new one)."""

    def __init__(
        self,
        document: PlanDocument,
        monitor: ConflictMonitor,
        values: Values,
        uuid: str | None,
        series: tuple[str, str, datetime, list[str]] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("event_editor")
        self.document = document
        self.monitor = monitor
        self.original = values
        self.uuid = uuid
        self.series = series
        self.choices: EditorChoices = document.read(editor_choices)
        self.event_id = (
            document.read(lambda s: event_id_of(s, uuid)) or NEW_EVENT_ID if uuid else NEW_EVENT_ID
        )
        self._end_touched = uuid is not None
        self._loading = True
        ref = values.get("ref")
        self.setWindowTitle(f"Event {ref}" if ref else "New event")
        self.resize(860, 640)

        self.course = self._combo("course", self.choices.courses)
        self.venue = self._combo("venue", self.choices.venues, empty="(no venue)")
        self.status = QComboBox(self)
        self.status.setObjectName("status")
        for status in STATUSES:
            self.status.addItem(status.capitalize(), status)
        self.start_date = QDateEdit(self)
        self.end_date = QDateEdit(self)
        for edit, name in ((self.start_date, "start_date"), (self.end_date, "end_date")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("ddd yyyy-MM-dd")
        self.start_time = QTimeEdit(self)
        self.start_time.setObjectName("start_time")
        self.end_time = QTimeEdit(self)
        self.end_time.setObjectName("end_time")
        for time_edit in (self.start_time, self.end_time):
            time_edit.setDisplayFormat("HH:mm")  # 24-hour, as every other screen
        self.working_days = QLabel(self)
        self.recompute = QPushButton("End from working days", self)
        self.recompute.setObjectName("button_recompute_end")
        self.recompute.clicked.connect(self._recompute_end)

        self.audience = QTableWidget(0, 2, self)
        self.audience.setObjectName("audience")
        self.audience.setHorizontalHeaderLabels(["Unit", "Seats"])
        self.instructors = QTableWidget(0, 2, self)
        self.instructors.setObjectName("instructors")
        self.instructors.setHorizontalHeaderLabels(["Instructor", "Role"])
        for table in (self.audience, self.instructors):
            table.horizontalHeader().setStretchLastSection(False)
            table.setColumnWidth(0, 300)
            table.verticalHeader().hide()
        self.recurrence = RecurrenceEditor(self)
        self.modules = ModulesEditor(self.choices, self)
        self.notes = QPlainTextEdit(self)
        self.notes.setObjectName("notes")
        self.remarks = QPlainTextEdit(self)
        self.remarks.setObjectName("partner_remarks")
        self.outcome_fields = OutcomeFields(self)
        self.delivery = DeliveryEditor(document, self)
        self.attended, self.passed, self.outcome = (
            self.outcome_fields.attended,
            self.outcome_fields.passed,
            self.outcome_fields.outcome,
        )
        self.conflicts = QListWidget(self)
        self.conflicts.setObjectName("whatif_conflicts")
        self.slots = QListWidget(self)
        self.slots.setObjectName("free_dates")
        for found in (self.conflicts, self.slots):
            found.setWordWrap(True)  # whole sentences, not cut after 30 letters
            found.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.slots.itemDoubleClicked.connect(self._pick_slot)
        self.problems = QLabel(self)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d32f2f")

        self._build()
        self._load(values)
        self._module_origin = self.start()  # where the modules were laid out from
        self._loading = False
        self.whatif_timer = QTimer(self)
        self.whatif_timer.setSingleShot(True)
        self.whatif_timer.setInterval(120)
        self.whatif_timer.timeout.connect(self.update_conflicts)
        self._connect()
        self.update_conflicts()
        self._as_opened = self._edit_state()

    # --- building ----------------------------------------------------------------
    def _combo(self, name: str, items: list[Any], empty: str | None = None) -> QComboBox:
        combo = QComboBox(self)
        combo.setObjectName(name)
        if empty is not None:
            combo.addItem(empty, None)
        for choice in items:
            combo.addItem(choice.label, choice.uuid)
        combo.setMaxVisibleItems(20)
        return combo

    def _build(self) -> None:
        form = QFormLayout()
        form.addRow("Course", self.course)
        dates = QHBoxLayout()
        dates.addWidget(self.start_date)
        dates.addWidget(self.start_time)
        dates.addWidget(QLabel("to", self))
        dates.addWidget(self.end_date)
        dates.addWidget(self.end_time)
        dates.addWidget(self.recompute)
        form.addRow("Dates", dates)
        form.addRow("", self.working_days)
        form.addRow("Venue", self.venue)
        form.addRow("Status", self.status)
        people = QWidget(self)
        people_layout = QVBoxLayout(people)
        people_layout.addWidget(self._table_box("Audience", self.audience, self._add_unit))
        people_layout.addWidget(
            self._table_box("Instructors", self.instructors, self._add_instructor)
        )
        notes = QWidget(self)
        notes_form = QFormLayout(notes)
        notes_form.addRow("Internal notes\n(never sent)", self.notes)
        notes_form.addRow("Remarks for\npartners", self.remarks)
        tabs = QTabWidget(self)
        tabs.setObjectName("editor_tabs")
        tabs.addTab(people, "People")
        tabs.addTab(self.modules, "Modules")
        tabs.addTab(self.recurrence, "Recurrence")
        self.tabs = tabs
        tabs.addTab(notes, "Notes")
        outcome = QWidget(self)
        outcome_form = QFormLayout(outcome)
        self.outcome_fields.add_rows(outcome_form)
        tabs.addTab(outcome, "Outcome")
        tabs.addTab(self.delivery, "Delivery and costs")
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(tabs, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Conflicts this event would have</b>", self))
        right.addWidget(self.conflicts, 1)
        find = QPushButton("Find free dates", self)
        find.setObjectName("button_find_dates")
        find.clicked.connect(self.find_free_dates)
        right.addWidget(find)
        hint = QLabel("Double-click a suggestion to take its dates, times and venue:", self)
        hint.setWordWrap(True)
        right.addWidget(hint)
        right.addWidget(self.slots, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(right, 2)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not self.document.read_only)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problems)
        layout.addWidget(buttons)

    def _table_box(self, title: str, table: QTableWidget, add: Any) -> QGroupBox:
        box = QGroupBox(title, self)
        layout = QVBoxLayout(box)
        layout.addWidget(table)
        row = QHBoxLayout()
        plus = QPushButton("Add", box)
        plus.setObjectName(f"button_add_{table.objectName()}")
        plus.clicked.connect(lambda: add())
        minus = QPushButton("Remove", box)
        minus.clicked.connect(lambda: self._remove_row(table))
        row.addWidget(plus)
        row.addWidget(minus)
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _add_unit(self, unit: str | None = None, seats: int = 10) -> None:
        row = self.audience.rowCount()
        self.audience.insertRow(row)
        combo = self._combo("unit", self.choices.units)
        combo.setCurrentIndex(max(combo.findData(unit), 0))
        spin = QSpinBox(self)
        spin.setRange(0, 10_000)
        spin.setSpecialValueText("no seats")  # a unit on an exercise
        spin.setValue(seats)
        self.audience.setCellWidget(row, 0, combo)
        self.audience.setCellWidget(row, 1, spin)
        combo.currentIndexChanged.connect(self._edited)
        spin.valueChanged.connect(self._edited)
        self._edited()

    def _add_instructor(self, person: str | None = None, role: str = "instructor") -> None:
        row = self.instructors.rowCount()
        self.instructors.insertRow(row)
        combo = self._combo("instructor", self.choices.instructors)
        combo.setCurrentIndex(max(combo.findData(person), 0))
        roles = QComboBox(self)
        for name in ROLES:
            roles.addItem(name.capitalize(), name)
        roles.setCurrentIndex(max(roles.findData(role), 0))
        self.instructors.setCellWidget(row, 0, combo)
        self.instructors.setCellWidget(row, 1, roles)
        combo.currentIndexChanged.connect(self._edited)
        roles.currentIndexChanged.connect(self._edited)
        self._edited()

    def _remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow() if table.currentRow() >= 0 else table.rowCount() - 1
        if row >= 0:
            table.removeRow(row)
            self._edited()

    def _load(self, values: Values) -> None:
        self.course.setCurrentIndex(max(self.course.findData(values.get("course")), 0))
        self.venue.setCurrentIndex(max(self.venue.findData(values.get("venue")), 0))
        self.status.setCurrentIndex(max(self.status.findData(values.get("status") or "planned"), 0))
        start = values.get("start") or datetime.combine(date.today(), time(8, 30))
        end = values.get("end") or datetime.combine(start.date(), time(16, 0))
        self.start_date.setDate(to_qdate(start.date()))
        self.start_time.setTime(QTime(start.hour, start.minute))
        self.end_date.setDate(to_qdate(end.date()))
        self.end_time.setTime(QTime(end.hour, end.minute))
        for row in values.get("audience", []):
            self._add_unit(row.get("unit"), int(row.get("seats") or 1))
        for row in values.get("instructors", []):
            self._add_instructor(row.get("instructor"), str(row.get("role") or "instructor"))
        self.notes.setPlainText(values.get("notes") or "")
        self.remarks.setPlainText(values.get("partner_remarks") or "")
        self.outcome_fields.set_values(values)
        self.delivery.set_values(values)
        self.recurrence.set_start(start)
        self.modules.set_span(start, end)
        self.modules.set_modules(values.get("modules") or [])
        if self.series is not None:
            self.recurrence.set_rule(self.series[1], self.series[3])
        if not self._end_touched:
            self._recompute_end()
        self._show_working_days()

    def _connect(self) -> None:
        self.course.currentIndexChanged.connect(self._course_or_start_changed)
        self.venue.currentIndexChanged.connect(self._course_or_start_changed)
        self.start_date.dateChanged.connect(self._course_or_start_changed)
        self.start_time.timeChanged.connect(self._course_or_start_changed)
        self.end_date.dateChanged.connect(self._end_edited)
        self.end_time.timeChanged.connect(self._edited)
        self.status.currentIndexChanged.connect(self._edited)
        self.recurrence.changed.connect(self._edited)
        self.modules.changed.connect(self._edited)
        self.delivery.provider.currentIndexChanged.connect(self._edited)

    # --- values --------------------------------------------------------------------
    def start(self) -> datetime:
        return datetime.combine(to_date(self.start_date.date()), _time(self.start_time.time()))

    def end(self) -> datetime:
        return datetime.combine(to_date(self.end_date.date()), _time(self.end_time.time()))

    def values(self) -> Values:
        """The event's values as ``services.records`` takes them (children keep their uuids)."""
        old_units = {r.get("unit"): r.get("uuid") for r in self.original.get("audience", [])}
        old_people = {
            r.get("instructor"): r.get("uuid") for r in self.original.get("instructors", [])
        }
        audience = []
        for row in range(self.audience.rowCount()):
            combo, spin = self.audience.cellWidget(row, 0), self.audience.cellWidget(row, 1)
            assert isinstance(combo, QComboBox) and isinstance(spin, QSpinBox)
            unit = combo.currentData()
            item = {"unit": unit, "seats": spin.value()}
            if old_units.get(unit):
                item["uuid"] = old_units[unit]
            audience.append(item)
        staff = []
        for row in range(self.instructors.rowCount()):
            combo, roles = self.instructors.cellWidget(row, 0), self.instructors.cellWidget(row, 1)
            assert isinstance(combo, QComboBox) and isinstance(roles, QComboBox)
            person = combo.currentData()
            item = {"instructor": person, "role": roles.currentData()}
            if old_people.get(person):
                item["uuid"] = old_people[person]
            staff.append(item)
        values = dict(self.original)
        values.update(
            course=self.course.currentData(),
            venue=self.venue.currentData(),
            status=self.status.currentData(),
            start=self.start(),
            end=self.end(),
            audience=audience,
            instructors=staff,
            notes=self.notes.toPlainText().strip() or None,
            partner_remarks=self.remarks.toPlainText().strip() or None,
            modules=self.modules.modules(),
            **self.outcome_fields.values(),
            **self.delivery.values(),
        )
        return values

    # --- reactions -------------------------------------------------------------------
    def _course_or_start_changed(self) -> None:
        if self._loading:
            return
        self._carry_modules()
        if not self._end_touched:
            self._recompute_end()
        self.recurrence.set_start(self.start())
        self._edited()

    def _end_edited(self) -> None:
        if not self._loading:
            self._end_touched = True
        self._edited()

    def _course_days(self) -> int:
        choice = next(
            (c for c in self.choices.courses if c.uuid == self.course.currentData()), None
        )
        return int(choice.extra["days"]) if choice is not None else 1

    def _recompute_end(self) -> None:
        """The end from the course's working days in the host nation (the default)."""
        values = self.values()
        first = to_date(self.start_date.date())
        days = self._course_days()
        last = self.document.read(lambda s: working_end(s, values, first, days))
        loading, self._loading = self._loading, True
        self.end_date.setDate(to_qdate(last))
        self._loading = loading
        self._end_touched = False
        self._show_working_days()

    def _show_working_days(self) -> None:
        first, last = to_date(self.start_date.date()), to_date(self.end_date.date())
        days = self._course_days()
        span = (last - first).days + 1
        self.working_days.setText(
            f"The course lasts {count_text(days, 'working day')}; these dates span "
            f"{count_text(span, 'calendar day')}."
        )

    def _edited(self) -> None:
        if self._loading:
            return
        self._show_working_days()
        self.modules.set_span(self.start(), self.end())
        self.tabs.setTabText(
            self.tabs.indexOf(self.modules), module_count_text(self.modules.modules())
        )
        self.whatif_timer.start()

    def update_conflicts(self) -> None:
        """The what-if check: this event's conflicts if it were saved as it stands."""
        self.whatif_timer.stop()
        self.conflicts.clear()
        engine = self.monitor.engine
        if engine is None:
            self.conflicts.addItem("Conflicts are being checked…")
            return
        if self.monitor.lent:
            # A slot search reads the engine on a worker; the what-if below
            # changes it for a moment, so it waits for the search to end.
            self.conflicts.addItem("Conflicts are being checked…")
            self.whatif_timer.start()
            return
        values = self.values()
        data = as_event_data(self.choices, values, self.event_id, str(values.get("ref") or ""))
        if data is None:
            return
        if data.end <= data.start:
            self.conflicts.addItem("The end must be after the start.")
            return
        old = engine.plan.events.get(data.id)
        engine.update([data])
        try:
            found = engine.conflicts_of(data.id)
        finally:
            if old is not None:
                engine.update([old])
            else:
                engine.update(removed=[data.id])
        if not found:
            self.conflicts.addItem("No conflicts.")
        for conflict in found:
            mark = "✓ accepted: " if conflict.accepted else ""
            item = QListWidgetItem(f"{mark}{conflict.severity.value.upper()}: {conflict.message}")
            item.setToolTip(conflict.message)
            self.conflicts.addItem(item)

    def conflict_texts(self) -> list[str]:
        return [self.conflicts.item(i).text() for i in range(self.conflicts.count())]

    def find_free_dates(self) -> None:
        """The slot finder's next dates for this course and audience, to pick from."""
        from scheduler.planning.data import Seats
        from scheduler.planning.slots import SlotFinder, SlotRequest

        self.slots.clear()
        engine = self.monitor.engine
        course = self.choices.id_of("courses", self.course.currentData())
        if engine is None or course is None:
            self.slots.addItem("Wait for the conflict check to finish, then try again.")
            return
        data = as_event_data(self.choices, self.values(), self.event_id)
        audience = data.audience if data is not None else (Seats(0, 0),)
        request = SlotRequest(
            course_id=course,
            audience=tuple(audience),
            earliest=max(to_date(self.start_date.date()), date.today()),
            count=8,
            day_start=_time(self.start_time.time()),
            ignore_event_id=self.event_id if self.event_id != NEW_EVENT_ID else None,
            not_before=datetime.now(),
        )
        finder = SlotFinder(engine.plan, engine.bookings, kit=engine.kit)
        slots = finder.find(request)
        if not slots:
            reasons = finder.why_none(request)
            self.slots.addItem(
                "No free dates within a year for this course and audience"
                + (f": {'; '.join(reasons)}." if reasons else ".")
            )
        for slot in slots:
            venue_choice = self.choices.by_id("venues", slot.venue_id)
            people = [self.choices.by_id("instructors", i) for i in slot.instructor_ids]
            names = ", ".join(p.label for p in people if p is not None)
            # Times too: picking one sets them, so what it sets is what it says.
            text = (
                f"{date_format(slot.start, WEEKDAY_DATE)} {slot.start:%H:%M} – "
                f"{date_format(slot.end, WEEKDAY_DATE)} {slot.end:%H:%M} · "
                f"{venue_choice.label if venue_choice else ''} · {names}"
            )
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, slot)
            self.slots.addItem(item)

    def _pick_slot(self, item: QListWidgetItem) -> None:
        slot = item.data(Qt.ItemDataRole.UserRole)
        if slot is None:
            return
        self._loading = True
        self.start_date.setDate(to_qdate(slot.first_day))
        self.end_date.setDate(to_qdate(slot.last_day))
        self.start_time.setTime(QTime(slot.start.hour, slot.start.minute))
        self.end_time.setTime(QTime(slot.end.hour, slot.end.minute))
        venue = self.choices.by_id("venues", slot.venue_id)
        if venue is not None:
            self.venue.setCurrentIndex(self.venue.findData(venue.uuid))
        if self.instructors.rowCount() == 0:
            for ident in (*slot.instructor_ids, *slot.interpreter_ids):
                person = self.choices.by_id("instructors", ident)
                if person is not None:
                    role = "interpreter" if ident in slot.interpreter_ids else "instructor"
                    self._add_instructor(person.uuid, role)
        self._loading = False
        self._carry_modules()
        self._end_touched = True
        self.recurrence.set_start(self.start())
        self._edited()

    def _carry_modules(self) -> None:
        """A new start (typed, or a free date picked) moves the modules with it,
        as a drag moves them."""
        start = self.start()
        self.modules.shift(start - self._module_origin)
        self._module_origin = start

    # --- saving ----------------------------------------------------------------------
    def _edit_state(self) -> tuple[Values, str | None, list[str]]:
        return self.values(), self.recurrence.rule_text(), self.recurrence.exdates()

    def reject(self) -> None:
        """Escape and Cancel: ask first when something was changed."""
        if self._edit_state() != self._as_opened and not may_discard(self):
            return
        super().reject()

    def command(self) -> UndoStep:
        """The undo step that saves the editor's values (``services.edits.save_event``)."""
        from scheduler.services import edits

        values = self.values()
        rule = self.recurrence.rule_text()
        exdates = self.recurrence.exdates() if rule else []
        if self.uuid is None:
            text = "Add recurring event" if rule else "Add event"
        else:
            text = f"Edit {values.get('ref') or 'event'}"
        return UndoStep(
            text,
            edits.save_event,
            self.uuid,
            values,
            rule=rule,
            exdates=exdates,
            expected_version=self.original.get("version_id") if self.uuid else None,
        )

    def try_accept(self) -> None:
        from scheduler.services import records
        from scheduler.services.entity_specs import field_label, spec_for
        from scheduler.services.records import ValidationError

        values = self.values()
        try:
            if self.recurrence.rule_text() and values.get("modules"):
                self.problems.setText(
                    "Modules: a course that repeats cannot be split into modules yet. "
                    "Give modules to one occurrence on its own, or stop it repeating."
                )
                return
            self.recurrence.exdates()
            self.document.read(lambda s: records.validate(s, spec_for("event"), values, self.uuid))
        except ValidationError as exc:
            spec = spec_for("event")
            self.problems.setText(
                "\n".join(f"{field_label(spec, k)}: {v}" for k, v in exc.problems.items())
            )
            return
        except UserError as exc:
            self.problems.setText(str(exc))
            return
        if self.document.push(self.command()):
            self.accept()


def _open(
    parent: QWidget,
    document: PlanDocument,
    monitor: ConflictMonitor,
    values: Values,
    uuid: str | None,
) -> EventEditor:
    from scheduler.services.series import series_info

    info = document.read(lambda s: series_info(s, uuid)) if uuid else None
    return EventEditor(document, monitor, values, uuid, info, parent)


def edit_event(
    parent: QWidget, document: PlanDocument, monitor: ConflictMonitor, uuid: str
) -> EventEditor | None:
    """Open the editor on an existing event (modal); the editor, or None if it is gone."""
    from PySide6.QtWidgets import QMessageBox

    from scheduler.services import records
    from scheduler.services.entity_specs import spec_for

    try:
        values = document.read(lambda s: records.read_values(s, spec_for("event"), uuid))
    except UserError as exc:
        QMessageBox.warning(parent, "Event", str(exc))
        return None
    editor = _open(parent, document, monitor, values, uuid)
    editor.exec()
    return editor


def new_event(
    parent: QWidget,
    document: PlanDocument,
    monitor: ConflictMonitor,
    day: date | None = None,
    initial: Values | None = None,
) -> EventEditor:
    """Open the editor on a new event starting on ``day`` (modal).

    ``initial`` pre-fills fields (course, audience, a suggested slot…) over
    the defaults, as "schedule this" on a training requirement does.
    """
    first = day or date.today()
    values: Values = {
        "start": datetime.combine(first, time(8, 30)),
        "end": datetime.combine(first, time(16, 0)),
        "status": "draft",
        "audience": [],
        "instructors": [],
    }
    values.update(initial or {})
    editor = _open(parent, document, monitor, values, None)
    editor.exec()
    return editor
