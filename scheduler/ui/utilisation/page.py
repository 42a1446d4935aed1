"""The Utilisation page: who (or which venue) is how busy, week by week.

Instructors or venues down the side with their nation and the period's
total, weeks across; each cell is "booked / working days" shaded by load,
red when over-booked or double-booked. The names stay put while the weeks
scroll (two views over one model). Data is read on a worker thread for the
chosen kind, nation and period, and read again when events, instructors,
venues or nations change. Signals: ``status(str)``, ``jump_to_event(str)``
(a double-click on a week opens its first event). GUI thread only.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.exchange.heatmap_workbook import Heatmap
from scheduler.planning.periods import quarter_of, year_of
from scheduler.services.utilisation import (
    USE_KIND_WORDS,
    UseKind,
    UtilisationTable,
    heatmap_of,
)
from scheduler.ui.document import PlanDocument
from scheduler.ui.file_names import ask_workbook
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.lazy_page import LONG_LIST, LazyPage
from scheduler.ui.messages import show_error
from scheduler.ui.qt_dates import to_date, to_qdate
from scheduler.ui.utilisation.delegate import HeatmapDelegate
from scheduler.ui.utilisation.model import FIRST_WEEK, NAME, NATION, TOTAL, UtilisationModel

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from scheduler.reports.listing import Listing

log = logging.getLogger(__name__)
WATCHED = ("event", "instructor", "venue", "nation", "closure")
ALL_NATIONS = "All nations"
WEEK_WIDTH = 88


class UtilisationPage(LazyPage):
    """Owns the heatmap model and the controls that choose what it shows."""

    status = Signal(str)
    jump_to_event = Signal(str)
    loaded = Signal()

    watched = WATCHED

    def __init__(
        self, document: PlanDocument, today: date | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        from scheduler.preferences import load_preferences
        from scheduler.services.utilisation import default_period, nation_choices

        self.setObjectName("utilisation_page")
        self.document = document
        self.today = today or date.today()
        preferences = load_preferences()
        self.week_start = preferences.week_start
        self.kind: UseKind = "instructor"
        self._started = 0.0

        nations, period = document.read(
            lambda s: (nation_choices(s), default_period(s, self.today))
        )

        self.kind_buttons = QButtonGroup(self)
        self.instructors_button = self._toggle("Instructors", "utilisation_instructors")
        self.venues_button = self._toggle("Venues", "utilisation_venues")
        self.kit_button = self._toggle("Kit", "utilisation_kit")
        self.instructors_button.setChecked(True)
        self.kind_buttons.buttonClicked.connect(self._kind_chosen)
        self.nation = QComboBox(self)
        self.nation.setObjectName("utilisation_nation")
        self._set_nations(nations)
        self.nation.currentIndexChanged.connect(self.reload)
        self.first = QDateEdit(self)
        self.first.setObjectName("utilisation_from")
        self.last = QDateEdit(self)
        self.last.setObjectName("utilisation_to")
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        self._set_period(*period, load=False)
        self.first.dateChanged.connect(self._dates_edited)
        self.last.dateChanged.connect(self._dates_edited)
        earlier = self._button("◀", "utilisation_earlier", lambda: self._step(-1))
        earlier.setToolTip("The period before")
        later = self._button("▶", "utilisation_later", lambda: self._step(1))
        later.setToolTip("The period after")
        quarter = self._button("Quarter", "utilisation_quarter", self.show_quarter)
        quarter.setToolTip("The quarter of the first day shown")
        year = self._button("Year", "utilisation_year", self.show_year)
        year.setToolTip("The year of the first day shown")
        for button in (earlier, later):
            button.setFixedWidth(button.fontMetrics().horizontalAdvance("◀") + 24)
        self.hours_box = QCheckBox("In hours", self)
        self.hours_box.setObjectName("utilisation_hours")
        self.hours_box.setToolTip(
            "Hours booked (each course's hours a day) of hours available "
            "(8 a working day), instead of days"
        )
        self.hours_box.toggled.connect(self._hours_toggled)
        export = self._button("Export…", "utilisation_export", self.export_workbook)
        export.setToolTip("Save the heatmap as shown as an Excel workbook, with totals")
        self.summary = QLabel(self)
        self.summary.setObjectName("utilisation_summary")
        bold = self.summary.font()
        bold.setBold(True)
        self.summary.setFont(bold)

        bar = FlowLayout()
        bar.addWidget(
            kept_together(self, self.instructors_button, self.venues_button, self.kit_button)
        )
        bar.addSpacing(12)
        bar.addWidget(kept_together(self, QLabel("Nation:", self), self.nation))
        bar.addSpacing(12)
        bar.addWidget(
            kept_together(self, QLabel("From:", self), self.first, QLabel("to:", self), self.last)
        )
        bar.addWidget(kept_together(self, earlier, quarter, year, later))
        bar.addSpacing(12)
        bar.addWidget(kept_together(self, self.hours_box, export))

        self.model = UtilisationModel(self)
        self._scrolled_to: tuple[int, int] | None = None  # kept while let go
        self.delegate = HeatmapDelegate(self)
        self.names = QTableView(self)
        self.names.setObjectName("utilisation_names")
        self.weeks = QTableView(self)
        self.weeks.setObjectName("utilisation_weeks")
        for view in (self.names, self.weeks):
            view.setModel(self.model)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.verticalHeader().setVisible(False)
            view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
            view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
            view.doubleClicked.connect(self._double_clicked)
        self.weeks.setSelectionModel(self.names.selectionModel())
        self.names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names.setSortingEnabled(True)
        self.names.horizontalHeader().setSortIndicator(NAME, Qt.SortOrder.AscendingOrder)
        self.names.setItemDelegateForColumn(TOTAL, self.delegate)
        self.weeks.setItemDelegate(self.delegate)
        self.weeks.setShowGrid(False)
        self.names.verticalScrollBar().valueChanged.connect(self.weeks.verticalScrollBar().setValue)
        self.weeks.verticalScrollBar().valueChanged.connect(self.names.verticalScrollBar().setValue)
        self.model.modelReset.connect(self._layout_columns)

        views = QHBoxLayout()
        views.setSpacing(0)
        views.addWidget(self.names)
        views.addWidget(self.weeks, 1)
        self.legend = QLabel(self._legend_text(), self)
        self.legend.setObjectName("utilisation_legend")
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(views, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.summary)
        footer.addSpacing(12)
        footer.addWidget(self.legend, 1)
        layout.addLayout(footer)
        document.changed.connect(self.on_changed)

    # --- controls
    def _toggle(self, text: str, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setCheckable(True)
        self.kind_buttons.addButton(button)
        return button

    def _button(self, text: str, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    def _legend_text(self) -> str:
        unit = (
            "hours booked / hours available (8 a working day)"
            if self.hours_box.isChecked()
            else "working days booked / working days available"
        )
        return (
            f"Each cell: {unit} that week. "
            "Darker is busier; red is over-booked or double-booked (red corner: "
            "two events at once; for kit, more needed at once than is held); "
            "hatched: no working day (leave, closure, holidays). "
            "Double-click a week to open its first event."
        )

    def _hours_toggled(self, on: bool) -> None:
        self.model.set_in_hours(on)
        self.legend.setText(self._legend_text())
        self._layout_columns()

    def heatmap(self) -> Heatmap:
        """The heatmap as shown (kind, nation, period, order, days or hours)."""
        from scheduler.planning.wording import days_text

        table = self.model.table
        in_hours = self.model.in_hours
        first, last = self.period_shown()
        nation = self.nation.currentText() if self.nation_code() else ""
        unit = "hours" if in_hours else "days"
        scope = " · ".join(
            part
            for part in (
                days_text(first, last),
                nation,
                f"booked {unit} of available {unit}"
                + (" (8 hours a working day)" if in_hours else ""),
            )
            if part
        )
        assert table is not None
        return heatmap_of(table, self.model.order, in_hours=in_hours, scope=scope)

    def export_workbook(self) -> None:
        """Export… : the heatmap as shown, to a marked workbook the user names."""
        from datetime import datetime

        from scheduler.exchange.heatmap_workbook import write_heatmap
        from scheduler.services.markings import marking_for

        if self.model.table is None:
            return
        plan = self.document.plan
        target = ask_workbook(self, "Export utilisation", plan, "utilisation")
        if target is None:
            return
        try:
            write_heatmap(
                target,
                self.heatmap(),
                marking=marking_for(None),
                plan_name=plan.name,
                now=datetime.now(),
            )
        except UserError as error:
            show_error(self, "Export utilisation", str(error))
            return
        self.status.emit(f"Exported the utilisation to {target.name}")

    def _kind_chosen(self) -> None:
        kind: UseKind = (
            "venue"
            if self.venues_button.isChecked()
            else "kit"
            if self.kit_button.isChecked()
            else "instructor"
        )
        if kind != self.kind:
            self.kind = kind
            self.reload()

    def _set_nations(self, nations: list[tuple[str, str]]) -> None:
        """Fill the nation filter (again after nations changed), keeping the choice."""
        chosen = self.nation_code()
        self.nation.blockSignals(True)
        self.nation.clear()
        self.nation.addItem(ALL_NATIONS, None)
        for code, name in nations:
            self.nation.addItem(f"{code} — {name}", code)
        self.nation.setCurrentIndex(max(self.nation.findData(chosen), 0))
        self.nation.blockSignals(False)

    def set_nation(self, code: str | None) -> None:
        self.nation.setCurrentIndex(max(self.nation.findData(code), 0))

    def nation_code(self) -> str | None:
        code = self.nation.currentData()
        return code if isinstance(code, str) else None

    def period_shown(self) -> tuple[date, date]:
        return to_date(self.first.date()), to_date(self.last.date())

    def _set_period(self, first: date, last: date, *, load: bool = True) -> None:
        for edit, day in ((self.first, first), (self.last, last)):
            edit.blockSignals(True)
            edit.setDate(to_qdate(day))
            edit.blockSignals(False)
        if load:
            self.reload()

    def set_period(self, first: date, last: date) -> None:
        self._set_period(first, last)

    def show_quarter(self) -> None:
        self._set_period(*quarter_of(self.period_shown()[0]))

    def show_year(self) -> None:
        self._set_period(*year_of(self.period_shown()[0]))

    def _step(self, direction: int) -> None:
        first, last = self.period_shown()
        if (first, last) == year_of(first):
            self._set_period(*year_of(date(first.year + direction, 1, 1)))
            return
        if (first, last) == quarter_of(first):
            anchor = first + timedelta(days=100) if direction > 0 else first - timedelta(days=1)
            self._set_period(*quarter_of(anchor))
            return
        span = (last - first).days + 1
        shift = timedelta(days=span * direction)
        self._set_period(first + shift, last + shift)

    def _dates_edited(self) -> None:
        first, last = self.period_shown()
        if last < first:
            self.status.emit("The period ends before it starts.")
            return
        self.reload()

    # --- loading
    def reload(self) -> None:
        """Read the heatmap for the current choices on a worker thread."""
        from scheduler.services.utilisation import load_utilisation, nation_choices

        first, last = self.period_shown()
        if last < first:
            return
        self.mark_fresh()
        kind, nation = self.kind, self.nation_code()
        week_start = self.week_start
        self.summary.setText("Loading…")
        self._started = time.perf_counter()

        def work(session: Session) -> tuple[UtilisationTable, list[tuple[str, str]]]:
            table = load_utilisation(
                session,
                kind,
                first,
                last,
                nation_code=nation,
                week_start=week_start,
            )
            return table, nation_choices(session)

        def done(found: tuple[UtilisationTable, list[tuple[str, str]]]) -> None:
            table, nations = found
            self._set_nations(nations)
            self._show(table)

        def say(text: str) -> None:
            self.summary.setText("")
            self.status.emit(text)

        self.read_in_background(self.document, work, done, say=say, what="the utilisation")

    def _show(self, table: UtilisationTable) -> None:
        self.model.set_table(table)
        if self._scrolled_to is not None:  # back after letting go: where the planner was
            across, down = self._scrolled_to
            self._scrolled_to = None
            # The names column took its width from the rows: lay out now, so
            # the scroll bars have their ranges before being set.
            laid_out = self.layout()
            if laid_out is not None:
                laid_out.activate()
            self.weeks.doItemsLayout()
            self.weeks.horizontalScrollBar().setValue(across)
            self.weeks.verticalScrollBar().setValue(down)
        seconds = time.perf_counter() - self._started
        what = USE_KIND_WORDS[table.kind][0]
        over = sum(1 for row in table.rows if row.over)
        self.summary.setText(
            f"{len(table.rows):,} {what} · {len(table.weeks)} weeks · {over:,} over-booked"
        )
        log.debug("utilisation of %d %s shown in %.2f s", len(table.rows), what, seconds)
        self.rows_on_screen()
        self.loaded.emit()

    def drop_loaded(self) -> bool:
        """A year of a big plan's bookings (tens of thousands of events behind
        the cells' tooltips) is let go while hidden; a small one is kept."""
        table = self.model.table
        if table is None or len(table.events) < LONG_LIST:
            return False
        self._scrolled_to = (
            self.weeks.horizontalScrollBar().value(),
            self.weeks.verticalScrollBar().value(),
        )
        self.model.drop_table()
        return True

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": the heatmap's numbers, booked/available."""
        from scheduler.planning.wording import days_text
        from scheduler.ui.printable import listing_of_model

        first, last = self.period_shown()
        what = USE_KIND_WORDS[self.kind][1]
        nation = self.nation.currentText() if self.nation_code() else ""
        scope = " · ".join(
            part
            for part in (days_text(first, last), nation, "booked of available working days")
            if part
        )
        listing = listing_of_model(
            self.model,
            range(self.model.columnCount()),
            f"{what} utilisation",
            scope=scope,
            noun=self.kind,
        )
        numeric = tuple(column >= TOTAL for column in range(self.model.columnCount()))
        # "W05 · 1 Feb" prints as two lines over a narrow column.
        headings = tuple(heading.replace(" · ", "\n") for heading in listing.headings)
        return replace(listing, headings=headings, numeric=numeric)

    def _layout_columns(self) -> None:
        count = self.model.columnCount()
        for column in range(count):
            fixed = column < FIRST_WEEK
            self.names.setColumnHidden(column, not fixed)
            self.weeks.setColumnHidden(column, fixed)
        self.names.resizeColumnToContents(NAME)
        header = self.names.horizontalHeader()
        header.resizeSection(NAME, min(max(header.sectionSize(NAME), 160), 280))
        header.resizeSection(NATION, 64)
        header.resizeSection(TOTAL, 150 if self.model.in_hours else 120)
        width = sum(header.sectionSize(c) for c in (NAME, NATION, TOTAL))
        self.names.setFixedWidth(width + 2 * self.names.frameWidth())
        for column in range(FIRST_WEEK, count):
            self.weeks.setColumnWidth(column, WEEK_WIDTH)

    # --- reactions
    def _double_clicked(self, index: QModelIndex) -> None:
        ref = self.model.first_event_ref(index.row(), index.column())
        if ref is not None:
            self.jump_to_event.emit(ref)
        elif index.column() >= FIRST_WEEK:
            self.status.emit("Nothing is booked that week.")

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.names.viewport().update()
            self.weeks.viewport().update()
        super().changeEvent(event)

    def cell(self, name: str, week: int) -> QModelIndex:
        """The model index of one person's (or venue's) week: for tests and scripts."""
        row = self.model.row_of_name(name)
        if row is None:
            return QModelIndex()
        return self.model.index(row, FIRST_WEEK + week)
