"""The event editor's Modules tab: the parts of an event, each with its own
days (or half days), venue and people, shown as a small timeline.

A module leaves its venue or its people empty to take the event's. The
strip above the list draws the event's days with each module on them, so a
gap or an overlap shows before saving (the records service refuses an
overlap in words). GUI thread only.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QRectF, QSize, Qt, QTime, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.services.event_form import EditorChoices
from scheduler.services.records import Values

TITLE, START, END, VENUE = range(4)
# Module colours on the strip: told apart, readable under black text.
STRIP_COLOURS = ("#8DB4E2", "#A9D08E", "#F4B183", "#C9A0DC", "#FFD966", "#9DC3C1")
DATETIME_FORMAT = "ddd dd MMM HH:mm"


def _qdatetime(moment: datetime) -> QDateTime:
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )


def _moment(value: QDateTime) -> datetime:
    day, clock = value.date(), value.time()
    return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())


class ModuleStrip(QWidget):
    """The event's days across, each module a coloured block on them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("module_strip")
        self.span: tuple[datetime, datetime] | None = None
        self.blocks: list[tuple[datetime, datetime, str]] = []
        self.setMinimumHeight(44)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(400, 44)

    def set_content(
        self, span: tuple[datetime, datetime], blocks: list[tuple[datetime, datetime, str]]
    ) -> None:
        self.span, self.blocks = span, blocks
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self.span is None:
            return
        first = self.span[0].date()
        last = max(self.span[1].date(), first)
        days = (last - first).days + 1
        p = QPainter(self)
        palette = self.palette()
        width = max(self.width() - 2, 1)
        day_width = width / days
        day_row = QRectF(1, 0, width, 16)
        body = QRectF(1, 18, width, self.height() - 20)
        p.fillRect(body, palette.color(QPalette.ColorRole.Base))
        p.setPen(palette.color(QPalette.ColorRole.Mid))
        p.drawRect(body)
        font = p.font()
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        p.setFont(font)
        origin = datetime.combine(first, time())
        for n in range(days):
            x = day_row.left() + n * day_width
            day = first + timedelta(days=n)
            if day.weekday() >= 5:
                p.fillRect(QRectF(x, body.top(), day_width, body.height()), palette.color(
                    QPalette.ColorRole.AlternateBase))  # fmt: skip
            if day_width >= 18 or n % max(1, round(18 / day_width)) == 0:
                p.setPen(palette.color(QPalette.ColorRole.Text))
                p.drawText(
                    QRectF(x, 0, day_width * 2, 16), Qt.AlignmentFlag.AlignLeft, str(day.day)
                )
        for index, (start, end, title) in enumerate(self.blocks):
            left = (start - origin).total_seconds() / 86400 * day_width + 1
            right = (end - origin).total_seconds() / 86400 * day_width + 1
            block = QRectF(left, body.top() + 2, max(right - left, 2), body.height() - 4)
            p.fillRect(block, QColor(STRIP_COLOURS[index % len(STRIP_COLOURS)]))
            p.setPen(QColor("#000000"))
            p.drawText(block.adjusted(3, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, title)
        p.end()


class ModulesEditor(QWidget):
    """Edits ``modules`` values (``services.event_modules``); ``changed`` on any edit."""

    changed = Signal()

    def __init__(self, choices: EditorChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modules_editor")
        self.choices = choices
        self.span = (datetime.combine(date.today(), time(8, 30)),) * 2
        self._staff: list[list[str]] = []
        self._uuids: list[str | None] = []
        self._loading = False
        self.strip = ModuleStrip(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("modules")
        self.table.setHorizontalHeaderLabels(["Module", "From", "To", "Venue"])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TITLE, QHeaderView.ResizeMode.Stretch)
        for column in (START, END):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(VENUE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(VENUE, 170)
        self.table.itemChanged.connect(lambda _item: self._edited())
        self.table.currentCellChanged.connect(lambda *_: self._show_people())
        self.people = QListWidget(self)
        self.people.setObjectName("module_people")
        self.people.setMaximumHeight(120)
        for choice in choices.instructors:
            item = QListWidgetItem(choice.label, self.people)
            item.setData(Qt.ItemDataRole.UserRole, choice.uuid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.people.itemChanged.connect(self._people_ticked)
        self.people_label = QLabel(self)
        self.people_label.setWordWrap(True)
        add = QPushButton("Add module", self)
        add.setObjectName("button_add_module")
        add.clicked.connect(lambda: self.add_module())
        remove = QPushButton("Remove", self)
        remove.setObjectName("button_remove_module")
        remove.clicked.connect(self.remove_module)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch()
        hint = QLabel(
            "Split a course held in more than one place, or by different people: "
            "a module without a venue or people takes the event's. With modules, "
            "the event's venue and people are booked only on their modules' days.",
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.strip)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.people_label)
        layout.addWidget(self.people)
        self._show_people()

    # --- values
    def set_modules(self, rows: list[Values]) -> None:
        self._loading = True
        self.table.setRowCount(0)
        self._staff, self._uuids = [], []
        for row in rows:
            self._append(row)
        self._loading = False
        self._show_people()
        self._paint()

    def modules(self) -> list[Values]:
        found = []
        for row in range(self.table.rowCount()):
            item = self.table.item(row, TITLE)
            start, end = self.table.cellWidget(row, START), self.table.cellWidget(row, END)
            venue = self.table.cellWidget(row, VENUE)
            assert isinstance(start, QDateTimeEdit) and isinstance(end, QDateTimeEdit)
            assert isinstance(venue, QComboBox)
            found.append(
                {
                    "uuid": self._uuids[row],
                    "title": item.text().strip() if item is not None else "",
                    "start": _moment(start.dateTime()),
                    "end": _moment(end.dateTime()),
                    "venue": venue.currentData(),
                    "staff": list(self._staff[row]),
                }
            )
        return found

    def shift(self, delta: timedelta) -> None:
        """Move every module by ``delta``: its event moved (a new start, a free date)."""
        if not delta:
            return
        loading, self._loading = self._loading, True
        try:
            for row in range(self.table.rowCount()):
                for column in (START, END):
                    edit = self.table.cellWidget(row, column)
                    assert isinstance(edit, QDateTimeEdit)
                    edit.setDateTime(_qdatetime(_moment(edit.dateTime()) + delta))
        finally:
            self._loading = loading
        self._paint()

    def set_span(self, start: datetime, end: datetime) -> None:
        """The event's dates, for the strip and the next module's days."""
        self.span = (start, end)
        self._paint()

    # --- editing
    def add_module(self) -> None:
        """A module after the last one (or at the event's start), a day long."""
        start, end = self.span
        rows = self.modules()
        first = rows[-1]["end"] if rows else start
        if rows:
            first = datetime.combine(first.date() + timedelta(days=1), start.time())
        last = datetime.combine(first.date(), end.time())
        if last <= first:
            last = first + timedelta(hours=4)
        self._append({"title": f"Module {len(rows) + 1}", "start": first, "end": last})
        self.table.selectRow(self.table.rowCount() - 1)
        self._edited()

    def remove_module(self) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        self.table.removeRow(row)
        del self._staff[row]
        del self._uuids[row]
        self._show_people()
        self._edited()

    def _append(self, values: Values) -> None:
        # The row is half made until its last cell: no "changed" before then.
        loading, self._loading = self._loading, True
        try:
            self._append_row(values)
        finally:
            self._loading = loading

    def _append_row(self, values: Values) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self._uuids.append(values.get("uuid"))
        self._staff.append(list(values.get("staff") or []))
        self.table.setItem(row, TITLE, QTableWidgetItem(str(values.get("title") or "")))
        for column, key in ((START, "start"), (END, "end")):
            edit = QDateTimeEdit(self.table)
            edit.setDisplayFormat(DATETIME_FORMAT)
            edit.setCalendarPopup(True)
            moment = values.get(key)
            if isinstance(moment, datetime):
                edit.setDateTime(_qdatetime(moment))
            edit.dateTimeChanged.connect(lambda _value: self._edited())
            self.table.setCellWidget(row, column, edit)
        venue = QComboBox(self.table)
        venue.addItem("(the event's)", None)
        for choice in self.choices.venues:
            venue.addItem(choice.label, choice.uuid)
        venue.setCurrentIndex(max(venue.findData(values.get("venue")), 0))
        venue.currentIndexChanged.connect(lambda _index: self._edited())
        self.table.setCellWidget(row, VENUE, venue)

    def _show_people(self) -> None:
        row = self.table.currentRow()
        self.people.setEnabled(row >= 0)
        chosen = set(self._staff[row]) if 0 <= row < len(self._staff) else set()
        self.people.blockSignals(True)
        for index in range(self.people.count()):
            item = self.people.item(index)
            ticked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.people.blockSignals(False)
        if row < 0:
            self.people_label.setText("People on a module: select one above.")
        else:
            title = self.table.item(row, TITLE)
            name = title.text() if title is not None and title.text() else f"module {row + 1}"
            self.people_label.setText(
                f"People on {name} (none ticked: the event's instructors and interpreters):"
            )

    def _people_ticked(self, item: QListWidgetItem) -> None:
        row = self.table.currentRow()
        if row < 0:
            return
        uuid = item.data(Qt.ItemDataRole.UserRole)
        staff = self._staff[row]
        if item.checkState() == Qt.CheckState.Checked and uuid not in staff:
            staff.append(uuid)
        elif item.checkState() != Qt.CheckState.Checked and uuid in staff:
            staff.remove(uuid)
        self._edited()

    def _edited(self) -> None:
        if self._loading:
            return
        self._paint()
        self.changed.emit()

    def _paint(self) -> None:
        blocks = [
            (m["start"], m["end"], m["title"] or f"Module {n}")
            for n, m in enumerate(self.modules(), start=1)
        ]
        self.strip.set_content(self.span, blocks)


def module_count_text(rows: list[Any]) -> str:
    return "Modules" if not rows else f"Modules ({len(rows)})"
