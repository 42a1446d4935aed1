"""The first thing a planner sees when no plan is open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class WelcomePage(QWidget):
    """New / open / demo, and the recent plans. Emits what the planner picked."""

    new_requested = Signal()
    open_requested = Signal()
    demo_requested = Signal()
    recent_requested = Signal(Path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        title = QLabel("Training Scheduler", self)
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        title.setFont(font)
        subtitle = QLabel(
            "Plan the training the cell delivers to partner forces, resolve clashes, "
            "and send each partner its own schedule.",
            self,
        )
        subtitle.setWordWrap(True)
        buttons = QHBoxLayout()
        for text, name, signal in (
            ("New plan…", "new", self.new_requested),
            ("Open plan…", "open", self.open_requested),
            ("Open the demo plan", "demo", self.demo_requested),
        ):
            button = QPushButton(text, self)
            button.setObjectName(f"welcome_{name}")
            button.clicked.connect(signal.emit)
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        buttons.addStretch()
        self.recent = QListWidget(self)
        self.recent.setObjectName("recent_plans")
        self.recent.itemActivated.connect(self._recent_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(title)
        layout.addWidget(subtitle)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addSpacing(16)
        layout.addWidget(QLabel("Recent plans", self))
        layout.addWidget(self.recent, 1)

    def set_recent(self, paths: list[Path]) -> None:
        self.recent.clear()
        for path in paths:
            item = QListWidgetItem(f"{path.stem}   —   {path.parent}", self.recent)
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            if not path.exists():
                item.setText(f"{path.stem}   —   {path.parent}   (missing)")
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.recent_requested.emit(Path(item.data(Qt.ItemDataRole.UserRole)))
