"""Images the timeline keeps between paints, and how they are made.

Each cache holds the images of one *scene*: a key naming everything they
show (zoom, palette, font, device pixel ratio, the plan's version…). A
different scene drops them all at once, so no image outlives what it
showed. Within a scene the least recently used images go first once a
memory budget is spent. GUI thread only.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Hashable

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage


def blank(width: float, height: float, ratio: float, fill: QColor) -> QImage:
    """An image of ``width`` x ``height`` logical pixels filled with ``fill``.

    Opaque images are RGB32, so blitting one is a copy, not a blend, and
    text on it is antialiased as on an opaque window.
    """
    opaque = fill.alpha() == 255
    image = QImage(
        math.ceil(width * ratio),
        math.ceil(height * ratio),
        QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)
    image.fill(fill)
    return image


def cut(image: QImage, left: int, width: int) -> QImage:
    """The part of ``image`` from logical x ``left``, ``width`` wide, full height."""
    ratio = image.devicePixelRatio()
    part = image.copy(QRect(round(left * ratio), 0, round(width * ratio), image.height()))
    part.setDevicePixelRatio(ratio)
    return part


class ImageCache:
    """Images by key for one scene; ``use(scene)`` before each paint."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.scene: Hashable = None
        self.made = 0  # images made so far (tests and benchmarks look)
        self._images: OrderedDict[Hashable, QImage] = OrderedDict()
        self._bytes = 0

    def use(self, scene: Hashable) -> bool:
        """Drop every image unless ``scene`` is the one they show; True when dropped."""
        if scene == self.scene:
            return False
        self.scene = scene
        self.clear()
        return True

    def clear(self) -> None:
        self._images.clear()
        self._bytes = 0

    def __contains__(self, key: Hashable) -> bool:
        return key in self._images

    def __len__(self) -> int:
        return len(self._images)

    def get(self, key: Hashable) -> QImage | None:
        found = self._images.get(key)
        if found is not None:
            self._images.move_to_end(key)
        return found

    def put(self, key: Hashable, image: QImage) -> QImage:
        old = self._images.pop(key, None)
        if old is not None:
            self._bytes -= old.sizeInBytes()
        self._images[key] = image
        self._bytes += image.sizeInBytes()
        self.made += 1
        while self._bytes > self.budget and len(self._images) > 1:
            _key, dropped = self._images.popitem(last=False)
            self._bytes -= dropped.sizeInBytes()
        return image

    def room(self, image_bytes: int) -> int:
        """How many images of ``image_bytes`` the budget holds."""
        return max(self.budget // max(image_bytes, 1), 1)
