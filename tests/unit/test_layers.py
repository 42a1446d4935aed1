"""Only scheduler.ui imports Qt: the rest must work with PySide6 absent."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import scheduler

CORE_PACKAGES = (
    "model",
    "storage",
    "planning",
    "services",
    "exchange",
    "commands",
    "demo",
    "reports",
)
# The one place outside scheduler.ui allowed Qt: the report painter, QtGui only.
RENDER_PACKAGE = "scheduler.reports.render"


def _core_modules() -> list[str]:
    found = ["scheduler.cli", "scheduler.errors"]
    for info in pkgutil.walk_packages(scheduler.__path__, "scheduler."):
        top = info.name.split(".")[1]
        if (
            top in CORE_PACKAGES
            and ".migrations" not in info.name
            and not info.name.startswith(RENDER_PACKAGE)
        ):
            found.append(info.name)
    return found


def test_core_packages_import_without_qt() -> None:
    modules = _core_modules()
    assert "scheduler.storage.plan" in modules
    script = (
        "import sys\n"
        "sys.modules['PySide6'] = None  # any Qt import now fails\n"
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith('PySide6.') for m in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr


def test_report_painter_uses_no_widgets() -> None:
    """It paints PDFs on servers without a display and on worker threads."""
    modules = [
        info.name
        for info in pkgutil.walk_packages(scheduler.__path__, "scheduler.")
        if info.name.startswith(RENDER_PACKAGE)
    ]
    assert f"{RENDER_PACKAGE}.documents" in modules
    script = (
        "import sys\n"
        "sys.modules['PySide6.QtWidgets'] = None\n"
        "sys.modules['PySide6.QtPrintSupport'] = None\n"
        "import importlib\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith('scheduler.ui.') for m in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
