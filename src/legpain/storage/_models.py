"""Tables: an interview, its answers in the order given, and its saved result."""

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
    """One answered question. (interview, position) is the key, so two writers racing
    to record the same step cannot both win: the loser gets a conflict, not a lost answer."""

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
