"""A realistic, deterministic demo plan: Western Balkans partner units, the
cell's course catalogue, instructors, venues and a year of training (or many
years, for benchmarks). No Qt."""

from __future__ import annotations

from scheduler.demo.clashes import CLASH_RULES
from scheduler.demo.generator import DEFAULT_EVENTS, build_demo
from scheduler.demo.summary import DemoSummary

__all__ = ["CLASH_RULES", "DEFAULT_EVENTS", "DemoSummary", "build_demo"]
