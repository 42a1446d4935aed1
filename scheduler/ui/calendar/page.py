"""The Calendar page: navigation, mode, colouring and filters around the views.

Loads only the visible range (``services.calendar_rows``) on the GUI thread:
a month is a few milliseconds even on a 100,000-event plan, so there is no
loading state to show. Reloads when events (or what they show) change,
repaints when the conflict monitor updates. Every edit is one undo step
pushed on the plan's document. GUI thread only.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.periods import month_end, week_start_of, week_starts
from scheduler.planning.wording import date_format
from scheduler.preferences import load_preferences
from scheduler.services.calendar_rows import (
    CalendarFilters,
    CalendarRow,
    DayMarks,
    Longest,
    calendar_rows,
    day_marks,
    event_ids_in,
    filter_choices,
)
from scheduler.services.changes import Changes
from scheduler.services.event_extent import longest_event
from scheduler.ui.calendar.agenda_view import AgendaView
from scheduler.ui.calendar.colours import ColourScheme
from scheduler.ui.calendar.grid_view import DayGridView
from scheduler.ui.calendar.page_state import MODES, CalendarState
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep
from scheduler.ui.flow_layout import FlowLayout, kept_together
from scheduler.ui.landings import Landings
from scheduler.ui.qt_dates import to_date, to_qdate
from scheduler.ui.series_scope import ask_series_scope

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# Changes that touch only events (and what the checker made of them): the
# month can patch the changed events in instead of reading itself again.
_EVENTS_ONLY = frozenset({"event", "series", "conflicts"})
WATCHED = ("event", "series", "course", "venue", "unit", "instructor", "nation", "plan")
FILTERS = (
    ("nation", "Nation", "nations"),
    ("unit", "Unit", "units"),
    ("instructor", "Instructor", "instructors"),
    ("venue", "Venue", "venues"),
    ("category", "Category", "categories"),
    ("status", "Status", ""),
)
STATUSES = ("draft", "planned", "confirmed", "delivered", "cancelled")
AGENDA_DAYS = 42


class Legend(QWidget):
    """The colours in use and what they mean, in one painted line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar_legend")
        self.entries: list[tuple[str, QColor]] = []
        self.setMinimumHeight(self.fontMetrics().height() + 6)

    def set_scheme(self, scheme: ColourScheme) -> None:
        self.entries = list(scheme.legend())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(400, self.fontMetrics().height() + 6)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        x, height = 4.0, float(self.height())
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        for label, colour in self.entries:
            width = metrics.horizontalAdvance(label)
            if x + 16 + width > self.width():
                painter.drawText(QRectF(x, 0, 20, height), Qt.AlignmentFlag.AlignVCenter, "…")
                break
            painter.fillRect(QRectF(x, height / 2 - 5, 10, 10), colour)
            painter.drawText(
                QRectF(x + 14, 0, width + 2, height), Qt.AlignmentFlag.AlignVCenter, label
            )
            x += 14 + width + 14
        painter.end()


