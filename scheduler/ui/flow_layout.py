"""A tool bar of a page that wraps onto a second row when the page is narrow.

A row of controls in a ``QHBoxLayout`` makes its total width the window's
minimum: one busy tool bar (the timeline's was 1,350 px) and the window no
longer fits a 1366x768 laptop, or a 1280x800 one at 125 % (1024 px). Here
the controls flow: the minimum width is the widest control, and the height
follows the width (``heightForWidth``), as in Qt's flow layout example.
Fields that grow (a search box) share the room left in their row; without
one, ``addStretch`` pushes what follows to the right end of its row, as in a
box layout; ``addSpacing`` is a gap, dropped at the start of a row.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QSizePolicy, QSpacerItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretches: set[int] = set()  # item indices that start right-aligned runs
        self.setContentsMargins(0, 0, 0, 0)
        self.setSpacing(spacing)

    # --- QLayout --------------------------------------------------------------
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addStretch(self, _stretch: int = 1) -> None:
        self._stretches.add(len(self._items))

    def addSpacing(self, size: int) -> None:
        self.addItem(QSpacerItem(size, 0, QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Minimum))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        self._stretches = {s - 1 if s > index else s for s in self._stretches}
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), place=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, place=True)

    def sizeHint(self) -> QSize:
        """All on one row, when there is room for it."""
        shown = [item for item in self._items if not item.isEmpty()]
        width = sum(item.sizeHint().width() for item in shown)
        width += self.spacing() * max(len(shown) - 1, 0)
        height = max((item.sizeHint().height() for item in shown), default=0)
        return QSize(width, height).grownBy(self.contentsMargins())

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            if not item.isEmpty():
                size = size.expandedTo(item.minimumSize())
        return size.grownBy(self.contentsMargins())

    # --- placing --------------------------------------------------------------
    def _arrange(self, rect: QRect, *, place: bool) -> int:
        """Place the items in rows (when ``place``); the height they take."""
        margins: QMargins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        rows: list[list[tuple[int, QLayoutItem, QSize]]] = [[]]
        x = 0
        for index, item in enumerate(self._items):
            if item.isEmpty():
                continue
            size = item.sizeHint()
            if size.width() > area.width():  # a search box narrower, not cut
                size.setWidth(max(area.width(), item.minimumSize().width()))
            gap = self.spacing() if rows[-1] else 0
            if rows[-1] and x + gap + size.width() > area.width():
                rows.append([])
                x, gap = 0, 0
            if not rows[-1] and item.spacerItem() is not None:
                continue  # no gap at the start of a row
            rows[-1].append((index, item, size))
            x += gap + size.width()
        y = area.y()
        for row in rows:
            if not row:
                continue
            height = max(size.height() for _i, _item, size in row)
            if place:
                self._place_row(row, area, y, height)
            y += height + self.spacing()
        used = y - self.spacing() - area.y() if any(rows) else 0
        return used + margins.top() + margins.bottom()

    def _place_row(
        self, row: list[tuple[int, QLayoutItem, QSize]], area: QRect, y: int, height: int
    ) -> None:
        width = sum(size.width() for _i, _item, size in row)
        spare = max(area.width() - width - self.spacing() * (len(row) - 1), 0)
        # What follows the row's first stretch goes to the right end.
        pushed_from = next(
            (
                n
                for n in range(1, len(row))
                if any(row[n - 1][0] < s <= row[n][0] for s in self._stretches)
            ),
            len(row),
        )
        # Fields that grow (a search box) share what is spare; else a stretch takes it.
        growing = [
            n
            for n, (_index, item, _size) in enumerate(row)
            if item.expandingDirections() & Qt.Orientation.Horizontal
        ]
        if growing:
            pushed_from = len(row)
        x = area.x()
        for n, (_index, item, size) in enumerate(row):
            if n == pushed_from:
                x += spare
            if n in growing:
                share = spare // len(growing) + (
                    1 if growing.index(n) < spare % len(growing) else 0
                )
                size = QSize(size.width() + share, size.height())
            top = y + (height - size.height()) // 2
            item.setGeometry(QRect(QPoint(x, top), size))
            x += size.width() + self.spacing()


def kept_together(parent: QWidget, *widgets: QWidget) -> QWidget:
    """Widgets that wrap as one (a label and its field, "from … to …")."""
    box = QWidget(parent)
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    return box
