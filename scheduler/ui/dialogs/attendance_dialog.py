"""Recording what an event delivered: people attended and passed, and how it went.

Delivered people feed the readiness pathway, so recording them is a quick
action on the events list as well as a tab of the event editor. Saving is
one undo step (an edit of the event record), which may also mark the event
delivered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.planning.data import DELIVERED, SCHEDULED_STATUSES
from scheduler.services.records import ValidationError, Values
from scheduler.ui.document import PlanDocument

NOT_RECORDED = -1


def people_count_box(parent: QWidget, name: str) -> QSpinBox:
    """A count of people whose lowest value reads "not recorded" (stored as empty)."""
    box = QSpinBox(parent)
    box.setObjectName(name)
    box.setRange(NOT_RECORDED, 100_000)
    box.setSpecialValueText("not recorded")
    box.setValue(NOT_RECORDED)
    box.setAccelerated(True)
    return box


def people_count(box: QSpinBox) -> int | None:
    return None if box.value() == NOT_RECORDED else box.value()


def set_people_count(box: QSpinBox, value: object) -> None:
    box.setValue(value if isinstance(value, int) else NOT_RECORDED)


class OutcomeFields:
    """People attended and passed, and how it went: the event editor's Outcome
    tab and the Record attendance dialog show the same three fields."""

    def __init__(self, parent: QWidget) -> None:
        self.attended = people_count_box(parent, "attended")
        self.passed = people_count_box(parent, "passed")
        self.outcome = QPlainTextEdit(parent)
        self.outcome.setObjectName("outcome")
        self.outcome.setPlaceholderText("How it went: results, follow-up, lessons")

    def add_rows(self, form: QFormLayout) -> None:
        form.addRow("People attended", self.attended)
        form.addRow("People passed", self.passed)
        form.addRow("Outcome", self.outcome)

    def set_values(self, values: Values) -> None:
        set_people_count(self.attended, values.get("attended"))
        set_people_count(self.passed, values.get("passed"))
        self.outcome.setPlainText(values.get("outcome") or "")

    def values(self) -> Values:
        return {
            "attended": people_count(self.attended),
            "passed": people_count(self.passed),
            "outcome": self.outcome.toPlainText().strip() or None,
        }


class AttendanceDialog(QDialog):
    """Edits attended, passed and outcome of an event's ``values``; ``values()`` returns them.

    ``check`` (the record service's validation) runs before the dialog closes,
    so a refusal is shown in place and nothing typed is lost.
    """

    def __init__(
        self,
        values: Values,
        parent: QWidget | None = None,
        now: datetime | None = None,
        check: Callable[[Values], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.check = check
        self.setObjectName("attendance_dialog")
        self.original = values
        ref = values.get("ref") or "event"
        self.setWindowTitle(f"Record attendance — {ref}")
        seats = sum(int(r.get("seats") or 0) for r in values.get("audience", []))
        self.fields = OutcomeFields(self)
        self.fields.set_values(values)
        self.attended, self.passed, self.outcome = (
            self.fields.attended,
            self.fields.passed,
            self.fields.outcome,
        )
        self.delivered = QCheckBox("Mark the event as delivered", self)
        self.delivered.setObjectName("mark_delivered")
        end = values.get("end")
        ended = isinstance(end, datetime) and end <= (now or datetime.now())
        # A planned or confirmed event that has ended was delivered; a draft or
        # cancelled one is left as it is unless the planner says otherwise.
        status = values.get("status")
        self.delivered.setChecked(status == DELIVERED or (ended and status in SCHEDULED_STATUSES))
        self.delivered.setToolTip("Delivered people count toward the readiness pathway")
        self.problems = QLabel(self)
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d32f2f")
        form = QFormLayout()
        form.addRow("Seats booked", QLabel(str(seats), self))
        self.fields.add_rows(form)
        form.addRow("", self.delivered)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def values(self) -> Values:
        values = {**self.original, **self.fields.values()}
        if self.delivered.isChecked():
            values["status"] = DELIVERED
        return values

    def try_accept(self) -> None:
        attended, passed = people_count(self.attended), people_count(self.passed)
        if attended is not None and passed is not None and passed > attended:
            self.problems.setText("More people passed than attended: check the numbers.")
            return
        if self.check is not None:
            try:
                self.check(self.values())
            except ValidationError as exc:
                self.problems.setText(" ".join(exc.problems.values()))
                return
        self.accept()


def record_attendance(parent: QWidget, document: PlanDocument, uuid: str) -> bool:
    """Open the dialog for event ``uuid`` and save what it says as one undo step."""
    from PySide6.QtWidgets import QMessageBox

    from scheduler.services import edits, records
    from scheduler.services.entity_specs import spec_for
    from scheduler.ui.document import UndoStep

    spec = spec_for("event")
    try:
        values = document.read(lambda s: records.read_values(s, spec, uuid))
    except UserError as exc:
        QMessageBox.warning(parent, "Record attendance", str(exc))
        return False

    def check(new: Values) -> None:
        document.read(lambda s: records.validate(s, spec, new, uuid))

    dialog = AttendanceDialog(values, parent, check=check)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not document.read_only)
    if not dialog.exec():
        return False
    new = dialog.values()
    text = f"Record attendance of {new.get('ref') or 'event'}"
    return document.push(
        UndoStep(
            text, edits.record_attendance, uuid, new, expected_version=values.get("version_id")
        )
    )
