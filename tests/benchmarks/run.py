"""Print every benchmark figure of the project as JSON.

    python tests/benchmarks/run.py [--quick] [--json FILE] [--only NAME ...]

``--quick`` uses smaller plans and finishes in under a minute on two cores.
Figure modules are the ``*_figures.py`` files in this folder; each registers
its figures with ``registry.figure``. The exit code is 0 even when a figure
misses its target: the figures are for reading, not a test.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent.parent))  # the project, when not installed

from registry import FIGURES, Options  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller plans, under a minute")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the figures here")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="run only these figures")
    args = parser.parse_args(argv)
    for module in sorted(HERE.glob("*_figures.py")):
        importlib.import_module(module.stem)
    names = args.only or list(FIGURES)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(FIGURES)}")
    options = Options(quick=args.quick)
    figures = {}
    started = time.perf_counter()
    for name in names:
        print(f"measuring {name} ...", file=sys.stderr, flush=True)
        figures[name] = FIGURES[name](options)
    report = {
        "quick": args.quick,
        "seconds": round(time.perf_counter() - started, 1),
        "figures": figures,
    }
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
