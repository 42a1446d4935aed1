"""The program's log file: where bugs are recorded with their traceback.

Planners never see a traceback; they see a sentence and the path of this
file, which they can send to whoever supports them.
"""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from scheduler.app_paths import log_dir
from scheduler.errors import UserError

LOG_NAME = "training-scheduler.log"
_configured: Path | None = None


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to the rotating log file; returns its path (once per process).

    None when the log folder cannot be written: the program still runs (a
    ``--version`` or a read-only command needs no log), and what needs the
    program's folder says so in a sentence when it gets there.
    """
    global _configured
    if _configured is not None:
        return _configured
    try:
        path = log_dir() / LOG_NAME
        handler = RotatingFileHandler(path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    except (UserError, OSError):
        logging.getLogger().addHandler(logging.NullHandler())
        return None
    handler.setFormatter(
        logging.Formatter("%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level)
    _configured = path
    return path
