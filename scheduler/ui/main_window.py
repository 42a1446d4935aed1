"""The main window: welcome screen or an open plan with its pages.

Owns at most one PlanDocument at a time. Menus live in ``menus.py``,
pages in ``pages.py``; this module wires them and handles plan files.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from scheduler import APP_NAME
from scheduler.app_paths import PLAN_SUFFIX, demo_plan_path, plans_dir
from scheduler.errors import StaleEditError, UserError
from scheduler.planning.wording import count_text, date_format
from scheduler.preferences import load_preferences
from scheduler.progress import ProgressCallback
from scheduler.services.changes import EVERYTHING, Changes
from scheduler.ui.conflict_monitor import ConflictMonitor
from scheduler.ui.document import PlanDocument
from scheduler.ui.heap import let_collections_in, tidy_after_close
from scheduler.ui.lazy_page import RELEASE_AFTER_MS
from scheduler.ui.menus import apply_icons, build_menus
from scheduler.ui.messages import show_bug, show_error
from scheduler.ui.pages import PAGES, PageContext
from scheduler.ui.plan_check import watch_whole_check
from scheduler.ui.plan_opening import ask_server_url, open_interactively
from scheduler.ui.ui_state import UiState
from scheduler.ui.welcome import WelcomePage
from scheduler.ui.workers import discard_results, run_with_progress

if TYPE_CHECKING:
    from scheduler.services.plan_files import Plan

log = logging.getLogger(__name__)
PLAN_FILTER = f"Training plans (*{PLAN_SUFFIX});;All files (*)"


class MainWindow(QMainWindow):
    """Holds the open plan (``document``) and shows its pages."""

    def __init__(self, state: UiState | None = None) -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.state = state or UiState()
        self.document: PlanDocument | None = None
        self.monitor: ConflictMonitor | None = None
        self.undo_group = QUndoGroup(self)
        self.pages: dict[str, QWidget] = {}
        self._edited_since_backup = False
        self.job: QProgressDialog | None = None  # the long operation under way, if any

        self.welcome = WelcomePage(self)
        self.welcome.new_requested.connect(self.new_plan)
        self.welcome.open_requested.connect(self.open_dialog)
        self.welcome.demo_requested.connect(self.open_demo)
        self.welcome.recent_requested.connect(self.open_path)
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        for info in PAGES:
            self.nav.addItem(info.title)
        self.nav.setMinimumWidth(150)
        self.nav.setSpacing(3)
        self.nav.currentRowChanged.connect(self._show_page_at)
        self.page_stack = QStackedWidget(self)
        workspace = QSplitter(self)
        workspace.addWidget(self.nav)
        workspace.addWidget(self.page_stack)
        workspace.setStretchFactor(0, 0)
        workspace.setStretchFactor(1, 1)
        workspace.setSizes([170, 1100])
        workspace.setChildrenCollapsible(False)
        self.central = QStackedWidget(self)
        self.central.addWidget(self.welcome)
        self.central.addWidget(workspace)
        self.setCentralWidget(self.central)

        self.plan_label = QLabel(self)
        self.plan_label.setObjectName("status_plan")
        self.conflicts_label = QLabel(self)
        self.conflicts_label.setObjectName("status_conflicts")
        self.statusBar().addPermanentWidget(self.conflicts_label)
        self.statusBar().addPermanentWidget(self.plan_label)

        self.actions_by_name = build_menus(self)
        self.backup_timer = QTimer(self)
        self.backup_timer.timeout.connect(self._periodic_backup)
        self.resize(QSize(1280, 800))
        geometry = self.state.geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        self._show_welcome()

    # --- plan lifecycle
    def set_plan(self, plan: Plan) -> None:
        self.close_plan()
        document = PlanDocument(plan, self)
        document.changed.connect(self._on_changed)
        document.failed.connect(lambda message: show_error(self, APP_NAME, message))
        document.stale_resolver = self._ask_stale_choice
        document.watcher.noticed.connect(self._others_changed)
        self.undo_group.addStack(document.undo_stack)
        self.undo_group.setActiveStack(document.undo_stack)
        self.document = document
        self.monitor = ConflictMonitor(document)
        self.monitor.updated.connect(self._update_conflicts)
        self.monitor.checking.connect(self._update_conflicts)
        # The full check reads the whole plan on a worker; started once the
        # first view has painted, so it does not compete with that view's reads.
        QTimer.singleShot(0, self.monitor, self.monitor.start_full_check)
        if not plan.is_shared:
            self.state.add_recent(plan.path)
        self.central.setCurrentIndex(1)
        self.show_page(self.state.last_view())
        self._update_title()
        self._update_actions()
        minutes = max(load_preferences().backup_interval_minutes, 1)
        self.backup_timer.start(minutes * 60_000)
        watch_whole_check(self, plan)
        log.info("opened %s (%s)", plan.display, plan.access.value)

    def close_plan(self) -> None:
        if self.document is None:
            return
        if self._edited_since_backup:
            self._periodic_backup()
        document, self.document = self.document, None
        if self.monitor is not None:
            discard_results(self.monitor)
        self.monitor = None
        let_collections_in()
        self.backup_timer.stop()
        for page in self.pages.values():
            discard_results(page)
            self.page_stack.removeWidget(page)
            page.deleteLater()
        self.pages.clear()
        self.undo_group.removeStack(document.undo_stack)
        document.close()
        document.deleteLater()
        # After the pages' deferred deletion, which needs the event loop.
        QTimer.singleShot(RELEASE_AFTER_MS, tidy_after_close)
        self._show_welcome()

    def _show_welcome(self) -> None:
        self.welcome.set_recent(self.state.recent_plans())
        self.central.setCurrentIndex(0)
        self._update_title()
        self._update_actions()

    def open_path(self, path: Path | str) -> bool:
        """Open a plan file, or a shared plan when ``path`` is a server URL.

        A plan another window of this program has open is shown there.
        """
        from scheduler.ui.window_lookup import bring_to_front, other_window_with

        other = other_window_with(self, path)
        if other is not None:
            bring_to_front(other)
            return False
        plan = open_interactively(self, path)
        if plan is None:
            return False
        self.set_plan(plan)
        return True

    def open_server_dialog(self) -> None:
        """File ▸ Open a shared plan (server)…: ask for the URL, then open it."""
        url = ask_server_url(self)
        if url:
            self.open_path(url)

    def _ask_stale_choice(self, error: StaleEditError) -> str:
        from scheduler.ui.dialogs.stale_edit import ask_stale_choice

        return ask_stale_choice(self, error)

    def _others_changed(self, who: tuple[str, ...]) -> None:
        self.statusBar().showMessage(f"Updated with changes by {', '.join(who)}", 8000)

    def open_dialog(self) -> None:
        plan = self.document.plan if self.document else None
        start = str(plan.path.parent if plan is not None and not plan.is_shared else plans_dir())
        name, _ = QFileDialog.getOpenFileName(self, "Open plan", start, PLAN_FILTER)
        if name:
            self.open_path(Path(name))

    def new_plan(self) -> None:
        start = str(plans_dir() / f"New plan{PLAN_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self, "New plan", start, PLAN_FILTER)
        if not name:
            return
        path = Path(name)
        if path.suffix.lower() != PLAN_SUFFIX:
            path = path.with_name(path.name + PLAN_SUFFIX)
        self.create_and_open(path, force=path.exists())

    def create_and_open(self, path: Path, *, force: bool = False) -> bool:
        current = self.document.plan if self.document is not None else None
        if (
            current is not None
            and not current.is_shared
            and current.path.resolve() == path.resolve()
        ):
            self.close_plan()
        from scheduler.services.plan_files import create_plan

        try:
            plan = create_plan(path, force=force)
        except UserError as exc:
            show_error(self, "Cannot create the plan", str(exc))
            return False
        self.set_plan(plan)
        return True

    def open_demo(self) -> None:
        """Open the demo plan, writing it first (off the GUI thread) if needed."""
        path = demo_plan_path()
        if path.exists():
            self.open_path(path)
            return
        from scheduler.services.plan_files import write_demo_plan

        def work(_progress: ProgressCallback) -> Path:
            write_demo_plan(path, events=None, seed=1, force=False)
            return path

        def failed(error: BaseException) -> None:
            if isinstance(error, UserError):
                show_error(self, "Cannot write the demo plan", str(error))
            else:
                log.error("writing the demo plan failed", exc_info=error)
                show_bug(self, error)

        self.job = run_with_progress(
            self, "Writing the demo plan…", work, self._open_written, failed
        )

    def _open_written(self, path: Path) -> None:
        self.open_path(path)

    def save_copy(self) -> None:
        if self.document is None or self.document.plan.is_shared:
            return
        plan = self.document.plan
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Save a copy",
            str(plan.path.with_name(f"{plan.path.stem} copy{PLAN_SUFFIX}")),
            PLAN_FILTER,
        )
        if not name:
            return
        from scheduler.services.plan_files import save_copy

        try:
            save_copy(plan, Path(name))
        except UserError as exc:
            show_error(self, "Cannot save a copy", str(exc))
            return
        self.statusBar().showMessage(f"Saved a copy as {name}", 8000)

    def backup_now(self) -> None:
        if self.document is None or self.document.plan.is_shared:
            return
        from scheduler.services.plan_files import back_up_now

        try:
            done = back_up_now(self.document.plan)
        except UserError as exc:
            show_error(self, "Cannot back up", str(exc))
            return
        self._edited_since_backup = False
        self.statusBar().showMessage(done, 15000)

    def restore_backup(self) -> None:
        if self.document is None or self.document.plan.is_shared:
            return
        from scheduler.services.plan_files import restore_backup
        from scheduler.ui.dialogs.backups_dialog import choose_backup

        path = self.document.plan.path
        chosen = choose_backup(self, path)
        if chosen is None:
            return
        read_only = self.document.read_only
        if read_only:
            show_error(self, "Restore", "This plan is open read-only; it cannot be restored.")
            return
        self.close_plan()
        try:
            restore_backup(path, chosen)
        except UserError as exc:
            show_error(self, "Cannot restore", str(exc))
            self.open_path(path)
            return
        if self.open_path(path):
            self.statusBar().showMessage(
                f"Restored the backup of {date_format(chosen.taken_at, '%d %b %Y %H:%M')}", 8000
            )

    def _periodic_backup(self) -> None:
        if self.document is None or self.document.read_only or not self._edited_since_backup:
            return
        if self.document.plan.is_shared:
            return  # the server's administrator backs shared plans up
        try:
            self.document.plan.backup("auto")
            self._edited_since_backup = False
        except UserError as exc:
            self.statusBar().showMessage(str(exc), 15000)

    # --- pages
    def show_page(self, key: str) -> None:
        keys = [info.key for info in PAGES]
        self.nav.setCurrentRow(keys.index(key) if key in keys else 0)
        self._show_page_at(self.nav.currentRow())

    def _show_page_at(self, row: int) -> None:
        if self.document is None or row < 0:
            return
        info = PAGES[row]
        page = self.pages.get(info.key)
        if page is None:
            assert self.monitor is not None
            page = info.make(PageContext(self.document, self.monitor))
            status = getattr(page, "status", None)
            if status is not None:
                status.connect(lambda text: self.statusBar().showMessage(text, 5000))
            jump = getattr(page, "jump_to_event", None)
            if jump is not None:
                jump.connect(self.show_event)
            go_to = getattr(page, "show_page", None)
            if go_to is not None:
                go_to.connect(self.show_page)
            events_for = getattr(page, "show_events_for", None)
            if events_for is not None:
                events_for.connect(self.show_events_for)
            export_for = getattr(page, "export_for", None)
            if export_for is not None:
                export_for.connect(self.export_for)
            readiness = getattr(page, "show_readiness", None)
            if readiness is not None:
                readiness.connect(self.show_readiness)
            self.pages[info.key] = page
            self.page_stack.addWidget(page)
        self.page_stack.setCurrentWidget(page)
        self.state.set_last_view(info.key)

    def show_event(self, ref: str) -> None:
        """Show one event in the events list (from a conflict, say)."""
        from scheduler.ui.tables.events_page import EventsPage

        self.show_page("events")
        page = self.pages.get("events")
        if isinstance(page, EventsPage):
            page.reveal(ref)

    def show_events_for(self, course_code: str, unit_codes: list[str]) -> None:
        """The events list showing one course for some units (from the readiness pathway)."""
        from scheduler.ui.tables.events_page import EventsPage

        self.show_page("events")
        page = self.pages.get("events")
        if isinstance(page, EventsPage):
            page.filter_to(course_code, unit_codes)

    def show_readiness(self, partner_code: str) -> None:
        """The Readiness page narrowed to one partner (from the dashboard)."""
        from scheduler.ui.coordination import CoordinationPage

        self.show_page("readiness")
        page = self.pages.get("readiness")
        if isinstance(page, CoordinationPage):
            page.choose_partner(partner_code)

    def export_for(self, partner_code: str) -> None:
        """File ▸ Export schedule… with one partner chosen (from the releases due)."""
        from scheduler.ui import exchange_actions

        exchange_actions.export_schedule(self, partner_code)

    def print_report(self) -> None:
        """File ▸ Print…: the report dialog, set to the calendar or timeline in view."""
        if self.document is None:
            return
        from scheduler.ui.dialogs.report_dialog import open_report_dialog

        open_report_dialog(self, self.document, self.current_page())

    def current_page(self) -> QWidget | None:
        return self.page_stack.currentWidget() if self.document else None

    def focus_search(self) -> None:
        page = self.current_page()
        search = page.findChild(QLineEdit, "search") if page else None
        if search is not None:
            search.setFocus(Qt.FocusReason.ShortcutFocusReason)
            search.selectAll()

    def refresh_all(self) -> None:
        if self.document is not None:
            self.document.changed.emit(EVERYTHING)

    # --- status
    def _on_changed(self, _changes: Changes) -> None:
        self._edited_since_backup = True
        self._update_title()

    def _update_conflicts(self) -> None:
        monitor = self.monitor
        if monitor is None:
            self.conflicts_label.setText("")
        elif not monitor.ready:
            self.conflicts_label.setText("Checking conflicts…")
        else:
            counts = monitor.open_counts()
            self.conflicts_label.setText(
                f"Open conflicts: {count_text(counts['error'], 'error')}, "
                f"{count_text(counts['warning'], 'warning')}"
            )

    def _update_title(self) -> None:
        if self.document is None:
            self.setWindowTitle(APP_NAME)
            self.plan_label.setText("No plan open")
            self.conflicts_label.setText("")
            return
        plan = self.document.plan
        suffix = " (read-only)" if plan.read_only else ""
        self.setWindowTitle(f"{plan.name}{suffix} — {APP_NAME}")
        self.setWindowFilePath("" if plan.is_shared else str(plan.path))
        self.plan_label.setText(f"{plan.short_name}{suffix}")

    def _update_actions(self) -> None:
        has_plan = self.document is not None
        for name in (
            "save_copy",
            "backup_now",
            "restore",
            "close",
            "export",
            "import",
            "reply",
            "print",
            "template_plan",
        ):
            self.actions_by_name[name].setEnabled(has_plan)
        if self.document is not None and self.document.plan.is_shared:
            for name in ("save_copy", "backup_now", "restore"):  # files only
                self.actions_by_name[name].setEnabled(False)
        checkout = False
        if self.document is not None and not self.document.read_only:
            # Only with a plan open: the empty window loads no database library.
            from scheduler.services.offline import is_checkout

            checkout = is_checkout(self.document.plan)
        self.actions_by_name["synchronise"].setEnabled(checkout)

    def changeEvent(self, event: QEvent) -> None:
        # Light/dark switch of the system: redraw icons in the new text colour.
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "actions_by_name"):
            apply_icons(self.actions_by_name)
        super().changeEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.state.set_geometry(self.saveGeometry())
        self.close_plan()
        self.state.sync()
        event.accept()

    def about(self) -> None:
        from scheduler.ui.dialogs.about_dialog import show_about

        show_about(self)
