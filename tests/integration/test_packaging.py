"""The wheel carries everything the program needs at run time.

A non-editable install must find the resources (icons, templates) and the
Alembic migrations inside the installed package, not in a source checkout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(out),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    (built,) = out.glob("training_scheduler-*.whl")
    return built


def test_wheel_holds_resources_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "scheduler/resources/icons/training-scheduler.svg" in names
    assert "scheduler/storage/migrations/env.py" in names
    assert "scheduler/storage/migrations/versions/0001_baseline.py" in names
    assert "scheduler/storage/migrations/script.py.mako" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_wheel_finds_its_resources_and_makes_a_plan(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        timeout=300,
    )
    script = (
        "import scheduler, sys;"
        "from scheduler.resources_path import resource;"
        "assert 'site' in scheduler.__file__, scheduler.__file__;"
        "icon = resource('icons', 'training-scheduler.svg');"
        "assert icon.is_file() and 'site' in str(icon), icon;"
        "from scheduler.cli import main;"
        "sys.exit(main(['new', sys.argv[1]]))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    plan = tmp_path / "plan from wheel.tsplan"
    result = subprocess.run(
        [sys.executable, "-c", script, str(plan)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert plan.is_file()