class CalendarPage(QWidget):
    """Month, week, day and agenda views of the open plan. ``status(str)`` for the status bar."""

    status = Signal(str)

    def __init__(self, document: PlanDocument, monitor: ConflictMonitor) -> None:
        super().__init__()
        self.setObjectName("page_calendar")
        self.document = document
        self.monitor = monitor
        self.state = CalendarState(document.plan.identity)
        preferences = load_preferences()
        self.week_start = preferences.week_start
        self.today = date.today()
        self.mode = self.state.mode()
        self.anchor = self.state.anchor() or self.today
        self.longest = Longest(document.read(longest_event))
        self.choices = document.read(filter_choices)
        self.filters = self.state.filters()
        chosen = self.state.holiday_nations()
        self.holiday_nations = chosen if chosen is not None else list(self.choices.nations)
        self.rows: list[CalendarRow] = []
        self.visible: list[CalendarRow] = []
        self._dirty = False
        self.colours = ColourScheme(self.choices.categories, self.state.colour_by())

        self.grid = DayGridView(self)
        self.agenda = AgendaView(self)
        self.agenda_scroll = QScrollArea(self)
        self.agenda_scroll.setWidgetResizable(True)
        self.agenda_scroll.setWidget(self.agenda)
        self.views = QStackedWidget(self)
        self.views.addWidget(self.grid)
        self.views.addWidget(self.agenda_scroll)
        for view in (self.grid, self.agenda):
            view.conflicts = self._open_conflicts
            view.edit_requested.connect(self.edit_row)
            view.menu_requested.connect(self.show_menu)
        self.grid.moved.connect(self.move_row)
        self.grid.resized.connect(self.resize_row)
        self.grid.create_requested.connect(self.create_on)
        self.grid.day_requested.connect(self.open_day)
        self.grid.read_only = document.read_only
        self.landings = Landings(document)
        self.grid.landing = lambda row, day: self.landings.span(row.uuid, day)
        self.legend = Legend(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._navigation_bar())
        layout.addLayout(self._filter_bar())
        layout.addWidget(self.views, 1)
        layout.addWidget(self.legend)
        document.changed.connect(self.on_changed)
        monitor.updated.connect(self._repaint_badges)
        self._apply_mode()

    # --- building --------------------------------------------------------------
    def _navigation_bar(self) -> FlowLayout:
        bar = FlowLayout()
        self.today_button = self._button("Today", "calendar_today", self.go_today)
        self.previous_button = self._button("◀", "calendar_previous", lambda: self.step(-1))
        self.previous_button.setToolTip("Previous (Page Up)")
        self.previous_button.setShortcut("PgUp")
        self.next_button = self._button("▶", "calendar_next", lambda: self.step(1))
        self.next_button.setToolTip("Next (Page Down)")
        self.next_button.setShortcut("PgDown")
        self.title = QLabel(self)
        self.title.setObjectName("calendar_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.go_to = QDateEdit(self)
        self.go_to.setObjectName("calendar_go_to")
        self.go_to.setCalendarPopup(True)
        self.go_to.setDisplayFormat("yyyy-MM-dd")
        self.go_to.setToolTip("Go to a date")
        self.go_to.dateChanged.connect(lambda d: self.go_to_date(to_date(d)))
        bar.addWidget(
            kept_together(self, self.today_button, self.previous_button, self.next_button)
        )
        bar.addWidget(self.title)
        bar.addStretch(1)
        bar.addWidget(kept_together(self, QLabel("Go to", self), self.go_to))
        self.mode_group = QButtonGroup(self)
        self.mode_buttons: dict[str, QToolButton] = {}
        for mode in MODES:
            button = QToolButton(self)
            button.setObjectName(f"calendar_mode_{mode}")
            button.setText(mode.capitalize())
            button.setCheckable(True)
            button.clicked.connect(lambda _=False, m=mode: self.set_mode(m))
            self.mode_group.addButton(button)
            self.mode_buttons[mode] = button
            bar.addWidget(button)
        self.colour_by = QComboBox(self)
        self.colour_by.setObjectName("calendar_colour_by")
        self.colour_by.addItem("Colour by category", "category")
        self.colour_by.addItem("Colour by status", "status")
        self.colour_by.setCurrentIndex(1 if self.colours.by == "status" else 0)
        self.colour_by.currentIndexChanged.connect(self._colour_changed)
        bar.addWidget(self.colour_by)
        self.holidays_button = QToolButton(self)
        self.holidays_button.setObjectName("calendar_holidays")
        self.holidays_button.setText("Holidays")
        self.holidays_button.setToolTip("Whose public holidays are shaded")
        self.holidays_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.holidays_button)
        for code in self.choices.nations:
            action = menu.addAction(code)
            action.setCheckable(True)
            action.setChecked(code in self.holiday_nations)
            action.toggled.connect(lambda on, c=code: self._holidays_toggled(c, on))
        self.holidays_button.setMenu(menu)
        bar.addWidget(self.holidays_button)
        return bar

    def _filter_bar(self) -> FlowLayout:
        bar = FlowLayout()
        self.filter_combos: dict[str, QComboBox] = {}
        for name, label, source in FILTERS:
            combo = QComboBox(self)
            combo.setObjectName(f"calendar_filter_{name}")
            combo.addItem(f"{label}: all", "")
            values = getattr(self.choices, source) if source else [s for s in STATUSES]
            for value in values:
                combo.addItem(value.capitalize() if name == "status" else value, value)
            index = combo.findData(getattr(self.filters, name))
            combo.setCurrentIndex(max(index, 0))
            combo.setMaximumWidth(220)
            combo.currentIndexChanged.connect(self._filters_changed)
            self.filter_combos[name] = combo
            bar.addWidget(combo)
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search events (ref, course, venue, unit, person)…")
        self.search.setClearButtonEnabled(True)
        self.search.setText(self.filters.search)
        self.search.textChanged.connect(self._filters_changed)
        self.search.setMinimumWidth(160)
        bar.addWidget(self.search)
        bar.addWidget(self._button("Clear filters", "calendar_clear", self.clear_filters))
        return bar

    def _button(self, text: str, name: str, slot: object) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # --- range -----------------------------------------------------------------
    def visible_days(self) -> list[date]:
        anchor = self.anchor
        if self.mode == "day":
            return [anchor]
        if self.mode == "week":
            start = week_start_of(anchor, self.week_start)
            return [start + timedelta(days=i) for i in range(7)]
        if self.mode == "agenda":
            return [anchor + timedelta(days=i) for i in range(AGENDA_DAYS)]
        first = anchor.replace(day=1)
        last = month_end(first)
        starts = week_starts(first, last, self.week_start)
        return [starts[0] + timedelta(days=i) for i in range(7 * len(starts))]

    def _title_text(self) -> str:
        days = self.visible_days()
        if self.mode == "month":
            return f"{date_format(self.anchor, '%B %Y')}"
        if self.mode == "day":
            return f"{date_format(self.anchor, '%A %d %B %Y')} · W{self.anchor.isocalendar().week}"
        first, last = days[0], days[-1]
        week = f" · W{first.isocalendar().week}" if self.mode == "week" else ""
        return f"{date_format(first, '%d %b')} – {date_format(last, '%d %b %Y')}{week}"

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.state.set_mode(mode)
        self._apply_mode()

    def _apply_mode(self) -> None:
        self.mode_buttons[self.mode].setChecked(True)
        self.views.setCurrentWidget(self.agenda_scroll if self.mode == "agenda" else self.grid)
        self.reload()

    def step(self, direction: int) -> None:
        if self.mode == "month":
            month = self.anchor.month - 1 + direction
            year = self.anchor.year + month // 12
            self.anchor = date(year, month % 12 + 1, 1)
        else:
            days = {"week": 7, "day": 1, "agenda": AGENDA_DAYS}[self.mode]
            self.anchor += timedelta(days=days * direction)
        self._anchor_changed()

    def go_today(self) -> None:
        self.anchor = self.today
        self._anchor_changed()

    def go_to_date(self, day: date) -> None:
        if day != self.anchor:
            self.anchor = day
            self._anchor_changed()

    def open_day(self, day: date) -> None:
        self.anchor = day
        self.set_mode("day")

    def _anchor_changed(self) -> None:
        self.state.set_anchor(self.anchor)
        self.reload()

    # --- loading ---------------------------------------------------------------
    def reload(self) -> None:
        """Query the visible range and show it (milliseconds; GUI thread)."""
        days = self.visible_days()
        first, last = days[0], days[-1]
        span = self.longest.span
        nations = list(self.holiday_nations)
        venue = self.filters.venue

        def load(session: Session) -> tuple[list[CalendarRow], DayMarks]:
            return (
                calendar_rows(session, first, last, span),
                day_marks(session, first, last, nations, venue),
            )

        self.rows, marks = self.document.read(load)
        self.marks = marks
        self._dirty = False
        self._show(marks)

    def _show(self, marks: DayMarks) -> None:
        days = self.visible_days()
        filters = self.filters
        self.visible = [r for r in self.rows if filters.matches(r)] if filters.active else self.rows
        self.title.setText(self._title_text())
        self.go_to.blockSignals(True)
        self.go_to.setDate(to_qdate(self.anchor))
        self.go_to.blockSignals(False)
        self.legend.set_scheme(self.colours)
        if self.mode == "agenda":
            self.agenda.colours = self.colours
            self.agenda.today = self.today
            self.agenda.set_content(days[0], days[-1], self.visible, marks)
        else:
            self.grid.colours = self.colours
            self.grid.today = self.today
            self.grid.working_weekdays = marks.working_weekdays
            columns = 1 if self.mode == "day" else 7
            month = self.anchor.month if self.mode == "month" else None
            self.grid.set_days(
                days, columns, month, 1 if self.mode == "month" else 3, relayout=False
            )
            self.grid.set_rows(self.visible, marks)

    def on_changed(self, changes: Changes) -> None:
        if changes.touches("plan"):
            self.longest = Longest(self.document.read(longest_event))
            self.choices = self.document.read(filter_choices)
        if changes.event_ids:
            self.document.read(lambda s: self.longest.note(s, changes.event_ids))
        if changes.touches(*WATCHED):
            if not self.isVisible():
                self._dirty = True
            elif changes.event_ids and changes.kinds <= _EVENTS_ONLY and not self._dirty:
                self._patch(changes.event_ids)
            else:
                self.reload()

    def _patch(self, changed: frozenset[int]) -> None:
        """Re-read only the events an edit changed (and any that came into view).

        A drop on a month of a large plan must repaint at once; reading the
        whole month again costs more than the edit itself. The ids in view
        are one index scan; rows not changed are kept as they are.
        """
        days = self.visible_days()
        first, last = days[0], days[-1]
        span = self.longest.span
        known = {row.id for row in self.rows}

        def load(session: Session) -> tuple[set[int], list[CalendarRow]]:
            present = event_ids_in(session, first, last, span)
            wanted = (changed | (present - known)) & present
            fresh = calendar_rows(session, first, last, span, only=wanted) if wanted else []
            return present, fresh

        present, fresh = self.document.read(load)
        rows = [row for row in self.rows if row.id in present and row.id not in changed]
        rows += fresh
        # The order calendar_rows gives: by start, longest first, then ref
        # (stable sorts, last key first; nearly sorted, so about linear).
        rows.sort(key=lambda row: row.ref)
        rows.sort(key=lambda row: row.end, reverse=True)
        rows.sort(key=lambda row: row.start)
        self.rows = rows
        self._show(self.marks)

    def showEvent(self, event: object) -> None:
        if self._dirty:
            self.reload()

    def _repaint_badges(self) -> None:
        self.grid.update()
        self.agenda.update()

    def grid_tooltip_for(self, ref: str) -> str:
        """The tooltip of an event in view (empty if not in view)."""
        from scheduler.ui.calendar.grid_view import event_tooltip

        row = next((r for r in self.visible if r.ref == ref), None)
        return event_tooltip(row, self._open_conflicts(row.id)) if row is not None else ""

    def _open_conflicts(self, event_id: int) -> list[tuple[str, str]]:
        return [
            (str(c.severity), c.message)
            for c in self.monitor.conflicts_of(event_id)
            if not c.accepted
        ]

    # --- filters and colours ---------------------------------------------------
    def _filters_changed(self) -> None:
        values = {
            name: str(combo.currentData() or "") for name, combo in self.filter_combos.items()
        }
        venue_changed = values["venue"] != self.filters.venue
        self.filters = CalendarFilters(**values, search=self.search.text().strip())
        self.state.set_filters(self.filters)
        if venue_changed:
            self.reload()  # venue closures shaded follow the venue filter
        else:
            self._show(self.marks)

    def clear_filters(self) -> None:
        for combo in self.filter_combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self._filters_changed()

    def _colour_changed(self) -> None:
        by = str(self.colour_by.currentData())
        self.colours = ColourScheme(self.choices.categories, by)
        self.state.set_colour_by(by)
        self._show(self.marks)

    def _holidays_toggled(self, code: str, on: bool) -> None:
        nations = set(self.holiday_nations)
        (nations.add if on else nations.discard)(code)
        self.holiday_nations = sorted(nations)
        self.state.set_holiday_nations(self.holiday_nations)
        self.reload()

    # --- editing ---------------------------------------------------------------
    def move_row(self, row: CalendarRow, first_day: date) -> None:
        """A drag of the event to ``first_day``; an occurrence asks which ones move."""
        from scheduler.services import edits
        from scheduler.services.series import Scope

        scope = Scope.THIS
        if row.series_id is not None:
            asked = ask_series_scope(self, row.ref, "move")
            if asked is None:
                return
            scope = asked
        text = f"Move {row.ref} to {date_format(first_day, '%d %b %Y')}"
        if scope is not Scope.THIS:
            text += f" ({scope.value})"
        self.document.push(
            UndoStep(
                text,
                edits.move_event,
                row.uuid,
                first_day,
                scope,
                expected_version=row.version_id,
            )
        )

    def resize_row(self, row: CalendarRow, last_day: date) -> None:
        from scheduler.services import edits

        text = f"Change the end of {row.ref} to {date_format(last_day, '%d %b %Y')}"
        self.document.push(
            UndoStep(text, edits.resize_event, row.uuid, last_day, expected_version=row.version_id)
        )

    def edit_row(self, row: CalendarRow) -> None:
        from scheduler.ui.event_editor.dialog import edit_event

        edit_event(self, self.document, self.monitor, row.uuid)

    def create_on(self, day: date) -> None:
        from scheduler.ui.event_editor.dialog import new_event

        new_event(self, self.document, self.monitor, day)

    def show_menu(self, row: CalendarRow, where: QPoint) -> None:
        menu = self.event_menu(row)
        menu.exec(where)

    def event_menu(self, row: CalendarRow) -> QMenu:
        """Edit, duplicate, cancel, delete and accept conflict for one event."""
        menu = QMenu(self)
        menu.setObjectName("calendar_event_menu")
        menu.addAction("Edit…", lambda: self.edit_row(row))
        writable = not self.document.read_only
        for text, slot in (
            ("Duplicate", lambda: self.duplicate(row)),
            ("Cancel event", lambda: self.cancel(row)),
            ("Delete…", lambda: self.delete(row)),
        ):
            menu.addAction(text, slot).setEnabled(writable)
        accept = menu.addAction("Accept conflict…", lambda: self.accept_conflict(row))
        accept.setEnabled(writable and bool(self._open_conflicts(row.id)))
        return menu

    def duplicate(self, row: CalendarRow) -> None:
        from scheduler.services import edits

        self.document.push(UndoStep(f"Duplicate {row.ref}", edits.duplicate_events, [row.uuid]))

    def cancel(self, row: CalendarRow) -> None:
        from scheduler.services import edits

        self.document.push(
            UndoStep(
                f"Cancel {row.ref}",
                edits.set_event_status,
                [row.uuid],
                "cancelled",
                expected={row.uuid: row.version_id} if row.version_id is not None else None,
            )
        )

    def delete(self, row: CalendarRow) -> None:
        from scheduler.services import edits

        answer = QMessageBox.question(
            self,
            "Delete event",
            f"Delete {row.ref} ({row.course_code} {row.title})? "
            "You can undo this with Edit ▸ Undo.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.document.push(
                UndoStep(
                    f"Delete {row.ref}",
                    edits.delete_records,
                    "event",
                    [row.uuid],
                    expected={row.uuid: row.version_id} if row.version_id is not None else None,
                )
            )

    def accept_conflict(self, row: CalendarRow) -> None:
        open_ones = [c for c in self.monitor.conflicts_of(row.id) if not c.accepted]
        if not open_ones:
            return
        chosen = open_ones[0]
        if len(open_ones) > 1:
            labels = [c.message for c in open_ones]
            label, ok = QInputDialog.getItem(
                self, "Accept conflict", "Which conflict?", labels, 0, False
            )
            if not ok:
                return
            chosen = open_ones[labels.index(label)]
        reason, ok = QInputDialog.getText(
            self, "Accept conflict", f"{chosen.message}\n\nWhy is this accepted?"
        )
        if ok and reason.strip():
            from scheduler.services import edits

            self.document.push(
                UndoStep("Accept conflict", edits.accept_conflict, chosen.key, reason.strip())
            )
