"""Tables: an interview, its answers in the order given, its saved result, and the
idempotency keys of the writes it took."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LENGTH = 32  # secrets.token_urlsafe(16) is 22 characters; room to spare


class Base(DeclarativeBase):
    pass


class InterviewRow(Base):
    __tablename__ = "interviews"

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    # Retention counts from the last change, so an assessment in progress is never purged early.
    updated_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, index=True)
    initial_answers: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    # The step counter: +1 on every write (an answer or an undo), never reused. Every
    # write is a compare-and-set on it (UPDATE ... WHERE id = ? AND step = ?), so
    # writes to one interview are serialised and a stale writer is told, not obeyed.
    step: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")

    answers: Mapped[list[AnswerRow]] = relationship(
        back_populates="interview",
        order_by="AnswerRow.position",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    result: Mapped[ResultRow | None] = relationship(
        back_populates="interview", cascade="all, delete-orphan", passive_deletes=True
    )


class AnswerRow(Base):
    """One answered question, in order of ``position``. Positions only order the answers
    (the next one takes the highest plus one); the interview's step counter decides
    which writer wins a race."""

    __tablename__ = "answers"

    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    question_id: Mapped[str] = mapped_column(String(100), nullable=False)
    value: Mapped[Any] = mapped_column(JSON, nullable=False)
    answered_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)

    interview: Mapped[InterviewRow] = relationship(back_populates="answers")


class ResultRow(Base):
    """The result once the interview is complete; removed when an answer changes."""

    __tablename__ = "results"

    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    after_answers: Mapped[int] = mapped_column(Integer, nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)

    interview: Mapped[InterviewRow] = relationship(back_populates="result")


class IdempotencyRow(Base):
    """A write's ``Idempotency-Key`` (hashed, with what it was for) and the response it
    got, so a retry gets that response again and nothing is recorded twice. Deleted with
    its interview, so kept exactly as long as the interview is."""

    __tablename__ = "idempotency_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH),
        ForeignKey("interviews.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    request_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    status: Mapped[int] = mapped_column(Integer, nullable=False)
    response: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
