"""Dates on the command line: one spelling (ISO, ``2027-03-01``), one message."""

from __future__ import annotations

import argparse
from datetime import date


def date_argument(text: str) -> date:
    """argparse ``type=`` for --from/--to: a bad date is a usage error (exit 2)."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date like 2027-03-01") from None
