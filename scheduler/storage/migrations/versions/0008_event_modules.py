"""modules inside an event: their own days, venue and people (issue 22)

Revision ID: 0008_event_modules
Revises: 0007_kit
Create Date: 2026-12-05 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_event_modules"
down_revision: str | None = "0007_kit"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "event_module",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("start", sa.DateTime(), nullable=False),
        sa.Column("end", sa.DateTime(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["training_event.id"],
            name=op.f("fk_event_module_event_id_training_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"],
            ["venue.id"],
            name=op.f("fk_event_module_venue_id_venue"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_module")),
        sa.UniqueConstraint("uuid", name=op.f("uq_event_module_uuid")),
    )
    with op.batch_alter_table("event_module", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_module_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_module_venue_id"), ["venue_id"], unique=False)
    op.create_table(
        "module_instructor",
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("instructor_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "instructor",
                "interpreter",
                "support",
                name="instructorrole",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["instructor_id"],
            ["instructor.id"],
            name=op.f("fk_module_instructor_instructor_id_instructor"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["module_id"],
            ["event_module.id"],
            name=op.f("fk_module_instructor_module_id_event_module"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_module_instructor")),
        sa.UniqueConstraint(
            "module_id", "instructor_id", name=op.f("uq_module_instructor_module_id_instructor_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_module_instructor_uuid")),
    )
    with op.batch_alter_table("module_instructor", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_module_instructor_module_id"), ["module_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_module_instructor_instructor_id"), ["instructor_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("module_instructor")
    op.drop_table("event_module")
