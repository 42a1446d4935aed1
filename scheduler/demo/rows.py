"""Plain row dicts for bulk inserts, with the columns every record shares.

Keys and uuids are decided here rather than by the database so a whole plan
can be written with a handful of executemany calls, and uuids come from the
seeded generator so the same seed gives the same plan, identities included.
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from scheduler.model import Base, utc_now

Row = dict[str, Any]

# The bits uuid.UUID(version=4) sets: version 4 and the RFC 4122 variant.
_CLEAR_VERSION_AND_VARIANT = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_VERSION_4_AND_VARIANT = (0x4000 << 64) | (0x8000 << 48)


class RowFactory:
    """Hands out keys per table (after what the plan already holds) and uuids."""

    def __init__(self, session: Session, seed: int) -> None:
        self._session = session
        # A generator of its own: drawing uuids never shifts the plan's content.
        self._uuids = random.Random(f"demo-uuids-{seed}")
        self._next: dict[str, int] = {}
        self.now: datetime = utc_now()
        self.rows: dict[str, list[Row]] = {}

    def next_id(self, table: str) -> int:
        number = self._next.get(table)
        if number is None:
            highest = self._session.scalar(select(func.max(Base.metadata.tables[table].c.id)))
            number = (highest or 0) + 1
        self._next[table] = number + 1
        return number

    def uuid(self) -> str:
        """``str(uuid.UUID(int=bits, version=4))``, without building the object."""
        bits = self._uuids.getrandbits(128)
        bits = (bits & _CLEAR_VERSION_AND_VARIANT) | _VERSION_4_AND_VARIANT
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def add(self, table: str, **values: Any) -> Row:
        """A row of ``table`` with a fresh key, uuid and timestamps."""
        row: Row = {
            "id": self.next_id(table),
            "uuid": self.uuid(),
            "created_at": self.now,
            "updated_at": self.now,
            "version_id": 1,
        }
        row.update(values)
        self.rows.setdefault(table, []).append(row)
        return row

    def link(self, table: str, **values: Any) -> None:
        """A row of an association table (no key or uuid of its own)."""
        self.rows.setdefault(table, []).append(values)


def table(name: str) -> Table:
    return Base.metadata.tables[name]
