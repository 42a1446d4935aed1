"""A throw-away PostgreSQL server for the tests, started from the system binaries.

One server per test session: ``initdb`` into a temporary folder, ``pg_ctl
start`` on a free loopback port (trust authentication, fsync off: the data
is thrown away), stopped at the end. PostgreSQL refuses to run as root, so
as root the server runs as the ``postgres`` user. Each test gets its own
database (``CREATE DATABASE``), so tests never see each other's plans.

No PostgreSQL on the machine: the tests skip with the reason, unless
``REQUIRE_POSTGRES=1`` (CI), where a missing server is a failure.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import pytest

SUPERUSER = "postgres"


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: PG_BIN, PATH, or /usr/lib/postgresql/*/bin."""
    candidates: list[str] = []
    if os.environ.get("PG_BIN"):
        candidates.append(os.environ["PG_BIN"])
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    candidates += sorted(glob.glob("/usr/pgsql-*/bin"), reverse=True)
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class PostgresServer:
    bin_dir: Path
    data_dir: Path
    port: int
    as_user: str | None

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_user:
            command = ["runuser", "-u", self.as_user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout)

    def start(self) -> None:
        result = self._run(str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
                           "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync")  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed: {result.stderr or result.stdout}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=50 -c shared_buffers=64MB"
        )
        log = self.data_dir / "server.log"
        result = self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(log),
                           "-o", options, "-w", "-t", "60", "start")  # fmt: skip
        if result.returncode != 0:
            text = log.read_text(errors="replace") if log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed: {result.stderr}{result.stdout}{text}")

    def stop(self) -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate",
                  "-w", "stop")  # fmt: skip

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as connection:
            connection.execute(sql)  # type: ignore[arg-type]

    def backend_pids(self, database: str) -> list[int]:
        """The server processes serving ``database`` (read through a connection of our own)."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres", autocommit=True
        ) as connection:
            rows = connection.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
        return [int(row[0]) for row in rows]

    @contextmanager
    def paused(self, pids: list[int]) -> Iterator[None]:
        """The processes ``pids`` stopped (SIGSTOP) for the block: a server that stops
        answering while its kernel still acknowledges every packet. Always resumed."""
        stopped: list[int] = []
        try:
            for pid in pids:
                os.kill(pid, signal.SIGSTOP)
                stopped.append(pid)
            yield
        finally:
            for pid in stopped:
                with suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGCONT)

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        name = f"plan_{uuid.uuid4().hex[:12]}"
        self.admin(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server(base: Path) -> PostgresServer:
    """Start a server in a new folder under ``base`` (skip/fail decided by the caller)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise FileNotFoundError("no PostgreSQL server binaries (initdb, pg_ctl) found")
    as_user = None
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        as_user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="ts-pg-", dir=base))
    data_dir = folder / "data"
    if as_user:
        shutil.chown(folder, as_user)
        folder.chmod(0o755)
        base_mode = base.stat().st_mode
        if not base_mode & 0o005:
            base.chmod(base_mode | 0o005)  # the postgres user must reach its folder
    server = PostgresServer(bin_dir, data_dir, _free_port(), as_user)
    server.start()
    return server


def _require() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "") not in ("", "0")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """The session's PostgreSQL server; skips (or fails with REQUIRE_POSTGRES=1) without one."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        message = f"psycopg is not installed ({exc}); pip install -e .[test]"
        if _require():
            pytest.fail(message)
        pytest.skip(message)
    base = Path(tempfile.gettempdir())
    try:
        server = start_server(base)
    except (FileNotFoundError, RuntimeError, OSError, subprocess.SubprocessError) as exc:
        message = f"PostgreSQL is not available: {exc}"
        if _require():
            pytest.fail(message + " (REQUIRE_POSTGRES=1)")
        pytest.skip(message)
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(server.data_dir.parent, ignore_errors=True)


@pytest.fixture
def server_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty database on the session's server."""
    return postgres_server.new_database()
