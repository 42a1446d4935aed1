"""The planner's preferences, declared once, shared by the window and the CLI.

Each preference has a type, a default and a title (Picard's pattern). They
are stored in an INI file in the user's configuration folder rather than in
QSettings, so that the command line, which imports no Qt, reads the same
protective marking as the window. The working week is not a preference: it
belongs to each nation of the plan, so that every planner counts alike. Remembered window state
(geometry, splitters, recent files, last view) is not a preference and stays
in QSettings, owned by ``scheduler.ui``.
"""

from __future__ import annotations

import configparser
import logging
import os
from dataclasses import dataclass, fields, replace
from pathlib import Path

import platformdirs

from scheduler import APP_ID
from scheduler.app_paths import HOME_ENV

log = logging.getLogger(__name__)
_SECTION = "preferences"


@dataclass(frozen=True, slots=True)
class Preferences:
    """The values; ``TITLES`` gives each a label for the settings dialog."""

    marking: str = "OFFICIAL"
    week_start: int = 0  # 0 = Monday … 6 = Sunday
    backup_interval_minutes: int = 15
    backups_kept: int = 20
    author: str = ""
    retention_years: int = 5


TITLES: dict[str, str] = {
    "marking": "Protective marking on exported and printed documents",
    "week_start": "First day of the week",
    "backup_interval_minutes": "Back up the open plan every (minutes)",
    "backups_kept": "Backups kept per plan",
    "author": "Your name on releases and accepted conflicts (empty: your login)",
    "retention_years": "Keep trainees' names for (years after their last event)",
}


def preferences_path() -> Path:
    override = os.environ.get(HOME_ENV)
    folder = Path(override) if override else platformdirs.user_config_path(APP_ID, appauthor=False)
    return folder / "preferences.ini"


def _parse(name: str, text: str, default: object) -> object:
    if isinstance(default, bool):
        return text.strip().lower() in {"1", "true", "yes", "on"}
    if isinstance(default, int):
        return int(text)
    if isinstance(default, tuple):
        return tuple(int(part) for part in text.split(",") if part.strip())
    return text


def _format(value: object) -> str:
    if isinstance(value, tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def load_preferences(path: Path | None = None) -> Preferences:
    """The saved preferences; a missing or damaged file gives the defaults."""
    path = path or preferences_path()
    defaults = Preferences()
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (OSError, configparser.Error, UnicodeDecodeError) as exc:
        log.warning("ignoring unreadable preferences %s: %s", path, exc)
        return defaults
    if not parser.has_section(_SECTION):
        return defaults
    values: dict[str, object] = {}
    for field in fields(Preferences):
        text = parser.get(_SECTION, field.name, fallback=None)
        if text is None:
            continue
        try:
            values[field.name] = _parse(field.name, text, getattr(defaults, field.name))
        except ValueError:
            log.warning("ignoring bad preference %s=%r", field.name, text)
    return replace(defaults, **values)  # type: ignore[arg-type]


def save_preferences(preferences: Preferences, path: Path | None = None) -> None:
    """Write all preferences (via a temporary file, so a crash keeps the old ones)."""
    path = path or preferences_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    parser = configparser.ConfigParser(interpolation=None)
    parser[_SECTION] = {f.name: _format(getattr(preferences, f.name)) for f in fields(preferences)}
    partial = path.with_name(path.name + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        parser.write(handle)
    os.replace(partial, path)
