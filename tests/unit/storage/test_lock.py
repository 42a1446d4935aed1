"""The lock beside a plan: one editing program at a time, a gone holder's lock taken over.

Whether a holder is gone is the operating system's answer (its lock on the
file is let go when the process ends), never the lock file's word: these
tests hold plans in real child processes, kill them, pause them, and lie in
the lock file.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from scheduler.cli import main
from scheduler.errors import PlanFileError, PlanLockedError
from scheduler.storage import PlanAccess, open_plan
from scheduler.storage import lock as lock_module
from scheduler.storage.lock import PlanLock, TakeOverPossibleError, lock_path_for

posix_only = pytest.mark.skipif(os.name != "posix", reason="holds plans in forked processes")
windows_only = pytest.mark.skipif(sys.platform != "win32", reason="Windows keeps the lock file")


def _write_lock(plan: Path, *, host: str, pid: int) -> None:
    lock_path_for(plan).write_text(
        json.dumps(
            {"host": host, "user": "ana@elsewhere", "pid": pid, "since": "2027-01-04T08:00:00"}
        ),
        encoding="utf-8",
    )


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _another_program_can_edit(plan: Path) -> bool:
    """What a planner cares about once a plan is closed: the next program opens it."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pathlib, sys\n"
            "from scheduler.storage import open_plan\n"
            f"with open_plan(pathlib.Path({str(plan)!r})) as plan:\n"
            "    sys.exit(0 if plan.lock is not None and plan.lock.held else 1)\n",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode == 0


@dataclass
class Holder:
    """A child process that has the plan open for editing."""

    process: subprocess.Popen[str]
    folder: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_for(self, name: str) -> None:
        deadline = time.monotonic() + 60
        while not (self.folder / name).exists():
            assert self.process.poll() is None, "the holder process died"
            assert time.monotonic() < deadline, f"the holder never got to {name}"
            time.sleep(0.02)

    def close(self) -> str:
        """Let it close the plan; what it found about its own lock just before."""
        out, _err = self.process.communicate("", timeout=60)
        return out


@contextmanager
def holding_in_child(
    plan: Path, folder: Path, *, pause_before_naming: bool = False
) -> Iterator[Holder]:
    """A child holding ``plan`` open; it writes "ready" when it does.

    With ``pause_before_naming`` it stops between taking the OS lock and
    writing its name into the lock file (a slow network drive, a process
    paused by the debugger): it writes "paused", sleeps 3 s, and goes on
    when "go-on" exists. On closing it prints whether its lock was still
    valid: held, the path still naming its file, the file naming it.
    """
    folder.mkdir(exist_ok=True)
    script = textwrap.dedent(
        f"""
        import json, os, pathlib, sys, time
        from scheduler.storage import open_plan
        from scheduler.storage.lock import PlanLock

        folder = pathlib.Path({str(folder)!r})
        if {pause_before_naming!r}:
            write_holder = PlanLock._write_holder

            def slow_write_holder(self, fd, holder):
                (folder / "paused").touch()
                time.sleep(3)
                while not (folder / "go-on").exists():
                    time.sleep(0.02)
                write_holder(self, fd, holder)

            PlanLock._write_holder = slow_write_holder
        with open_plan(pathlib.Path({str(plan)!r})) as plan:
            (folder / "ready").touch()
            sys.stdin.read()
            lock = plan.lock
            same_file = os.path.samestat(os.stat(lock.path), os.fstat(lock._fd))
            named = json.loads(lock.path.read_text(encoding="utf-8"))["pid"] == os.getpid()
            print("valid" if lock.held and same_file and named else "INVALID")
        """
    )
    process = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        yield Holder(process, folder)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


# -- one program at a time --------------------------------------------------------


def test_second_editor_in_the_same_process_is_refused(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path):
        assert lock_path_for(empty_plan_path).exists()
        with pytest.raises(PlanLockedError, match="is open in Training Scheduler"):
            open_plan(empty_plan_path)
        with pytest.raises(PlanLockedError, match="cannot be taken over"):
            open_plan(empty_plan_path, take_over_lock=True)
        # Reading needs no lock.
        with open_plan(empty_plan_path, access=PlanAccess.READ):
            pass
    assert _another_program_can_edit(empty_plan_path)


