"""Bad plan files: a clear message, exit code 2, and the file byte-for-byte unchanged."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from scheduler.cli import main


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _random_bytes(folder: Path, _plan: Path) -> Path:
    path = folder / "random.tsplan"
    path.write_bytes(os.urandom(64 * 1024))
    return path


def _text_file(folder: Path, _plan: Path) -> Path:
    path = folder / "notes.tsplan"
    path.write_text("Plan for 2027: Криволак, Đurić, Ëlira\n" * 50, encoding="utf-8")
    return path


def _empty_file(folder: Path, _plan: Path) -> Path:
    path = folder / "empty.tsplan"
    path.touch()
    return path


def _truncated_plan(_folder: Path, plan: Path) -> Path:
    data = plan.read_bytes()
    plan.write_bytes(data[: len(data) // 2])
    return plan


def _newer_schema(_folder: Path, plan: Path) -> Path:
    with sqlite3.connect(plan) as db:
        db.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    db.close()
    return plan


def _foreign_database(folder: Path, _plan: Path) -> Path:
    path = folder / "contacts.tsplan"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE contact (name TEXT)")
        db.execute("INSERT INTO contact VALUES ('Šabić')")
    db.close()
    return path


def _read_only_plan(_folder: Path, plan: Path) -> Path:
    plan.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return plan


BAD_FILES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "random bytes": (_random_bytes, "is not a Training Scheduler plan"),
    "text file": (_text_file, "is not a Training Scheduler plan"),
    "empty file": (_empty_file, "is empty"),
    "truncated plan": (_truncated_plan, "is damaged"),
    "newer schema": (_newer_schema, "saved by a newer version"),
    "other program's database": (_foreign_database, "not a Training Scheduler plan"),
    "read-only plan": (_read_only_plan, "is read-only"),
}


@pytest.fixture(params=sorted(BAD_FILES))
def bad_file(request: pytest.FixtureRequest, empty_plan_path: Path) -> tuple[Path, str]:
    make, expected = BAD_FILES[request.param]
    return make(empty_plan_path.parent, empty_plan_path), expected


@pytest.mark.parametrize("command", [["info"], ["info", "--json"], ["migrate"], ["backup"]])
def test_bad_file_gives_a_message_and_stays_unchanged(
    bad_file: tuple[Path, str], command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, expected = bad_file
    before = _digest(path)
    neighbours = sorted(p.name for p in path.parent.iterdir())

    assert main([*command, str(path)]) == 2

    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert _digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == neighbours  # no lock, WAL or journal


def test_missing_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path / "nowhere" / "plan.tsplan")]) == 2
    assert "There is no plan at" in capsys.readouterr().err


def test_folder_instead_of_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err


def test_demo_does_not_overwrite_without_force(
    empty_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _digest(empty_plan_path)
    assert main(["demo", str(empty_plan_path)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert _digest(empty_plan_path) == before


def test_bad_arguments_exit_2_with_a_sentence(capsys: pytest.CaptureFixture[str]) -> None:
    assert_exit = pytest.raises(SystemExit)
    with assert_exit as caught:
        main(["demo", "x.tsplan", "--events", "many"])
    assert caught.value.code == 2
    assert "is not a whole number" in capsys.readouterr().err


def test_real_process_reports_without_traceback(tmp_path: Path) -> None:
    path = tmp_path / "garbage plan.tsplan"
    path.write_bytes(b"\x00\xff" * 1000)
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "info", "--json", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "is not a Training Scheduler plan" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_plan_damaged_after_a_clean_close_is_still_caught(
    empty_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.storage import open_plan
    from scheduler.storage.verified import is_verified

    with open_plan(empty_plan_path):
        pass
    assert is_verified(empty_plan_path)  # reopening skips the full page check...
    data = bytearray(empty_plan_path.read_bytes())
    empty_plan_path.write_bytes(bytes(data[: len(data) - 4096]))
    assert not is_verified(empty_plan_path)  # ...until the file changes
    assert main(["info", str(empty_plan_path)]) == 2
    assert "is damaged" in capsys.readouterr().err
