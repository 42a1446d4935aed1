"""The conflicts list: grouped by rule, with fix, accept (and un-accept) and jump.

Conflicts warn, they do not block: a planner may accept one on purpose,
giving a reason; it then shows as accepted until the events involved change.
**Fix…** offers the edits that clear the selected clash without bringing a
new one (``planning.fixes``): the next date the event fits, another free
qualified person, another free venue. Fixing, accepting and un-accepting
are undo steps like any other edit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import count_text, date_format
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument, UndoStep

if TYPE_CHECKING:
    from scheduler.planning.conflicts import Conflict
    from scheduler.planning.engine import ConflictEngine
    from scheduler.planning.fixes import Fix
    from scheduler.reports.listing import Listing

log = logging.getLogger(__name__)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SEVERITY_COLOURS = {"error": "#c62828", "warning": "#ef6c00", "info": "#1565c0"}


class ConflictsPage(QWidget):
    """Shows the monitor's conflicts. ``jump_to_event(ref)`` asks the window to show one."""

    jump_to_event = Signal(str)
    status = Signal(str)

    def __init__(self, document: PlanDocument, monitor: ConflictMonitor) -> None:
        super().__init__()
        self.setObjectName("page_conflicts")
        self.document = document
        self.monitor = monitor
        self.by_key: dict[str, Conflict] = {}
        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search conflicts (ref, name, words)…")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.rebuild)
        self.show_accepted = QCheckBox("Show accepted", self)
        self.show_accepted.setObjectName("show_accepted")
        self.show_accepted.setChecked(True)
        self.show_accepted.toggled.connect(self.rebuild)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.show_accepted)
        bar.addWidget(self.summary)

        self.tree = QTreeWidget(self)
        self.tree.setObjectName("conflicts")
        self.tree.setHeaderLabels(["Conflict", "Severity", "Events", "Who / where", "Dates"])
        # The message takes what the other columns leave, whatever the window's width.
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, 170)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.itemDoubleClicked.connect(lambda _item, _col: self.jump())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

        self.fix_button = QPushButton("Fix…", self)
        self.fix_button.setObjectName("button_fix")
        self.fix_button.setToolTip(
            "Edits that clear this clash and bring no new one: "
            "a later date, another person, another venue"
        )
        self.fix_button.clicked.connect(lambda _checked=False: self.offer_fixes())
        self.fix_menu = QMenu(self)
        self.fix_menu.setObjectName("fix_menu")
        self._finding = False
        self.jump_button = QPushButton("Go to event", self)
        self.jump_button.setObjectName("button_jump")
        self.jump_button.clicked.connect(self.jump)
        self.accept_button = QPushButton("Accept…", self)
        self.accept_button.setObjectName("button_accept")
        self.accept_button.clicked.connect(lambda _checked=False: self.accept_selected())
        self.unaccept_button = QPushButton("Withdraw acceptance", self)
        self.unaccept_button.setObjectName("button_unaccept")
        self.unaccept_button.clicked.connect(lambda _checked=False: self.unaccept_selected())
        buttons = QHBoxLayout()
        for button in (
            self.fix_button,
            self.jump_button,
            self.accept_button,
            self.unaccept_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch()

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        monitor.updated.connect(self.rebuild)
        monitor.checking.connect(self._checking)
        self.rebuild()

    def _checking(self, busy: bool) -> None:
        if busy:
            self.summary.setText("Checking the plan…")

    def rebuild(self) -> None:
        from scheduler.planning.conflicts import RULES

        current = self.selected_key()
        conflicts = self.monitor.conflicts()
        self.by_key = {c.key: c for c in conflicts}
        words = self.search.text().casefold().split()
        show_accepted = self.show_accepted.isChecked()
        groups: dict[str, list[Conflict]] = {}
        for conflict in conflicts:
            if conflict.accepted and not show_accepted:
                continue
            text = " ".join((conflict.message, *conflict.events, *conflict.resources)).casefold()
            if all(word in text for word in words):
                groups.setdefault(conflict.rule, []).append(conflict)
        self.tree.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        selected_item = None
        for rule, items in groups.items():
            rule_info = RULES.get(rule)
            open_count = sum(not c.accepted for c in items)
            title = rule_info.title if rule_info else rule
            group = QTreeWidgetItem(
                self.tree, [f"{title} ({open_count} open, {len(items)} in all)"]
            )
            group.setFont(0, bold)
            group.setFirstColumnSpanned(True)
            for conflict in items:
                row = QTreeWidgetItem(
                    group,
                    [
                        conflict.message + ("  — accepted" if conflict.accepted else ""),
                        str(conflict.severity).capitalize(),
                        ", ".join(conflict.events),
                        ", ".join(conflict.resources),
                        _days(conflict),
                    ],
                )
                row.setData(0, KEY_ROLE, conflict.key)
                row.setToolTip(0, conflict.message)
                colour = SEVERITY_COLOURS.get(str(conflict.severity))
                if colour and not conflict.accepted:
                    row.setForeground(1, QBrush(QColor(colour)))
                if conflict.accepted:
                    for column in range(5):
                        row.setForeground(column, self.palette().placeholderText())
                if conflict.key == current:
                    selected_item = row
        self.tree.expandAll()
        if selected_item is not None:
            self.tree.setCurrentItem(selected_item)
        if self.monitor.ready:
            counts = self.monitor.open_counts()
            self.summary.setText(
                f"Open: {count_text(counts['error'], 'error')}, "
                f"{count_text(counts['warning'], 'warning')}, "
                f"{count_text(counts['info'], 'note')}"
            )
        self._update_buttons()

    def printable_listing(self) -> Listing:
        """File ▸ Print…'s "This list as shown": the conflicts by rule, as filtered."""
        from scheduler.ui.printable import listing_of_view

        words = [self.summary.text()] if self.summary.text() else []
        if text := self.search.text().strip():
            words.append(f"search “{text}”")
        if not self.show_accepted.isChecked():
            words.append("accepted ones left out")
        return listing_of_view(self.tree, "Conflicts", scope=" · ".join(words), noun="conflict")

    def selected_key(self) -> str | None:
        item = self.tree.currentItem()
        key = item.data(0, KEY_ROLE) if item is not None else None
        return str(key) if key else None

    def selected(self) -> Conflict | None:
        key = self.selected_key()
        return self.by_key.get(key) if key else None

    def _update_buttons(self) -> None:
        conflict = self.selected()
        writable = not self.document.read_only
        self.jump_button.setEnabled(conflict is not None)
        self.fix_button.setEnabled(
            conflict is not None and not conflict.accepted and writable and not self._finding
        )
        self.accept_button.setEnabled(conflict is not None and not conflict.accepted and writable)
        self.unaccept_button.setEnabled(conflict is not None and conflict.accepted and writable)

    def jump(self) -> None:
        conflict = self.selected()
        if conflict is not None and conflict.events:
            self.jump_to_event.emit(conflict.events[0])

    def offer_fixes(self) -> None:
        """Work out the fixes on the monitor's engine (a worker), then offer them
        in a menu under the button; the one chosen is one undo step."""
        from scheduler.planning.fixes import FixFinder

        conflict = self.selected()
        if conflict is None or self._finding:
            return

        def work(engine: ConflictEngine) -> list[FixStep]:
            return [fix_step(engine, fix) for fix in FixFinder(engine).fixes(conflict)]

        def done(steps: list[FixStep]) -> None:
            self._finding = False
            self._update_buttons()
            if not steps:
                self.status.emit(
                    "No one edit clears this clash without another: change the event yourself "
                    "(Go to event), or accept it with a reason."
                )
                return
            self.fix_menu.clear()
            for step in steps:
                action = self.fix_menu.addAction(step.label)
                action.triggered.connect(lambda _checked=False, s=step: self.apply_fix(s))
            self.fix_menu.popup(self.fix_button.mapToGlobal(self.fix_button.rect().bottomLeft()))

        def failed(error: BaseException) -> None:
            log.error("looking for fixes failed", exc_info=error)
            self._finding = False
            self._update_buttons()
            self.status.emit("Looking for a fix failed; see the log.")

        self._finding = True
        self._update_buttons()
        self.status.emit("Looking for fixes…")
        if not self.monitor.read_engine(work, done, failed, owner=self):
            self._finding = False
            self._update_buttons()
            self.status.emit("The plan is still being checked; try again in a moment.")

    def apply_fix(self, step: FixStep) -> None:
        from scheduler.services import edits

        undo = UndoStep(
            step.label,
            edits.move_and_reassign,
            step.uuid,
            first_day=step.first_day,
            resource=step.resource or "venue",
            from_uuid=step.from_uuid,
            to_uuid=step.to_uuid,
        )
        if self.document.push(undo):
            self.status.emit(f"{step.label}.")

    def accept_selected(self) -> None:
        """Accept… asks why (kept with the plan), then accepts the selected conflict."""
        from scheduler.services import edits

        conflict = self.selected()
        if conflict is None or conflict.accepted:
            return
        reason, ok = QInputDialog.getText(
            self,
            "Accept conflict",
            f"{conflict.message}\n\nWhy is this acceptable? (kept with the plan)",
        )
        if not ok or not reason.strip():
            return
        step = UndoStep("Accept conflict", edits.accept_conflict, conflict.key, reason.strip())
        if self.document.push(step):
            self.status.emit("Conflict accepted.")

    def unaccept_selected(self) -> None:
        from scheduler.services import edits

        conflict = self.selected()
        if conflict is None or not conflict.accepted:
            return
        self.document.push(UndoStep("Withdraw acceptance", edits.unaccept_conflict, conflict.key))


@dataclass(frozen=True, slots=True)
class FixStep:
    """A fix as the edit takes it: uuids, worked out where the engine is."""

    label: str
    uuid: str
    first_day: date | None
    resource: str | None
    from_uuid: str | None
    to_uuid: str | None


def fix_step(engine: ConflictEngine, fix: Fix) -> FixStep:
    plan = engine.plan
    table: dict[int, Any] = dict(plan.instructors if fix.resource == "instructor" else plan.venues)

    def uuid_of(ident: int | None) -> str | None:
        record = table.get(ident) if ident is not None else None
        return str(record.uuid) if record is not None else None

    return FixStep(
        fix.label,
        plan.events[fix.event_id].uuid,
        fix.first_day,
        fix.resource,
        uuid_of(fix.from_id),
        uuid_of(fix.to_id),
    )


def _days(conflict: Conflict) -> str:
    if conflict.first_day == conflict.last_day:
        return f"{date_format(conflict.first_day, '%d %b %Y')}"
    return (
        f"{date_format(conflict.first_day, '%d %b')} – {date_format(conflict.last_day, '%d %b %Y')}"
    )
