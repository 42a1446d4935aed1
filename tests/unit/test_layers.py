"""The layers of DESIGN.md as import rules.

Only scheduler.ui imports Qt: the rest must work with PySide6 absent. And
scheduler.ui reaches plans only through scheduler.services.
"""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

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


# --- the window reaches the data only through services (issue 17)

UI_PACKAGE = Path(scheduler.__file__).parent / "ui"
# What the window must never import while it runs: plan files and sessions,
# the commands and the demo generator are reached through scheduler.services
# (services/plan_files.py). A type-only import under ``if TYPE_CHECKING:`` is fine.
UI_NEVER_IMPORTS = ("scheduler.storage", "scheduler.commands", "scheduler.demo")


def _is_type_checking(test: ast.expr) -> bool:
    """``if TYPE_CHECKING:`` or ``if typing.TYPE_CHECKING:``."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(node: ast.AST, module: str, is_package: bool) -> list[str]:
    """The dotted names an import statement (or an ``import_module("…")`` call) loads."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        if node.level:
            parts = module.split(".") if is_package else module.split(".")[:-1]
            base = parts[: len(parts) - (node.level - 1)]
            origin = ".".join([*base, node.module] if node.module else base)
        else:
            origin = node.module or ""
        # ``from scheduler import storage`` names the package in the alias.
        return [origin, *(f"{origin}.{alias.name}" for alias in node.names)]
    if (
        isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and (
            (isinstance(node.func, ast.Name) and node.func.id in ("__import__", "import_module"))
            or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
        )
    ):
        return [node.args[0].value]
    return []


def run_time_imports(source: str, module: str, *, is_package: bool = False) -> set[tuple[int, str]]:
    """(line, dotted name) of every import in ``source`` that runs, at any depth.

    Relative imports are resolved against ``module``. The body of
    ``if TYPE_CHECKING:`` never runs and is skipped; its ``else:`` runs.
    """
    found: set[tuple[int, str]] = set()
    pending: list[ast.AST] = [ast.parse(source)]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            pending.extend(node.orelse)
            continue
        line = getattr(node, "lineno", 0)
        found.update((line, name) for name in _imported_names(node, module, is_package))
        pending.extend(ast.iter_child_nodes(node))
    return found


def _is_never_for_ui(name: str) -> bool:
    return any(name == banned or name.startswith(banned + ".") for banned in UI_NEVER_IMPORTS)


def test_the_window_never_imports_storage_commands_or_demo_at_run_time() -> None:
    """scheduler.ui reaches plans only through scheduler.services (DESIGN.md, Layers)."""
    root = UI_PACKAGE.parent.parent
    files = sorted(UI_PACKAGE.rglob("*.py"))
    assert UI_PACKAGE / "main_window.py" in files
    found = []
    for path in files:
        parts = path.relative_to(root).with_suffix("").parts
        is_package = parts[-1] == "__init__"
        module = ".".join(parts[:-1] if is_package else parts)
        source = path.read_text(encoding="utf-8")
        banned: dict[int, list[str]] = {}
        for line, name in run_time_imports(source, module, is_package=is_package):
            if _is_never_for_ui(name):
                banned.setdefault(line, []).append(name)
        # One line per statement, naming the module rather than each name taken from it.
        found += [
            f"{path.relative_to(root)}:{line}: imports {min(names, key=len)}"
            for line, names in sorted(banned.items())
        ]
    assert found == [], "the window must go through scheduler.services:\n" + "\n".join(found)


