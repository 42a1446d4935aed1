"""The roll call of an event: one line per person, their status and result.

Status is a drop-down, the result date a calendar (blank until picked; a
pass or fail without one dates from the event's last day), remarks free
text. People of the event's nations can be added from a list. Saving is one
undo step, which may also count them on the event (attended, passed).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.model.enums import EnrolmentStatus
from scheduler.services.nominations import status_word
from scheduler.services.roll_call import RollCall, RollCallRow
from scheduler.ui.dialogs.record_editor import DateCell

HEADERS = ("Name", "Unit", "Status", "Result date", "Remarks")
NAME, UNIT, STATUS, RESULT, REMARKS = range(5)
CAME = ("attended", "passed", "failed")


class RollCallDialog(QDialog):
    """``rows()`` and ``count_on_event()`` after ``exec()``."""

    def __init__(self, roll: RollCall, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("roll_call")
        self.setWindowTitle(f"Roll call — {roll.ref}")
        self.roll = roll
        self.people: list[RollCallRow] = []
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("roll")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setItemDelegateForColumn(RESULT, DateCell(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(REMARKS, QHeaderView.ResizeMode.Stretch)
        for row in roll.rows:
            self._add(row)

        self.candidates = QComboBox(self)
        self.candidates.setObjectName("candidates")
        for uuid, label in roll.candidates:
            self.candidates.addItem(label, uuid)
        add = QPushButton("Add to the event", self)
        add.setObjectName("add_trainee")
        add.clicked.connect(self._add_candidate)
        add.setEnabled(bool(roll.candidates))
        self.candidates.setEnabled(bool(roll.candidates))
        every_came = QPushButton("All attended", self)
        every_came.setObjectName("all_attended")
        every_came.clicked.connect(lambda: self._everyone("attended"))
        every_passed = QPushButton("All passed", self)
        every_passed.setObjectName("all_passed")
        every_passed.clicked.connect(lambda: self._everyone("passed"))

        self.count = QCheckBox(self)
        self.count.setObjectName("count_on_event")
        self.count.setChecked(roll.attended is None)
        self.count.setToolTip("The readiness forecast reads the event's own counts")
        self._update_count()

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        adding = QHBoxLayout()
        adding.addWidget(QLabel("Trainee", self))
        adding.addWidget(self.candidates, 1)
        adding.addWidget(add)
        quick = QHBoxLayout()
        quick.addWidget(every_came)
        quick.addWidget(every_passed)
        quick.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(quick)
        layout.addLayout(adding)
        layout.addWidget(self.count)
        layout.addWidget(buttons)
        self.resize(820, 460)

    def _add(self, row: RollCallRow) -> None:
        position = self.table.rowCount()
        self.table.insertRow(position)
        self.people.append(row)
        for column, text in ((NAME, row.name), (UNIT, row.unit)):
            item = QTableWidgetItem(text)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(position, column, item)
        status = QComboBox(self.table)
        status.setObjectName("status")
        for member in EnrolmentStatus:
            status.addItem(status_word(member).capitalize(), member.value)
        status.setCurrentIndex(max(status.findData(row.status), 0))
        status.currentIndexChanged.connect(lambda _=0: self._update_count())
        self.table.setCellWidget(position, STATUS, status)
        day = row.result_date.isoformat() if row.result_date else ""
        self.table.setItem(position, RESULT, QTableWidgetItem(day))
        self.table.setItem(position, REMARKS, QTableWidgetItem(row.remarks or ""))

    def _add_candidate(self) -> None:
        index = self.candidates.currentIndex()
        if index < 0:
            return
        uuid, label = self.candidates.itemData(index), self.candidates.itemText(index)
        self.candidates.removeItem(index)
        self._add(RollCallRow(None, uuid, label, "", EnrolmentStatus.NOMINATED.value, None, None))
        self._update_count()

    def _status(self, position: int) -> QComboBox:
        widget = self.table.cellWidget(position, STATUS)
        assert isinstance(widget, QComboBox)
        return widget

    def _everyone(self, status: str) -> None:
        """Everyone not withdrawn or absent: the quick case of a course that went well."""
        for position in range(self.table.rowCount()):
            box = self._status(position)
            if box.currentData() not in ("withdrawn", "no_show"):
                box.setCurrentIndex(box.findData(status))

    def _statuses(self) -> list[str]:
        return [str(self._status(p).currentData()) for p in range(self.table.rowCount())]

    def _update_count(self) -> None:
        statuses = self._statuses()
        came = sum(1 for s in statuses if s in CAME)
        passed = sum(1 for s in statuses if s == "passed")
        self.count.setText(f"Count them on the event: attended {came}, passed {passed}")

    def count_on_event(self) -> bool:
        return self.count.isChecked()

    def rows(self) -> list[dict[str, Any]]:
        found = []
        for position, person in enumerate(self.people):
            day_item = self.table.item(position, RESULT)
            text = day_item.text() if day_item is not None else ""
            parsed = QDate.fromString(text, "yyyy-MM-dd")
            remarks = self.table.item(position, REMARKS)
            found.append(
                {
                    "enrolment_uuid": person.enrolment_uuid,
                    "trainee_uuid": person.trainee_uuid,
                    "status": self._status(position).currentData(),
                    "result_date": (
                        date(parsed.year(), parsed.month(), parsed.day())
                        if parsed.isValid()
                        else None
                    ),
                    "remarks": (remarks.text().strip() if remarks is not None else "") or None,
                    "version": person.version,
                }
            )
        return found
