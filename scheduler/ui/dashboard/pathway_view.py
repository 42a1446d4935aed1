"""The readiness pathway of one partner: its targets, and a bar per course.

Emits ``show_events_for(course_code, unit_codes)`` when a planner clicks a
bar or presses Enter on it, so the events behind the numbers can be seen.
The partner picked is remembered between sessions.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.app_paths import data_dir
from scheduler.planning.pathway import PartnerPathway, RequirementBar, TargetPathway
from scheduler.planning.wording import day_text
from scheduler.ui.dashboard.bars import BAR_ROLE, BarDelegate, BarValues
from scheduler.ui.palette_colours import attention_colour

COLUMNS = ("Target / course", "Pathway", "Numbers", "Why")
BAR_COLUMN = 1
LINK_ROLE = Qt.ItemDataRole.UserRole + 11


def _settings() -> QSettings:
    return QSettings(str(data_dir() / "dashboard-state.ini"), QSettings.Format.IniFormat)


class PathwayView(QWidget):
    """Shows ``set_pathway(partners, unit_codes)``; one partner at a time."""

    show_events_for = Signal(str, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pathway")
        self.partners: dict[str, PartnerPathway] = {}
        self.unit_codes: Mapping[int, tuple[str, ...]] = {}
        self.partner = QComboBox(self)
        self.partner.setObjectName("pathway_partner")
        self.partner.setToolTip("Whose capability targets to show")
        self.partner.currentIndexChanged.connect(self._partner_changed)
        self.summary = QLabel(self)
        self.summary.setObjectName("pathway_summary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("pathway_tree")
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setItemDelegateForColumn(BAR_COLUMN, BarDelegate(self.tree))
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(BAR_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.tree.itemActivated.connect(self._activated)
        self.tree.itemClicked.connect(self._clicked)
        top = QHBoxLayout()
        top.addWidget(QLabel("<b>Readiness pathway</b> for", self))
        top.addWidget(self.partner, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)

    def set_pathway(
        self, partners: list[PartnerPathway], unit_codes: Mapping[int, tuple[str, ...]]
    ) -> None:
        wanted = self.partner.currentData() or str(_settings().value("partner", "") or "")
        self.partners = {p.code: p for p in partners}
        self.unit_codes = unit_codes
        self.partner.blockSignals(True)
        self.partner.clear()
        for partner in partners:
            verb = "needs" if partner.attention == 1 else "need"
            flag = f" — {partner.attention} {verb} attention" if partner.attention else ""
            self.partner.addItem(f"{partner.code}{flag}", partner.code)
        self.partner.setCurrentIndex(max(self.partner.findData(wanted), 0))
        self.partner.blockSignals(False)
        self._show(self.partner.currentData())

    def show_partner(self, code: str) -> None:
        index = self.partner.findData(code)
        if index >= 0:
            self.partner.setCurrentIndex(index)

    def _partner_changed(self) -> None:
        code = self.partner.currentData()
        if code:
            _settings().setValue("partner", code)
        self._show(code)

    def _show(self, code: str | None) -> None:
        self.tree.clear()
        partner = self.partners.get(code or "")
        if partner is None:
            self.summary.setText("No capability targets in this plan yet.")
            return
        self.summary.setText(partner.summary())
        red = attention_colour(self.tree.palette())
        for target in partner.targets:
            item = self._target_item(target, red)
            for bar in target.bars:
                item.addChild(self._bar_item(bar, red))
            self.tree.addTopLevelItem(item)
            # Targets needing attention open; the rest stay folded.
            item.setExpanded(target.status.needs_attention or len(partner.targets) <= 3)
        # Sized from the font, so the columns keep their proportions at 200 %.
        em = self.tree.fontMetrics().horizontalAdvance("M")
        self.tree.resizeColumnToContents(0)
        self.tree.setColumnWidth(0, min(self.tree.columnWidth(0), em * 30))
        self.tree.setColumnWidth(BAR_COLUMN, em * 12)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _target_item(self, target: TargetPathway, red: object) -> QTreeWidgetItem:
        due = f"due {day_text(target.due)}" if target.due else "no due date"
        status = target.status.label
        if target.attention:
            status += f": {target.attention} of {len(target.bars)} requirements late or at risk"
        item = QTreeWidgetItem([target.name, "", due, status])
        font = QFont(self.tree.font())
        font.setBold(True)
        for column in range(len(COLUMNS)):
            item.setFont(column, font)
            if target.status.needs_attention:
                item.setForeground(column, red)  # type: ignore[arg-type]
        return item

    def _bar_item(self, bar: RequirementBar, red: object) -> QTreeWidgetItem:
        row = bar.row
        label = f"{row.course_code} {row.course_title} · {row.unit_code}"
        verdict = f"{bar.status.label}: {bar.verdict}"
        item = QTreeWidgetItem([label, "", bar.numbers, verdict])
        item.setData(
            BAR_COLUMN,
            BAR_ROLE,
            BarValues(row.required, row.scheduled, row.delivered, bar.status.needs_attention),
        )
        units = list(self.unit_codes.get(row.unit_id, (row.unit_code,)))
        item.setData(0, LINK_ROLE, (row.course_code, units))
        tip = f"{bar.reason}\nClick or press Enter to list the events."
        for column in range(len(COLUMNS)):
            item.setToolTip(column, tip)
            if bar.status.needs_attention:
                item.setForeground(column, red)  # type: ignore[arg-type]
        item.setData(BAR_COLUMN, Qt.ItemDataRole.AccessibleTextRole, bar.numbers)
        return item

    def _clicked(self, item: QTreeWidgetItem, column: int) -> None:
        if column == BAR_COLUMN:
            self._activated(item)

    def _activated(self, item: QTreeWidgetItem) -> None:
        link = item.data(0, LINK_ROLE)
        if link:
            course, units = link
            self.show_events_for.emit(course, list(units))

    def bar_items(self) -> list[QTreeWidgetItem]:
        """Every requirement row shown (for tests and accessibility tools)."""
        found: list[QTreeWidgetItem] = []
        for i in range(self.tree.topLevelItemCount()):
            target = self.tree.topLevelItem(i)
            if target is not None:
                children = (target.child(j) for j in range(target.childCount()))
                found.extend(child for child in children if child is not None)
        return found
