"""The heatmap's table model: people or venues down, weeks across.

Columns: name, nation, the period's total, then one per week. Cells are
computed from the loaded ``UtilisationTable`` on demand (plain values, no
database), so 700 rows x 52 weeks costs only what is on screen. Colours
come from the application palette at paint time, so a palette change needs
only a repaint. GUI thread only.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from scheduler.planning.utilisation import ResourceUse, Week, WeekUse
from scheduler.planning.wording import WEEKDAY_DATE, count_text, date_format
from scheduler.services.utilisation import UtilisationTable
from scheduler.ui.calendar.colours import text_on

NAME, NATION, TOTAL = 0, 1, 2
FIRST_WEEK = 3
HEADERS = ("Name", "Nation", "Total")
# Extra roles the delegate and tests read.
RATIO_ROLE = Qt.ItemDataRole.UserRole + 1  # float | None
OVER_ROLE = Qt.ItemDataRole.UserRole + 2  # bool: over-booked or double-booked
DOUBLE_ROLE = Qt.ItemDataRole.UserRole + 3  # int: double-booked days
AWAY_ROLE = Qt.ItemDataRole.UserRole + 4  # bool: no working day at all (leave, holidays)
OVER_RED = QColor("#e53935")
AnyIndex = QModelIndex | QPersistentModelIndex


def _blend(top: QColor, bottom: QColor, amount: float) -> QColor:
    """``top`` laid over ``bottom`` at ``amount`` (0..1) opacity."""
    keep = 1.0 - amount
    return QColor.fromRgbF(
        top.redF() * amount + bottom.redF() * keep,
        top.greenF() * amount + bottom.greenF() * keep,
        top.blueF() * amount + bottom.blueF() * keep,
    )


def load_fill(palette: QPalette, booked: float, available: float, over: bool) -> QColor | None:
    """The cell's fill: none when nothing is booked, the palette's highlight
    ever stronger up to a full week, red when over-booked or double-booked."""
    base = palette.color(QPalette.ColorRole.Base)
    if over:
        return _blend(OVER_RED, base, 0.85)
    if booked <= 0 or available <= 0:
        return None
    share = min(booked / available, 1.0)
    return _blend(palette.color(QPalette.ColorRole.Highlight), base, 0.12 + 0.78 * share)


def _week_days(week: Week) -> str:
    """``Mon 01 Nov – Sun 07 Nov 2027``."""
    return f"{date_format(week.first, '%a %d %b')} – {date_format(week.last, WEEKDAY_DATE)}"


def _percent(ratio: float | None) -> str:
    return f"{ratio:.0%}" if ratio is not None else "–"


def hours_text(hours: float) -> str:
    """7, 3.5, 10.25: hours as a planner writes them."""
    return f"{hours:.2f}".rstrip("0").rstrip(".")


def cell_text(cell: WeekUse, in_hours: bool) -> str:
    """What a week cell shows: booked/available days, or hours."""
    if cell.available == 0 and cell.booked == 0:
        return "–"
    if in_hours:
        return f"{hours_text(cell.booked_hours)}/{hours_text(cell.available_hours)}"
    return cell.text


def total_text(use: ResourceUse, in_hours: bool) -> str:
    if in_hours:
        booked, available = use.booked_hours, use.available_hours
        return f"{hours_text(booked)}/{hours_text(available)} h · {_percent(use.hours_ratio)}"
    return f"{use.booked}/{use.available} · {_percent(use.ratio)}"


class UtilisationModel(QAbstractTableModel):
    """Rows of one ``UtilisationTable``, in name order until ``sort`` says otherwise.

    Sorting on the total or a week puts the busiest first whichever way the
    header arrow points first (Ascending), because that is what a planner
    clicks it for; the other direction lists the idlest first.
    """

    def __init__(self, parent: object | None = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.table: UtilisationTable | None = None
        self.order: list[int] = []
        self._sort: tuple[int, Qt.SortOrder] = (NAME, Qt.SortOrder.AscendingOrder)
        # Hours (a course's hours a day) instead of days: the same weeks.
        self.in_hours = False

    def set_in_hours(self, in_hours: bool) -> None:
        if in_hours == self.in_hours:
            return
        self.layoutAboutToBeChanged.emit()
        self.in_hours = in_hours
        if self.table is not None:
            self._apply_sort()
        self.layoutChanged.emit()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    # --- loading
    def set_table(self, table: UtilisationTable) -> None:
        self.beginResetModel()
        self.table = table
        self.order = list(range(len(table.rows)))
        self._apply_sort()
        self.endResetModel()

    def drop_table(self) -> None:
        """Show nothing until the next ``set_table``."""
        self.beginResetModel()
        self.table = None
        self.order = []
        self.endResetModel()

    def row_at(self, row: int) -> ResourceUse:
        assert self.table is not None
        return self.table.rows[self.order[row]]

    def week_at(self, column: int) -> int | None:
        """Index into the table's weeks of a column, or None for the fixed columns."""
        return column - FIRST_WEEK if column >= FIRST_WEEK else None

    def row_of_name(self, name: str) -> int | None:
        for row in range(len(self.order)):
            if self.row_at(row).resource.name == name:
                return row
        return None

    # --- Qt model interface
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.order)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self.table is None:
            return 0
        return FIRST_WEEK + len(self.table.weeks)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal or self.table is None:
            return None
        week = self.week_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section] if week is None else self.table.weeks[week].label
        if role == Qt.ItemDataRole.ToolTipRole:
            if week is None:
                unit = "hours" if self.in_hours else "working days"
                return (
                    f"Booked {unit} of available {unit} in the period; "
                    "click to put the busiest first"
                    if section == TOTAL
                    else None
                )
            w = self.table.weeks[week]
            return f"Week {w.number}: {_week_days(w)}"
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self.table is None:
            return None
        use = self.row_at(index.row())
        column = index.column()
        week = self.week_at(column)
        if week is None:
            return self._fixed(use, column, role)
        cell = use.weeks[week]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell_text(cell, self.in_hours)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        booked, available = self._load(cell.booked, cell.available, cell.ratio, cell.hours_ratio)
        if role == Qt.ItemDataRole.BackgroundRole:
            return load_fill(QGuiApplication.palette(), booked, available, cell.over)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._ink(booked, available, cell.over)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(use, week)
        if role == RATIO_ROLE:
            return cell.hours_ratio if self.in_hours else cell.ratio
        if role == OVER_ROLE:
            return cell.over
        if role == DOUBLE_ROLE:
            return cell.double_booked
        if role == AWAY_ROLE:
            return cell.available == 0 and cell.booked == 0
        return None

    def _fixed(self, use: ResourceUse, column: int, role: int) -> object:
        resource = use.resource
        if role == Qt.ItemDataRole.DisplayRole:
            if column == NAME:
                return resource.name
            if column == NATION:
                return resource.nation_code or "–"
            return total_text(use, self.in_hours)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NATION:
                return resource.nation_name
            if column == TOTAL:
                lines = [
                    f"{resource.name}: {use.booked} of {use.available} working days booked "
                    f"({_percent(use.ratio)}); {hours_text(use.booked_hours)} of "
                    f"{hours_text(use.available_hours)} hours ({_percent(use.hours_ratio)})"
                ]
                over_weeks = sum(1 for w in use.weeks if w.over)
                if over_weeks:
                    lines.append(
                        f"Over-booked or double-booked in {count_text(over_weeks, 'week')}"
                    )
                if use.double_booked:
                    lines.append(f"Double-booked on {count_text(use.double_booked, 'day')}")
                return "\n".join(lines)
            return resource.name
        if column == TOTAL:
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return Qt.AlignmentFlag.AlignCenter
            over = use.over
            booked, available = self._load(use.booked, use.available, use.ratio, use.hours_ratio)
            if role == Qt.ItemDataRole.BackgroundRole:
                return load_fill(QGuiApplication.palette(), booked, available, over)
            if role == Qt.ItemDataRole.ForegroundRole:
                return self._ink(booked, available, over)
            if role == RATIO_ROLE:
                return use.hours_ratio if self.in_hours else use.ratio
            if role == OVER_ROLE:
                return over
        return None

    def _load(
        self, booked: int, available: int, ratio: float | None, hours_ratio: float | None
    ) -> tuple[float, float]:
        """(booked, available) whose share shades the cell: days, or hours."""
        if not self.in_hours:
            return booked, available
        return (hours_ratio or 0.0, 1.0) if available else (0.0, 0.0)

    @staticmethod
    def _ink(booked: float, available: float, over: bool) -> QColor:
        """Black or white on a fill; on an idle cell the text fades, so busy weeks stand out."""
        palette = QGuiApplication.palette()
        fill = load_fill(palette, booked, available, over)
        if fill is not None:
            return text_on(fill)
        text = palette.color(QPalette.ColorRole.Text)
        return _blend(text, palette.color(QPalette.ColorRole.Base), 0.45)

    def tooltip(self, use: ResourceUse, week: int) -> str:
        assert self.table is not None
        w = self.table.weeks[week]
        cell: WeekUse = use.weeks[week]
        lines = [
            f"{use.resource.name} — week {w.number}, {_week_days(w)}",
            f"Booked {cell.booked} of {count_text(cell.available, 'working day')} "
            f"({_percent(cell.ratio)}); {hours_text(cell.booked_hours)} of "
            f"{hours_text(cell.available_hours)} hours",
        ]
        if cell.away:
            what = "on leave or away" if self.table.kind == "instructor" else "closed"
            lines.append(f"{what.capitalize()} on {count_text(cell.away, 'working day')}")
        if cell.booked > cell.available:
            lines.append("Booked on more days than available")
        if cell.double_booked:
            lines.append(f"Double-booked on {count_text(cell.double_booked, 'day')}")
        for ident in cell.event_ids[:12]:
            event = self.table.events.get(ident)
            if event is not None:
                lines.append(
                    f"• {event.ref} {event.course_code} — {event.course_title} "
                    f"({date_format(event.first, '%d %b')} – {date_format(event.last, '%d %b')}, "
                    f"{event.status})"
                )
        if len(cell.event_ids) > 12:
            lines.append(f"… and {len(cell.event_ids) - 12} more")
        return "\n".join(lines)

    def first_event_ref(self, row: int, column: int) -> str | None:
        """The first event of a week cell, for a double-click to open."""
        week = self.week_at(column)
        if week is None or self.table is None:
            return None
        for ident in self.row_at(row).weeks[week].event_ids:
            event = self.table.events.get(ident)
            if event is not None:
                return event.ref
        return None

    # --- sorting
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        if self.table is None:
            return
        self.layoutAboutToBeChanged.emit()
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        assert self.table is not None
        rows = self.table.rows
        column, order = self._sort
        descending = order == Qt.SortOrder.DescendingOrder
        week = self.week_at(column)
        if column in (NAME, NATION):

            def by_text(i: int) -> tuple[str, str]:
                resource = rows[i].resource
                name = resource.name.casefold()
                nation = (resource.nation_code or "").casefold()
                return (name, nation) if column == NAME else (nation, name)

            self.order.sort(key=by_text, reverse=descending)
            return

        in_hours = self.in_hours

        def by_load(i: int) -> tuple[bool, float, float, str]:
            use = rows[i]
            part: WeekUse | ResourceUse = use
            if week is not None and week < len(use.weeks):
                part = use.weeks[week]
            over = part.over
            if in_hours:
                booked, available = part.booked_hours, part.available_hours
            else:
                booked, available = part.booked, part.available
            ratio = booked / available if available else (float("inf") if booked else 0.0)
            return (not over, -ratio, -booked, use.resource.name.casefold())

        self.order.sort(key=by_load, reverse=descending)
