"""Entry point of the bundled program (PyInstaller starts this file).

A windowed Windows executable has no console: ``sys.stdout`` and
``sys.stderr`` are None there, and argparse would fail writing its
messages. They go nowhere instead; the log file still records problems.
"""

from __future__ import annotations

import os
import sys

if sys.stdout is None or sys.stderr is None:
    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the whole run)
    sys.stdout = sys.stdout or sink
    sys.stderr = sys.stderr or sink

from scheduler.cli import main  # after the streams exist

if __name__ == "__main__":
    sys.exit(main())
