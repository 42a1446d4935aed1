"""each nation's working week and each venue's holiday region (issue 22)

Revision ID: 0006_nation_calendars
Revises: 0005_release_names
Create Date: 2026-12-05 00:30:00

Until now the working week was a setting of each planner; every nation of an
existing plan gets Monday to Friday, which is what the conflict check, the
slot finder and the partner export always used.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_nation_calendars"
down_revision: str | None = "0005_release_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added whole, with the week every nation had, by ALTER TABLE: making a
    # column NOT NULL afterwards rebuilds the table on SQLite, and dropping the
    # old ``nation`` fails on the units and venues that point at it.
    with op.batch_alter_table("nation", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "working_weekdays", sa.JSON(), nullable=False, server_default="[0, 1, 2, 3, 4]"
            )
        )
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.add_column(sa.Column("holiday_region", sa.String(length=8), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("venue", schema=None) as batch_op:
        batch_op.drop_column("holiday_region")
    with op.batch_alter_table("nation", schema=None) as batch_op:
        batch_op.drop_column("working_weekdays")
