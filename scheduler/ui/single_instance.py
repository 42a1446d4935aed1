"""One running program per user: a second launch hands its plan to the first.

Double-clicking a ``.tsplan`` runs ``training-scheduler PATH``. When the
program already runs for this user (and this data folder), the new process
sends the path over a local socket (QLocalServer: a named pipe on Windows, a
Unix socket on Linux) and exits; the running one opens it in a window.

The server name is derived from the user and the data folder, so a portable
install or a test with its own ``TRAINING_SCHEDULER_HOME`` is an instance of
its own. One message per connection: a JSON line ``{"open": [...]}`` (an
empty list asks for a new window), answered by ``ok``.

``InstanceServer`` lives on the GUI thread and emits ``open_requested`` with
the list of plans to open (may be empty).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QAbstractSocket, QLocalServer, QLocalSocket

from scheduler import APP_ID
from scheduler.app_paths import data_dir

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_MS = 1500
REPLY_TIMEOUT_MS = 5000
MAX_MESSAGE_BYTES = 64 * 1024
REPLY = b"ok\n"


def server_name() -> str:
    """A name private to this user and data folder (short: Unix sockets allow ~100 bytes)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): the home folder will do
        user = str(Path.home())
    key = f"{user}\n{data_dir().resolve()}".encode()
    return f"{APP_ID}-{hashlib.sha256(key).hexdigest()[:16]}"


def encode_request(plans: list[str]) -> bytes:
    return json.dumps({"open": plans}, ensure_ascii=False).encode("utf-8") + b"\n"


def decode_request(data: bytes) -> list[str] | None:
    """The plans a request asks to open; None for anything that is not a request."""
    try:
        message = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(message, dict):
        return None
    plans = message.get("open")
    if not isinstance(plans, list) or not all(isinstance(p, str) for p in plans):
        return None
    return plans


def plans_text(plans: list[str]) -> str:
    """The plans of a request for the log: shared plans' URLs without passwords."""
    # Imported here: the service loads SQLAlchemy, which start-up defers.
    from scheduler.services.plan_files import describe_location

    return ", ".join(describe_location(plan) for plan in plans) or "a new window"


def hand_over(plans: list[str]) -> bool:
    """Give ``plans`` to the running instance; False when none listens (start one).

    Once the request is written it belongs to the running program, even if
    that one is too busy to answer in time: starting a second program then
    would open the same plan twice (and meet our own lock).
    """
    socket = QLocalSocket()
    socket.connectToServer(server_name())
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    if sys.platform == "win32":
        # Windows lets only the foreground process raise a window: pass that
        # right on (ASFW_ANY), or the running program could only flash its button.
        import ctypes

        ctypes.windll.user32.AllowSetForegroundWindow(-1)
    try:
        socket.write(encode_request(plans))
        if not socket.waitForBytesWritten(REPLY_TIMEOUT_MS):
            return False
        reply = b""
        while not reply.endswith(b"\n") and socket.waitForReadyRead(REPLY_TIMEOUT_MS):
            reply += bytes(socket.readAll().data())
        if reply != REPLY:
            log.warning("the running program took the request without answering in time")
        return True
    finally:
        socket.disconnectFromServer()


class InstanceServer(QObject):
    """Listens for later launches; emits ``open_requested(list[str])`` for each."""

    open_requested = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._accept)

    def listen(self) -> bool:
        """Start listening, unless another instance answers on the name.

        Asked first, because neither platform refuses a second server for
        sure: Windows lets two listen on one pipe, and Qt on Unix (with
        user-only access) replaces the socket file. A file left behind by a
        crashed instance is removed.
        """
        if self._someone_answers():
            log.warning("another instance answers on %s; not listening", self.name)
            return False
        if self.server.listen(self.name):
            return True
        if self.server.serverError() == QAbstractSocket.SocketError.AddressInUseError:
            log.info("removing the stale instance socket %s", self.name)
            QLocalServer.removeServer(self.name)
            if self.server.listen(self.name):
                return True
        log.warning("cannot listen on %s: %s", self.name, self.server.errorString())
        return False

    def _someone_answers(self) -> bool:
        probe = QLocalSocket()
        probe.connectToServer(self.name)
        if not probe.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        probe.disconnectFromServer()
        return True

    def close(self) -> None:
        self.server.close()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            buffer = bytearray()

            def read(socket: QLocalSocket = socket, buffer: bytearray = buffer) -> None:
                buffer.extend(bytes(socket.readAll().data()))
                if len(buffer) > MAX_MESSAGE_BYTES:
                    socket.abort()
                    return
                if not buffer.endswith(b"\n"):
                    return
                plans = decode_request(bytes(buffer))
                buffer.clear()
                if plans is None:
                    socket.abort()
                    return
                socket.write(REPLY)
                socket.flush()
                log.info("another launch asks to open %s", plans_text(plans))
                self.open_requested.emit(plans)

            socket.readyRead.connect(read)
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                read()
