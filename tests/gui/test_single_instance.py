"""A second launch hands its plan to the running program, which opens a window on it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir, QSettings
from pytestqt.qtbot import QtBot

from scheduler.ui.app import WindowSet
from scheduler.ui.single_instance import (
    InstanceServer,
    decode_request,
    encode_request,
    plans_text,
)
from scheduler.ui.ui_state import UiState

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def windows(qtbot: QtBot, tmp_path: Path) -> Iterator[WindowSet]:
    def state() -> UiState:
        return UiState(QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat))

    window_set = WindowSet(state)
    yield window_set
    for window in list(window_set.windows):
        window.close()
    qtbot.waitUntil(lambda: not window_set.windows)


@pytest.fixture
def server(windows: WindowSet) -> Iterator[InstanceServer]:
    listening = InstanceServer(parent=windows)
    listening.open_requested.connect(windows.open_requested)
    assert listening.listen()
    yield listening
    listening.close()


def _launch(qtbot: QtBot, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the program as a double-click would, and let this process serve it meanwhile."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    process = subprocess.Popen(
        [sys.executable, "-m", "scheduler", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        qtbot.waitUntil(lambda: process.poll() is not None, timeout=60_000)
    finally:
        if process.poll() is None:
            process.kill()
    out, err = process.communicate()
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def _plan_copy(template: Path, folder: Path, name: str) -> Path:
    target = folder / name
    shutil.copyfile(template, target)
    return target


def _titles(windows: WindowSet) -> list[str]:
    return [w.windowTitle() for w in windows.windows]


def test_a_second_launch_hands_its_plan_over_and_a_new_window_opens_it(
    qtbot: QtBot,
    windows: WindowSet,
    server: InstanceServer,
    demo_plan_template: Path,
    tmp_path: Path,
) -> None:
    first = windows.new_window()
    first.show()
    plan = _plan_copy(demo_plan_template, tmp_path, "План Škola.tsplan")

    result = _launch(qtbot, str(plan))

    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: len(windows.windows) == 2)
    second = windows.windows[1]
    qtbot.waitUntil(lambda: second.document is not None)
    assert second.isVisible()
    assert second.windowTitle().startswith("Demo plan")
    assert second.document is not None and second.document.plan.path == plan
    assert first.document is None  # the first window was left as it was


def test_handing_over_a_plan_already_open_raises_its_window(
    qtbot: QtBot,
    windows: WindowSet,
    server: InstanceServer,
    demo_plan_template: Path,
    tmp_path: Path,
) -> None:
    plan = _plan_copy(demo_plan_template, tmp_path, "open.tsplan")
    window = windows.new_window()
    window.show()
    assert window.open_path(plan)

    result = _launch(qtbot, str(plan))

    assert result.returncode == 0, result.stderr
    assert len(windows.windows) == 1
    assert window.isVisible()


def test_a_plain_second_launch_opens_a_new_welcome_window(
    qtbot: QtBot, windows: WindowSet, server: InstanceServer
) -> None:
    windows.new_window().show()

    result = _launch(qtbot)

    assert result.returncode == 0, result.stderr
    qtbot.waitUntil(lambda: len(windows.windows) == 2)
    assert windows.windows[1].isVisible()
    assert windows.windows[1].document is None
    assert _titles(windows) == ["Training Scheduler", "Training Scheduler"]


def test_closing_one_window_leaves_the_other_open(
    qtbot: QtBot, windows: WindowSet, demo_plan_template: Path, tmp_path: Path
) -> None:
    one, two = windows.new_window(), windows.new_window()
    one.show()
    two.show()
    assert one.open_path(_plan_copy(demo_plan_template, tmp_path, "one.tsplan"))
    assert two.open_path(_plan_copy(demo_plan_template, tmp_path, "two.tsplan"))

    one.close()

    qtbot.waitUntil(lambda: windows.windows == [two])
    assert two.isVisible()
    assert two.document is not None
    recent = [p.name for p in two.state.recent_plans()]
    assert recent[:2] == ["two.tsplan", "one.tsplan"]  # both windows share the list


def test_opening_a_plan_another_window_holds_shows_that_window(
    qtbot: QtBot, windows: WindowSet, demo_plan_template: Path, tmp_path: Path
) -> None:
    plan = _plan_copy(demo_plan_template, tmp_path, "shared by two windows.tsplan")
    one, two = windows.new_window(), windows.new_window()
    one.show()
    two.show()
    assert one.open_path(plan)

    # File ▸ Open in the second window: no "plan in use" prompt about ourselves.
    assert not two.open_path(plan)

    assert two.document is None
    assert one.document is not None and one.document.plan.path == plan


def test_quit_closes_every_window(
    qtbot: QtBot, windows: WindowSet, demo_plan_template: Path, tmp_path: Path
) -> None:
    one, two = windows.new_window(), windows.new_window()
    one.show()
    two.show()
    assert two.open_path(_plan_copy(demo_plan_template, tmp_path, "quit.tsplan"))

    one.actions_by_name["quit"].trigger()

    qtbot.waitUntil(lambda: not windows.windows)


def test_a_second_server_does_not_take_over_a_live_one(server: InstanceServer) -> None:
    rival = InstanceServer(server.name)
    assert not rival.listen()
    rival.close()


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes leave nothing behind")
def test_a_socket_left_by_a_crashed_instance_is_reclaimed(qtbot: QtBot, tmp_path: Path) -> None:
    name = f"training-scheduler-test-{os.getpid()}"
    path = Path(QDir.tempPath()) / name
    dead = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dead.bind(str(path))  # bound, never listening, then gone: what a crash leaves
    dead.close()
    assert path.exists()

    server = InstanceServer(name)
    try:
        assert server.listen()
        assert server.server.isListening()
    finally:
        server.close()


def test_requests_that_are_not_ours_are_ignored() -> None:
    assert decode_request(encode_request(["/tmp/Пловдив.tsplan"])) == ["/tmp/Пловдив.tsplan"]
    assert decode_request(encode_request([])) == []
    assert decode_request(b"GET / HTTP/1.0\n") is None
    assert decode_request(b'{"open": [1]}\n') is None
    assert decode_request(b"\xff\n") is None


def test_the_log_never_shows_a_shared_plan_password() -> None:
    text = plans_text(
        ["postgresql://anna:s3cret@plans.example.org/training", "/plans/Ohrid.tsplan"]
    )
    assert "s3cret" not in text
    assert "anna" in text and "/plans/Ohrid.tsplan" in text
    assert plans_text([]) == "a new window"
