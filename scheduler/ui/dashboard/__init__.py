"""The dashboard page and its parts (readiness pathway, painted bars)."""

from __future__ import annotations

from scheduler.ui.dashboard.page import DashboardPage

__all__ = ["DashboardPage"]
