"""Choosing what to export: the master schedule or one partner's, and its marking."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MASTER = ""


class ExportDialog(QDialog):
    """``partner()`` is "" for the master workbook, else a nation or unit code."""

    def __init__(
        self,
        parent: QWidget | None,
        partners: list[tuple[str, str]],
        default_marking: str,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export schedule")
        self.setObjectName("export_dialog")
        self.partner_box = QComboBox(self)
        self.partner_box.setObjectName("partner")
        self.partner_box.addItem("Master schedule (all partners, internal notes)", MASTER)
        for code, label in partners:
            self.partner_box.addItem(label, code)
        self.marking = QLineEdit(self)
        self.marking.setObjectName("marking")
        self.marking.setPlaceholderText(default_marking)
        self.marking_note = QLabel(
            "Left empty, the file carries your default marking (a partner's file adds its "
            "releasability caveat).",
            self,
        )
        self.marking_note.setWordWrap(True)
        self.limit = QCheckBox("Only from", self)
        today = QDate.currentDate()
        self.first = QDateEdit(QDate(today.year() + 1, 1, 1), self)
        self.last = QDateEdit(QDate(today.year() + 1, 12, 31), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        period = QHBoxLayout()
        period.addWidget(self.limit)
        period.addWidget(self.first)
        period.addWidget(QLabel("to", self))
        period.addWidget(self.last)
        period.addStretch()
        form = QFormLayout()
        form.addRow("Schedule for", self.partner_box)
        form.addRow("Protective marking", self.marking)
        form.addRow("", self.marking_note)
        form.addRow("Period", period)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 220)

    def partner(self) -> str:
        return str(self.partner_box.currentData() or "")

    def select_partner(self, code: str) -> None:
        index = self.partner_box.findData(code)
        if index >= 0:
            self.partner_box.setCurrentIndex(index)

    def period(self) -> tuple[QDate, QDate] | None:
        return (self.first.date(), self.last.date()) if self.limit.isChecked() else None
