"""Where a plan lives: a plan file (a path) or a shared plan on a database server (a URL).

Everything that accepts a plan accepts either, so the same commands and the
same window work for a planner's laptop file and for a cell's PostgreSQL
server. A URL is always *shown* with its password masked: it reaches logs,
error messages and window titles.

Masking is textual and comes before anything parses the URL: planners type
passwords with ``@ : / # ?`` in them unencoded, and a parser then takes
part of the password for the host or the database and shows the rest.
Whatever stands between the first ``:`` after ``//`` and the *last* ``@``
is the password, whatever the scheme (a ``mysql://`` URL has a password
too, and is shown masked in its refusal).
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus, unquote

# The spellings read as a PostgreSQL server (any ``+driver`` too); the first
# is what we connect with: psycopg 3, the driver the program ships with.
SERVER_SCHEMES = ("postgresql+psycopg", "postgresql", "postgres")
CONNECT_SCHEME = SERVER_SCHEMES[0]
MASK = "***"

# "scheme://rest": a letter, then letters, digits, + . - (RFC 3986). One
# letter is a Windows drive ("C://plans"), and file:// is a file: neither is a server.
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://(.*)", re.DOTALL)
# A URL inside free text (a log line, a driver's message): user, password up
# to the last "@" before the next white space.
_URL_IN_TEXT = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)([^\s:/@'\"]*):(\S*)@")
_NOT_SERVERS = frozenset({"file"})


def _split(text: str) -> tuple[str, str] | None:
    """(scheme, rest) when ``text`` is a server URL (spaces around it ignored), else None."""
    match = _URL.fullmatch(text.strip())
    if match is None:
        return None
    scheme, rest = match.groups()
    if len(scheme) == 1 or scheme.lower() in _NOT_SERVERS:
        return None
    return scheme, rest


def _userinfo(rest: str) -> tuple[str | None, str | None, str]:
    """(user, password, host part) of what follows ``//``, read as typed.

    The user ends at the first ``:``, the password at the *last* ``@``, so
    a password may hold any character, ``@`` included.
    """
    at = rest.rfind("@")
    if at < 0:
        return None, None, rest
    user, colon, password = rest[:at].partition(":")
    return user, (password if colon else None), rest[at + 1 :]


def _is_postgresql(scheme: str) -> bool:
    return scheme.lower().split("+", 1)[0] in ("postgresql", "postgres")


def mask_url(text: str) -> str:
    """``text`` (one URL) with its password replaced by ``***``; other text unchanged."""
    split = _split(text)
    if split is None:
        return text
    scheme, rest = split
    user, password, host = _userinfo(rest)
    if password is None:
        return f"{scheme}://{rest}"
    return f"{scheme}://{user}:{MASK}@{host}"


def mask_secrets(text: str) -> str:
    """Free text (a log line, a message, a list of arguments) with every URL's password masked.

    The placeholder of our own help texts (``USER:PASSWORD@HOST``) stays.
    """

    def masked(match: re.Match[str]) -> str:
        if match.group(3) == "PASSWORD":
            return match.group(0)
        return f"{match.group(1)}{match.group(2)}:{MASK}@"

    return _URL_IN_TEXT.sub(masked, text)


@dataclass(frozen=True, slots=True)
class ServerLocation:
    """A shared plan: one database on a server, named by its URL.

    ``url`` is what we connect with: for PostgreSQL, ``postgresql+psycopg://``
    with the user and password percent-encoded (``parse_location`` writes
    it so). Any other scheme is kept so that it can be refused in words
    (``supported`` is False).
    """

    url: str

    @property
    def display(self) -> str:
        """The URL as people may see it: the password replaced by ``***``."""
        return mask_url(self.url)

    @property
    def scheme(self) -> str:
        split = _split(self.url)
        return split[0].lower() if split else ""

    @property
    def supported(self) -> bool:
        """True for PostgreSQL: the only server this program uses."""
        return _is_postgresql(self.scheme)

    @property
    def password(self) -> str | None:
        """The password as the server gets it (percent-decoded), for scrubbing messages."""
        split = _split(self.url)
        if split is None:
            return None
        password = _userinfo(split[1])[1]
        return unquote(password) if password else None

    @property
    def without_password(self) -> ServerLocation:
        """The same plan with no password in its URL: what a file may remember
        (libpq then finds the password in PGPASSWORD or the password file)."""
        split = _split(self.url)
        if split is None:
            return self
        scheme, rest = split
        user, password, host = _userinfo(rest)
        if password is None:
            return self
        return ServerLocation(f"{scheme}://{user}@{host}" if user else f"{scheme}://{host}")

    @property
    def user(self) -> str | None:
        """The user named in the URL (None: libpq's default, PGUSER or the login name)."""
        split = _split(self.url)
        if split is None:
            return None
        user = _userinfo(split[1])[0]
        return unquote(user) if user else None

    @property
    def where(self) -> str:
        """HOST[:PORT]/DATABASE: the plan without scheme, user or password."""
        split = _split(self.url)
        host = _userinfo(split[1])[2] if split else ""
        return host.split("?", 1)[0] or "localhost"

    @property
    def host(self) -> str:
        """HOST[:PORT]: the server, for sentences about it."""
        return self.where.split("/", 1)[0] or "localhost"

    @property
    def name(self) -> str:
        """A short name: the database, as a file name would be."""
        host, _, database = self.where.partition("/")
        name, colon, port = host.rpartition(":")
        if colon and port.isdigit():
            host = name  # the port is no part of a short name
        return f"{unquote(database) or 'plan'} on {host or 'localhost'}"

    def __str__(self) -> str:
        return self.display


PlanLocation = Path | ServerLocation
PLAN_HELP = "the plan file (.tsplan), or a shared plan's postgresql+psycopg:// URL"


def is_server_url(text: str | Path | ServerLocation) -> bool:
    """True when ``text`` names a database server rather than a file.

    Any ``scheme://`` counts (``mysql://`` too, so that it is refused in
    words rather than looked for as a file), with spaces around it ignored.
    """
    if isinstance(text, ServerLocation):
        return True
    if isinstance(text, Path):
        return False
    return _split(text) is not None


def _connect_url(rest: str) -> str:
    """``postgresql+psycopg://`` + ``rest`` with the user and password percent-encoded.

    What was typed is decoded first, so an already encoded password
    (``p%40ss``) stays the same password and an unencoded one (``p@ss``)
    becomes encoded.
    """
    user, password, host = _userinfo(rest)
    if user is None:
        return f"{CONNECT_SCHEME}://{host}"
    userinfo = quote(unquote(user), safe="")
    if password is not None:
        userinfo += ":" + quote(unquote(password), safe="")
    return f"{CONNECT_SCHEME}://{userinfo}@{host}"


def parse_location(text: str | Path | ServerLocation) -> PlanLocation:
    """A path, or (for ``scheme://`` text) a ServerLocation.

    Every PostgreSQL spelling (``postgresql://``, ``postgres://``,
    ``postgresql+psycopg2://`` …, as psql, libpq and older programs write
    them) is read as ``postgresql+psycopg://``: psycopg 3 is the driver the
    program ships with. Other schemes give a location that is refused, in
    words, when it is used. Never raises: this runs on anything a planner
    types or another launch hands over.
    """
    if isinstance(text, ServerLocation | Path):
        return text
    split = _split(text)
    if split is None:
        return Path(text)
    scheme, rest = split
    if not _is_postgresql(scheme):
        return ServerLocation(f"{scheme}://{rest}")
    return ServerLocation(_connect_url(rest))


def unsupported_message(location: ServerLocation) -> str:
    """The refusal of a server that is not PostgreSQL, in words, password masked."""
    return (
        f"“{location.display}” is a {location.scheme.split('+', 1)[0]} address; only "
        "PostgreSQL servers are supported. Give a postgresql://USER@HOST/DATABASE address, "
        "or a plan file."
    )


def password_forms(password: str) -> list[str]:
    """Every way a driver or a log may write ``password``, longest first."""
    forms = {
        password,
        quote(password, safe=""),
        quote(password),
        quote_plus(password),
        password.replace("\\", "\\\\").replace("'", "\\'"),  # libpq conninfo quoting
    }
    return sorted((form for form in forms if form), key=len, reverse=True)


def describe(location: PlanLocation) -> str:
    """The location in a sentence: a file's path, or the masked URL."""
    return location.display if isinstance(location, ServerLocation) else str(location)


def describe_text(text: str) -> str:
    """``describe`` for a plan as typed or handed over (for logs): never the password."""
    return mask_secrets(describe(parse_location(text)))


def location_argument(text: str) -> PlanLocation:
    """argparse ``type=`` for PLAN: a plan file or a server URL.

    Raises only ArgumentTypeError, with the URL masked: argparse would put
    the raw text (password and all) into the message of any other error.
    """
    if not text.strip():
        raise argparse.ArgumentTypeError("give a plan file or a postgresql+psycopg:// URL")
    location = parse_location(text)
    if isinstance(location, ServerLocation) and not location.supported:
        raise argparse.ArgumentTypeError(unsupported_message(location))
    return location
