"""The Requirements page: capability targets, and the training each still needs.

Above, the targets as any record list (add, edit, delete; the record editor
edits a target's training requirements as its children). Below, the
training requirements of the selected target (all of them when none is
selected) with their readiness numbers, red when not on track. "Schedule
this…" asks the slot finder, on a worker thread, for the first dates the
course fits the unit from today, and opens the event editor filled with
the course, the unit with the seats still missing, and those dates, venue
and people. Saving the event is one undo step; the numbers follow.
GUI thread only, apart from the reads and the slot search it starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import WEEKDAY_DATE, date_format, shown_of
from scheduler.services.entity_specs import spec_for
from scheduler.services.requirement_rows import RequirementOutline, RequirementRow
from scheduler.services.tables import Row
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument
from scheduler.ui.lazy_page import LONG_LIST, LazyPage
from scheduler.ui.palette_colours import attention_colour
from scheduler.ui.tables.record_page import RecordPage
from scheduler.ui.tables.row_model import AnyIndex, RowTableModel

if TYPE_CHECKING:
    from scheduler.reports.listing import Listing

log = logging.getLogger(__name__)
HEADERS = (
    "Target",
    "Unit",
    "Course",
    "Required",
    "Scheduled",
    "Delivered",
    "Named",
    "Due",
    "Status",
)
CHECKING = "Checking…"
STATUS_COLUMN = HEADERS.index("Status")
DELIVERED_COLUMN = HEADERS.index("Delivered")
WATCHED = ("event", "series", "target", "course", "unit", "trainee", "plan")


class RequirementsModel(RowTableModel):
    """Requirement rows; the status cell (and its row's tooltip) says what is wrong."""

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(HEADERS, parent, numeric_columns=frozenset({3, 4, 5, 6}))
        self.details: dict[str, RequirementRow] = {}

    def set_requirements(self, rows: list[RequirementRow]) -> None:
        self.details = {r.uuid: r for r in rows}
        self.set_rows([_row(r) for r in rows])

    def set_outline(self, rows: list[RequirementOutline]) -> None:
        """The requirements as recorded, their numbers still being worked out."""
        self.details = {}
        self.set_rows([_outline_row(r) for r in rows])

    def requirement_at(self, row: int) -> RequirementRow | None:
        """The requirement with its numbers (None while they are worked out)."""
        return self.details.get(self.uuid_at(row))

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            detail = self.details.get(self.uuid_at(index.row()))
            alarm = detail is not None and detail.status.needs_attention
            if alarm and index.column() == STATUS_COLUMN:
                return attention_colour(QGuiApplication.palette())
            over = detail is not None and detail.numbers.over_attended
            if over and index.column() == DELIVERED_COLUMN:
                return attention_colour(QGuiApplication.palette())
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            detail = self.details.get(self.uuid_at(index.row()))
            return _explain(detail) if detail is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in self.numeric_columns:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return super().data(index, role)


def _row(row: RequirementRow) -> Row:
    n = row.numbers
    cells = (
        n.target,
        f"{n.unit_code} — {n.unit_name}" if n.unit_name else n.unit_code,
        f"{n.course_code} — {n.course_title}" if n.course_title else n.course_code,
        str(n.required),
        str(n.scheduled),
        f"{n.delivered} ⚠" if n.over_attended else str(n.delivered),
        "" if n.named is None else str(n.named),
        n.due.isoformat() if n.due is not None else "",
        row.status.label,
    )
    return Row(
        row.uuid,
        cells,
        " ".join(cells).casefold(),
        {
            "target": row.target_uuid,
            "status": row.status.value + ("|open" if row.status.needs_attention else ""),
        },
    )


def _outline_row(row: RequirementOutline) -> Row:
    cells = (
        row.target,
        row.unit,
        row.course,
        str(row.required),
        "…",
        "…",
        "…",
        row.due.isoformat() if row.due is not None else "",
        CHECKING,
    )
    return Row(row.uuid, cells, " ".join(cells).casefold(), {"target": row.target_uuid})


def _explain(row: RequirementRow) -> str:
    n = row.numbers
    lines = [
        f"{n.course_code} for {n.unit_code}: {n.required} people required"
        + (f" by {date_format(n.due, '%d %b %Y')}" if n.due else ""),
        f"{n.scheduled} seats scheduled ({n.scheduled_by_due} ending in time), "
        f"{n.delivered} people trained ({n.delivered_by_due} in time)",
    ]
    if n.named is not None:
        lines.append(
            f"{n.named} named {'person' if n.named == 1 else 'people'} of the unit passed "
            f"and still current on {date_format(n.due or date.today(), '%d %b %Y')}"
        )
    if n.over_attended:
        lines.append(
            f"⚠ More people trained ({n.delivered}) than the delivered events held seats "
            f"({n.delivered_seats}): check the attendance recorded on them."
        )
    lines.append(f"{row.status.label}: {row.bar.reason}")
    return "\n".join(lines)


class RequirementsPage(LazyPage):
    """Targets (a RecordPage) above the selected target's requirements.

    Signals: ``status(str)`` for the status bar; ``requirements_loaded()``
    once the requirement rows are shown; ``scheduling_done()`` after a
    "Schedule this…" editor closed (tests wait for it).
    """

    status = Signal(str)
    requirements_loaded = Signal()
    scheduling_done = Signal()

    watched = WATCHED

    def __init__(
        self,
        document: PlanDocument,
        monitor: ConflictMonitor,
        today: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page_requirements")
        self.document = document
        self.monitor = monitor
        self.today = today or date.today()
        self._searching = False
        self._waiting: RequirementRow | None = None
        self._chosen_before_drop: str | None = None  # selected again on return

        self.targets = RecordPage(document, spec_for("target"), parent=self)
        self.targets.status.connect(self.status)
        self.targets.table.selectionModel().selectionChanged.connect(self.apply_filter)
        self.targets.model.modelReset.connect(self.apply_filter)

        self.model = RequirementsModel(self)
        self.title = QLabel(self)
        self.title.setObjectName("requirements_title")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.only_open = QCheckBox("Only those not on track", self)
        self.only_open.setObjectName("requirements_only_open")
        self.only_open.toggled.connect(self.apply_filter)
        self.count_label = QLabel(self)
        self.table = QTableView(self)
        self.table.setObjectName("requirements_table")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        # Size columns from a sample of rows: 5,000 requirements take 0.4 s exactly.
        self.table.horizontalHeader().setResizeContentsPrecision(200)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(self._double_clicked)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.schedule_action = QAction("Schedule this…", self)
        self.schedule_action.setShortcuts(
            [QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)]
        )
        self.schedule_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.schedule_action.triggered.connect(self.schedule_selected)
        self.table.addAction(self.schedule_action)
        self.schedule_button = QPushButton("Schedule this…", self)
        self.schedule_button.setObjectName("button_schedule")
        self.schedule_button.setToolTip(
            "Open a new event for this requirement on the first free dates the slot finder finds"
        )
        self.schedule_button.clicked.connect(self.schedule_selected)

        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addStretch(1)
        heading.addWidget(self.only_open)
        heading.addWidget(self.count_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.schedule_button)
        buttons.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(9, 0, 9, 0)
        lower_layout.addLayout(heading)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("requirements_splitter")
        self.splitter.addWidget(self.targets)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        document.changed.connect(self.on_changed)
        monitor.updated.connect(self._engine_ready)
        self.set_read_only(document.read_only)

    def set_read_only(self, read_only: bool) -> None:
        self.schedule_button.setEnabled(not read_only)
        self.schedule_action.setEnabled(not read_only)

    # --- loading
    def reload(self) -> None:
        """The requirements as recorded first (a quick read), then every
        requirement's numbers (seconds on a big plan), both on a worker."""
        from scheduler.services.requirement_rows import requirement_outline, requirement_rows

        self.mark_fresh()
        self.count_label.setText("Loading…")

        def keep_selection(show: Callable[[], None]) -> None:
            rows = self.table.selectionModel().selectedRows()
            selected = self.model.uuid_at(rows[0].row()) if rows else self._chosen_before_drop
            self._chosen_before_drop = None
            show()
            self.apply_filter()
            row = self.model.row_of(selected) if selected is not None else None
            if row is not None:
                self.table.selectRow(row)
            if self.model.rows and self.table.columnWidth(1) < 150:
                self._fit_columns()

        def numbers(rows: list[RequirementRow]) -> None:
            keep_selection(lambda: self.model.set_requirements(rows))
            self.requirements_loaded.emit()

        def outline(rows: list[RequirementOutline]) -> None:
            keep_selection(lambda: self.model.set_outline(rows))
            self.rows_on_screen()
            self.read_in_background(
                self.document, requirement_rows, numbers, say=say, what="the requirements"
            )

        def say(text: str) -> None:
            self.count_label.setText("")
            self.status.emit(text)

        self.read_in_background(
            self.document, requirement_outline, outline, say=say, what="the requirements"
        )

    def drop_loaded(self) -> bool:
        """A big plan's thousands of requirements, each with its numbers, are
        let go while hidden; a few hundred are kept, they cost nothing to hold."""
        if len(self.model.rows) < LONG_LIST:
            return False
        rows = self.table.selectionModel().selectedRows()
        self._chosen_before_drop = self.model.uuid_at(rows[0].row()) if rows else None
        self.model.set_outline([])
        return True

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(header.count()):
            limit = 90 if column in self.model.numeric_columns else 250
            header.resizeSection(column, min(header.sectionSize(column) + 12, limit))

    def selected_target(self) -> str | None:
        uuids = self.targets.selected_uuids()
        return uuids[0] if uuids else None

    def apply_filter(self) -> None:
        target = self.selected_target()
        facets = {"target": target} if target else {}
        if self.only_open.isChecked():
            facets["status"] = "open"
        self.model.set_filter("", facets)
        if target is not None:
            row = self.targets.model.row_of(target)
            name = self.targets.model.index(row, 0).data() if row is not None else ""
            self.title.setText(f"Training requirements of {name}")
        else:
            self.title.setText("Training requirements of all targets")
        shown, total = self.model.rowCount(), len(self.model.rows)
        self.count_label.setText(shown_of(shown, total))

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": the requirements table."""
        from scheduler.ui.printable import listing_of_view

        scope = "only those not on track" if self.only_open.isChecked() else ""
        return listing_of_view(self.table, self.title.text(), scope=scope, noun="requirement")

    def selected_requirement(self) -> RequirementRow | None:
        """The selected requirement, once its numbers are known."""
        rows = self.table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= self.model.rowCount():
            return None
        return self.model.requirement_at(rows[0].row())

    # --- scheduling
    def _double_clicked(self, index: QModelIndex) -> None:
        if index.isValid() and not self.document.read_only:
            self.table.selectRow(index.row())
            self.schedule_selected()

    def schedule_selected(self) -> None:
        """Find the first free dates for the selected requirement, then open the editor."""
        row = self.selected_requirement()
        if row is None:
            chosen = bool(self.table.selectionModel().selectedRows())
            self.status.emit(
                "The requirement's numbers are still being worked out; schedule it when they show."
                if chosen
                else "Choose a training requirement to schedule."
            )
            return
        if self._searching:
            return
        if self.monitor.engine is None:
            self._waiting = row
            self.status.emit("Waiting for the conflict check to finish before looking for dates…")
            return
        self._search(row)

    def _engine_ready(self) -> None:
        row, self._waiting = self._waiting, None
        if row is not None and not self._searching:
            self._search(row)

    def _search(self, row: RequirementRow) -> None:
        from scheduler.planning.data import Seats
        from scheduler.planning.engine import ConflictEngine
        from scheduler.planning.slots import Slot, SlotFinder, SlotRequest
        from scheduler.services.records import Values
        from scheduler.services.requirement_rows import scheduling_values

        numbers = row.numbers
        request = SlotRequest(
            course_id=numbers.course_id,
            audience=(Seats(numbers.unit_id, row.seats_to_schedule),),
            earliest=self.today,
            count=1,
            not_before=datetime.now(),  # not this morning's start, already past
        )
        self._searching = True
        self.schedule_button.setEnabled(False)
        self.status.emit(f"Looking for free dates for {numbers.course_code}…")

        def work(engine: ConflictEngine) -> tuple[Slot | None, list[str]]:
            # The monitor holds edits back while it lends us its engine.
            finder = SlotFinder(engine.plan, engine.bookings, kit=engine.kit)
            found = finder.find(request)
            return (found[0], []) if found else (None, finder.why_none(request))

        def done(result: tuple[Slot | None, list[str]]) -> None:
            slot, reasons = result
            # The editor's values are read here, on the GUI thread (milliseconds).
            values: Values = self.document.read(lambda s: scheduling_values(s, row, slot))
            self._open_editor(row, slot, values, reasons)

        def failed(error: BaseException) -> None:
            log.error("slot search failed", exc_info=error)
            self._finish_search()
            self.status.emit("The search for free dates failed; see the log.")

        if not self.monitor.read_engine(work, done, failed, owner=self):
            self._finish_search()  # no engine (a new full check started meanwhile)

    def _finish_search(self) -> None:
        self._searching = False
        self.set_read_only(self.document.read_only)

    def _open_editor(
        self,
        row: RequirementRow,
        slot: object,
        values: dict[str, object],
        reasons: list[str],
    ) -> None:
        from scheduler.planning.slots import Slot
        from scheduler.ui.event_editor.dialog import new_event

        numbers = row.numbers
        if isinstance(slot, Slot):
            late = numbers.due is not None and slot.last_day > numbers.due
            self.status.emit(
                f"First free dates for {numbers.course_code}: "
                f"{date_format(slot.first_day, WEEKDAY_DATE)} – "
                f"{date_format(slot.last_day, WEEKDAY_DATE)}"
                + (" (after the due date)." if late else ".")
            )
            day = slot.first_day
        else:
            why = f" ({'; '.join(reasons)})" if reasons else ""
            self.status.emit(
                f"No free dates within a year for {numbers.course_code} and "
                f"{numbers.unit_code}{why}; the editor opens with the course and unit only."
            )
            day = None
        try:
            new_event(self, self.document, self.monitor, day=day, initial=values)
        finally:
            self._finish_search()
            self.scheduling_done.emit()
