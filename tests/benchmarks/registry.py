"""The benchmark figures' registry: each figure is a function that measures.

A figure module (any ``*_figures.py`` beside this file) decorates its
functions with ``@figure("name")``; ``run.py`` imports every such module and
runs what is registered. A figure returns ``{"value", "unit", "target",
"ok"}`` (and may add a ``"note"``); baselines are measured in the same run,
so figures are ratios or plain reports, never absolute times compared with
another machine.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Figure = dict[str, Any]


@dataclass(frozen=True)
class Options:
    quick: bool


FIGURES: dict[str, Callable[[Options], Figure]] = {}


def figure(name: str) -> Callable[[Callable[[Options], Figure]], Callable[[Options], Figure]]:
    def register(fn: Callable[[Options], Figure]) -> Callable[[Options], Figure]:
        if name in FIGURES:
            raise ValueError(f"benchmark figure {name!r} registered twice")
        FIGURES[name] = fn
        return fn

    return register


def result(value: float, unit: str, target: float | None, ok: bool, note: str = "") -> Figure:
    found: Figure = {"value": round(value, 6), "unit": unit, "target": target, "ok": ok}
    if note:
        found["note"] = note
    return found


def timed(
    fn: Callable[[], object],
    repeats: int = 3,
    prepare: Callable[[], object] | None = None,
    *,
    best: bool = False,
) -> float:
    """Median (or with ``best``, the least) wall time of ``fn`` over
    ``repeats`` runs, in seconds.

    ``prepare`` runs before each repeat, untimed; garbage is collected before
    each run so one run's leftovers do not land in the next one's time. The
    least time is the one other work on a shared machine disturbed least:
    use it for ratios of two measurements.
    """
    times = []
    for _ in range(repeats):
        if prepare is not None:
            prepare()
        gc.collect()
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times) if best else statistics.median(times)
