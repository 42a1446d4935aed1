"""``--self-test`` proves an installation works, and touches nothing of the user's."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.ui.self_test import STEPS, run_self_test

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_from_the_source_tree(program_home: Path, tmp_path: Path) -> None:
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}  # it sets offscreen
    env.update({"TMPDIR": str(temp), "TEMP": str(temp), "TMP": str(temp)})

    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "--self-test"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    for title, _step in STEPS:
        assert any(line.startswith(f"{title} … ok") for line in lines), result.stdout
    assert lines[-1].startswith("Self-test passed")
    assert "demo plan … ok (320 events" in result.stdout
    assert list(temp.iterdir()) == []  # its temporary folder is gone
    # The planner's own folder got at most the log: no plan, backup or preference.
    assert {p.name for p in program_home.iterdir()} <= {"logs"}


def test_a_failing_step_ends_with_one_plain_sentence(
    qapp: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.storage import schema

    shipped = schema.REVISIONS
    monkeypatch.setattr(schema, "REVISIONS", (*shipped, "9999_from_the_future"))
    out = io.StringIO()

    code = run_self_test(out)

    assert code == 1
    assert out.getvalue().splitlines()[-1] == "plan upgrade scripts … FAILED"
    error = capsys.readouterr().err.strip()
    assert error == (
        f"Self-test failed: The plan upgrade scripts are incomplete (found {', '.join(shipped)})."
    )
