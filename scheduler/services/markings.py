"""The protective marking a file or a printout carries.

One rule for partner workbooks and printed reports alike: a marking the
planner typed is used as typed; otherwise the planner's default (settings,
``OFFICIAL`` when none) is used, and a partner's file adds that partner's
releasability caveat unless the marking already carries one.
"""

from __future__ import annotations

from scheduler.preferences import load_preferences

DEFAULT_MARKING = "OFFICIAL"


def marking_for(typed: str | None, releasability: str | None = None) -> str:
    if typed and typed.strip():
        return typed.strip()
    marking = (load_preferences().marking or "").strip() or DEFAULT_MARKING
    if releasability and "RELEASABLE" not in marking.upper():
        return f"{marking} RELEASABLE TO {releasability}"
    return marking
