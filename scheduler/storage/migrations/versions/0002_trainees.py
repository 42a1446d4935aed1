"""trainees, their postings and enrolments (issue 20)

Revision ID: 0002_trainees
Revises: 0001_baseline
Create Date: 2026-12-04 19:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_trainees"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "trainee",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_latin", sa.String(length=200), nullable=True),
        sa.Column("rank", sa.String(length=60), nullable=True),
        sa.Column("nation_id", sa.Integer(), nullable=False),
        sa.Column("service_number", sa.String(length=40), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["nation_id"],
            ["nation.id"],
            name=op.f("fk_trainee_nation_id_nation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainee")),
        sa.UniqueConstraint("uuid", name=op.f("uq_trainee_uuid")),
    )
    with op.batch_alter_table("trainee", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_trainee_nation_id"), ["nation_id"], unique=False)
    op.create_table(
        "trainee_posting",
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("date_from", sa.Date(), nullable=True),
        sa.Column("date_to", sa.Date(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainee.id"],
            name=op.f("fk_trainee_posting_trainee_id_trainee"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"],
            ["unit.id"],
            name=op.f("fk_trainee_posting_unit_id_unit"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainee_posting")),
        sa.UniqueConstraint("uuid", name=op.f("uq_trainee_posting_uuid")),
    )
    with op.batch_alter_table("trainee_posting", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_trainee_posting_trainee_id"), ["trainee_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_trainee_posting_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "enrolment",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "nominated",
                "confirmed",
                "attended",
                "passed",
                "failed",
                "withdrawn",
                "no_show",
                name="enrolmentstatus",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("result_date", sa.Date(), nullable=True),
        sa.Column("certificate_serial", sa.String(length=32), nullable=True),
        sa.Column("remarks", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["training_event.id"],
            name=op.f("fk_enrolment_event_id_training_event"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["trainee_id"],
            ["trainee.id"],
            name=op.f("fk_enrolment_trainee_id_trainee"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrolment")),
        sa.UniqueConstraint("certificate_serial", name=op.f("uq_enrolment_certificate_serial")),
        sa.UniqueConstraint(
            "event_id", "trainee_id", name=op.f("uq_enrolment_event_id_trainee_id")
        ),
        sa.UniqueConstraint("uuid", name=op.f("uq_enrolment_uuid")),
    )
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrolment_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_enrolment_trainee_id"), ["trainee_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("enrolment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrolment_trainee_id"))
        batch_op.drop_index(batch_op.f("ix_enrolment_event_id"))
    op.drop_table("enrolment")
    with op.batch_alter_table("trainee_posting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainee_posting_unit_id"))
        batch_op.drop_index(batch_op.f("ix_trainee_posting_trainee_id"))
    op.drop_table("trainee_posting")
    with op.batch_alter_table("trainee", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trainee_nation_id"))
    op.drop_table("trainee")
