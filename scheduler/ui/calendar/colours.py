"""Colours of bars: by course category or by status, readable in light and dark.

Fills are mid-tone colours that read on a white and on a near-black page;
the text on a bar is black or white by the fill's lightness, never a fixed
palette colour. Categories take colours by their order in the plan, so the
same category keeps its colour while the planner filters.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

CATEGORY_FILLS = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#8cd17d",
    "#86bcb6",
    "#d4a6c8",
    "#a0cbe8",
    "#f1ce63",
)
STATUS_FILLS = {
    "draft": "#a0a4a8",
    "planned": "#4e79a7",
    "confirmed": "#59a14f",
    "delivered": "#8e6bb0",
    "cancelled": "#c9c9c9",
}
SEVERITY_FILLS = {"error": "#d32f2f", "warning": "#f57c00", "info": "#1976d2"}
HOLIDAY_TINT = QColor(230, 120, 40, 48)
CLOSURE_TINT = QColor(150, 150, 150, 90)


class ColourScheme:
    """Maps a row to its fill; ``by`` is "category" or "status"."""

    def __init__(self, categories: list[str], by: str = "category") -> None:
        self.by = by
        self.categories = {name: i for i, name in enumerate(categories)}

    def fill(self, category: str, status: str) -> QColor:
        if self.by == "status":
            return QColor(STATUS_FILLS.get(status, "#808080"))
        index = self.categories.get(category)
        if index is None:
            index = len(self.categories) + sum(map(ord, category))
        return QColor(CATEGORY_FILLS[index % len(CATEGORY_FILLS)])

    def legend(self) -> list[tuple[str, QColor]]:
        if self.by == "status":
            return [(name.capitalize(), QColor(fill)) for name, fill in STATUS_FILLS.items()]
        return [(name, self.fill(name, "")) for name in self.categories]


def text_on(fill: QColor) -> QColor:
    """Black or white, whichever reads on ``fill``."""
    luminance = 0.299 * fill.redF() + 0.587 * fill.greenF() + 0.114 * fill.blueF()
    return QColor("#111111") if luminance > 0.55 else QColor("#ffffff")
