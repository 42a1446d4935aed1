"""The Qt binding must not leak away references to ``None``.

PySide6-Essentials 6.12.0 drops one reference to ``None`` on every call of
a method that returns nothing. On Python 3.11 (where ``None`` is not yet
immortal) painting a few hundred thousand cells, or printing a long report,
then aborts the interpreter with "deallocating None": the window vanishes
mid-session. pyproject.toml excludes that release; this test fails loudly
if a release with the same fault is ever installed.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage, QPainter


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_calls_that_return_nothing_keep_none_alive() -> None:
    image = QImage(8, 8, QImage.Format.Format_ARGB32)
    before = sys.getrefcount(None)
    rect = QRectF()
    painter = QPainter(image)
    for _ in range(500):
        rect.setWidth(1.0)
        painter.setPen(QColor(10, 20, 30))
        painter.drawLine(0, 0, 1, 1)
    painter.end()
    # A little drift is normal (objects made meanwhile); 1,500 calls leaking
    # one reference each is not.
    assert sys.getrefcount(None) > before - 200
