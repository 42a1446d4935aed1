"""Where the program keeps its own files: demo plan, backups, logs.

``TRAINING_SCHEDULER_HOME`` overrides the platform's standard folders, so
tests and portable installs (a USB stick) keep everything in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from scheduler import APP_ID
from scheduler.errors import UserError

HOME_ENV = "TRAINING_SCHEDULER_HOME"
PLAN_SUFFIX = ".tsplan"


class ProgramFolderError(UserError):
    """The program's own folder (backups, log) cannot be used; the message says which."""


def usable_folder(folder: Path) -> Path:
    """``folder``, made if missing; ProgramFolderError, in words, if it cannot be written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise _unusable(folder, "it is a file, not a folder") from None
    except OSError as exc:
        raise _unusable(folder, exc.strerror or str(exc)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _unusable(folder, "it is read-only")
    return folder


def _unusable(folder: Path, why: str) -> ProgramFolderError:
    return ProgramFolderError(
        f"Training Scheduler keeps its backups and log in “{folder}”, but {why}. "
        f"Make it a folder you may write, or set {HOME_ENV} to one."
    )


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    base = Path(override) if override else platformdirs.user_data_path(APP_ID, appauthor=False)
    return usable_folder(base)


def backups_root() -> Path:
    return data_dir() / "backups"


def log_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    base = (
        Path(override) / "logs" if override else platformdirs.user_log_path(APP_ID, appauthor=False)
    )
    return usable_folder(base)


def demo_plan_path() -> Path:
    return data_dir() / f"demo{PLAN_SUFFIX}"


def plans_dir() -> Path:
    """Where New plan… and Open plan… start: the user's Documents folder.

    Plans are the planner's documents (they copy them, mail them, back them
    up), unlike the program's own files above; the home folder stands in when
    there is no Documents folder.
    """
    documents = platformdirs.user_documents_path()
    return documents if documents.is_dir() else Path.home()
