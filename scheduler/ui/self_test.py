"""``training-scheduler --self-test``: prove this installation works, end to end.

Meant for a freshly installed bundle (no Python on the machine, no network):
it exercises what a bundle most easily loses (Qt plugins, the Alembic
scripts on disk, the holiday tables imported by name, package metadata)
along the road a planner takes: a demo plan, the window with its main
pages, and the workbooks sent to partners, read back with openpyxl.

Everything happens in a temporary folder used as ``TRAINING_SCHEDULER_HOME``
(removed afterwards), so the planner's plans, backups and preferences are
never touched. Qt runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
A dialog popping up is a failure (it would wait for a click forever).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from scheduler import APP_ID
from scheduler.app_paths import HOME_ENV, PLAN_SUFFIX
from scheduler.errors import UserError
from scheduler.planning.wording import count_text

if TYPE_CHECKING:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from scheduler.services.plan_files import Plan
    from scheduler.ui.main_window import MainWindow

log = logging.getLogger(__name__)
PAGES_SHOWN = ("dashboard", "calendar", "timeline")
HOLIDAY_NATIONS = ("AL", "BA", "ME", "MK", "RS", "XK")
PARTNER = "MK"
# A name in Cyrillic and Latin with diacritics: the path must survive both.
PLAN_NAME = f"Демо план – Škola{PLAN_SUFFIX}"
WAIT_SECONDS = 30.0


class SelfTestFailure(Exception):
    """A step found something wrong; the message is one plain sentence."""


@dataclass
class SelfTest:
    """The steps share the temporary folder, the application and the open window."""

    folder: Path
    out: TextIO
    app: QApplication | None = None
    window: MainWindow | None = None
    plan_path: Path | None = None
    dialogs: list[str] = field(default_factory=list)
    guard: QTimer | None = None
    previous_handler: object = None

    # --- the steps, in order
    def qt(self) -> str:
        from PySide6.QtCore import qInstallMessageHandler, qVersion
        from PySide6.QtGui import QIcon, QImageReader

        from scheduler.resources_path import resource
        from scheduler.ui.app import make_application

        self.app = make_application([APP_ID])
        self.previous_handler = qInstallMessageHandler(_qt_message_to_log)
        self._guard_dialogs()
        formats = {bytes(f.data()).decode() for f in QImageReader.supportedImageFormats()}
        if "svg" not in formats:
            raise SelfTestFailure("Qt cannot read SVG images: its image plugins are missing.")
        icon = QIcon(str(resource("icons", "training-scheduler.svg")))
        if icon.pixmap(64, 64).isNull():
            raise SelfTestFailure("The program's icon cannot be drawn.")
        return f"Qt {qVersion()}, platform {self.app.platformName()}"

    def migrations(self) -> str:
        from scheduler.services.plan_files import upgrade_scripts

        scripts = upgrade_scripts()
        if not scripts.complete:
            found = ", ".join(scripts.found) or "none"
            raise SelfTestFailure(f"The plan upgrade scripts are incomplete (found {found}).")
        return f"head {scripts.head}"

    def holidays(self) -> str:
        from scheduler.planning.workdays import public_holidays

        empty = [code for code in HOLIDAY_NATIONS if not public_holidays(code, 2027)]
        if empty:
            raise SelfTestFailure(f"The public holidays of {', '.join(empty)} are missing.")
        return f"{len(HOLIDAY_NATIONS)} nations"

    def demo_plan(self) -> str:
        from scheduler.services.plan_files import write_demo_plan

        self.plan_path = self.folder / PLAN_NAME
        counts = write_demo_plan(self.plan_path, events=None, seed=1, force=False)
        if not counts.get("events"):
            raise SelfTestFailure("The demo plan has no events.")
        return f"{counts['events']} events"

    def main_window(self) -> str:
        from PySide6.QtCore import QSettings

        from scheduler.services.plan_files import open_plan
        from scheduler.ui.main_window import MainWindow
        from scheduler.ui.ui_state import UiState

        assert self.plan_path is not None
        state = UiState(QSettings(str(self.folder / "state.ini"), QSettings.Format.IniFormat))
        self.window = MainWindow(state)
        self.window.resize(1280, 800)
        self.window.show()
        self.window.set_plan(open_plan(self.plan_path))
        monitor = self.window.monitor
        self._wait(lambda: monitor is not None and monitor.ready, "checking conflicts")
        assert monitor is not None
        counts = monitor.open_counts()
        return (
            f"{count_text(counts['error'], 'open error')}, "
            f"{count_text(counts['warning'], 'warning')}"
        )

    def pages(self) -> str:
        window = self._window()
        for key in PAGES_SHOWN:
            window.show_page(key)
            self._settle()
            page = window.pages.get(key)
            if page is None or not page.isVisible():
                raise SelfTestFailure(f"The {key} page did not open.")
            if page.grab().isNull():
                raise SelfTestFailure(f"The {key} page cannot be drawn.")
        return ", ".join(PAGES_SHOWN)

    def about(self) -> str:
        from scheduler.ui.dialogs.about_dialog import bundled_components

        components = bundled_components()
        missing = [c.name for c in components if c.licence == "?"]
        if missing:
            raise SelfTestFailure(f"The package details of {', '.join(missing)} are missing.")
        return f"{len(components)} components listed"

    def master_workbook(self) -> str:
        from scheduler.services.exports import ExportRequest, export_plan

        target = self.folder / "master.xlsx"
        result = export_plan(self._plan(), ExportRequest(target=target))
        return self._check_workbook(target, result.events)

    def partner_workbook(self) -> str:
        from scheduler.services.exports import ExportRequest, export_plan

        target = self.folder / f"partner {PARTNER}.xlsx"
        result = export_plan(self._plan(), ExportRequest(target=target, partner=PARTNER))
        return self._check_workbook(target, result.events)

    # --- helpers
    def _window(self) -> MainWindow:
        if self.window is None:
            raise SelfTestFailure("The main window did not open.")
        return self.window

    def _plan(self) -> Plan:
        document = self._window().document
        if document is None:
            raise SelfTestFailure("The demo plan is not open in the window.")
        return document.plan

    def _check_workbook(self, path: Path, events: int) -> str:
        import openpyxl

        from scheduler.exchange.schedule_sheet import SCHEDULE_SHEET

        if events <= 0:
            raise SelfTestFailure(f"{path.name} has no events.")
        book = openpyxl.load_workbook(path)
        try:
            if SCHEDULE_SHEET not in book.sheetnames:
                raise SelfTestFailure(f"{path.name} has no {SCHEDULE_SHEET} sheet.")
            rows = sum(
                1
                for row in book[SCHEDULE_SHEET].iter_rows(values_only=True)
                if any(cell is not None for cell in row)
            )
            if rows <= events:
                raise SelfTestFailure(
                    f"{path.name} lists {rows} rows for {events} events on its schedule."
                )
            return f"{len(book.sheetnames)} sheets, {events} events"
        finally:
            book.close()

    def _settle(self) -> None:
        """Let queued paints and timers run (and fail on a dialog that opened)."""
        from PySide6.QtCore import QCoreApplication

        for _ in range(5):
            QCoreApplication.processEvents()
            self._close_dialogs()

    def _wait(self, done: Callable[[], bool], what: str) -> None:
        from PySide6.QtCore import QCoreApplication, QEventLoop

        deadline = time.monotonic() + WAIT_SECONDS
        while not done():
            if time.monotonic() > deadline:
                raise SelfTestFailure(f"Gave up waiting for {what}.")
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            self._close_dialogs()
            time.sleep(0.01)

    def _guard_dialogs(self) -> None:
        """Close any modal dialog at once (its own event loop runs this timer)."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QMessageBox

        def close_modal() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                return
            text = dialog.text() if isinstance(dialog, QMessageBox) else dialog.windowTitle()
            self.dialogs.append(text)
            dialog.close()

        self.guard = QTimer()
        self.guard.setInterval(100)
        self.guard.timeout.connect(close_modal)
        self.guard.start()

    def _close_dialogs(self) -> None:
        if self.dialogs:
            raise SelfTestFailure(f"A message appeared: {self.dialogs[0]}")

    def close(self) -> None:
        if self.guard is not None:
            self.guard.stop()
        if self.window is not None:
            self.window.close()
            self.window.deleteLater()
            self.window = None
        if self.app is not None:
            from PySide6.QtCore import QCoreApplication, QEvent, qInstallMessageHandler

            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QCoreApplication.processEvents()
            qInstallMessageHandler(self.previous_handler)  # type: ignore[arg-type]


