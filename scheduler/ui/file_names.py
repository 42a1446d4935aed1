"""Where a file the window writes is first suggested: beside the plan file,
named after it and what it holds (a shared plan has no folder of its own:
just the name, in the dialog's own folder)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from scheduler.storage.plan import Plan


def suggested_file(plan: Plan, words: str, suffix: str) -> Path:
    """``Demo plan utilisation.xlsx`` beside ``Demo plan.tsplan``."""
    stem = f"{plan.name if plan.is_shared else plan.path.stem} {words}"
    # A title names a target or a plan: no character Windows refuses in a file name.
    stem = "".join("-" if c in '\\/:*?"<>|' else c for c in stem)
    return Path(f"{stem}{suffix}") if plan.is_shared else plan.path.with_name(f"{stem}{suffix}")


def ask_workbook(parent: QWidget, title: str, plan: Plan, words: str) -> Path | None:
    """The .xlsx the planner names in a save dialog (the suffix added when left
    out), first suggested beside the plan; None when cancelled."""
    from PySide6.QtWidgets import QFileDialog

    name, _ = QFileDialog.getSaveFileName(
        parent, title, str(suggested_file(plan, words, ".xlsx")), "Excel workbook (*.xlsx)"
    )
    if not name:
        return None
    target = Path(name)
    return target if target.suffix.lower() == ".xlsx" else target.with_name(target.name + ".xlsx")
