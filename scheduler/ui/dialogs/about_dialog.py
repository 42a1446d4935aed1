"""Help ▸ About: what this copy is, what it is built from, where it keeps files.

The component list is read at run time from the installed packages'
metadata (a bundle carries it, see packaging/training-scheduler.spec), so
it names the versions actually shipped, not the ones someone remembered to
type; support asks for exactly these lines.
"""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass
from importlib import metadata

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scheduler import APP_NAME, __version__
from scheduler.app_log import LOG_NAME
from scheduler.app_paths import backups_root, data_dir, log_dir
from scheduler.preferences import preferences_path
from scheduler.resources_path import resource
from scheduler.services.plan_files import head_revision

# Distributions shipped with the program, in the order a reader looks for them.
# Those marked optional are listed only when installed.
COMPONENTS: tuple[tuple[str, bool], ...] = (
    ("PySide6-Essentials", False),
    ("shiboken6", False),
    ("SQLAlchemy", False),
    ("alembic", False),
    ("Mako", False),
    ("openpyxl", False),
    ("et-xmlfile", False),
    ("python-dateutil", False),
    ("six", False),
    ("holidays", False),
    ("icalendar", False),
    ("tzdata", True),
    ("platformdirs", False),
    ("defusedxml", False),
    ("psycopg", True),
    ("psycopg-binary", True),
)
QT_LICENCE = "LGPL-3.0-only"
_VAGUE = {"", "unknown", "dual license", "see license", "license.txt"}


@dataclass(frozen=True, slots=True)
class Component:
    name: str
    version: str
    licence: str


def _field(meta: metadata.PackageMetadata, name: str) -> str:
    values = meta.get_all(name) or []
    return str(values[0]).strip() if values else ""


def licence_of(meta: metadata.PackageMetadata) -> str:
    """A short licence name: the SPDX expression, the License field, or the classifiers."""
    expression = _field(meta, "License-Expression")
    if expression:
        return expression
    text = _field(meta, "License")
    if text and "\n" not in text and len(text) <= 60 and text.lower() not in _VAGUE:
        return text
    classifiers = [
        c.split("::")[-1].strip()
        for c in meta.get_all("Classifier") or []
        if c.startswith("License ::")
    ]
    return " / ".join(classifiers) or "see the package"


def bundled_components() -> list[Component]:
    """Qt, Python and every shipped package found, with version and licence."""
    rows = [
        Component("Qt", qVersion(), QT_LICENCE),
        Component("Python", platform.python_version(), "PSF-2.0"),
    ]
    for name, optional in COMPONENTS:
        try:
            meta = metadata.metadata(name)
        except metadata.PackageNotFoundError:
            if not optional:
                rows.append(Component(name, "(metadata missing)", "?"))
            continue
        rows.append(Component(name, meta["Version"] or "?", licence_of(meta)))
    return rows


def places() -> list[tuple[str, str]]:
    return [
        ("Log file", str(log_dir() / LOG_NAME)),
        ("Backups", str(backups_root())),
        ("Demo plan and window state", str(data_dir())),
        ("Preferences", str(preferences_path())),
    ]


class AboutDialog(QDialog):
    """Modal; shows the program, versions, components and its folders (text selectable)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.setWindowTitle(f"About {APP_NAME}")
        icon = QLabel(self)
        size = 72
        icon.setPixmap(
            QIcon(str(resource("icons", "training-scheduler.svg"))).pixmap(
                size, size, QIcon.Mode.Normal
            )
        )
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel(self)
        self.summary.setObjectName("about_summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setWordWrap(True)
        self.summary.setText(self._summary_html())
        header = QHBoxLayout()
        header.addWidget(icon)
        header.addWidget(self.summary, 1)

        self.components = QTableWidget(self)
        self.components.setObjectName("about_components")
        # Read once: each component's metadata is a file read (in a bundle too).
        self.rows = rows = bundled_components()
        self.components.setColumnCount(3)
        self.components.setRowCount(len(rows))
        self.components.setHorizontalHeaderLabels(["Component", "Version", "Licence"])
        for row, component in enumerate(rows):
            for column, text in enumerate((component.name, component.version, component.licence)):
                self.components.setItem(row, column, QTableWidgetItem(text))
        self.components.verticalHeader().hide()
        self.components.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.components.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.components.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.components.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.components.setAlternatingRowColors(True)
        header_view = self.components.horizontalHeader()
        header_view.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.places = QLabel(self)
        self.places.setObjectName("about_places")
        self.places.setTextFormat(Qt.TextFormat.RichText)
        self.places.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.places.setWordWrap(True)
        self.places.setText(
            "<table cellspacing='2'>"
            + "".join(
                f"<tr><td><b>{html.escape(name)}</b>&nbsp;&nbsp;</td>"
                f"<td>{html.escape(path)}</td></tr>"
                for name, path in places()
            )
            + "</table>"
        )

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        copy = buttons.addButton("Copy details", QDialogButtonBox.ButtonRole.ActionRole)
        copy.setObjectName("about_copy")
        copy.clicked.connect(self.copy_details)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(QLabel("Built with:", self))
        layout.addWidget(self.components, 1)
        layout.addWidget(self.places)
        layout.addWidget(buttons)
        self.resize(620, 640)

    @staticmethod
    def _summary_html() -> str:
        return (
            f"<h2 style='margin:0'>{APP_NAME}</h2>"
            f"<p>Version {html.escape(__version__)}<br>"
            "Plans the training a coordination cell delivers to partner forces.</p>"
            f"<p>Plan file schema revision: {html.escape(head_revision())}<br>"
            f"Qt {qVersion()}, PySide6 {PySide6.__version__}, "
            f"Python {platform.python_version()} on {html.escape(platform.system())}</p>"
        )

    def details_text(self) -> str:
        """Plain text of everything shown, for a support request."""
        lines = [
            f"{APP_NAME} {__version__} (plan schema {head_revision()})",
            f"Qt {qVersion()}, PySide6 {PySide6.__version__}, Python {platform.python_version()}"
            f" on {platform.platform()}",
            "",
            *(f"{c.name} {c.version} ({c.licence})" for c in self.rows),
            "",
            *(f"{name}: {path}" for name, path in places()),
        ]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())


def show_about(parent: QWidget | None) -> None:
    AboutDialog(parent).exec()
