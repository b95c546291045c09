"""Seal every row with a key from the interview's link, key rows by a hash of the id,
and add the shared rate-limit buckets.

The old rows are read, sealed and written into the new tables; the old tables are
dropped (SQLite is then vacuumed by the store, so no old page is left). Existing
links keep working: a link is looked up by its hash, and its rows open with the key
derived from it.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

from legpain.storage._crypto import Sealer, lookup_hex, lookup_key

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _json(value: Any) -> Any:
    """Already decoded: the old rows are read through typed JSON columns."""
    return value


def _old(name: str, *columns: str, json_columns: tuple[str, ...] = ()) -> sa.Select[Any]:
    table = sa.table(
        name,
        *(sa.column(c, sa.JSON()) if c in json_columns else sa.column(c) for c in columns),
    )
    return sa.select(*table.c)


def _create_tables() -> None:
    op.create_table(
        "interviews",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False, server_default="0"),
    )
    op.create_index("ix_interviews_updated_at", "interviews", ["updated_at"])
    for name, extra in (
        ("answers", [sa.Column("position", sa.Integer(), primary_key=True)]),
        ("results", [sa.Column("after_answers", sa.Integer(), nullable=False)]),
    ):
        op.create_table(
            name,
            sa.Column(
                "interview_id",
                sa.String(32),
                sa.ForeignKey("interviews.id", ondelete="CASCADE"),
                primary_key=True,
            ),
            *extra,
            sa.Column("sealed", sa.LargeBinary(), nullable=False),
            sa.Column(
                "answered_at" if name == "answers" else "computed_at", sa.DateTime(), nullable=False
            ),
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
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_idempotency_keys_interview_id", "idempotency_keys", ["interview_id"])


def upgrade() -> None:
    conn = op.get_bind()
    interviews = conn.execute(
        _old(
            "interviews",
            "id",
            "created_at",
            "updated_at",
            "initial_answers",
            "step",
            json_columns=("initial_answers",),
        )
    ).all()
    answers = conn.execute(
        _old(
            "answers",
            "interview_id",
            "position",
            "question_id",
            "value",
            "answered_at",
            json_columns=("value",),
        )
    ).all()
    results = conn.execute(
        _old(
            "results",
            "interview_id",
            "after_answers",
            "result",
            "computed_at",
            json_columns=("result",),
        )
    ).all()
    keys = conn.execute(
        _old(
            "idempotency_keys",
            "key_hash",
            "interview_id",
            "request_hash",
            "status",
            "response",
            "created_at",
            json_columns=("response",),
        )
    ).all()
    op.drop_index("ix_idempotency_keys_interview_id", table_name="idempotency_keys")
    op.drop_table("idempotency_keys")
    op.drop_table("results")
    op.drop_table("answers")
    op.drop_index("ix_interviews_updated_at", table_name="interviews")
    op.drop_table("interviews")
    _create_tables()

    sealers = {row.id: Sealer(row.id) for row in interviews}
    new_interviews = sa.table(
        "interviews",
        sa.column("id"),
        sa.column("created_at"),
        sa.column("updated_at"),
        sa.column("sealed", sa.LargeBinary()),
        sa.column("step"),
    )
    new_answers = sa.table(
        "answers",
        sa.column("interview_id"),
        sa.column("position"),
        sa.column("sealed", sa.LargeBinary()),
        sa.column("answered_at"),
    )
    new_results = sa.table(
        "results",
        sa.column("interview_id"),
        sa.column("after_answers"),
        sa.column("sealed", sa.LargeBinary()),
        sa.column("computed_at"),
    )
    if interviews:
        conn.execute(
            new_interviews.insert(),
            [
                {
                    "id": lookup_key(r.id),
                    "created_at": r.created_at,
                    "updated_at": r.updated_at,
                    "sealed": sealers[r.id].seal(_json(r.initial_answers), "initial"),
                    "step": r.step,
                }
                for r in interviews
            ],
        )
    rows = [
        {
            "interview_id": lookup_key(a.interview_id),
            "position": a.position,
            "sealed": sealers[a.interview_id].seal(
                [a.question_id, _json(a.value)], f"answer/{a.position}"
            ),
            "answered_at": a.answered_at,
        }
        for a in answers
        if a.interview_id in sealers
    ]
    if rows:
        conn.execute(new_answers.insert(), rows)
    rows = [
        {
            "interview_id": lookup_key(r.interview_id),
            "after_answers": r.after_answers,
            "sealed": sealers[r.interview_id].seal(_json(r.result), f"result/{r.after_answers}"),
            "computed_at": r.computed_at,
        }
        for r in results
        if r.interview_id in sealers
    ]
    if rows:
        conn.execute(new_results.insert(), rows)

    new_keys = sa.table(
        "idempotency_keys",
        sa.column("key_hash"),
        sa.column("interview_id"),
        sa.column("sealed", sa.LargeBinary()),
        sa.column("created_at"),
    )
    # The old key_hash is what the API derives from the client's key: seal under it.
    rows = [
        {
            "key_hash": lookup_hex(k.key_hash, "idempotency"),
            "interview_id": lookup_key(k.interview_id),
            "sealed": Sealer(k.key_hash, "idempotency").seal(
                {
                    "request_hash": k.request_hash,
                    "status": k.status,
                    "response": _json(k.response),
                },
                "record",
            ),
            "created_at": k.created_at,
        }
        for k in keys
        if k.interview_id in sealers
    ]
    if rows:
        conn.execute(new_keys.insert(), rows)

    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(32), primary_key=True),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("updated", sa.Float(), nullable=False),
        sa.Column("expires", sa.Float(), nullable=False),
    )
    op.create_index("ix_rate_limits_expires", "rate_limits", ["expires"])


def downgrade() -> None:
    raise NotImplementedError(
        "0003 cannot be undone: the ids are no longer stored, only their hashes"
    )
