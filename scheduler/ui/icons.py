"""Toolbar and menu icons: SVG drawn in the palette's text colour.

The SVGs in ``resources/icons/actions`` use ``currentColor``; each is
rendered in the colour of the current palette's window text, so icons are
dark on a light theme and light on a dark one, and sharp at any scale
(rendered at the screen's device pixel ratio).
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from scheduler.resources_path import resource

SIZES = (16, 24, 32, 48)


@cache
def _svg(name: str) -> str:
    return resource("icons", "actions", f"{name}.svg").read_text(encoding="utf-8")


def themed_icon(name: str) -> QIcon:
    """The icon ``name`` in the current palette's text colour."""
    palette = QGuiApplication.palette()
    colour = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()
    disabled = palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText).name()
    ratio = max(QGuiApplication.primaryScreen().devicePixelRatio(), 1.0)
    icon = QIcon()
    for mode, fill in ((QIcon.Mode.Normal, colour), (QIcon.Mode.Disabled, disabled)):
        renderer = QSvgRenderer(QByteArray(_svg(name).replace("currentColor", fill).encode()))
        for size in SIZES:
            pixels = round(size * ratio)
            pixmap = QPixmap(QSize(pixels, pixels))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            renderer.render(painter, QRectF(0, 0, pixels, pixels))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            icon.addPixmap(pixmap, mode)
    return icon
