"""Plan files known to be whole, so that reopening them can skip the full check.

``PRAGMA integrity_check`` reads and cross-checks every page and index: about
three seconds for a 100,000-event plan. A file whose content is exactly what
it was when it last passed the check, or when this program last closed it
cleanly, needs no check. "Exactly" is decided by the content itself: a SHA-1
of the whole file (about 0.1 s for that plan), remembered beside its size
and modification time. Size and time alone are not enough: bytes flipped in
the middle of a file whose modification time was then put back (a disk
fault, a tool that keeps times, a careless repair) change neither, and such
a plan used to open without a check and fail later. The digest is not a
defence against someone who wants to forge a plan; it only tells a changed
file from an unchanged one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from enum import Enum
from pathlib import Path

from scheduler.app_paths import data_dir
from scheduler.errors import UserError

log = logging.getLogger(__name__)
_FILE = "verified-plans.json"
_MAX_ENTRIES = 200
_BLOCK = 1024 * 1024


def _registry_path() -> Path:
    return data_dir() / _FILE


def _load() -> dict[str, dict[str, object]]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError, UserError):  # no usable program folder: check in full
        return {}
    return data if isinstance(data, dict) else {}


def _unsettled(path: Path) -> bool:
    """Changes still waiting beside the file (a WAL or a journal): only a check will do."""
    return any(
        Path(f"{path}{suffix}").exists() and Path(f"{path}{suffix}").stat().st_size > 0
        for suffix in ("-wal", "-journal")
    )


def file_digest(path: Path) -> str:
    """SHA-1 of the file's bytes (a change detector, not a signature)."""
    digest = hashlib.sha1(usedforsecurity=False)
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


class Verdict(Enum):
    WHOLE = "whole"  # exactly as when last found whole: no check needed
    UNKNOWN = "unknown"  # changed since, or never seen: the full check decides
    ALTERED = "altered"  # other bytes, same size and time: damaged behind our back


def verdict(path: Path) -> Verdict:
    """What we know of ``path``'s content compared with when it was last found whole.

    Every real write to a plan moves its modification time; different bytes
    under the same size and time mean a disk fault or a tool that put the
    time back, and such a file is not trusted even if SQLite's own check
    passes (a flipped byte inside a text keeps the file's structure valid).
    """
    if _unsettled(path):
        return Verdict.UNKNOWN
    entry = _load().get(str(path.resolve()))
    if not isinstance(entry, dict):
        return Verdict.UNKNOWN
    stat = path.stat()
    if entry.get("size") != stat.st_size or entry.get("mtime_ns") != stat.st_mtime_ns:
        return Verdict.UNKNOWN
    try:
        same = entry.get("sha1") == file_digest(path)
    except OSError:
        return Verdict.UNKNOWN
    return Verdict.WHOLE if same else Verdict.ALTERED


def is_verified(path: Path) -> bool:
    """True when ``path`` holds exactly the bytes it held when last found whole."""
    return verdict(path) is Verdict.WHOLE


def mark_verified(path: Path) -> None:
    """Remember that ``path``, as it is now, is a whole plan."""
    if _unsettled(path):
        return
    try:
        stat = path.stat()
        entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha1": file_digest(path)}
    except OSError as exc:
        log.warning("could not read %s to remember it as whole: %s", path, exc)
        return
    entries = _load()
    key = str(path.resolve())
    entries.pop(key, None)
    entries[key] = entry
    trimmed = dict(list(entries.items())[-_MAX_ENTRIES:])
    try:
        target = _registry_path()
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(trimmed), encoding="utf-8")
        os.replace(partial, target)
    except (OSError, UserError) as exc:  # only an optimisation: never fail an open over it
        log.warning("could not record %s as verified: %s", path, exc)


def forget(path: Path) -> None:
    """The file at ``path`` is about to be replaced: whatever we knew no longer holds."""
    entries = _load()
    if entries.pop(str(path.resolve()), None) is None:
        return
    try:
        target = _registry_path()
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(entries), encoding="utf-8")
        os.replace(partial, target)
    except (OSError, UserError) as exc:
        log.warning("could not update the verified plans: %s", exc)
