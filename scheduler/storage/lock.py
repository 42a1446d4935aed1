"""A lock beside the plan, so two programs never edit it at once.

SQLite would let two programs write the same file safely, but each would
then work from a stale picture of the plan; the lock makes the second one
ask first. ``Plan.tsplan.lock`` is held with an operating-system lock
(``flock`` on Linux and macOS, a byte-range lock on Windows) for as long as
the plan is open, and names its holder in JSON (host, user, pid, since,
program) so that a refusal can say whom to ask.

Why an OS lock rather than the file's mere existence: the OS lets go of it
when the holding process ends, however it ends (a crash, a kill, a power
cut on the other computer once its file server notices), and never while
that process runs. "Can I take the OS lock?" therefore answers "is the
holder gone?" exactly: no guessing from a pid (which says nothing about
another computer), and no race between two programs that both judge one
lock stale and both take it. The JSON is only a name tag: a lock nobody
holds is free whatever it says (even half-written), and a lock somebody
holds is never taken, not even with the planner's "Take over".

The file is locked first and only then checked to still be the one the path
names: a releasing holder removes it (POSIX) while still holding its lock,
so whoever opened the old file in the meantime gets its lock only once it is
gone from the folder, sees the path names another file (or none) and looks
again. Two programs can therefore never each hold a lock on a different
file of the same name. On Windows an open file cannot be removed, so the
file stays, emptied, meaning "not held".

Network drives that refuse OS locks (an NFS mount without its lock service,
some SMB setups) fall back to creating the file exclusively, as earlier
versions did; docs/decisions.md says what that does and does not guarantee.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
import threading
import time
import uuid
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path

from scheduler import __version__
from scheduler.errors import PlanFileError, PlanLockedError
from scheduler.model.changelog import current_user
from scheduler.processes import process_alive

log = logging.getLogger(__name__)

# A releasing holder needs microseconds to remove its file; a few dozen quick
# looks ride that out without making a real refusal slow.
_ATTEMPTS = 50
_RETRY_PAUSE = 0.005
# How long a refusal waits for a holder that has just taken the lock to write
# its name, so the message can say who it is.
_NAME_PATIENCE = 0.5
# Windows byte-range locks are mandatory: a lock on the JSON would stop
# others reading who holds the plan. So the lock sits on one byte far past it.
_WINDOWS_LOCK_BYTE = 0x4000_0000
_O_BINARY: int = getattr(os, "O_BINARY", 0)


class _Outcome(Enum):
    LOCKED = "locked"
    BUSY = "busy"  # another open file holds it: a live process
    UNSUPPORTED = "unsupported"  # this drive has no OS locks


if sys.platform == "win32":
    import msvcrt

    def _os_lock(fd: int) -> _Outcome:
        os.lseek(fd, _WINDOWS_LOCK_BYTE, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            if exc.errno in (errno.EACCES, errno.EDEADLOCK):
                return _Outcome.BUSY
            return _Outcome.UNSUPPORTED
        return _Outcome.LOCKED

    def _os_unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_BYTE, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    # flock, not lockf: a flock belongs to the open file, so a second open in
    # this same process is refused too, and reading the lock file elsewhere in
    # the process cannot drop it (an fcntl/lockf lock belongs to the process
    # and vanishes when any of its descriptors of the file is closed).
    _UNSUPPORTED = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EINVAL, errno.ENOSYS}

    def _os_lock(fd: int) -> _Outcome:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                return _Outcome.BUSY
            if exc.errno in _UNSUPPORTED:
                return _Outcome.UNSUPPORTED
            raise
        return _Outcome.LOCKED

    def _os_unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


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

    @property
    def known(self) -> bool:
        """False for a lock file that does not (yet) say who holds it."""
        return self.host != "?"

    def describe(self) -> str:
        try:
            since = datetime.fromisoformat(self.since).strftime("%d %b %Y %H:%M")
        except ValueError:
            since = self.since
        return f"{self.user} on {self.host} (process {self.pid}) since {since}"


UNKNOWN_HOLDER = LockHolder(host="?", user="?", pid=0, since="?", program="?")


class TakeOverPossibleError(PlanLockedError):
    """Held, as far as this drive can tell, by a program that may be gone.

    Raised only where the drive has no OS locks (some network shares): the
    lock file alone cannot prove its holder is gone, but the planner, who
    can know, may take the plan over. ``situation`` is the message without
    the advice, so the command line can name its own option instead.
    """

    def __init__(self, situation: str, holder: dict[str, object]) -> None:
        super().__init__(
            f"{situation} If that program is no longer running (its computer was switched "
            "off, say), you may take over the plan.",
            holder,
        )
        self.situation = situation


def lock_path_for(plan_path: Path) -> Path:
    return plan_path.with_name(plan_path.name + ".lock")


# Locks held by this process, by the lock file's real path. The OS lock
# already refuses a second open here; this makes that true on every drive
# (an NFS client may emulate flock with per-process locks) and lets the
# refusal name this process without opening the file.
_HELD_HERE: dict[str, LockHolder] = {}
_HELD_HERE_GUARD = threading.Lock()


class PlanLock:
    """The lock on one plan file, held by this process between acquire and release."""

    def __init__(self, plan_path: Path) -> None:
        self.path = lock_path_for(plan_path)
        self.plan_name = plan_path.name
        self.held = False
        self.took_over: LockHolder | None = None
        self._fd: int | None = None  # kept open while held by an OS lock
        self._file: tuple[int, int] | None = None  # (st_dev, st_ino) of the file we hold
        self._holder: LockHolder | None = None
        self._key = ""

    # -- who holds it ---------------------------------------------------------

    def read_holder(self) -> LockHolder | None:
        """Whom the lock file names: None when there is none (or it is empty: not held),
        ``UNKNOWN_HOLDER`` when it cannot be read or is half-written.

        The name alone proves nothing about the holder still running; only
        ``acquire`` can tell, by trying the OS lock.
        """
        try:
            if self._fd is not None:
                return _parse(_read_all(self._fd))
            return _parse(self.path.read_bytes())
        except FileNotFoundError:
            return None
        except OSError:
            return UNKNOWN_HOLDER

    @staticmethod
    def is_stale(holder: LockHolder) -> bool:
        """Whether a lock with no OS lock behind it (a drive without them) is provably
        left over: its process on this very computer has ended.

        A half-written lock or one from another computer cannot be proven
        gone this way; the planner must say so (``take_over``).
        """
        if not holder.known:
            return False
        same_host = holder.host == socket.gethostname()
        return same_host and holder.pid != os.getpid() and not process_alive(holder.pid)

    # -- taking and giving back -----------------------------------------------

    def acquire(self, *, take_over: bool = False) -> None:
        """Take the lock, or raise PlanLockedError naming the program that holds it.

        A lock whose OS lock is free is taken without asking, whatever its
        file says (its holder has ended). A held one is refused even with
        ``take_over``: that program still runs and must be closed first.
        ``take_over`` only matters on drives without OS locks, where the
        planner's word is the only evidence that a holder is gone.
        """
        if self.held:
            return
        key = _registry_key(self.path)
        with _HELD_HERE_GUARD:
            here = _HELD_HERE.get(key)
            if here is not None:
                raise self._refusal(here, take_over=take_over)
            self._acquire(take_over)
            assert self._holder is not None
            _HELD_HERE[key] = self._holder
            self._key = key

    def release(self) -> None:
        """Give the lock back; the next program to open the plan gets it at once."""
        if not self.held:
            return
        try:
            if self._fd is not None:
                self._release_os_lock(self._fd)
            else:
                self._release_created_file()
        finally:
            self.held = False
            self._fd = None
            self._file = None
            with _HELD_HERE_GUARD:
                _HELD_HERE.pop(self._key, None)

    def _acquire(self, take_over: bool) -> None:
        for attempt in range(_ATTEMPTS):
            if attempt:
                time.sleep(_RETRY_PAUSE)
            opened = self._open()
            if opened is None:
                continue  # removed between two looks
            fd, created, writable = opened
            try:
                outcome = _os_lock(fd)
            except OSError as exc:
                os.close(fd)
                raise self._error(exc) from exc
            if outcome is _Outcome.UNSUPPORTED:
                if self._acquire_by_creation(fd, created, take_over):
                    return
                continue
            if not _still_named(self.path, fd):
                os.close(fd)  # its holder was releasing it: look again
                continue
            if outcome is _Outcome.BUSY:
                try:
                    holder = self._name_of_live_holder(fd)
                finally:
                    os.close(fd)
                if holder is None:
                    continue  # it let go while we read its name: look again
                raise self._refusal(holder, take_over=take_over)
            if self._settle(fd, writable):
                return
        raise PlanFileError(
            f"Could not lock “{self.plan_name}”: other programs keep opening and closing it. "
            "Try again in a moment."
        )

    def _open(self) -> tuple[int, bool, bool] | None:
        """(fd, whether we created the file, whether we may write it), or None when the
        file vanished between two looks."""
        flags = os.O_RDWR | _O_BINARY
        try:
            return os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o666), True, True
        except FileExistsError:
            pass
        except OSError as exc:
            raise self._error(exc) from exc
        try:
            return os.open(self.path, flags), False, True
        except FileNotFoundError:
            return None
        except PermissionError as exc:
            if _is_dir(self.path):
                raise self._error(exc) from exc
        except OSError as exc:
            raise self._error(exc) from exc
        # Left by another user: reading is enough to see whether its holder is gone.
        try:
            return os.open(self.path, os.O_RDONLY | _O_BINARY), False, False
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise self._error(exc) from exc

    def _settle(self, fd: int, writable: bool) -> bool:
        """With the OS lock on the file the path names: write our name and keep it."""
        if not writable:
            # Its holder has ended but the file is not ours to write. Removing it
            # is safe while we hold its lock (see the module docstring); then
            # start afresh with a file of our own.
            with suppress(OSError):
                self.took_over = _parse(_read_all(fd))
            try:
                if sys.platform == "win32":
                    raise PermissionError(errno.EACCES, "permission denied")
                os.unlink(self.path)
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise self._error(exc) from exc
            finally:
                os.close(fd)
            return False
        holder = LockHolder.of_this_process()
        try:
            previous = _parse(_read_all(fd))
            self._write_holder(fd, holder)
            identity = _identity_of_open(self.path, fd)
        except OSError as exc:
            os.close(fd)  # lets go of the OS lock too
            raise self._error(exc) from exc
        if previous is not None:
            log.warning(
                "took over the lock of %s from %s (that program has ended)",
                self.plan_name,
                previous,
            )
            self.took_over = previous
        self._fd, self._file, self._holder, self.held = fd, identity, holder, True
        return True

    def _write_holder(self, fd: int, holder: LockHolder) -> None:
        """Put our name in the file we hold: truncated, written, flushed to the drive."""
        payload = json.dumps(asdict(holder), ensure_ascii=False).encode("utf-8")
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
        with suppress(OSError):  # some network drives refuse fsync; the data is written
            os.fsync(fd)

    def _name_of_live_holder(self, fd: int) -> LockHolder | None:
        """Who holds the OS lock on the file open as ``fd``, or None if it let go meanwhile.

        A holder that took the lock a moment ago may not have written its name
        yet (or may be paused while writing it, on a slow network drive), and
        until it does the file may still name the holder before it, which has
        ended: wait a little for a live name, then settle for "unknown".
        """
        deadline = time.monotonic() + _NAME_PATIENCE
        here = socket.gethostname()
        while True:
            holder = self.read_holder()
            if (
                holder is not None
                and holder.known
                and (holder.host != here or process_alive(holder.pid))
            ):
                return holder
            if not _still_named(self.path, fd):
                return None
            if time.monotonic() >= deadline:
                return UNKNOWN_HOLDER
            time.sleep(0.02)

    def _release_os_lock(self, fd: int) -> None:
        try:
            if sys.platform == "win32":
                # An open file cannot be removed here: leave it, empty ("not held").
                with suppress(OSError):
                    os.ftruncate(fd, 0)
                with suppress(OSError):
                    _os_unlock(fd)
            elif _still_named(self.path, fd):
                # Removed while still held: see the module docstring for why that
                # is safe. If the folder forbids it, an empty file says the same.
                try:
                    os.unlink(self.path)
                except FileNotFoundError:
                    pass
                except OSError:
                    with suppress(OSError):
                        os.ftruncate(fd, 0)
        finally:
            os.close(fd)  # lets go of the OS lock

    # -- drives without OS locks ----------------------------------------------
    #
    # The lock is the file's existence, created with O_EXCL, as before OS locks
    # were used. Exclusive between programs that start one after another; not
    # proof against two programs taking over one left-over lock at the very
    # same moment (the rename below narrows that window, it cannot close it),
    # nor against a program that pauses between its check and its write.

    def _acquire_by_creation(self, fd: int, created: bool, take_over: bool) -> bool:
        """Hold the lock by having created its file; True when held, False to look again."""
        if created:
            holder = LockHolder.of_this_process()
            try:
                self._write_holder(fd, holder)
                identity = _identity_of_open(self.path, fd)
            except OSError as exc:
                with suppress(OSError):
                    os.unlink(self.path)
                raise self._error(exc) from exc
            finally:
                os.close(fd)
            self._file, self._holder, self.held = identity, holder, True
            return True
        try:
            identity = _identity_of_open(self.path, fd)
            holder = _parse(_read_all(fd)) or UNKNOWN_HOLDER
        except OSError as exc:
            raise self._error(exc) from exc
        finally:
            os.close(fd)
        if not (take_over or self.is_stale(holder)):
            raise self._refusal(holder, take_over=False, provable=False)
        self._remove_left_over(identity, holder)
        return False

    def _remove_left_over(self, identity: tuple[int, int], holder: LockHolder) -> None:
        """Move the judged lock file aside, and remove it only if it is still the one
        judged (someone else may have taken over and created a fresh one meanwhile)."""
        aside = self.path.with_name(f"{self.path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}")
        try:
            os.rename(self.path, aside)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise self._error(exc) from exc
        try:
            if _identity(os.stat(aside)) == identity:
                log.warning("took over the lock of %s from %s", self.plan_name, holder)
                self.took_over = holder
            else:  # a newer holder's file: put it back unless yet another exists
                try:
                    os.link(aside, self.path)
                except FileExistsError:
                    pass
                except OSError:  # no hard links on this drive
                    if not self.path.exists():
                        os.rename(aside, self.path)
        finally:
            with suppress(OSError):
                os.unlink(aside)

    def _release_created_file(self) -> None:
        # Only remove our own lock: someone may have taken it over meanwhile.
        try:
            same_file = _identity(os.stat(self.path)) == self._file
        except OSError:
            return
        holder = self.read_holder()
        if same_file and holder is not None and holder == self._holder:
            with suppress(OSError):
                os.unlink(self.path)

    # -- messages -------------------------------------------------------------

    def _refusal(
        self, holder: LockHolder, *, take_over: bool, provable: bool = True
    ) -> PlanLockedError:
        """The sentence for a plan another program holds.

        ``provable``: an OS lock (or this very process) shows that program
        runs, so taking over cannot help; otherwise (drives without OS
        locks) the planner may take over.
        """
        if holder.known:
            who = f"Training Scheduler by {holder.describe()}"
        else:
            who = (
                f"another program (its lock, “{self.path.name}”, does not say which yet: it may "
                "be opening the plan right now)"
            )
        if not provable:
            return TakeOverPossibleError(
                f"“{self.plan_name}” is open in {who}. Close it there first.", asdict(holder)
            )
        if take_over:
            message = (
                f"“{self.plan_name}” cannot be taken over: {who} still has it open, and that "
                "program must be closed first."
            )
        else:
            message = f"“{self.plan_name}” is open in {who}. Close it there first."
            if holder.known and holder.host != socket.gethostname():
                message += (
                    " If that computer was switched off or lost its network, the file server "
                    "lets go of the plan by itself after a while; try again later."
                )
        return PlanLockedError(message, holder=asdict(holder))

    def _error(self, exc: OSError) -> PlanFileError:
        """One sentence for a lock file that cannot be used (never a traceback)."""
        name, plan = self.path.name, self.plan_name
        if _is_dir(self.path):
            return PlanFileError(
                f"There is a folder called “{name}” beside “{plan}”, where Training Scheduler "
                "keeps the plan's lock. Move or rename that folder, then open the plan again."
            )
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return PlanFileError(
                f"Training Scheduler cannot write the lock “{name}” beside “{plan}”: the folder, "
                "or that file, is read-only for you. Copy the plan to a folder of your own and "
                "open the copy, or ask for write access to the folder."
            )
        return PlanFileError(
            f"Training Scheduler cannot use the lock “{name}” beside “{plan}”: "
            f"{exc.strerror or exc}."
        )


def _parse(data: bytes) -> LockHolder | None:
    if not data.strip():
        return None  # not held (emptied on release), or a holder about to write
    try:
        fields = json.loads(data.decode("utf-8"))
        return LockHolder(
            host=str(fields["host"]),
            user=str(fields["user"]),
            pid=int(fields["pid"]),
            since=str(fields["since"]),
            program=str(fields.get("program", "")),
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return UNKNOWN_HOLDER  # half-written, or not ours


def _read_all(fd: int) -> bytes:
    os.lseek(fd, 0, os.SEEK_SET)
    chunks: list[bytes] = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
        if sum(map(len, chunks)) > 1 << 20:
            break  # not a lock of ours; the start is enough to say so
    return b"".join(chunks)


def _identity(stat: os.stat_result) -> tuple[int, int]:
    return (stat.st_dev, stat.st_ino)


def _identity_of_open(path: Path, fd: int) -> tuple[int, int]:
    """(device, inode) of the file open as ``fd``, comparable with ``os.stat`` later.

    On Windows it is read through the path, which names that very file for
    as long as it is open (see ``_still_named``): stat and fstat there may
    report file ids of different widths.
    """
    if sys.platform == "win32":
        return _identity(os.stat(path))
    return _identity(os.fstat(fd))


def _still_named(path: Path, fd: int) -> bool:
    """Whether ``path`` still names the file open as ``fd`` (same device and inode)."""
    if sys.platform == "win32":
        # Windows refuses to remove or rename a file anyone has open (os.open
        # shares no delete access), so the path names it until it is closed.
        return True
    try:
        return _identity(os.stat(path)) == _identity(os.fstat(fd))
    except OSError:
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _registry_key(path: Path) -> str:
    try:
        return os.path.normcase(os.path.realpath(path))
    except OSError:
        return os.path.normcase(os.path.abspath(path))