def _qt_message_to_log(mode: object, _context: object, message: str) -> None:
    """Qt's own chatter (the offscreen platform's, mostly) goes to the log, not the screen."""
    log.info("Qt: %s", message)


STEPS: tuple[tuple[str, Callable[[SelfTest], str]], ...] = (
    ("Qt and its plugins", SelfTest.qt),
    ("plan upgrade scripts", SelfTest.migrations),
    ("holiday calendars", SelfTest.holidays),
    ("demo plan", SelfTest.demo_plan),
    ("main window", SelfTest.main_window),
    ("pages", SelfTest.pages),
    ("about", SelfTest.about),
    ("master workbook", SelfTest.master_workbook),
    ("partner workbook", SelfTest.partner_workbook),
)


@contextmanager
def _private_home() -> Iterator[Path]:
    """A temporary data folder for the run; the previous setting is put back after."""
    try:
        folder = Path(tempfile.mkdtemp(prefix=f"{APP_ID}-self-test-"))
    except OSError as exc:
        raise UserError(f"The self-test cannot make a temporary folder: {exc}.") from exc
    previous = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(folder)
    try:
        yield folder
    finally:
        if previous is None:
            os.environ.pop(HOME_ENV, None)
        else:
            os.environ[HOME_ENV] = previous
        shutil.rmtree(folder, ignore_errors=True)


def run_self_test(out: TextIO | None = None) -> int:
    """Run every step, one line each; 0 when all passed, 1 at the first failure."""
    out = out or sys.stdout
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.monotonic()
    with _private_home() as folder:
        test = SelfTest(folder, out)
        try:
            for title, step in STEPS:
                step_started = time.monotonic()
                try:
                    detail = step(test)
                    test._close_dialogs()
                except SelfTestFailure as exc:
                    return _failed(out, title, str(exc))
                except UserError as exc:
                    return _failed(out, title, str(exc))
                except Exception as exc:
                    log.exception("self-test step %s failed", title)
                    return _failed(out, title, f"{type(exc).__name__}: {exc}")
                seconds = time.monotonic() - step_started
                print(f"{title} … ok ({detail}; {seconds:.1f} s)", file=out, flush=True)
        finally:
            test.close()
    print(f"Self-test passed in {time.monotonic() - started:.1f} s.", file=out, flush=True)
    return 0


def _failed(out: TextIO, title: str, sentence: str) -> int:
    print(f"{title} … FAILED", file=out, flush=True)
    print(f"Self-test failed: {sentence}", file=sys.stderr, flush=True)
    return 1
