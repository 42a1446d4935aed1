"""The Readiness page: NATO milestones at risk, other providers, costs."""

from __future__ import annotations

from scheduler.ui.coordination.page import CoordinationPage

__all__ = ["CoordinationPage"]
