"""Colours that must read on the system palette, light or dark.

Text that flags trouble (a late requirement, a target at risk) uses one red
everywhere, picked against the palette's window colour so it stays legible
when the desktop switches to a dark theme.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def attention_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's base: deep on light, soft on dark."""
    return QColor("#ff7070") if is_dark(palette) else QColor("#c62828")