@posix_only
def test_plan_held_by_another_process_is_refused(empty_plan_path: Path, tmp_path: Path) -> None:
    with holding_in_child(empty_plan_path, tmp_path / "child") as holder:
        holder.wait_for("ready")
        with pytest.raises(PlanLockedError, match=f"process {holder.pid}") as caught:
            open_plan(empty_plan_path)
        assert "Close it there first" in str(caught.value)
        assert caught.value.holder["pid"] == holder.pid
        assert holder.close() == "valid\n"
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is None


@posix_only
def test_a_live_holder_is_never_taken_over(empty_plan_path: Path, tmp_path: Path) -> None:
    with holding_in_child(empty_plan_path, tmp_path / "child") as holder:
        holder.wait_for("ready")
        with pytest.raises(PlanLockedError) as caught:
            open_plan(empty_plan_path, take_over_lock=True)
        message = str(caught.value)
        assert f"process {holder.pid}" in message
        assert "still has it open" in message and "must be closed first" in message
        assert not isinstance(caught.value, TakeOverPossibleError)

        # Whatever the lock file says: here it claims a dead program on another computer.
        _write_lock(empty_plan_path, host="laptop-ohrid", pid=_dead_pid())
        with pytest.raises(PlanLockedError) as caught:
            open_plan(empty_plan_path, take_over_lock=True)
        assert "ana@elsewhere on laptop-ohrid" in str(caught.value)
        with pytest.raises(PlanLockedError) as caught:
            open_plan(empty_plan_path)
        assert caught.value.holder["host"] == "laptop-ohrid"
        assert "file server lets go of the plan by itself" in str(caught.value)

        assert holder.process.poll() is None
    # (Its lock file was overwritten above, so it no longer names it; the OS lock held.)


@posix_only
def test_killed_holder_is_taken_over_without_asking(empty_plan_path: Path, tmp_path: Path) -> None:
    with holding_in_child(empty_plan_path, tmp_path / "child") as holder:
        holder.wait_for("ready")
        os.kill(holder.pid, signal.SIGKILL)
        holder.process.wait(timeout=30)
        assert lock_path_for(empty_plan_path).exists()  # left behind, naming it
        with open_plan(empty_plan_path) as plan:
            assert plan.lock is not None and plan.lock.took_over is not None
            assert plan.lock.took_over.pid == holder.pid
            assert plan.lock.read_holder() == plan.lock._holder


