"""Where the program keeps its own files: demo plan, backups, logs.

``TRAINING_SCHEDULER_HOME`` overrides the platform's standard folders, so
tests and portable installs (a USB stick) keep everything in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from scheduler import APP_ID

HOME_ENV = "TRAINING_SCHEDULER_HOME"
PLAN_SUFFIX = ".tsplan"


def data_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    base = Path(override) if override else platformdirs.user_data_path(APP_ID, appauthor=False)
    base.mkdir(parents=True, exist_ok=True)
    return base


def backups_root() -> Path:
    return data_dir() / "backups"


def log_dir() -> Path:
    override = os.environ.get(HOME_ENV)
    base = (
        Path(override) / "logs" if override else platformdirs.user_log_path(APP_ID, appauthor=False)
    )
    base.mkdir(parents=True, exist_ok=True)
    return base


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
