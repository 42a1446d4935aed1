"""What the calendar remembers per plan: mode, date, colouring, filters, holiday nations.

Kept in an INI file beside the window state (``data_dir()``), one group per
plan keyed by a hash of the plan's full path, so two plans keep their own
filters and tests (which set ``TRAINING_SCHEDULER_HOME``) stay isolated.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, fields
from datetime import date

from PySide6.QtCore import QSettings

from scheduler.app_paths import data_dir
from scheduler.services.calendar_rows import CalendarFilters

MODES = ("month", "week", "day", "agenda")


class CalendarState:
    def __init__(self, plan_identity: str, settings: QSettings | None = None) -> None:
        self.settings = settings or QSettings(
            str(data_dir() / "calendar-state.ini"), QSettings.Format.IniFormat
        )
        digest = hashlib.sha1(plan_identity.encode("utf-8")).hexdigest()[:16]
        self.group = f"plan_{digest}"

    def _get(self, name: str, default: str = "") -> str:
        value = self.settings.value(f"{self.group}/{name}", default)
        return str(value) if value is not None else default

    def _set(self, name: str, value: str) -> None:
        self.settings.setValue(f"{self.group}/{name}", value)

    def mode(self) -> str:
        mode = self._get("mode", "month")
        return mode if mode in MODES else "month"

    def set_mode(self, mode: str) -> None:
        self._set("mode", mode)

    def anchor(self) -> date | None:
        try:
            return date.fromisoformat(self._get("anchor"))
        except ValueError:
            return None

    def set_anchor(self, day: date) -> None:
        self._set("anchor", day.isoformat())

    def colour_by(self) -> str:
        return "status" if self._get("colour_by") == "status" else "category"

    def set_colour_by(self, by: str) -> None:
        self._set("colour_by", by)

    def filters(self) -> CalendarFilters:
        return CalendarFilters(
            **{f.name: self._get(f"filter_{f.name}") for f in fields(CalendarFilters)}
        )

    def set_filters(self, filters: CalendarFilters) -> None:
        for name, value in asdict(filters).items():
            self._set(f"filter_{name}", value)

    def holiday_nations(self) -> list[str] | None:
        """Nations whose holidays are shaded; None until the planner chose."""
        text = self._get("holiday_nations", "*")
        return None if text == "*" else [c for c in text.split(",") if c]

    def set_holiday_nations(self, codes: list[str]) -> None:
        self._set("holiday_nations", ",".join(codes))

    def sync(self) -> None:
        self.settings.sync()
