"""Plan locations as planners type them: every spelling of a server URL is read as
PostgreSQL through psycopg 3 or refused in words, and the password never shows."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from scheduler.storage.location import (
    ServerLocation,
    describe_text,
    is_server_url,
    location_argument,
    mask_secrets,
    mask_url,
    parse_location,
)
from scheduler.storage.server import ServerPlanError, scrub, server_engine

PASSWORD = "p@ss:w/rd#1"
# What must never show: the password, its parts around the characters a
# parser stops at, and its percent-encoded form.
LEAKS = (PASSWORD, "p@ss", "ss:w", "w/rd", "rd#1", "p%40ss", "%23")

SPELLINGS = [
    f"postgresql+psycopg://anna:{PASSWORD}@db.example.org:5432/training",
    f"postgresql+psycopg2://anna:{PASSWORD}@db.example.org:5432/training",
    f"postgresql://anna:{PASSWORD}@db.example.org:5432/training",
    f"postgres://anna:{PASSWORD}@db.example.org:5432/training",
    f"PostgreSQL://anna:{PASSWORD}@db.example.org:5432/training",
    f"  postgresql://anna:{PASSWORD}@db.example.org:5432/training \n",
]


def _clean(text: str) -> bool:
    return not any(leak in text for leak in LEAKS)


@pytest.mark.parametrize("typed", SPELLINGS)
def test_every_postgresql_spelling_is_read_as_psycopg_3_with_the_whole_password(
    typed: str,
) -> None:
    location = parse_location(typed)
    assert isinstance(location, ServerLocation) and location.supported
    assert is_server_url(typed)
    url = make_url(location.url)
    assert url.drivername == "postgresql+psycopg"
    assert (url.username, url.password) == ("anna", PASSWORD)
    assert (url.host, url.port, url.database) == ("db.example.org", 5432, "training")
    assert location.display == "postgresql+psycopg://anna:***@db.example.org:5432/training"
    assert _clean(location.display) and _clean(str(location)) and _clean(describe_text(typed))
    assert location.name == "training on db.example.org"
    assert location.where == "db.example.org:5432/training"


@pytest.mark.parametrize(
    "typed",
    [f"mysql://root:{PASSWORD}@db.example.org/training", f" mysql+pymysql://root:{PASSWORD}@h/d"],
)
def test_another_database_server_is_refused_in_words_password_masked(typed: str) -> None:
    assert is_server_url(typed)  # never looked for as a file (whose name would show)
    location = parse_location(typed)
    assert isinstance(location, ServerLocation) and not location.supported
    with pytest.raises(argparse.ArgumentTypeError) as refused:
        location_argument(typed)
    message = str(refused.value)
    assert "only PostgreSQL servers are supported" in message and "mysql" in message
    assert "***" in message and _clean(message)
    with pytest.raises(ServerPlanError, match="only PostgreSQL") as at_use:
        server_engine(location)
    assert _clean(str(at_use.value))


def test_a_url_is_a_server_with_spaces_around_it_and_a_path_stays_a_path() -> None:
    for typed in (" postgresql://x@y/z", "postgres://x@y/z\t", "\nmysql://x@y/z"):
        assert is_server_url(typed) and isinstance(parse_location(typed), ServerLocation)
    for path in ("plans/a.tsplan", "C:/plans/a.tsplan", "C://plans/a.tsplan", "Ana's plan.tsplan"):
        assert not is_server_url(path)
        assert parse_location(path) == Path(path)


def test_masking_is_textual_and_covers_urls_inside_text() -> None:
    assert mask_url(f"mysql://root:{PASSWORD}@h/d") == "mysql://root:***@h/d"
    assert mask_url("postgresql://anna@h/d") == "postgresql://anna@h/d"  # no password
    assert mask_url("postgresql://:secret@h/d") == "postgresql://:***@h/d"
    text = f"unexpected error running ['info', 'postgresql://anna:{PASSWORD}@h:5/d', 'x@y']"
    masked = mask_secrets(text)
    assert _clean(masked) and "postgresql://anna:***@h:5/d" in masked and "'x@y'" in masked


def test_a_driver_message_is_scrubbed_of_every_spelling_of_the_password() -> None:
    encoded = parse_location("postgresql://anna:p%40ss%3Aw%2Frd%231@h/d")
    location = parse_location(f"postgresql://anna:{PASSWORD}@h/d")
    assert isinstance(location, ServerLocation) and isinstance(encoded, ServerLocation)
    # Typed encoded or not, it is the same password.
    assert encoded.url == location.url and make_url(location.url).password == PASSWORD
    for echoed in (
        PASSWORD,
        "p%40ss%3Aw%2Frd%231",
        f"password='{PASSWORD}'",
        f"postgresql://anna:{PASSWORD}@h/d",
    ):
        assert _clean(scrub(f"invalid connection option: {echoed} (sic)", location))