def test_the_import_check_sees_every_way_of_writing_an_import() -> None:
    """The check above must not pass because it overlooked an import."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "import scheduler.storage.plan\n"  # 2
        "from scheduler import storage\n"  # 3
        "if TYPE_CHECKING:\n"
        "    from scheduler.storage import Plan\n"  # type-only: allowed
        "else:\n"
        "    from scheduler.commands import plan_file\n"  # 7
        "def f() -> None:\n"
        "    from ...demo import build_demo\n"  # 9
        "    import importlib\n"
        "    importlib.import_module('scheduler.storage.backups')\n"  # 11
        "    from ...services.plan_files import open_plan\n"  # the road: allowed
    )
    found = run_time_imports(source, "scheduler.ui.dialogs.sample")
    assert {line for line, name in found if _is_never_for_ui(name)} == {2, 3, 7, 9, 11}
    assert (12, "scheduler.services.plan_files") in found


# --- exchange, reports and planning never reach the data; services never the window


# Packages held to a rule, what they must never reach at run time (directly or
# through the scheduler modules they import), and packages left out of the rule.
NO_DATA = ("sqlalchemy", "scheduler.storage", "scheduler.services")
LAYER_RULES: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    # formats only: written from plain rows that services read
    ("scheduler.exchange", NO_DATA, ()),
    # report content from plain rows, marking and working week resolved by
    # services; render/ only paints (see the tests above)
    ("scheduler.reports", (*NO_DATA, "scheduler.preferences"), (RENDER_PACKAGE,)),
    # pure logic: no database, no files, no other layer
    (
        "scheduler.planning",
        (
            *NO_DATA,
            "scheduler.model",
            "scheduler.exchange",
            "scheduler.reports",
            "scheduler.ui",
            "scheduler.commands",
            "scheduler.demo",
            "scheduler.preferences",
            "scheduler.app_paths",
            "openpyxl",
            "icalendar",
            "PySide6",
            "pathlib",
            "os",
            "io",
            "shutil",
            "tempfile",
            "subprocess",
            "socket",
            "sqlite3",
            "zipfile",
        ),
        (),
    ),
    # the road from the window and the commands to the data never leads back up
    ("scheduler.services", ("scheduler.ui", "PySide6", "shiboken6"), ()),
)
# The plan's closed vocabularies: plain enums and language codes that any layer
# may name (they import sqlalchemy's Enum type for the columns; not followed).
VOCABULARIES = ("scheduler.model.enums", "scheduler.model.languages")


def _modules(package_root: Path) -> dict[str, Path]:
    """Every module of the ``scheduler`` package under ``package_root``, by dotted name."""
    found: dict[str, Path] = {}
    for path in sorted(package_root.rglob("*.py")):
        parts = path.relative_to(package_root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _within(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


class ImportGraph:
    """The run-time imports of the ``scheduler`` modules under ``package_root``.

    An import names the module it loads (``from a.b import c`` loads ``a.b``,
    or ``a.b.c`` when that is a module); a package's ``__init__`` counts only
    when the package itself is named.
    """

    def __init__(self, package_root: Path) -> None:
        self.root = package_root.parent
        self.paths = _modules(package_root)
        self._edges: dict[str, list[tuple[int, str]]] = {}

    def _target(self, name: str) -> str:
        """The scheduler module a dotted name loads, or the name itself (outside)."""
        if not _within(name, ("scheduler",)):
            return name
        parts = name.split(".")
        for end in range(len(parts), 0, -1):
            candidate = ".".join(parts[:end])
            if candidate in self.paths:
                return candidate
        return name

    def edges(self, module: str) -> list[tuple[int, str]]:
        """(line, module loaded) of each run-time import of ``module``."""
        if module not in self._edges:
            path = self.paths[module]
            found = run_time_imports(
                path.read_text(encoding="utf-8"), module, is_package=path.name == "__init__.py"
            )
            loaded = {(line, self._target(name)) for line, name in found}
            self._edges[module] = sorted(loaded)
        return self._edges[module]

    def where(self, module: str) -> str:
        return str(self.paths[module].relative_to(self.root))

    def reaches(self, start: str, banned: tuple[str, ...]) -> list[str] | None:
        """The shortest chain of imports from ``start`` to a banned module, as
        "module (file:line)" steps, or None when it reaches none."""
        if _within(start, banned):
            return []
        queue: list[tuple[str, list[str]]] = [(start, [])]
        seen = {start}
        while queue:
            module, chain = queue.pop(0)
            if module not in self.paths or _within(module, VOCABULARIES):
                continue
            for line, loaded in self.edges(module):
                step = [*chain, f"{loaded} ({self.where(module)}:{line})"]
                if _within(loaded, banned):
                    return step
                if loaded not in seen:
                    seen.add(loaded)
                    queue.append((loaded, step))
        return None

    def violations(
        self, package: str, banned: tuple[str, ...], left_out: tuple[str, ...] = ()
    ) -> list[str]:
        """One "file:line: imports X[, which reaches …]" for each import of a
        module of ``package`` that loads, or leads through other packages to, a
        banned one.

        An import of another module of ``package`` is not followed: that
        module's own imports are reported at their own lines.
        """
        found: list[str] = []
        for module in self.paths:
            if not _within(module, (package,)) or _within(module, left_out):
                continue
            by_line: dict[int, list[tuple[str, list[str]]]] = {}
            for line, loaded in self.edges(module):
                if _within(loaded, (package,)) or _within(loaded, VOCABULARIES):
                    continue
                chain = self.reaches(loaded, banned)
                if chain is not None:
                    by_line.setdefault(line, []).append((loaded, chain))
            # One line per statement, naming the module rather than each name taken from it.
            for line, hits in sorted(by_line.items()):
                loaded, chain = min(hits, key=lambda hit: len(hit[0]))
                text = f"{self.where(module)}:{line}: imports {loaded}"
                if chain:
                    text += ", which reaches " + " → ".join(chain)
                found.append(text)
        return found


def _check_layer(package: str) -> None:
    rules = {name: (banned, left_out) for name, banned, left_out in LAYER_RULES}
    banned, left_out = rules[package]
    graph = ImportGraph(Path(scheduler.__file__).parent)
    assert any(_within(m, (package,)) for m in graph.paths), package
    found = graph.violations(package, banned, left_out)
    assert found == [], f"{package} must not reach {', '.join(banned)}:\n" + "\n".join(found)


def test_exchange_writes_formats_from_plain_rows_and_never_reads_the_plan() -> None:
    """DESIGN.md: exchange is formats only; services.export_rows reads for it."""
    _check_layer("scheduler.exchange")


def test_report_content_is_built_from_plain_rows_and_never_reads_the_plan() -> None:
    """DESIGN.md: reports/ is plain report content; services.report_rows reads for it."""
    _check_layer("scheduler.reports")


def test_planning_is_pure_logic_without_database_or_files() -> None:
    _check_layer("scheduler.planning")
    package = Path(scheduler.__file__).parent
    opens = [
        f"{path.relative_to(package.parent)}:{node.lineno}: calls open()"
        for path in sorted((package / "planning").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open"
    ]
    assert opens == [], "planning does no I/O:\n" + "\n".join(opens)


def test_services_never_import_the_window() -> None:
    """The window calls services; services never call back up (nor need Qt)."""
    _check_layer("scheduler.services")


def test_the_layer_check_follows_imports_through_other_packages(tmp_path: Path) -> None:
    """A violation two modules away is found and named with its chain; type-only
    imports, the vocabularies and the package's own modules are not followed."""
    files = {
        "scheduler/__init__.py": "",
        "scheduler/model/__init__.py": "import sqlalchemy\n",
        "scheduler/model/enums.py": "from sqlalchemy import Enum\n",
        "scheduler/services/__init__.py": "",
        "scheduler/services/rows.py": "from sqlalchemy.orm import Session\n",
        "scheduler/services/words.py": "",
        "scheduler/exchange/__init__.py": "",
        "scheduler/exchange/sheet.py": (
            "from typing import TYPE_CHECKING\n"
            "from scheduler.model.enums import EventStatus\n"  # a vocabulary: fine
            "from scheduler.exchange import other\n"  # own package: reported there
            "from scheduler.services.words import WORDS\n"  # reaches nothing banned
            "if TYPE_CHECKING:\n"
            "    from scheduler.services.rows import Row\n"  # type-only: fine
            "def f() -> None:\n"
            "    from scheduler.services import rows\n"  # 8: reaches sqlalchemy
        ),
        "scheduler/exchange/other.py": "from scheduler.model import Course\n",  # 1
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    graph = ImportGraph(tmp_path / "scheduler")
    assert graph.violations("scheduler.exchange", ("sqlalchemy",)) == [
        "scheduler/exchange/other.py:1: imports scheduler.model, "
        "which reaches sqlalchemy (scheduler/model/__init__.py:1)",
        "scheduler/exchange/sheet.py:8: imports scheduler.services.rows, "
        "which reaches sqlalchemy.orm (scheduler/services/rows.py:1)",
    ]
