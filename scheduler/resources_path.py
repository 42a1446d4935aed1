"""Where the shipped resources (icons, style sheets, templates) are.

In a wheel they sit inside the package (``scheduler/resources``, mapped from
the repository's top-level ``resources/`` at build time); in a source
checkout or an editable install they are the top-level folder itself.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def resources_dir() -> Path:
    packaged = Path(__file__).with_name("resources")
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the program's resources folder is missing: reinstall it")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)
