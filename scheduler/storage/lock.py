"""A lock file beside the plan so two programs never write it unknowingly.

``Plan.tsplan.lock`` holds who holds the plan (host, user, pid, since when).
SQLite would let two programs write the same file safely, but each would
then work from a stale picture of the plan; the lock makes the second one
ask first. A lock left by a crashed program on this machine (its process is
gone) is taken over silently; any other lock needs the planner's say-so.
"""

from __future__ import annotations

import json
import logging
import os
import socket
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from scheduler import __version__
from scheduler.errors import PlanFileError, PlanLockedError
from scheduler.model.changelog import current_user
from scheduler.storage.processes import process_alive

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class LockHolder:
    host: str
    user: str
    pid: int
    since: str
    program: str

    @classmethod
    def of_this_process(cls) -> LockHolder:
        return cls(
            host=socket.gethostname(),
            user=current_user(),
            pid=os.getpid(),
            since=datetime.now().astimezone().isoformat(timespec="seconds"),
            program=f"Training Scheduler {__version__}",
        )

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.since).strftime("%d %b %Y %H:%M")
        except ValueError:
            since = self.since
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"


def lock_path_for(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + ".lock")


class PlanLock:
    """The lock on one plan file, held by this process between acquire and release."""

    def __init__(self, plan_path: Path) -> None:
        self.path = lock_path_for(plan_path)
        self.plan_name = plan_path.name
        self.held = False
        self.took_over: LockHolder | None = None

    def read_holder(self) -> LockHolder | None:
        """The current holder, or None when there is no readable lock."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return LockHolder(
                host=str(data["host"]),
                user=str(data["user"]),
                pid=int(data["pid"]),
                since=str(data["since"]),
                program=str(data.get("program", "")),
            )
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # Half-written by a program that crashed while creating it.
            return LockHolder(host="?", user="?", pid=0, since="?", program="?")

    @staticmethod
    def is_stale(holder: LockHolder) -> bool:
        if holder.host == "?":
            return True
        same_host = holder.host == socket.gethostname()
        return same_host and holder.pid != os.getpid() and not process_alive(holder.pid)

    def acquire(self, *, take_over: bool = False) -> None:
        """Take the lock; raise PlanLockedError when a live program holds it."""
        for _attempt in range(3):
            if self._create():
                self.held = True
                return
            holder = self.read_holder()
            if holder is None:
                continue  # released between our two looks: try again
            if take_over or self.is_stale(holder):
                log.warning("taking over the lock of %s held by %s", self.plan_name, holder)
                self.took_over = holder
                with suppress(FileNotFoundError):
                    self.path.unlink()
                continue
            raise PlanLockedError(
                f"“{self.plan_name}” is open in Training Scheduler by {holder.describe()}. "
                "Close it there first. If that program is no longer running (its computer "
                "was switched off, say), you may take over the plan.",
                holder=asdict(holder),
            )
        raise PlanFileError(f"Could not lock “{self.plan_name}”: another program keeps taking it.")

    def _create(self) -> bool:
        payload = json.dumps(asdict(LockHolder.of_this_process()), ensure_ascii=False)
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        except OSError as exc:
            raise PlanFileError(
                f"Could not create the lock beside “{self.plan_name}”: {exc.strerror or exc}."
            ) from exc
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(payload)
        return True

    def release(self) -> None:
        if not self.held:
            return
        holder = self.read_holder()
        # Only remove our own lock: someone may have taken it over meanwhile.
        if holder is not None and holder.pid == os.getpid() and holder.host == socket.gethostname():
            with suppress(FileNotFoundError):
                self.path.unlink()
        self.held = False
