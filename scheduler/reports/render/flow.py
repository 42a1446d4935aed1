"""Blocks of fixed height poured onto pages, for the list-like reports.

A block that must not end a page (a section heading) is carried over with
what follows it, and a table's column heading is repeated at the top of a
page that continues the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF

from scheduler.reports.render.canvas import Canvas

Painter = Callable[[Canvas, QRectF], None]


@dataclass(frozen=True, slots=True)
class Block:
    height: float
    paint: Painter
    keep_with_next: bool = False
    repeat: Block | None = None  # put above this block when it starts a page


def pour(blocks: list[Block], height: float) -> list[list[Block]]:
    """Blocks per page; none taller than ``height`` (taller ones get a page of their own)."""
    pages: list[list[Block]] = [[]]
    used = 0.0
    i = 0
    while i < len(blocks):
        block = blocks[i]
        need = block.height
        j = i
        while blocks[j].keep_with_next and j + 1 < len(blocks):
            j += 1
            need += blocks[j].height
        if used + need > height and pages[-1]:
            pages.append([])
            used = 0.0
            if block.repeat is not None:
                pages[-1].append(block.repeat)
                used += block.repeat.height
        pages[-1].append(block)
        used += block.height
        i += 1
    return pages


def paint_blocks(canvas: Canvas, body: QRectF, blocks: list[Block]) -> None:
    y = body.top()
    for block in blocks:
        block.paint(canvas, QRectF(body.left(), y, body.width(), block.height))
        y += block.height


def column_rects(rect: QRectF, columns: Sequence[tuple[str, float]]) -> list[QRectF]:
    """Cells of a table row, from (heading, share of the width) pairs."""
    found = []
    x = rect.left()
    for _name, share in columns:
        width = rect.width() * share
        found.append(QRectF(x, rect.top(), width, rect.height()))
        x += width
    return found
