"""bookable kit and what courses need of it (issue 22)

Revision ID: 0007_kit
Revises: 0006_nation_calendars
Create Date: 2026-12-05 01:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_kit"
down_revision: str | None = "0006_nation_calendars"
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


# Tables are created in the naming convention's names, as 0001 did.


def upgrade() -> None:
    op.create_table(
        "kit",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "equipment",
                "vehicle",
                "simulator",
                "range",
                name="kitkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("venue_id", sa.Integer(), nullable=True),
        sa.Column("nation_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["nation_id"], ["nation.id"], name=op.f("fk_kit_nation_id_nation"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venue.id"], name=op.f("fk_kit_venue_id_venue"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kit")),
        sa.UniqueConstraint("name", name=op.f("uq_kit_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_kit_uuid")),
    )
    with op.batch_alter_table("kit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_kit_nation_id"), ["nation_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_kit_venue_id"), ["venue_id"], unique=False)
    op.create_table(
        "course_kit",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("kit_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("per_trainees", sa.Integer(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_course_kit_course_id_course"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["kit_id"], ["kit.id"], name=op.f("fk_course_kit_kit_id_kit"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_kit")),
        sa.UniqueConstraint("course_id", "kit_id", name=op.f("uq_course_kit_course_id_kit_id")),
        sa.UniqueConstraint("uuid", name=op.f("uq_course_kit_uuid")),
    )
    with op.batch_alter_table("course_kit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_kit_course_id"), ["course_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_course_kit_kit_id"), ["kit_id"], unique=False)


def downgrade() -> None:
    op.drop_table("course_kit")
    op.drop_table("kit")
