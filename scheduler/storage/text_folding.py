"""Case-blind text in SQL, for every alphabet a plan holds.

SQLite's ``lower()`` folds ASCII only, so "ĐURIĆ" would not find "Đurić"
and "КРИВОЛАК" not "Криволак". Plan files get ``ts_casefold``, Python's
``str.casefold`` registered on each connection. On PostgreSQL it is
``lower()``, which folds every alphabet on a server with a real locale
(a ``C``-locale server folds ASCII only), compared by code point
(``COLLATE "C"``) so a list sorts as it does from a file, whatever the
server's collation. ``folded(column)`` is the one way queries ask for it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

SQLITE_NAME = "ts_casefold"


class folded(FunctionElement[str]):
    """``column`` lower-cased the way ``str.casefold`` does it (NULL stays NULL)."""

    type = String()
    inherit_cache = True
    name = "folded"


@compiles(folded)
def _lower(element: folded, compiler: Any, **kw: Any) -> str:
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(folded, "postgresql")
def _lower_by_code_point(element: folded, compiler: Any, **kw: Any) -> str:
    return f'lower({compiler.process(element.clauses, **kw)}) COLLATE "C"'


@compiles(folded, "sqlite")
def _casefold(element: folded, compiler: Any, **kw: Any) -> str:
    return f"{SQLITE_NAME}({compiler.process(element.clauses, **kw)})"


def _fold(value: object) -> Any:
    return value.casefold() if isinstance(value, str) else value


def add_sqlite_functions(connection: sqlite3.Connection) -> None:
    """Give a plan file's connection what ``folded`` compiles to."""
    connection.create_function(SQLITE_NAME, 1, _fold, deterministic=True)
