"""File ▸ Take a copy offline… and File ▸ Synchronise…, on a worker thread.

Taking a copy offline writes a checkout of the shared plan and opens it.
Synchronising first looks (nothing written), shows what would come and go
and every conflict with a choice, and only then writes both sides. Cancel
stops it while nothing has been written to the server; once the server
has taken the sync, the file's part always follows.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QMessageBox

from scheduler.app_paths import PLAN_SUFFIX, plans_dir
from scheduler.errors import UserError
from scheduler.progress import Cancelled, ProgressCallback
from scheduler.services.changes import EVERYTHING
from scheduler.ui.messages import show_bug, show_error
from scheduler.ui.plan_opening import ask_server_url
from scheduler.ui.workers import run_with_progress

if TYPE_CHECKING:
    from scheduler.services.offline import Resolution, SyncLook, SyncReport
    from scheduler.ui.main_window import MainWindow

TITLE = "Synchronise"


def _failed(
    window: MainWindow, title: str, retry: Callable[[str], None] | None = None
) -> Callable[[BaseException], None]:
    """Say what went wrong. When the server could not be used (no answer, a
    password refused), ask for its address: ``retry`` runs with the one typed."""

    def report(error: BaseException) -> None:
        if isinstance(error, Cancelled):
            window.statusBar().showMessage(str(error), 8000)
        elif isinstance(error, UserError):
            text = str(error)
            if retry is not None and text.startswith("Could not use the shared plan"):
                url = ask_server_url(
                    window, title, why=f"{text}\n\nType the address again, with its password."
                )
                if url:
                    retry(url)
                return
            show_error(window, title, text)
        else:
            show_bug(window, error)

    return report


def take_offline(window: MainWindow) -> None:
    """Check out the shared plan open in the window (or one typed in) into a file, and open it."""
    from scheduler.services.offline import server_url_of

    document = window.document
    shared = server_url_of(document.plan) if document is not None else None
    if document is not None and shared is not None:
        origin, name = shared, document.plan.name
    else:
        typed = ask_server_url(window, "Take a copy offline")
        if not typed:
            return
        origin, name = typed, "Shared plan"
    from scheduler.ui.main_window import PLAN_FILTER

    chosen, _ = QFileDialog.getSaveFileName(
        window,
        "Take a copy offline",
        str(plans_dir() / f"{name} offline{PLAN_SUFFIX}"),
        PLAN_FILTER,
    )
    if not chosen:
        return
    path = Path(chosen)
    if path.suffix.lower() != PLAN_SUFFIX:
        path = path.with_name(path.name + PLAN_SUFFIX)

    def work(_progress: ProgressCallback) -> object:
        from scheduler.services.offline import take_offline as checkout

        return checkout(origin, path)

    def done(_result: object) -> None:
        if window.open_path(path):
            window.statusBar().showMessage(
                f"Took the shared plan offline into {path.name}. Work on it anywhere; "
                "File ▸ Synchronise… brings both together again.",
                15000,
            )

    window.job = run_with_progress(
        window,
        "Taking the shared plan offline…",
        work,
        done,
        _failed(window, "Take a copy offline"),
    )


def synchronise(window: MainWindow, origin: str | None = None) -> None:
    """Look first, ask about every conflict, then synchronise the open checkout."""
    document = window.document
    if document is None or document.read_only or document.plan.is_shared:
        return
    plan = document.plan
    from scheduler.services.offline import WRITING_FILE, look_at_sync, summary_lines
    from scheduler.services.offline import synchronise as sync_both

    def steps(progress: ProgressCallback) -> Callable[[str], None]:
        def step(name: str) -> None:
            if not progress(0, 0) and name != WRITING_FILE:
                raise Cancelled("Stopped. Nothing was synchronised.")

        return step

    def look(progress: ProgressCallback) -> SyncLook:
        return look_at_sync(plan, origin, steps(progress))

    def looked(found: SyncLook) -> None:
        report = found.report
        if report.nothing_to_do and not report.finished_interrupted:
            QMessageBox.information(
                window, TITLE, "This file and the shared plan are the same plan: nothing to bring."
            )
            return
        from scheduler.ui.dialogs.sync_dialog import SyncDialog

        dialog = SyncDialog(found.summary, found.rows, window)
        if dialog.exec():
            write(dialog.resolutions())

    def write(resolutions: dict[str, Resolution]) -> None:
        def work(progress: ProgressCallback) -> SyncReport:
            return sync_both(plan, origin, resolutions, steps(progress))

        def done(report: SyncReport) -> None:
            if report.unsettled:  # someone changed the shared plan since the look
                QMessageBox.information(
                    window,
                    TITLE,
                    "The shared plan changed meanwhile. Look again at what conflicts now.",
                )
                synchronise(window, origin)
                return
            document.undo_stack.clear()  # earlier steps may name records the sync changed
            document.changed.emit(EVERYTHING)
            window.statusBar().showMessage(" ".join(summary_lines(report)), 15000)

        window.job = run_with_progress(window, "Synchronising…", work, done, _failed(window, TITLE))

    def again(url: str) -> None:
        synchronise(window, url)

    window.job = run_with_progress(
        window, "Looking at what changed on each side…", look, looked, _failed(window, TITLE, again)
    )
