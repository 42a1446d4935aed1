"""Figures of the planning engine: check scaling, incremental re-check, slot finder."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from registry import Figure, Options, figure, result, timed
from synthetic_plan import synthetic_plan

from scheduler.planning.data import PlanData, Seats
from scheduler.planning.engine import ConflictEngine
from scheduler.planning.slots import SlotFinder, SlotRequest

_cache: dict[str, Any] = {}


def _sizes(options: Options) -> tuple[int, int]:
    """(events at 1x, at 10x); resources are sized for the 1x plan's year."""
    return (2_000, 20_000) if options.quick else (10_000, 100_000)


def _copy(plan: PlanData) -> PlanData:
    return replace(plan, events=dict(plan.events))


def _plan(events: int, per_year: int) -> PlanData:
    key = f"plan-{events}-{per_year}"
    if key not in _cache:
        _cache[key] = synthetic_plan(events, events_per_year=per_year)
    plan: PlanData = _cache[key]
    return plan


def _full_check_seconds(events: int, per_year: int, repeats: int) -> float:
    key = f"full-{events}-{per_year}"
    if key not in _cache:
        plan = _plan(events, per_year)
        _cache[key] = timed(lambda: ConflictEngine(_copy(plan)), repeats, best=True)
    seconds: float = _cache[key]
    return seconds


@figure("check_scaling")
def check_scaling(options: Options) -> Figure:
    small, large = _sizes(options)
    base = _full_check_seconds(small, small, repeats=5)
    big = _full_check_seconds(large, small, repeats=3)
    ratio = big / base
    return result(
        ratio,
        "x (time at 10x events / at 1x)",
        13,
        ratio <= 13,
        f"full check {small:,} events {base * 1000:.0f} ms, {large:,} events {big * 1000:.0f} ms; "
        "instructors, venues and units held fixed",
    )


@figure("incremental_check_ratio")
def incremental_check_ratio(options: Options) -> Figure:
    small, large = _sizes(options)
    plan = _plan(large, small)
    full = _full_check_seconds(large, small, repeats=3)
    engine = ConflictEngine(_copy(plan))
    rng = random.Random(7)
    candidates = [e for e in plan.events.values() if e.status != "cancelled"]
    times = []
    for event in rng.sample(candidates, 60):
        current = engine.plan.events[event.id]
        shift = timedelta(days=rng.choice([-14, -7, -3, -1, 1, 3, 7, 14]))
        moved = replace(current, start=current.start + shift, end=current.end + shift)
        started = time.perf_counter()
        engine.update([moved])
        times.append(time.perf_counter() - started)
    once = statistics.median(times)
    ratio = once / full
    return result(
        ratio,
        "x (re-check after moving one event / full check)",
        0.01,
        ratio <= 0.01,
        f"{large:,} events: median re-check {once * 1000:.2f} ms (max {max(times) * 1000:.1f} ms), "
        f"full check {full * 1000:.0f} ms",
    )


def _demo_plan(events: int) -> PlanData | None:
    """The demo plan at ``events`` events, read back through the snapshot loader."""
    try:
        from scheduler.demo import build_demo
        from scheduler.services.plan_snapshot import load_plan_data
        from scheduler.storage import create_plan
    except ImportError:
        return None
    with (
        tempfile.TemporaryDirectory() as folder,
        create_plan(Path(folder) / "bench.tsplan") as plan,
    ):
        with plan.session() as session:
            build_demo(session, seed=1, events=events)
        with plan.session() as session:
            return load_plan_data(session)


@figure("slot_finder_ms")
def slot_finder_ms(options: Options) -> Figure:
    small, large = _sizes(options)
    plan = None if options.quick else _demo_plan(large)
    source = "demo plan"
    if plan is None:
        plan = _plan(large, small)
        source = "synthetic plan"
    finder = SlotFinder(plan)
    rng = random.Random(3)
    starts = sorted(e.start.date() for e in plan.events.values())
    middle = starts[len(starts) // 2] if starts else date(2027, 1, 4)
    courses = sorted(plan.courses)
    units = sorted(plan.units)
    times = []
    found = 0
    for _ in range(20):
        request = SlotRequest(
            rng.choice(courses),
            (Seats(rng.choice(units), 10),),
            middle + timedelta(days=rng.randrange(0, 90)),
            count=5,
            horizon_days=366,
        )
        started = time.perf_counter()
        found += len(finder.find(request))
        times.append(time.perf_counter() - started)
    median = statistics.median(times) * 1000
    return result(
        median,
        "ms (next 5 slots, median of 20 requests)",
        None,
        True,
        f"{source}, {len(plan.events):,} events; {found} slots found in all; "
        f"slowest {max(times) * 1000:.0f} ms",
    )
