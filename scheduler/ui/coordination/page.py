"""Per partner, what a team lead asks before a NATO evaluation: which
milestones are at risk and why, who else trains the partner, what it costs.

Everything is read on a worker thread (``services.coordination_rows``) and
only while the page is seen (``LazyPage``); the partner box narrows it.
"""

from __future__ import annotations

import logging
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.errors import UserError
from scheduler.planning.costs import CostTotal
from scheduler.planning.milestones import MilestoneCheck, TargetMilestones, TaskTraining
from scheduler.planning.wording import count_text, day_text, days_text
from scheduler.services.coordination_rows import (
    RUNS_LISTED,
    Coordination,
    Outline,
    load_coordination,
    load_outline,
    milestone_status,
    partner_nations,
    rating_text,
    trained_by,
)
from scheduler.ui.document import PlanDocument
from scheduler.ui.file_names import ask_workbook
from scheduler.ui.lazy_page import LazyPage
from scheduler.ui.messages import show_error
from scheduler.ui.tables.plain_table import plain_table

log = logging.getLogger(__name__)

WATCHED = ("event", "target", "task", "course", "unit", "provider", "nation")
AT_RISK = QColor("#b71c1c")
ALL = ""
# A big plan can hold tens of thousands of overlaps; a table of more rows than
# anyone reads only costs the window its speed. The workbook holds them all.
CHECKING = "Checking…"
SHOWN_AT_MOST = 2_000


def money(amount: float) -> str:
    """``12,345.60``: amounts in the cell's accounting currency."""
    return f"{amount:,.2f}"


def _table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    """A plain table of one-line rows: long lists stay compact."""
    table = plain_table(parent, name, headers)
    table.setWordWrap(False)
    table.verticalHeader().setDefaultSectionSize(22)
    return table


