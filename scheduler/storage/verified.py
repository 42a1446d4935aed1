"""Plan files known to be whole, so that reopening them skips the full check.

``PRAGMA quick_check`` reads every page: half a second for a 100,000-event
plan. A file whose size and modification time are exactly those it had
when it last passed the check, or when this program last closed it
cleanly, has not been touched since, and is opened without re-reading it.
Any change (a copy from a USB stick, a crash that left a WAL, a truncated
download) alters size or time and brings the full check back.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from scheduler.app_paths import data_dir

log = logging.getLogger(__name__)
_FILE = "verified-plans.json"
_MAX_ENTRIES = 200


def _registry_path() -> Path:
    return data_dir() / _FILE


def _load() -> dict[str, list[int]]:
    try:
        data = json.loads(_registry_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _signature(path: Path) -> list[int] | None:
    if any(Path(f"{path}{suffix}").exists() for suffix in ("-wal", "-journal")):
        return None  # pending changes: only a full check will do
    stat = path.stat()
    return [stat.st_size, stat.st_mtime_ns]


def is_verified(path: Path) -> bool:
    signature = _signature(path)
    return signature is not None and _load().get(str(path.resolve())) == signature


def mark_verified(path: Path) -> None:
    """Remember that ``path``, as it is now, is a whole plan."""
    signature = _signature(path)
    if signature is None:
        return
    entries = _load()
    entries.pop(str(path.resolve()), None)
    entries[str(path.resolve())] = signature
    trimmed = dict(list(entries.items())[-_MAX_ENTRIES:])
    target = _registry_path()
    partial = target.with_name(target.name + ".partial")
    try:
        partial.write_text(json.dumps(trimmed), encoding="utf-8")
        os.replace(partial, target)
    except OSError as exc:  # only an optimisation: never fail an open over it
        log.warning("could not record %s as verified: %s", path, exc)
