"""Where a plan lives: a plan file (a path) or a shared plan on a database server (a URL).

Everything that accepts a plan accepts either, so the same commands and the
same window work for a planner's laptop file and for a cell's PostgreSQL
server. A URL is kept as given but always *shown* with its password masked:
it reaches logs, error messages and window titles.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

# What a planner may type; the first is what we connect with.
SERVER_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")


@dataclass(frozen=True, slots=True)
class ServerLocation:
    """A shared plan: one PostgreSQL database, named by a SQLAlchemy URL."""

    url: str

    @property
    def display(self) -> str:
        """The URL as people may see it: the password replaced by ``***``."""
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).render_as_string(hide_password=True)
        except Exception:  # an unparseable URL: show nothing that could be secret
            return f"{self.url.split(':', 1)[0]}://…"

    @property
    def password(self) -> str | None:
        from sqlalchemy.engine import make_url

        try:
            return make_url(self.url).password
        except Exception:
            return None

    @property
    def name(self) -> str:
        """A short name: the database, as a file name would be."""
        from sqlalchemy.engine import make_url

        try:
            url = make_url(self.url)
        except Exception:
            return "shared plan"
        return f"{url.database or 'plan'} on {url.host or 'localhost'}"

    def __str__(self) -> str:
        return self.display


PlanLocation = Path | ServerLocation
PLAN_HELP = "the plan file (.tsplan), or a shared plan's postgresql+psycopg:// URL"


def is_server_url(text: str | Path | ServerLocation) -> bool:
    """True when ``text`` names a database server rather than a file."""
    if isinstance(text, ServerLocation):
        return True
    if isinstance(text, Path):
        return False
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    return scheme in SERVER_SCHEMES


def parse_location(text: str | Path | ServerLocation) -> PlanLocation:
    """A path, or (for ``postgresql…://`` text) a ServerLocation using psycopg 3.

    ``postgresql://`` and ``postgres://`` (as psql and libpq write them) are
    accepted and read as ``postgresql+psycopg://``: psycopg 3 is the driver
    the program ships with.
    """
    if isinstance(text, ServerLocation | Path):
        return text
    if not is_server_url(text):
        return Path(text)
    scheme, rest = text.split("://", 1)
    if scheme.lower() != "postgresql+psycopg":
        text = f"postgresql+psycopg://{rest}"
    return ServerLocation(text)


def describe(location: PlanLocation) -> str:
    """The location in a sentence: a file's path, or the masked URL."""
    return location.display if isinstance(location, ServerLocation) else str(location)


def describe_text(text: str) -> str:
    """``describe`` for a plan as typed or handed over (for logs): never the password."""
    return describe(parse_location(text))


def location_argument(text: str) -> PlanLocation:
    """argparse ``type=`` for PLAN: a plan file or a server URL."""
    if not text.strip():
        raise argparse.ArgumentTypeError("give a plan file or a postgresql+psycopg:// URL")
    return parse_location(text)
