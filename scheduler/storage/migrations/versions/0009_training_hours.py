"""an instructor's most training hours in a workload period (issue 22)

Revision ID: 0009_training_hours
Revises: 0008_event_modules
Create Date: 2026-12-05 02:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_training_hours"
down_revision: str | None = "0008_event_modules"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("instructor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("max_training_hours", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("instructor", schema=None) as batch_op:
        batch_op.drop_column("max_training_hours")
