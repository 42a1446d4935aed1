"""The preview of a partner's reply: every change it would make, each with a
box to tick, all ticked at first. Nothing is written until Apply; then only
the ticked changes, as one step that Undo takes back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
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

from scheduler.planning.wording import count_text
from scheduler.services.replies import ReplyPreview

HEADERS = ("Event", "Change", "Who", "Was", "Now")


class ReplyDialog(QDialog):
    """``accepted_keys()`` after ``exec()``: the keys of the changes ticked."""

    def __init__(self, preview: ReplyPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reply_preview")
        self.setWindowTitle(f"Reply from {preview.partner_code}")
        self.preview = preview
        heading = QLabel(self)
        heading.setObjectName("heading")
        heading.setWordWrap(True)
        changes = preview.changes
        heading.setText(
            f"{preview.file.name} answers the release of {preview.released_at}. "
            + (
                f"It would make {count_text(len(changes), 'change')}: untick any you do not "
                "accept, then Apply."
                if changes
                else "Nothing in it differs from the plan."
            )
        )
        self.table = QTableWidget(len(changes), len(HEADERS), self)
        self.table.setObjectName("changes")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, change in enumerate(changes):
            cells = (change.ref, change.kind, change.who, change.was, change.now)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if column == 0:
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                    item.setCheckState(Qt.CheckState.Checked)
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.resizeColumnsToContents()
        for column in range(len(HEADERS) - 1):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), 260))
        notes = QLabel("\n".join(str(n) for n in preview.notes), self)
        notes.setObjectName("notes")
        notes.setWordWrap(True)
        notes.setVisible(bool(preview.notes))

        every = QPushButton("Tick all", self)
        every.setObjectName("tick_all")
        every.clicked.connect(lambda: self._tick(Qt.CheckState.Checked))
        none = QPushButton("Untick all", self)
        none.setObjectName("untick_all")
        none.clicked.connect(lambda: self._tick(Qt.CheckState.Unchecked))
        buttons = QDialogButtonBox(self)
        self.apply_button = buttons.addButton("Apply", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setObjectName("apply")
        self.apply_button.setEnabled(bool(changes))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.table.itemChanged.connect(self._count)

        bottom = QHBoxLayout()
        bottom.addWidget(every)
        bottom.addWidget(none)
        bottom.addStretch(1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(notes)
        layout.addLayout(bottom)
        self.resize(900, 480)

    def _boxes(self) -> list[QTableWidgetItem]:
        found = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [item for item in found if item is not None]

    def _tick(self, state: Qt.CheckState) -> None:
        for item in self._boxes():
            item.setCheckState(state)

    def _count(self) -> None:
        self.apply_button.setEnabled(bool(self.accepted_keys()))

    def accepted_keys(self) -> list[str]:
        return [
            change.key
            for item, change in zip(self._boxes(), self.preview.changes, strict=True)
            if item.checkState() == Qt.CheckState.Checked
        ]
