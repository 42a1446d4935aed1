"""One object for each distinct value read, however many rows hold it.

A 100,000-event plan repeats a few thousand start times, a handful of
statuses and the same seats and people over and over; kept once each, the
conflict engine's events take half the memory. Keep one ``Shared`` per
kind of value: a namedtuple equals a plain tuple of the same items.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import TypeVar

V = TypeVar("V", bound=Hashable)


class Shared:
    """``shared(value)`` is the first value equal to ``value`` it was given."""

    __slots__ = ("_kept",)

    def __init__(self) -> None:
        self._kept: dict[Hashable, Hashable] = {}

    def __call__(self, value: V) -> V:
        return self._kept.setdefault(value, value)  # type: ignore[return-value]
