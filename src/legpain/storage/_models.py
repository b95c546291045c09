"""Tables: an interview, its answers in the order given, its saved result, the
idempotency keys of the writes it took, and the shared rate-limit buckets.

Nothing here is readable without the interview's link: an interview is stored under
a hash of its id (``lookup_key``), and everything said in it (initial answers,
answers, result, idempotency records) is one AES-GCM ``sealed`` blob per row, with a
key derived from the id (see ``_crypto``). Only the times, the step counter and the
answer positions are in the clear.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ID_LENGTH = 32  # the lookup key: 24 bytes of SHA-256 in URL-safe base64


class Base(DeclarativeBase):
    pass


class InterviewRow(Base):
    __tablename__ = "interviews"

    # lookup_key(link id): the id itself is never stored.
    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)
    # Retention counts from the last change, so an assessment in progress is never purged early.
    updated_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False, index=True)
    # The initial answers, sealed.
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
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
    """One answered question (question id and value, sealed), in order of ``position``.
    Positions only order the answers (the next one takes the highest plus one); the
    interview's step counter decides which writer wins a race."""

    __tablename__ = "answers"

    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    answered_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)

    interview: Mapped[InterviewRow] = relationship(back_populates="answers")


class ResultRow(Base):
    """The result once the interview is complete (sealed); removed when an answer changes."""

    __tablename__ = "results"

    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH), ForeignKey("interviews.id", ondelete="CASCADE"), primary_key=True
    )
    after_answers: Mapped[int] = mapped_column(Integer, nullable=False)
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    computed_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)

    interview: Mapped[InterviewRow] = relationship(back_populates="result")


class IdempotencyRow(Base):
    """A write's ``Idempotency-Key``: a hash of the key's hash, and, sealed with a key
    derived from the key's hash, the request's hash and the response it got, so a
    retry gets that response again and nothing is recorded twice. Deleted with its
    interview, so kept exactly as long as the interview is."""

    __tablename__ = "idempotency_keys"

    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    interview_id: Mapped[str] = mapped_column(
        String(ID_LENGTH),
        ForeignKey("interviews.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    sealed: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(), nullable=False)


class RateLimitRow(Base):
    """One token bucket shared by every worker: a keyed hash of what it limits (a
    client address, an interview), its tokens at ``updated`` (Unix seconds), and when
    it is full again and so can be forgotten (``expires``)."""

    __tablename__ = "rate_limits"

    key: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, nullable=False)
    updated: Mapped[float] = mapped_column(Float, nullable=False)
    expires: Mapped[float] = mapped_column(Float, nullable=False, index=True)
