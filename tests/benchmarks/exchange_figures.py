"""Exchange figures: workbook export speed and memory, import speed.

Each is a ratio against bare openpyxl doing the same reading or writing in
the same run, or a peak measured in a child process, so they hold on any
machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from registry import Figure, Options, figure, result, timed


@contextmanager
def _workspace() -> Iterator[Path]:
    """A temporary folder that is also the program's home (backups, logs)."""
    with tempfile.TemporaryDirectory(prefix="exchange-bench-") as folder:
        previous = os.environ.get("TRAINING_SCHEDULER_HOME")
        os.environ["TRAINING_SCHEDULER_HOME"] = str(Path(folder) / "home")
        try:
            yield Path(folder)
        finally:
            if previous is None:
                os.environ.pop("TRAINING_SCHEDULER_HOME", None)
            else:
                os.environ["TRAINING_SCHEDULER_HOME"] = previous


def _demo(folder: Path, events: int) -> Path:
    from scheduler.commands.plan_file import write_demo_plan

    path = folder / f"demo-{events}.tsplan"
    write_demo_plan(path, events=events, seed=1, force=True)
    return path


def _present_cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every cell the workbook holds, as plain values ("" for a styled empty cell)."""
    from openpyxl import load_workbook
    from openpyxl.cell.read_only import EmptyCell

    workbook = load_workbook(path, read_only=True)
    sheets = {}
    for ws in workbook.worksheets:
        sheets[ws.title] = [
            tuple(
                None if isinstance(c, EmptyCell) else ("" if c.value is None else c.value)
                for c in row
            )
            for row in ws.iter_rows()
        ]
    workbook.close()
    return sheets


def _bare_write(sheets: dict[str, list[tuple[Any, ...]]], target: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, rows in sheets.items():
        ws = workbook.create_sheet(name)
        for row in rows:
            ws.append(row)
    workbook.save(target)


@figure("export_xlsx_ratio")
def export_xlsx_ratio(options: Options) -> Figure:
    from scheduler.services.exports import ExportRequest, export_plan
    from scheduler.storage import PlanAccess, open_plan

    events = 4_000 if options.quick else 20_000
    with _workspace() as folder:
        plan_path = _demo(folder, events)
        target = folder / "master.xlsx"
        with open_plan(plan_path, access=PlanAccess.READ) as plan:
            ours = timed(lambda: export_plan(plan, ExportRequest(target)), repeats=2, best=True)
        sheets = _present_cells(target)
        cells = sum(len(r) for rows in sheets.values() for r in rows)
        bare = timed(lambda: _bare_write(sheets, folder / "bare.xlsx"), repeats=2, best=True)
    ratio = ours / bare
    return result(
        ratio,
        "x",
        1.5,
        ratio <= 1.5,
        f"master workbook of {events:,} events from the plan file: {ours:.2f} s; "
        f"bare openpyxl write-only of the same {cells:,} cells as plain values: {bare:.2f} s",
    )


_PEAK_SCRIPT = """
import resource, sys
from pathlib import Path
from scheduler.services.exports import ExportRequest, export_plan
from scheduler.storage import PlanAccess, open_plan
with open_plan(Path(sys.argv[1]), access=PlanAccess.READ) as plan:
    export_plan(plan, ExportRequest(Path(sys.argv[2])))
# VmHWM belongs to this process image; ru_maxrss would carry over the
# parent's peak across fork and exec.
try:
    with open("/proc/self/status") as status:
        print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
except OSError:
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@figure("export_peak_mb")
def export_peak_mb(options: Options) -> Figure:
    events = 20_000 if options.quick else 100_000
    with _workspace() as folder:
        plan_path = _demo(folder, events)
        done = subprocess.run(
            [sys.executable, "-c", _PEAK_SCRIPT, str(plan_path), str(folder / "big.xlsx")],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ),
        )
    peak_mb = int(done.stdout.strip().splitlines()[-1]) / 1024  # KiB
    return result(
        peak_mb,
        "MB",
        300,
        peak_mb < 300,
        f"peak resident memory of a process exporting the master workbook of {events:,} events "
        "(interpreter and libraries included)",
    )


def _read_only(path: Path) -> None:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    for ws in workbook.worksheets:
        for _ in ws.iter_rows(values_only=True):
            pass
    workbook.close()


def _empty_target(folder: Path) -> tuple[Path, Callable[[], None]]:
    """A plan file to import into, and how to make it empty again before each run."""
    from scheduler.storage import create_plan

    empty = folder / "empty.tsplan"
    with create_plan(empty, name="empty"):
        pass
    target = folder / "target.tsplan"

    def fresh() -> None:
        for leftover in folder.glob("target.tsplan*"):
            leftover.unlink()
        shutil.copyfile(empty, target)

    return target, fresh


@figure("import_ratio")
def import_ratio(options: Options) -> Figure:
    from scheduler.services.imports import import_file, write_template
    from scheduler.storage import PlanAccess, open_plan

    events = 2_000 if options.quick else 10_000
    with _workspace() as folder:
        source = _demo(folder, events)
        filled = folder / "filled.xlsx"
        with open_plan(source, access=PlanAccess.READ) as plan:
            write_template(filled, plan=plan, marking="OFFICIAL")
        target, fresh = _empty_target(folder)

        def run_import() -> None:
            with open_plan(target, backup_on_open=False) as plan:
                report = import_file(plan, filled)
            assert report.imported and not report.errors, report.text()

        ours = timed(run_import, repeats=2, prepare=fresh, best=True)
        bare = timed(lambda: _read_only(filled), repeats=2, best=True)
    ratio = ours / bare
    return result(
        ratio,
        "x",
        2.5,
        ratio <= 2.5,
        f"import of a filled template with {events:,} event rows (validated, backed up, "
        f"written): {ours:.2f} s; openpyxl read-only reading the same file: {bare:.2f} s",
    )


@figure("template_roundtrip_ratio")
def template_roundtrip_ratio(options: Options) -> Figure:
    """A plan through its own template into a new plan, against exporting its master."""
    from scheduler.services.exports import ExportRequest, export_plan
    from scheduler.services.imports import import_file, write_template
    from scheduler.storage import PlanAccess, open_plan

    events = 4_000 if options.quick else 20_000
    with _workspace() as folder:
        source = _demo(folder, events)
        template = folder / "plan.xlsx"
        target, fresh = _empty_target(folder)

        def round_trip() -> None:
            with open_plan(source, access=PlanAccess.READ) as plan:
                write_template(template, plan=plan, marking="OFFICIAL")
            with open_plan(target, backup_on_open=False) as plan:
                report = import_file(plan, template)
            assert report.imported and not report.errors, report.text()

        def master() -> None:
            with open_plan(source, access=PlanAccess.READ) as plan:
                export_plan(plan, ExportRequest(folder / "master.xlsx"))

        ours = timed(round_trip, repeats=2, prepare=fresh, best=True)
        bare = timed(master, repeats=2, best=True)
    ratio = ours / bare
    return result(
        ratio,
        "x",
        None,
        True,
        f"template --plan and its import into a new plan, {events:,} events: {ours:.2f} s; "
        f"the master workbook of the same plan: {bare:.2f} s",
    )
