"""The settings dialog: pages that each load, check and save their preferences.

Preferences are declared once in ``scheduler.preferences``; a page only
lays out widgets for some of them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from scheduler.preferences import TITLES, Preferences, load_preferences, save_preferences

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class SettingsSection(QWidget):
    title = ""

    def load(self, preferences: Preferences) -> None:
        raise NotImplementedError

    def check(self) -> str | None:
        """A message when the page's values cannot be saved."""
        return None

    def save(self, preferences: Preferences) -> Preferences:
        raise NotImplementedError


class DocumentSettings(SettingsSection):
    title = "Documents"

    def __init__(self) -> None:
        super().__init__()
        self.marking = QLineEdit(self)
        self.marking.setObjectName("marking")
        self.marking.setPlaceholderText("e.g. OFFICIAL-SENSITIVE RELEASABLE TO MKD")
        form = QFormLayout(self)
        form.addRow(TITLES["marking"], self.marking)
        note = QLabel(
            "Printed in the header and footer of every exported workbook and report. "
            "An export may still set its own marking. Files holding trainees' names "
            "are at least OFFICIAL-SENSITIVE unless you type their marking.",
            self,
        )
        note.setWordWrap(True)
        form.addRow(note)
        self.retention = QSpinBox(self)
        self.retention.setObjectName("retention_years")
        self.retention.setRange(1, 50)
        self.retention.setSuffix(" years")
        self.retention.setToolTip(
            "training-scheduler purge-personal-data removes the trainees whose last "
            "event ended longer ago than this, keeping the counts"
        )
        form.addRow(TITLES["retention_years"], self.retention)

    def load(self, preferences: Preferences) -> None:
        self.marking.setText(preferences.marking)
        self.retention.setValue(preferences.retention_years)

    def check(self) -> str | None:
        return None if self.marking.text().strip() else "A protective marking is needed."

    def save(self, preferences: Preferences) -> Preferences:
        return replace(
            preferences,
            marking=self.marking.text().strip(),
            retention_years=self.retention.value(),
        )


class CalendarSettings(SettingsSection):
    title = "Calendar"

    def __init__(self) -> None:
        super().__init__()
        self.week_start = QComboBox(self)
        self.week_start.setObjectName("week_start")
        self.week_start.addItems(DAYS)
        form = QFormLayout(self)
        form.addRow(TITLES["week_start"], self.week_start)
        note = QLabel(
            "Working days are kept in the plan for each nation: edit a nation "
            "on the Nations page to change its working week.",
            self,
        )
        note.setWordWrap(True)
        form.addRow(note)

    def load(self, preferences: Preferences) -> None:
        self.week_start.setCurrentIndex(preferences.week_start)

    def save(self, preferences: Preferences) -> Preferences:
        return replace(preferences, week_start=self.week_start.currentIndex())


class BackupSettings(SettingsSection):
    title = "Backups"

    def __init__(self) -> None:
        super().__init__()
        self.interval = QSpinBox(self)
        self.interval.setObjectName("backup_interval")
        self.interval.setRange(1, 240)
        self.kept = QSpinBox(self)
        self.kept.setRange(3, 200)
        self.author = QLineEdit(self)
        form = QFormLayout(self)
        form.addRow(TITLES["backup_interval_minutes"], self.interval)
        form.addRow(TITLES["backups_kept"], self.kept)
        form.addRow(TITLES["author"], self.author)

    def load(self, preferences: Preferences) -> None:
        self.interval.setValue(preferences.backup_interval_minutes)
        self.kept.setValue(preferences.backups_kept)
        self.author.setText(preferences.author)

    def save(self, preferences: Preferences) -> Preferences:
        return replace(
            preferences,
            backup_interval_minutes=self.interval.value(),
            backups_kept=self.kept.value(),
            author=self.author.text().strip(),
        )


class SettingsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settings_dialog")
        self.preferences = load_preferences()
        self.pages: list[SettingsSection] = [
            DocumentSettings(),
            CalendarSettings(),
            BackupSettings(),
        ]
        tabs = QTabWidget(self)
        for page in self.pages:
            page.load(self.preferences)
            tabs.addTab(page, page.title)
        self.problem = QLabel(self)
        self.problem.setObjectName("problem")
        self.problem.setStyleSheet("color: #b3261e;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def try_accept(self) -> None:
        problems = [p for p in (page.check() for page in self.pages) if p]
        if problems:
            self.problem.setText(" ".join(problems))
            return
        preferences: Any = self.preferences
        for page in self.pages:
            preferences = page.save(preferences)
        save_preferences(preferences)
        self.preferences = preferences
        self.accept()
