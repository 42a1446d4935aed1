"""Where a file the window writes is first suggested: beside the plan file,
named after it and what it holds (a shared plan has no folder of its own:
just the name, in the dialog's own folder)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scheduler.storage.plan import Plan


def suggested_file(plan: Plan, words: str, suffix: str) -> Path:
    """``Demo plan utilisation.xlsx`` beside ``Demo plan.tsplan``."""
    stem = f"{plan.name if plan.is_shared else plan.path.stem} {words}"
    # A title names a target or a plan: no character Windows refuses in a file name.
    stem = "".join("-" if c in '\\/:*?"<>|' else c for c in stem)
    return Path(f"{stem}{suffix}") if plan.is_shared else plan.path.with_name(f"{stem}{suffix}")
