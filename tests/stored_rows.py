"""Changing stored rows behind the app's back, as time or another worker would."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from legpain.storage import Store
from legpain.storage._crypto import lookup_key
from legpain.storage._models import InterviewRow


def age_interview(store: Store, interview_id: str, days: float) -> None:
    """Make the interview look unchanged for ``days`` days."""
    key = lookup_key(interview_id)
    with store.engine.begin() as conn:
        then = conn.execute(
            select(InterviewRow.updated_at).where(InterviewRow.id == key)
        ).scalar_one()
        conn.execute(
            update(InterviewRow)
            .where(InterviewRow.id == key)
            .values(updated_at=then - timedelta(days=days))
        )
