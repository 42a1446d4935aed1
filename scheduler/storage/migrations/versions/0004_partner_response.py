"""what partners answer in their reply workbooks (issue 20, the reply loop)

Revision ID: 0004_partner_response
Revises: 0003_course_validity
Create Date: 2026-12-04 20:20:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_partner_response"
down_revision: str | None = "0003_course_validity"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "partner_response",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("partner_code", sa.String(length=32), nullable=False),
        sa.Column("confirmed_seats", sa.Integer(), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["training_event.id"],
            name=op.f("fk_partner_response_event_id_training_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_partner_response")),
        sa.UniqueConstraint(
            "event_id", "partner_code", name=op.f("uq_partner_response_event_id_partner_code")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_partner_response_uuid")),
    )
    with op.batch_alter_table("partner_response", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_partner_response_event_id"), ["event_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("partner_response", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_partner_response_event_id"))
    op.drop_table("partner_response")
