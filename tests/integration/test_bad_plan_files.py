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


def _flip(path: Path, offset: int, *, keep_time: bool) -> None:
    stamp = path.stat()
    with path.open("r+b") as handle:
        handle.seek(offset)
        data = handle.read(16)
        handle.seek(offset)
        handle.write(bytes(b ^ 0xFF for b in data))
    if keep_time:
        os.utime(path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))


@pytest.mark.parametrize("fraction", [0.15, 0.3, 0.45, 0.6, 0.75, 0.9])
def test_flipped_bytes_are_refused_before_any_write(
    demo_plan_path: Path, fraction: float, capsys: pytest.CaptureFixture[str]
) -> None:
    """Sixteen bytes flipped in the middle of a plan this program closed cleanly,
    its modification time put back: every command refuses it, and nothing is written
    (no lock, no WAL, no backup, the bytes unchanged)."""
    from scheduler.storage import list_backups, open_plan

    with open_plan(demo_plan_path, backup_on_open=False):
        pass
    size = demo_plan_path.stat().st_size
    _flip(demo_plan_path, int(size * fraction) // 4096 * 4096 + 2000, keep_time=True)
    damaged = _digest(demo_plan_path)
    for command in (["info"], ["check"], ["import", "--dry-run"], ["export", "-o"]):
        args = [command[0], str(demo_plan_path), *command[1:]]
        if command[0] == "export":
            args.append(str(demo_plan_path.with_name("out.xlsx")))
        if command[0] == "import":
            args.append(str(demo_plan_path))  # never reached
        assert main(args) == 2, args
        err = capsys.readouterr().err
        assert "is damaged" in err and "Restore" in err and "Traceback" not in err
    assert _digest(demo_plan_path) == damaged
    siblings = sorted(p.name for p in demo_plan_path.parent.iterdir())
    assert siblings == [demo_plan_path.name]
    assert list_backups(demo_plan_path) == []


def test_an_index_damaged_without_keeping_the_time_fails_the_full_check(
    demo_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One digit of a date in an index changed: the file's structure is sound, so
    quick_check passes it; the full integrity check finds the index no longer
    matches its table."""
    with sqlite3.connect(demo_plan_path) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    data = bytearray(demo_plan_path.read_bytes())
    for start in range(page_size, len(data), page_size):
        if data[start] == 0x0A:  # a leaf page of an index
            found = data.find(b"2027-", start, start + page_size)
            if found != -1:
                data[found + 3] = ord("8")
                break
    else:
        pytest.fail("no index page with a date in it")
    demo_plan_path.write_bytes(bytes(data))
    with sqlite3.connect(demo_plan_path) as db:
        assert db.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    db.close()
    before = _digest(demo_plan_path)
    assert main(["info", str(demo_plan_path)]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert _digest(demo_plan_path) == before


def test_the_window_opens_at_once_and_a_damaged_plan_refuses_its_first_write(
    demo_plan_path: Path,
) -> None:
    """The window's way: the full check runs beside it, and writes wait for it."""
    from sqlalchemy import func, select

    from scheduler.errors import PlanDamagedError
    from scheduler.model import Course, TrainingEvent
    from scheduler.storage import list_backups, open_plan
    from scheduler.storage.verified import is_verified

    with open_plan(demo_plan_path, backup_on_open=False):
        pass
    size = demo_plan_path.stat().st_size
    _flip(demo_plan_path, size // 2 // 4096 * 4096 + 2000, keep_time=True)
    damaged = _digest(demo_plan_path)
    plan = open_plan(demo_plan_path, check_in_background=True)
    try:
        with plan.session() as session:  # reading is harmless
            assert session.scalar(select(func.count()).select_from(TrainingEvent))
        with pytest.raises(PlanDamagedError, match="is damaged"), plan.session() as session:
            session.add(Course(code="NEW", title="Never written"))
        assert plan.whole_check is not None and plan.whole_check.error is not None
    finally:
        plan.close()
    assert _digest(demo_plan_path) == damaged
    assert not is_verified(demo_plan_path)
    assert list_backups(demo_plan_path) == []  # a damaged plan pushes out no good backup

    # A sound plan opened the same way takes its write once the check is done.
    demo_plan_path.unlink()
    from scheduler.storage import create_plan

    with create_plan(demo_plan_path):
        pass
    with open_plan(demo_plan_path, check_in_background=True) as plan:
        with plan.session() as session:
            session.add(Course(code="NEW", title="Written after the check"))
        assert plan.whole_check is not None and plan.whole_check.passed


def test_a_damaged_plan_is_restored_from_the_command_line(
    demo_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from scheduler.storage import open_plan

    with open_plan(demo_plan_path, backup_on_open=False):
        pass
    assert main(["backup", str(demo_plan_path)]) == 0
    assert "of this plan is kept" in capsys.readouterr().out
    size = demo_plan_path.stat().st_size
    _flip(demo_plan_path, size // 2 // 4096 * 4096 + 2000, keep_time=True)
    assert main(["info", str(demo_plan_path)]) == 2
    assert "training-scheduler restore demo.tsplan" in capsys.readouterr().err
    assert main(["restore", str(demo_plan_path)]) == 0
    listing = capsys.readouterr().out
    assert "  1  " in listing and "each a different state" in listing
    assert main(["restore", str(demo_plan_path), "--backup", "1"]) == 0
    assert "Restored" in capsys.readouterr().out
    assert main(["info", str(demo_plan_path)]) == 0
    assert main(["restore", str(demo_plan_path), "--backup", "9"]) == 2
    assert "no backup number 9" in capsys.readouterr().err


def test_reading_commands_leave_a_rollback_journal_plan_byte_for_byte(
    demo_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup (rollback journal, not WAL) read by info, check, export and report."""
    from scheduler.storage.backups import backup_plan

    copy = tmp_path / "backup copy Ђ.tsplan"
    copy.write_bytes(backup_plan(demo_plan_path, "manual").read_bytes())
    before = _digest(copy)
    out = tmp_path / "out"
    out.mkdir()
    for args in (
        ["info", str(copy)],
        ["check", str(copy)],
        ["export", str(copy), "-o", str(out / "master.xlsx")],
        ["report", str(copy), "--kind", "calendar", "-o", str(out / "calendar.pdf")],
    ):
        assert main(args) in (0, 1), capsys.readouterr().err
    assert _digest(copy) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("backup copy")) == [
        copy.name
    ]


def test_an_unusable_program_folder_is_a_sentence(empty_plan_path: Path, tmp_path: Path) -> None:
    """The folder for backups and the log is a file: --version and reading still work,
    a backup is refused in one sentence, never a traceback."""
    blocked = tmp_path / "not a folder"
    blocked.write_text("", encoding="utf-8")
    env = {**os.environ, "TRAINING_SCHEDULER_HOME": str(blocked)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "scheduler.cli", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )

    assert run("--version").returncode == 0
    info = run("info", str(empty_plan_path))
    assert info.returncode == 0, info.stderr
    backup = run("backup", str(empty_plan_path))
    assert backup.returncode == 2
    assert "it is a file, not a folder" in backup.stderr
    assert "Traceback" not in backup.stderr + info.stderr


def test_a_plan_killed_while_its_log_was_copied_in_opens_with_every_edit(
    empty_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A program killed mid-checkpoint leaves page 1 saying more pages than the
    file has yet, and the write-ahead log holding them: not damage, SQLite
    finishes the copy on opening (seen in the kill -9 test of a burst of edits)."""
    import shutil

    crashed = tmp_path / "crashed.tsplan"
    writer = sqlite3.connect(empty_plan_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the edits stay in the log
    writer.execute("CREATE TABLE IF NOT EXISTS filler (text TEXT)")
    writer.executemany("INSERT INTO filler VALUES (?)", [("Криволак " * 50,)] * 2000)
    writer.commit()
    # Copied while the writer still has it open: the file, and the log beside it.
    shutil.copyfile(empty_plan_path, crashed)
    shutil.copyfile(f"{empty_plan_path}-wal", f"{crashed}-wal")
    writer.close()
    data = bytearray(crashed.read_bytes())
    pages = int.from_bytes(data[28:32], "big")
    data[28:32] = (pages + 40).to_bytes(4, "big")  # page 1 of a checkpoint half done
    crashed.write_bytes(bytes(data))
    # Pages neither the file nor its log has: damaged after all.
    beyond = tmp_path / "beyond.tsplan"
    shutil.copyfile(f"{crashed}-wal", f"{beyond}-wal")
    data[28:32] = (pages + 100_000).to_bytes(4, "big")
    beyond.write_bytes(bytes(data))
    assert main(["info", str(beyond)]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert main(["info", str(crashed)]) == 0, capsys.readouterr().err
    with sqlite3.connect(crashed) as db:
        assert db.execute("SELECT count(*) FROM filler").fetchone() == (2000,)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def test_schema_text_that_is_not_utf8_is_damage_not_a_crash(
    empty_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A flipped byte inside a table's name in the schema reads as text that is
    not UTF-8: refused as damaged, in words, like any other damage."""
    from scheduler.storage import open_plan

    with open_plan(empty_plan_path, backup_on_open=False):
        pass
    data = empty_plan_path.read_bytes()
    # The schema row's name field ("table", then the name, then the table's name).
    offset = data.index(b"tableplan_metaplan_meta") + len("table")
    stamp = empty_plan_path.stat()
    with empty_plan_path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\xba")
    os.utime(empty_plan_path, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert main(["info", str(empty_plan_path)]) == 2
    err = capsys.readouterr().err
    assert "is damaged" in err and "Traceback" not in err and "inside the program" not in err
