"""What the window remembers between runs (not preferences): geometry,
splitters, the last plan and view, recent plans. Kept in QSettings, as an
INI file in the program's data folder so that it travels with a portable
install and tests can isolate it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from scheduler.app_paths import data_dir

MAX_RECENT = 10


class UiState:
    def __init__(self, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings(
            str(data_dir() / "window-state.ini"), QSettings.Format.IniFormat
        )

    def recent_plans(self) -> list[Path]:
        value = self.settings.value("recent_plans", [])
        if isinstance(value, str):
            items = [value]
        elif isinstance(value, list | tuple):
            items = [str(v) for v in value]
        else:
            items = []
        return [Path(p) for p in items if p]

    def add_recent(self, path: Path) -> None:
        resolved = str(path.resolve())
        items = [str(p) for p in self.recent_plans() if str(p) != resolved]
        self.settings.setValue("recent_plans", [resolved, *items][:MAX_RECENT])
        self.settings.setValue("last_plan", resolved)

    def last_plan(self) -> Path | None:
        value = self.settings.value("last_plan", "")
        return Path(str(value)) if value else None

    def forget_last_plan(self) -> None:
        self.settings.setValue("last_plan", "")

    def geometry(self) -> QByteArray | None:
        value = self.settings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self.settings.setValue("window/geometry", geometry)

    def last_view(self) -> str:
        return str(self.settings.value("window/view", "dashboard"))

    def set_last_view(self, key: str) -> None:
        self.settings.setValue("window/view", key)

    def sync(self) -> None:
        self.settings.sync()