class CoordinationPage(LazyPage):
    jump_to_event = Signal(str)
    status = Signal(str)
    loaded = Signal()
    watched = WATCHED

    def __init__(self, document: PlanDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page_readiness")
        self.document = document
        self.coordination: Coordination | None = None

        self.partner = QComboBox(self)
        self.partner.setObjectName("readiness_partner")
        self.partner.currentIndexChanged.connect(lambda _i: self.load())
        self.summary = QLabel(self)
        self.summary.setObjectName("readiness_summary")
        self.summary.setWordWrap(True)
        self.export = QPushButton("Export…", self)
        self.export.setObjectName("readiness_export")
        self.export.setToolTip(
            "Save the milestones, tasks, other providers and costs shown as an Excel workbook"
        )
        self.export.clicked.connect(self.export_workbook)
        self.export.setEnabled(False)
        top = QHBoxLayout()
        top.addWidget(QLabel("Partner:", self))
        top.addWidget(self.partner)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export)

        milestones = QGroupBox("NATO evaluation milestones and collective tasks", self)
        self.tree = QTreeWidget(milestones)
        self.tree.setObjectName("milestones")
        self.tree.setHeaderLabels(
            ["Target, milestone or task", "Date", "Status", "Why / trained by"]
        )
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 320)
        self.tree.setColumnWidth(1, 95)
        self.tree.setColumnWidth(2, 260)
        self.tree.itemDoubleClicked.connect(self._open_run)
        self.tree.setToolTip("Double-click a run to open it in the events list")
        QVBoxLayout(milestones).addWidget(self.tree)

        providers = QGroupBox("Other providers training the same partner", self)
        self.others = _table(
            providers, "other_runs", ["Delivered by", "Partner", "Run", "Course", "Days", "Units"]
        )
        self.others.setToolTip("Double-click a run to open it in the events list")
        self.others.doubleClicked.connect(lambda: self._open_from(self.others, 2))
        self.overlaps = _table(
            providers,
            "overlaps",
            ["Kind", "Partner", "Run", "By", "Other run", "By", "Course", "Days", "Why"],
        )
        self.overlaps.setToolTip("Double-click an overlap to open its first run")
        self.overlaps.doubleClicked.connect(lambda: self._open_from(self.overlaps, 2))
        provider_row = QHBoxLayout(providers)
        provider_row.addWidget(self.others, 2)
        provider_row.addWidget(self.overlaps, 3)

        costs = QGroupBox("Costs (planned and actual)", self)
        cost_row = QHBoxLayout(costs)
        self.cost_tables: dict[str, QTableWidget] = {}
        for key, title in (("partner", "Partner"), ("target", "Target"), ("provider", "Provider")):
            table = _table(costs, f"costs_{key}", [title, "Planned", "Actual", "Events"])
            table.horizontalHeader().setStretchLastSection(False)
            table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            self.cost_tables[key] = table
            cost_row.addWidget(table)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.setObjectName("readiness_split")
        for box in (milestones, providers, costs):
            split.addWidget(box)
        split.setChildrenCollapsible(False)
        split.setSizes([5000, 2500, 2500])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        document.changed.connect(self.on_changed)

    # --- loading
    def reload(self) -> None:
        self.mark_fresh()
        chosen = self.partner.currentData()
        self.partner.blockSignals(True)
        self.partner.clear()
        self.partner.addItem("All partners", ALL)
        for code, label in self.document.read(partner_nations):
            self.partner.addItem(label, code)
        self.partner.setCurrentIndex(max(0, self.partner.findData(chosen)))
        self.partner.blockSignals(False)
        self.load()

    def choose_partner(self, code: str) -> None:
        """Narrow the page to one partner (its nation code), as the box would."""
        if self.stale:
            self.reload()
        index = self.partner.findData(code)
        if index >= 0:
            self.partner.setCurrentIndex(index)

    def load(self) -> None:
        """The targets, milestones and tasks first (a quick read), then what
        needs every run: risks, feeding runs, other providers, costs."""
        nation = self.partner.currentData() or None
        self.summary.setText("Loading…")

        def then_everything(outline: Outline) -> None:
            self.show_outline(outline)
            self.read_in_background(
                self.document,
                lambda s: load_coordination(s, nation),
                self.show_coordination,
                say=self.summary.setText,
                what="readiness",
            )

        self.read_in_background(
            self.document,
            lambda s: load_outline(s, nation),
            then_everything,
            say=self.summary.setText,
            what="readiness",
        )

    def show_outline(self, outline: Outline) -> None:
        """Targets, milestones and tasks as recorded, while the runs are read."""
        self.summary.setText("Checking the milestones against the plan's runs…")
        self.tree.clear()
        codes = outline.course_codes
        for target in outline.targets:
            if not target.milestones and not target.tasks:
                continue
            top = QTreeWidgetItem([f"{target.name} ({target.unit_label})", "", CHECKING, ""])
            self.tree.addTopLevelItem(top)
            for milestone in sorted(target.milestones, key=lambda m: (m.day, m.kind)):
                held = milestone_status(MilestoneCheck(milestone))
                status = held if held.startswith("Held") else CHECKING
                top.addChild(QTreeWidgetItem([milestone.kind, day_text(milestone.day), status, ""]))
            for task in target.tasks:  # its runs come with the full read
                top.addChild(_task_item(TaskTraining(task, ()), codes))
            top.setExpanded(True)
        if self.tree.topLevelItemCount() == 0:
            self._say_nothing_yet()
        self.rows_on_screen()

    # --- showing
    def show_coordination(self, coordination: Coordination) -> None:
        self.coordination = coordination
        milestones = sum(len(t.milestones) for t in coordination.targets)
        providers = {o.provider for o in coordination.others}
        self.summary.setText(
            f"{count_text(coordination.milestones_at_risk, 'milestone')} at risk of "
            f"{milestones} · {count_text(len(providers), 'other provider')} · "
            f"{count_text(len(coordination.overlaps), 'overlap')} · amounts in the cell's "
            "accounting currency"
            + (
                f" · the first {SHOWN_AT_MOST:,} of a list are shown; Export… holds all"
                if max(len(coordination.others), len(coordination.overlaps)) > SHOWN_AT_MOST
                else ""
            )
        )
        self._show_tree(coordination)
        _fill(
            self.others,
            [
                (o.provider, o.partner, o.ref, o.course, o.days, o.units)
                for o in coordination.others
            ],
        )
        _fill(
            self.overlaps,
            [
                (o.kind.capitalize(), o.partner, o.first_ref, o.first_provider, o.second_ref,
                 o.second_provider, o.course, o.days, o.why)
                for o in coordination.overlaps
            ],
        )  # fmt: skip
        for key, found in (
            ("partner", coordination.per_partner),
            ("target", coordination.per_target),
            ("provider", coordination.per_provider),
        ):
            self._show_costs(self.cost_tables[key], found)
        self.export.setEnabled(True)
        self.loaded.emit()

    def drop_loaded(self) -> bool:
        if self.coordination is None:
            return False
        self.coordination = None
        self.export.setEnabled(False)
        self.tree.clear()
        for table in (self.others, self.overlaps, *self.cost_tables.values()):
            table.setRowCount(0)
        return True

    def export_workbook(self) -> None:
        """Export…: what the page shows, to a marked workbook the planner names."""
        from scheduler.exchange.coordination_sheets import write_coordination_workbook
        from scheduler.services.coordination_rows import coordination_book
        from scheduler.services.markings import marking_for

        if self.coordination is None:
            return
        plan = self.document.plan
        partner = self.partner.currentData() or None
        words = f"readiness {partner or 'all partners'}"
        target = ask_workbook(self, "Export readiness and costs", plan, words)
        if target is None:
            return
        try:
            write_coordination_workbook(
                target,
                coordination_book(self.coordination),
                partner=self.partner.currentText() if partner else None,
                plan_name=plan.name,
                marking=marking_for(None),
                now=datetime.now().replace(microsecond=0),
            )
        except UserError as error:
            show_error(self, "Export readiness and costs", str(error))
            return
        self.status.emit(f"Exported readiness and costs to {target.name}")

    def _show_tree(self, coordination: Coordination) -> None:
        self.tree.clear()
        codes = coordination.course_codes
        for target in coordination.targets:
            if not target.milestones and not target.tasks:
                continue
            top = QTreeWidgetItem(
                [
                    f"{target.target.name} ({target.target.unit_label})",
                    "",
                    _target_status(target),
                    "",
                ]
            )
            self.tree.addTopLevelItem(top)
            for check in target.milestones:
                top.addChild(_milestone_item(check))
            for training in target.tasks:
                top.addChild(_task_item(training, codes))
            top.setExpanded(True)
        if self.tree.topLevelItemCount() == 0:
            self._say_nothing_yet()

    def _say_nothing_yet(self) -> None:
        self.tree.addTopLevelItem(
            QTreeWidgetItem(
                ["No milestones or collective tasks yet: add them to a capability "
                 "target (Requirements) and on the Tasks page."]
            )
        )  # fmt: skip

    @staticmethod
    def _show_costs(table: QTableWidget, found: tuple[CostTotal, ...]) -> None:
        table.setRowCount(len(found))
        for index, total in enumerate(found):
            cells = (total.key, money(total.planned), money(total.actual), f"{total.events:,}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(index, column, item)

    # --- reactions
    def _open_run(self, item: QTreeWidgetItem, _column: int) -> None:
        ref = item.data(0, Qt.ItemDataRole.UserRole)
        if ref:
            self.jump_to_event.emit(str(ref))

    def _open_from(self, table: QTableWidget, column: int) -> None:
        item = table.item(table.currentRow(), column)
        if item is not None:
            self.jump_to_event.emit(item.text())


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    rows = rows[:SHOWN_AT_MOST]
    table.setRowCount(len(rows))
    for index, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(index, column, QTableWidgetItem(text))


def _target_status(target: TargetMilestones) -> str:
    if target.at_risk:
        return f"{count_text(target.at_risk, 'milestone')} at risk"
    return "On track" if target.milestones else ""


def _milestone_item(check: MilestoneCheck) -> QTreeWidgetItem:
    milestone = check.milestone
    status = milestone_status(check)
    if check.at_risk:
        status += f" ({len(check.reasons)})"
    item = QTreeWidgetItem(
        [milestone.kind, day_text(milestone.day), status, "; ".join(check.reasons)]
    )
    if check.at_risk:
        for column in (0, 2):
            item.setForeground(column, QBrush(AT_RISK))
        item.setToolTip(3, "\n".join(check.reasons))
        for reason in check.reasons:
            item.addChild(QTreeWidgetItem(["", "", "", reason]))
    return item


def _task_item(training: TaskTraining, codes: dict[int, str]) -> QTreeWidgetItem:
    task = training.task
    item = QTreeWidgetItem(
        [f"Task: {task.name}", "", rating_text(task), f"Trained by {trained_by(task, codes)}"]
    )
    for run in training.runs[:RUNS_LISTED]:
        by = f" · {run.provider}" if run.provider else ""
        child = QTreeWidgetItem(
            [
                f"{codes.get(run.course_id, '?')} {run.ref}",
                "",
                "",
                f"{days_text(run.first_day, run.last_day)}{by}",
            ]
        )
        child.setData(0, Qt.ItemDataRole.UserRole, run.ref)
        item.addChild(child)
    more = len(training.runs) - RUNS_LISTED
    if more > 0:
        item.addChild(QTreeWidgetItem([f"… and {more:,} later runs", "", "", ""]))
    return item