@posix_only
def test_a_holder_paused_while_naming_itself_keeps_the_plan(
    empty_plan_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with holding_in_child(empty_plan_path, tmp_path / "child", pause_before_naming=True) as holder:
        holder.wait_for("paused")  # OS lock taken, lock file still empty
        with pytest.raises(PlanLockedError, match="does not say which yet"):
            open_plan(empty_plan_path)
        with pytest.raises(PlanLockedError, match="cannot be taken over"):
            open_plan(empty_plan_path, take_over_lock=True)
        assert main(["backup", str(empty_plan_path), "--take-over"]) == 2
        assert "Traceback" not in capsys.readouterr().err

        (holder.folder / "go-on").touch()
        holder.wait_for("ready")
        with pytest.raises(PlanLockedError, match=f"process {holder.pid}"):
            open_plan(empty_plan_path)
        assert PlanLock(empty_plan_path).read_holder() is not None
        assert holder.close() == "valid\n"
    assert _another_program_can_edit(empty_plan_path)


# -- a lock file nobody holds -------------------------------------------------------

LEFT_OVERS = {
    "another computer": lambda plan: _write_lock(plan, host="laptop-ohrid", pid=4242),
    "crashed here": lambda plan: _write_lock(plan, host=socket.gethostname(), pid=_dead_pid()),
    "a live process here that does not hold it": lambda plan: _write_lock(
        plan, host=socket.gethostname(), pid=os.getppid()
    ),
    "half-written": lambda plan: lock_path_for(plan).write_text('{"host": "lap'),
    "not JSON": lambda plan: lock_path_for(plan).write_bytes(b"\x00\xff" * 10),
}


@pytest.mark.parametrize("left_over", sorted(LEFT_OVERS))
def test_a_lock_file_nobody_holds_is_taken_over_whatever_it_says(
    empty_plan_path: Path, left_over: str
) -> None:
    LEFT_OVERS[left_over](empty_plan_path)
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None
        assert plan.lock.read_holder() == plan.lock._holder  # the file names us now
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is None  # released cleanly


def test_an_empty_lock_file_is_simply_free(empty_plan_path: Path) -> None:
    lock_path_for(empty_plan_path).write_bytes(b"")  # what Windows leaves after a release
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is None


def test_left_over_lock_of_another_user_is_replaced(
    empty_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A crashed colleague's lock file we may read but not write (shared folder)."""
    _write_lock(empty_plan_path, host=socket.gethostname(), pid=_dead_pid())
    real_open = os.open

    def their_file(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".lock") and flags & os.O_RDWR and not flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", their_file)
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None
        assert plan.lock.took_over.user == "ana@elsewhere"
        assert plan.lock.read_holder() == plan.lock._holder  # a fresh file of ours


@posix_only
def test_release_leaves_no_lock_file(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path):
        pass
    assert not lock_path_for(empty_plan_path).exists()


@windows_only
def test_release_on_windows_leaves_an_empty_lock_file(empty_plan_path: Path) -> None:
    with open_plan(empty_plan_path):
        pass
    assert lock_path_for(empty_plan_path).read_bytes() == b""  # "not held"
    assert PlanLock(empty_plan_path).read_holder() is None


# -- sentences, never tracebacks -----------------------------------------------


@pytest.mark.parametrize(
    "command", [["backup"], ["migrate"], ["import", "TEMPLATE"], ["backup", "--take-over"]]
)
def test_folder_in_place_of_the_lock_file(
    empty_plan_path: Path,
    tmp_path: Path,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    lock_path_for(empty_plan_path).mkdir()
    before = _digest(empty_plan_path)
    with pytest.raises(PlanFileError, match="There is a folder called"):
        PlanLock(empty_plan_path).acquire()
    if "TEMPLATE" in command:
        template = tmp_path / "template.xlsx"
        assert main(["template", str(template)]) == 0
        command = ["import", str(template)]

    assert main([command[0], str(empty_plan_path), *command[1:]]) == 2

    err = capsys.readouterr().err
    assert "There is a folder called “Plan Đurić.tsplan.lock” beside" in err
    assert "Traceback" not in err
    assert _digest(empty_plan_path) == before
    assert lock_path_for(empty_plan_path).is_dir()


def test_lock_file_that_cannot_be_created(
    empty_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def refused(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".lock"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(PlanFileError, match="is read-only for you") as caught:
        PlanLock(empty_plan_path).acquire()
    assert not isinstance(caught.value, PlanLockedError)


def test_lock_file_that_cannot_be_opened(
    empty_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _write_lock(empty_plan_path, host="laptop-ohrid", pid=4242)
    real_open = os.open

    def broken(path: object, flags: int, *args: int) -> int:
        if str(path).endswith(".lock") and not flags & os.O_CREAT:
            raise OSError(errno.EIO, "Input/output error", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", broken)
    with pytest.raises(PlanFileError, match=r"cannot use the lock .*Input/output error"):
        PlanLock(empty_plan_path).acquire()


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0, reason="needs a POSIX user a folder can refuse"
)
def test_read_only_folder(empty_plan_path: Path) -> None:
    folder = empty_plan_path.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(PlanFileError, match="is read-only for you"):
            PlanLock(empty_plan_path).acquire()
    finally:
        folder.chmod(0o755)


# -- the command line's --take-over ------------------------------------------------


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """An import file that changes nothing (the empty template)."""
    path = tmp_path / "template.xlsx"
    assert main(["template", str(path)]) == 0
    return path


def test_import_take_over_of_a_gone_holder_on_another_computer(
    empty_plan_path: Path, template: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write_lock(empty_plan_path, host="laptop-ohrid", pid=4242)  # no OS lock held
    assert main(["import", str(empty_plan_path), str(template), "--take-over"]) == 0
    assert "Traceback" not in capsys.readouterr().err
    assert _another_program_can_edit(empty_plan_path)


@posix_only
def test_import_take_over_of_a_live_holder_is_refused(
    empty_plan_path: Path, template: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with holding_in_child(empty_plan_path, tmp_path / "child") as holder:
        holder.wait_for("ready")
        capsys.readouterr()
        assert main(["import", str(empty_plan_path), str(template), "--take-over"]) == 2
        err = capsys.readouterr().err
        assert f"process {holder.pid}" in err and "must be closed first" in err
        assert "Traceback" not in err and "--take-over" not in err
        assert holder.close() == "valid\n"


# -- drives without OS locks (some network shares) ----------------------------------


@pytest.fixture
def no_os_locks(monkeypatch: pytest.MonkeyPatch) -> None:
    """This drive refuses OS locks (ENOLCK): the lock file's existence is the lock."""
    monkeypatch.setattr(lock_module, "_os_lock", lambda fd: lock_module._Outcome.UNSUPPORTED)


EDITING_COMMANDS = {
    "import": ["import", "PLAN", "TEMPLATE"],
    "migrate": ["migrate", "PLAN"],
    "backup": ["backup", "PLAN"],
    "export (a partner's release)": ["export", "PLAN", "-o", "OUT", "--partner", "MK"],
}


@pytest.mark.usefixtures("no_os_locks")
@pytest.mark.parametrize("command", sorted(EDITING_COMMANDS))
def test_without_os_locks_another_computer_needs_the_planners_word(
    empty_plan_path: Path,
    template: Path,
    tmp_path: Path,
    command: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    where = {"PLAN": str(empty_plan_path), "TEMPLATE": str(template)}
    where["OUT"] = str(tmp_path / "mk.xlsx")
    argv = [where.get(word, word) for word in EDITING_COMMANDS[command]]
    _write_lock(empty_plan_path, host="laptop-ohrid", pid=4242)
    with pytest.raises(TakeOverPossibleError, match="you may take over the plan"):
        open_plan(empty_plan_path)
    capsys.readouterr()

    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "ana@elsewhere on laptop-ohrid" in err
    assert err.rstrip().endswith("add --take-over.")
    assert "Traceback" not in err

    assert main([*argv, "--take-over"]) == 0
    assert not lock_path_for(empty_plan_path).exists()  # released
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is None


@pytest.mark.usefixtures("no_os_locks")
def test_without_os_locks_only_a_crash_here_is_taken_over_silently(empty_plan_path: Path) -> None:
    _write_lock(empty_plan_path, host=socket.gethostname(), pid=_dead_pid())
    with open_plan(empty_plan_path) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None
        with pytest.raises(PlanLockedError):
            open_plan(empty_plan_path, take_over_lock=True)  # this process: alive
    assert not lock_path_for(empty_plan_path).exists()

    lock_path_for(empty_plan_path).write_text('{"host": "lap')  # perhaps being written
    with pytest.raises(TakeOverPossibleError, match="does not say which yet"):
        open_plan(empty_plan_path)
    with open_plan(empty_plan_path, take_over_lock=True) as plan:
        assert plan.lock is not None and plan.lock.took_over is not None
    assert not list(empty_plan_path.parent.glob("*.lock*"))


@pytest.mark.usefixtures("no_os_locks")
def test_without_os_locks_a_lock_taken_over_by_someone_else_is_left_alone(
    empty_plan_path: Path,
) -> None:
    lock = PlanLock(empty_plan_path)
    lock.acquire()
    lock_path_for(empty_plan_path).unlink()  # taken over meanwhile by another computer
    _write_lock(empty_plan_path, host="laptop-ohrid", pid=4242)
    lock.release()
    assert json.loads(lock_path_for(empty_plan_path).read_text())["host"] == "laptop-ohrid"


def test_holder_in_the_lock_file_is_ours_while_held(empty_plan_path: Path) -> None:
    lock = PlanLock(empty_plan_path)
    lock.acquire()
    try:
        holder = lock.read_holder()
        assert holder is not None
        assert (holder.pid, holder.host) == (os.getpid(), socket.gethostname())
        assert holder == PlanLock(empty_plan_path).read_holder()
    finally:
        lock.release()
    assert not lock.held
    lock.release()  # twice is harmless
