"""Declarative base and the columns every table shares.

Every record has an integer key for joins, a stable ``uuid`` that survives
export, merge and copy between plan files, creation/update times (UTC, stored
naive) and a ``version_id`` that SQLAlchemy bumps on each update so that an
edit based on a stale row is refused instead of silently overwriting it.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import DateTime, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

# Deterministic constraint names keep Alembic migrations identical on SQLite
# and PostgreSQL and make batch (copy-and-move) migrations on SQLite possible.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utc_now() -> datetime:
    """The current UTC time without tzinfo, as stored in the plan."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_uuid() -> str:
    return str(uuid_module.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Record(Base):
    """Abstract parent of every entity: key, uuid, timestamps, version."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now, onupdate=utc_now)
    # ``default=1`` lets bulk Core inserts (the demo generator, imports) fill
    # it; the ORM sets and increments it itself through ``version_id_col``.
    version_id: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    # Fields a planner never edits; the change log skips them.
    bookkeeping_fields: ClassVar[frozenset[str]] = frozenset(
        {"id", "uuid", "created_at", "updated_at", "version_id"}
    )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version_id}
