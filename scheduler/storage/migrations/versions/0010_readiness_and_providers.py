"""evaluation milestones, collective tasks, exercises, providers and costs (issue 23)

Revision ID: 0010_readiness_and_providers
Revises: 0009_training_hours
Create Date: 2026-12-05 03:00:00

Columns are added with ``ALTER TABLE … ADD COLUMN`` only: rebuilding
``training_event`` or ``course`` by copy-and-move on SQLite would drop the
old table with foreign keys on, and its children with it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_readiness_and_providers"
down_revision: str | None = "0009_training_hours"
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


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=24)


def upgrade() -> None:
    op.create_table(
        "provider",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            _enum("providerkind", "uk_government", "nation", "nato", "eu", "other"),
            nullable=False,
        ),
        sa.Column("nation_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["nation_id"],
            ["nation.id"],
            name=op.f("fk_provider_nation_id_nation"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provider")),
        sa.UniqueConstraint("name", name=op.f("uq_provider_name")),
        sa.UniqueConstraint("uuid", name=op.f("uq_provider_uuid")),
    )
    op.create_index(op.f("ix_provider_nation_id"), "provider", ["nation_id"], unique=False)

    op.add_column(
        "course",
        sa.Column(
            "kind",
            _enum("coursekind", "course", "exercise"),
            nullable=False,
            server_default="course",
        ),
    )
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a reference only inline, and only to a column that starts empty.
        op.execute(
            "ALTER TABLE training_event ADD COLUMN provider_id INTEGER "
            "CONSTRAINT fk_training_event_provider_id_provider "
            "REFERENCES provider (id) ON DELETE RESTRICT"
        )
    else:
        op.add_column("training_event", sa.Column("provider_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_training_event_provider_id_provider"),
            "training_event",
            "provider",
            ["provider_id"],
            ["id"],
            ondelete="RESTRICT",
        )
    op.add_column("training_event", sa.Column("funding_line", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_training_event_provider_id"), "training_event", ["provider_id"], unique=False
    )

    op.create_table(
        "event_cost",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            _enum("costkind", "travel", "accommodation", "interpreters", "venue", "kit", "other"),
            nullable=False,
        ),
        sa.Column("planned", sa.Float(), nullable=True),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["training_event.id"],
            name=op.f("fk_event_cost_event_id_training_event"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_cost")),
        sa.UniqueConstraint("uuid", name=op.f("uq_event_cost_uuid")),
    )
    op.create_index(op.f("ix_event_cost_event_id"), "event_cost", ["event_id"], unique=False)

    op.create_table(
        "evaluation_milestone",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("milestonekind", "sel1", "sel2", "nel1", "nel2"), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "result",
            _enum("milestoneresult", "pending", "ready", "ready_with_comments", "not_ready"),
            nullable=False,
        ),
        sa.Column("notes", sa.Text(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["capability_target.id"],
            name=op.f("fk_evaluation_milestone_target_id_capability_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_milestone")),
        sa.UniqueConstraint("uuid", name=op.f("uq_evaluation_milestone_uuid")),
    )
    op.create_index(
        op.f("ix_evaluation_milestone_target_id"),
        "evaluation_milestone",
        ["target_id"],
        unique=False,
    )

    op.create_table(
        "collective_task",
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "rating",
            _enum("taskrating", "untrained", "needs_practice", "trained"),
            nullable=False,
        ),
        sa.Column("rated_on", sa.Date(), nullable=True),
        sa.Column("rating_source", sa.String(length=200), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["capability_target.id"],
            name=op.f("fk_collective_task_target_id_capability_target"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collective_task")),
        sa.UniqueConstraint("uuid", name=op.f("uq_collective_task_uuid")),
    )
    op.create_index(
        op.f("ix_collective_task_target_id"), "collective_task", ["target_id"], unique=False
    )
    op.create_table(
        "task_course",
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["course.id"],
            name=op.f("fk_task_course_course_id_course"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["collective_task.id"],
            name=op.f("fk_task_course_task_id_collective_task"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "course_id", name=op.f("pk_task_course")),
    )


def downgrade() -> None:
    op.drop_table("task_course")
    op.drop_table("collective_task")
    op.drop_table("evaluation_milestone")
    op.drop_table("event_cost")
    with op.batch_alter_table("training_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_event_provider_id"))
        batch_op.drop_column("funding_line")
        batch_op.drop_column("provider_id")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("kind")
    op.drop_table("provider")
