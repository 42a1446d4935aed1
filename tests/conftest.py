"""Shared fixtures: an isolated program home, and plan files copied from templates.

Building a plan runs the migrations (about a second); tests copy a template
made once per session instead, as Anki's tests do.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.postgres import postgres_server, server_url  # noqa: F401  (fixtures)

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session", autouse=True)
def one_application(qapp: object) -> object:
    """The widgets' QApplication, made before any command starts the bare
    QGuiApplication it paints PDFs with (which would then stand in its place
    and abort the first window a later test opens)."""
    return qapp


@pytest.fixture(autouse=True)
def program_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Backups, logs and the demo plan go to a temporary folder, never the user's."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("TRAINING_SCHEDULER_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def empty_plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scheduler.storage import create_plan

    home = tmp_path_factory.mktemp("template-home")
    os.environ["TRAINING_SCHEDULER_HOME"] = str(home)
    path = tmp_path_factory.mktemp("templates") / "empty.tsplan"
    with create_plan(path, name="Test plan"):
        pass
    return path


@pytest.fixture(scope="session")
def demo_plan_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from scheduler.commands.plan_file import write_demo_plan

    home = tmp_path_factory.mktemp("template-home")
    os.environ["TRAINING_SCHEDULER_HOME"] = str(home)
    path = tmp_path_factory.mktemp("templates") / "demo.tsplan"
    write_demo_plan(path, events=None, seed=1, force=False)
    return path


def _copy(template: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copyfile(template, target)
    return target


@pytest.fixture
def empty_plan_path(empty_plan_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh empty plan file (nations only) in a folder with a space and non-ASCII letters."""
    folder = tmp_path / "plans Скопје"
    folder.mkdir()
    yield _copy(empty_plan_template, folder, "Plan Đurić.tsplan")


@pytest.fixture
def demo_plan_path(demo_plan_template: Path, tmp_path: Path) -> Iterator[Path]:
    yield _copy(demo_plan_template, tmp_path, "demo.tsplan")
