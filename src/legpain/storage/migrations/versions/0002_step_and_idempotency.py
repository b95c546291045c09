"""The interview's step counter (compare-and-set on every write) and idempotency keys.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("interviews") as batch:
        batch.add_column(sa.Column("step", sa.Integer(), nullable=False, server_default="0"))
    # Any start value works (the counter only has to change on every write); starting
    # from the number of answers keeps a step shown by an older page meaningful.
    op.execute(
        "UPDATE interviews SET step = "
        "(SELECT count(*) FROM answers WHERE answers.interview_id = interviews.id)"
    )
    op.create_table(
        "idempotency_keys",
        sa.Column("key_hash", sa.String(64), primary_key=True),
        sa.Column(
            "interview_id",
            sa.String(32),
            sa.ForeignKey("interviews.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("request_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("response", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_idempotency_keys_interview_id", "idempotency_keys", ["interview_id"])


def downgrade() -> None:
    op.drop_index("ix_idempotency_keys_interview_id", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    with op.batch_alter_table("interviews") as batch:
        batch.drop_column("step")
