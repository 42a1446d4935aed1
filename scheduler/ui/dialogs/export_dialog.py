"""Choosing what to export: the master schedule or one partner's, and its marking."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
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

from scheduler.errors import UserError

MASTER = ""


class ExportDialog(QDialog):
    """``partner()`` is "" for the master workbook, else a nation or unit code."""

    def __init__(
        self,
        parent: QWidget | None,
        partners: list[tuple[str, str]],
        default_marking: str,
        printed_marking: Callable[[str, str, bool], str] | None = None,
    ) -> None:
        """``printed_marking(partner code, typed text, names asked for)`` is the
        marking every page will carry, or raises ``UserError`` saying why it
        cannot be printed."""
        super().__init__(parent)
        self._printed_marking = printed_marking
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
            "Left empty, the file carries your default marking. A partner's file keeps its "
            "releasability caveat unless you type your own “RELEASABLE TO …”.",
            self,
        )
        self.marking_note.setWordWrap(True)
        # What every printed page will carry, caveat included, before the
        # file is chosen: the marking is never a surprise in the printout.
        self.marking_preview = QLabel(self)
        self.marking_preview.setObjectName("marking_preview")
        self.marking_preview.setWordWrap(True)
        self.marking_preview.setTextFormat(Qt.TextFormat.PlainText)
        self.limit = QCheckBox("Only from", self)
        today = QDate.currentDate()
        self.first = QDateEdit(QDate(today.year() + 1, 1, 1), self)
        self.last = QDateEdit(QDate(today.year() + 1, 12, 31), self)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.with_names = QCheckBox("Include trainees' names (a Trainees sheet; personal data)")
        self.with_names.setObjectName("with_names")
        self.with_names.setToolTip(
            "The master workbook leaves names out unless you ask; a partner's "
            "workbook always holds its own people"
        )
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
        form.addRow("Every page", self.marking_preview)
        form.addRow("Period", period)
        form.addRow("", self.with_names)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Choose file…")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self._ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.partner_box.currentIndexChanged.connect(self._show_marking)
        self.marking.textChanged.connect(self._show_marking)
        self.with_names.toggled.connect(self._show_marking)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(560, 260)
        self._show_marking()

    def _show_marking(self) -> None:
        self.with_names.setEnabled(not self.partner())
        if self._printed_marking is None:
            self.marking_preview.hide()
            return
        try:
            text = self._printed_marking(self.partner(), self.marking.text(), self.names())
        except UserError as error:
            self.marking_preview.setText(str(error))
            self.marking_preview.setStyleSheet("color: #b00020;")
            self._ok.setEnabled(False)
            return
        self.marking_preview.setText(f"Marked “{text}”")
        self.marking_preview.setStyleSheet("font-weight: bold;")
        self._ok.setEnabled(True)

    def partner(self) -> str:
        return str(self.partner_box.currentData() or "")

    def names(self) -> bool:
        """Names asked for in the master workbook (a partner's has its own people)."""
        return not self.partner() and self.with_names.isChecked()

    def select_partner(self, code: str) -> None:
        index = self.partner_box.findData(code)
        if index >= 0:
            self.partner_box.setCurrentIndex(index)

    def period(self) -> tuple[QDate, QDate] | None:
        return (self.first.date(), self.last.date()) if self.limit.isChecked() else None
