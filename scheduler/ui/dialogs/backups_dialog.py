"""Choosing a backup to restore: newest first, with when and why it was taken."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from scheduler.planning.wording import date_format
from scheduler.services.plan_files import Backup, BackupList, list_backups

REASONS = {
    "open": "when the plan was opened",
    "auto": "automatic, while editing",
    "manual": "Back up now",
    "before-import": "before an import",
    "before-restore": "before a restore",
    "before-replace": "before the plan was replaced",
    "before-upgrade": "before the plan was upgraded",
}


def describe(backup: Backup) -> str:
    reason = REASONS.get(backup.reason, backup.reason.replace("-", " "))
    taken = date_format(backup.taken_at, "%a %d %b %Y  %H:%M:%S")
    return f"{taken}   —   {reason}   ({backup.size / 1024:,.0f} KB)"


class BackupsDialog(QDialog):
    def __init__(self, parent: QWidget | None, listing: BackupList) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from a backup")
        self.setObjectName("backups_dialog")
        self.listing = QListWidget(self)
        self.listing.setObjectName("backups")
        for backup in listing.backups:
            item = QListWidgetItem(describe(backup), self.listing)
            item.setData(Qt.ItemDataRole.UserRole, backup)
        self.listing.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Restore")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.listing.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "The plan will be replaced by the backup you choose. "
                "Its current state is backed up first, so this too can be undone.\n"
                f"{len(listing.backups)} backup(s) are kept, each a different state of the "
                f"plan (up to the newest {listing.keep}).",
                self,
            )
        )
        layout.addWidget(self.listing, 1)
        layout.addWidget(buttons)
        self.resize(620, 420)

    def chosen(self) -> Backup | None:
        item = self.listing.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def choose_backup(parent: QWidget | None, plan_path: Path) -> Backup | None:
    listing = list_backups(plan_path)
    if not listing.backups:
        QMessageBox.information(parent, "Restore", "This plan has no backups yet.")
        return None
    dialog = BackupsDialog(parent, listing)
    return dialog.chosen() if dialog.exec() else None
