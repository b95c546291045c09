"""The store: one SQLAlchemy code path for SQLite and PostgreSQL.

Every method is one short transaction and keeps nothing between calls, so any
number of worker processes can share a PostgreSQL database.

Every write to an interview (an answer, an undo) names the step it answers and is a
compare-and-set on the interview's step counter: ``UPDATE interviews SET step = step
+ 1 WHERE id = ? AND step = ?``, with the rowcount checked, as the transaction's first
statement. On PostgreSQL the row lock makes a second writer wait, then find the step
moved; on SQLite the write lock does the same. So of two racing writers one wins and
the other gets ``AnswerConflict`` with the current step; nothing else is changed, and
the answers stay in one contiguous order whatever the interleaving.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process migrates at a time anyway
    fcntl = None  # type: ignore[assignment]

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from legpain.storage._models import AnswerRow, IdempotencyRow, InterviewRow, ResultRow

DATABASE_URL_ENV = "LEGPAIN_DATABASE_URL"
SQLITE_PATH_ENV = "LEGPAIN_SQLITE_PATH"
# Any constant works; it names the lock that serialises migrations across workers.
_MIGRATION_LOCK = 0x6C656770


class InterviewNotFound(LookupError):
    """No interview has this id (it never existed, was deleted or has expired)."""


class AnswerConflict(RuntimeError):
    """The interview is no longer at the step the write answers: another write won.

    ``current_step`` is the step now (None if unknown).
    """

    def __init__(self, message: str, current_step: int | None = None) -> None:
        super().__init__(message)
        self.current_step = current_step


class IdempotencyKeyUsed(RuntimeError):
    """Another request with this idempotency key was recorded first (nothing was saved)."""


@dataclass(frozen=True)
class IdempotencyRecord:
    """What to keep for a write's ``Idempotency-Key``: its hash, the request's hash and
    the response to give again to a retry."""

    key_hash: str
    request_hash: str
    status: int
    response: dict[str, Any]


@dataclass(frozen=True)
class StoredAnswer:
    position: int
    question_id: str
    value: Any


@dataclass(frozen=True)
class StoredInterview:
    id: str
    created_at: datetime
    updated_at: datetime
    initial_answers: dict[str, Any]
    answers: tuple[StoredAnswer, ...]
    result: dict[str, Any] | None
    step: int = 0


def _now() -> datetime:
    # Naive UTC everywhere: SQLite keeps no time zone, and one convention serves both.
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """An unguessable id: 128 random bits."""
    return secrets.token_urlsafe(16)


def default_sqlite_path() -> Path:
    """``$LEGPAIN_SQLITE_PATH``, else the user's data folder (never the current folder)."""
    explicit = os.environ.get(SQLITE_PATH_ENV)
    if explicit:
        return Path(explicit).expanduser()
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data_home) / "legpain" / "legpain.sqlite3"


def database_url(explicit: str | None = None, sqlite_path: str | Path | None = None) -> str:
    """The URL to use: ``explicit``, else ``$LEGPAIN_DATABASE_URL``, else a SQLite file.

    A ``postgresql://`` URL is given the psycopg 3 driver.
    """
    url = explicit or os.environ.get(DATABASE_URL_ENV)
    if not url:
        path = Path(sqlite_path).expanduser() if sqlite_path else default_sqlite_path()
        return f"sqlite:///{path}"
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def describe_url(url: str) -> str:
    """The URL with any password hidden, for messages."""
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; the busy timeout makes writers queue
    # instead of failing; secure_delete overwrites deleted answers in the file.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _alembic_config(connection: Connection) -> Config:
    config = Config()
    location = resources.files("legpain.storage").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


class Store:
    """Saved interviews. ``migrate=True`` brings the schema up to date first."""

    def __init__(self, url: str | None = None, *, migrate: bool = True) -> None:
        self.url = database_url(url)
        self.engine = _make_engine(self.url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            self.migrate()

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # --- schema ----------------------------------------------------------------------

    def migrate(self) -> None:
        """Upgrade to the newest schema; safe when several workers start at once."""
        with self._sqlite_file_lock(), self.engine.begin() as conn:
            if self.backend == "postgresql":
                # Held until this transaction ends; PostgreSQL's DDL is transactional, so
                # the second worker waits, then finds the schema already at head.
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})
            config = _alembic_config(conn)
            head = ScriptDirectory.from_config(config).get_current_head()
            if MigrationContext.configure(conn).get_current_revision() != head:
                command.upgrade(config, "head")

    @contextmanager
    def _sqlite_file_lock(self) -> Iterator[None]:
        """SQLite's DDL here takes no lock across processes: a lock file beside the
        database serialises migrations instead (where the OS offers flock)."""
        path = make_url(self.url).database
        if self.backend != "sqlite" or not path or path == ":memory:" or fcntl is None:
            yield
            return
        with open(f"{path}.migrate-lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    # --- interviews ------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def create(
        self,
        initial_answers: dict[str, Any] | None = None,
        *,
        interview_id: str | None = None,
        idempotency: IdempotencyRecord | None = None,
    ) -> str:
        """Save a new interview (at step 0), and its idempotency record in the same
        transaction. ``IdempotencyKeyUsed`` if that key was recorded first."""
        now = _now()
        interview_id = interview_id or new_id()
        try:
            with self._session() as s:
                s.add(
                    InterviewRow(
                        id=interview_id,
                        created_at=now,
                        updated_at=now,
                        initial_answers=dict(initial_answers or {}),
                        step=0,
                    )
                )
                s.flush()
                self._remember(s, interview_id, idempotency, now)
        except IntegrityError:
            if idempotency is None:
                raise
            raise IdempotencyKeyUsed(
                "this idempotency key was used first by another request"
            ) from None
        return interview_id

    def get(self, interview_id: str) -> StoredInterview:
        """The interview as of one step. Each statement reads its own snapshot (SQLite
        outside a write, PostgreSQL at READ COMMITTED), so the step is read before and
        after the answers and the read repeated if a write came between."""
        for _ in range(20):
            got = self._read(interview_id)
            if got is not None:
                return got
        # Writes kept coming between the reads: one last read, each part as it stood.
        return self._read(interview_id, consistent=False)  # type: ignore[return-value]

    def _read(self, interview_id: str, consistent: bool = True) -> StoredInterview | None:
        with self._session() as s:
            before = s.scalar(select(InterviewRow.step).where(InterviewRow.id == interview_id))
            row = s.get(InterviewRow, interview_id)
            if before is None or row is None:
                raise InterviewNotFound(interview_id)
            answers = s.scalars(
                select(AnswerRow)
                .where(AnswerRow.interview_id == interview_id)
                .order_by(AnswerRow.position)
            ).all()
            result = s.get(ResultRow, interview_id)
            after = s.scalar(select(InterviewRow.step).where(InterviewRow.id == interview_id))
            if after is None:
                raise InterviewNotFound(interview_id)
            if consistent and not before == after == row.step:
                return None
            return StoredInterview(
                id=row.id,
                created_at=row.created_at,
                updated_at=row.updated_at,
                initial_answers=dict(row.initial_answers),
                answers=tuple(StoredAnswer(a.position, a.question_id, a.value) for a in answers),
                result=None
                if result is None or result.after_answers != len(answers)
                else dict(result.result),
                step=row.step,
            )

    def _advance(self, s: Session, interview_id: str, expected_step: int, now: datetime) -> None:
        """The compare-and-set: step ``expected_step`` -> ``expected_step + 1``, or
        ``AnswerConflict`` naming the current step (``InterviewNotFound`` if gone)."""
        moved = s.execute(
            update(InterviewRow)
            .where(InterviewRow.id == interview_id, InterviewRow.step == expected_step)
            .values(step=InterviewRow.step + 1, updated_at=now)
        )
        if moved.rowcount == 1:  # type: ignore[attr-defined]
            return
        current = s.scalar(select(InterviewRow.step).where(InterviewRow.id == interview_id))
        if current is None:
            raise InterviewNotFound(interview_id)
        raise AnswerConflict(
            f"the interview is at step {current}, not {expected_step}: another request "
            "changed it first",
            current_step=current,
        )

    @staticmethod
    def _remember(
        s: Session, interview_id: str, record: IdempotencyRecord | None, now: datetime
    ) -> None:
        if record is None:
            return
        s.add(
            IdempotencyRow(
                key_hash=record.key_hash,
                interview_id=interview_id,
                request_hash=record.request_hash,
                status=record.status,
                response=record.response,
                created_at=now,
            )
        )
        s.flush()

    def add_answer(
        self,
        interview_id: str,
        question_id: str,
        value: Any,
        *,
        expected_step: int,
        result: dict[str, Any] | None = None,
        idempotency: IdempotencyRecord | None = None,
    ) -> int:
        """Record the answer after the last one, if the interview is still at
        ``expected_step``; keep the result if it is now complete. Returns the new step.

        ``AnswerConflict`` if another write came first, ``InterviewNotFound`` if the
        interview is gone, ``IdempotencyKeyUsed`` if the key was recorded first. On any
        of them nothing is changed.
        """
        now = _now()
        try:
            with self._session() as s:
                self._advance(s, interview_id, expected_step, now)
                last = s.scalar(
                    select(func.max(AnswerRow.position)).where(
                        AnswerRow.interview_id == interview_id
                    )
                )
                s.add(
                    AnswerRow(
                        interview_id=interview_id,
                        position=0 if last is None else last + 1,
                        question_id=question_id,
                        value=value,
                        answered_at=now,
                    )
                )
                s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
                if result is not None:
                    count = s.scalar(
                        select(func.count())
                        .select_from(AnswerRow)
                        .where(AnswerRow.interview_id == interview_id)
                    )
                    s.add(self._result_row(interview_id, int(count or 0), result, now))
                s.flush()
                self._remember(s, interview_id, idempotency, now)
        except IntegrityError:
            # Only the idempotency key can collide: the step counter serialises the rest.
            raise IdempotencyKeyUsed(
                "this idempotency key was used first by another request"
            ) from None
        return expected_step + 1

    def remove_last_answer(
        self,
        interview_id: str,
        *,
        expected_step: int,
        idempotency: IdempotencyRecord | None = None,
    ) -> bool:
        """Take back the last answer if the interview is still at ``expected_step``;
        False (and nothing changed) if there is no answer. Raises as ``add_answer``."""

        class _Nothing(Exception):
            pass

        now = _now()
        try:
            with self._session() as s:
                self._advance(s, interview_id, expected_step, now)
                last = s.scalar(
                    select(func.max(AnswerRow.position)).where(
                        AnswerRow.interview_id == interview_id
                    )
                )
                if last is None:
                    raise _Nothing  # rolls the step back
                s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
                s.execute(
                    delete(AnswerRow).where(
                        AnswerRow.interview_id == interview_id, AnswerRow.position == last
                    )
                )
                self._remember(s, interview_id, idempotency, now)
        except _Nothing:
            return False
        except IntegrityError:
            raise IdempotencyKeyUsed(
                "this idempotency key was used first by another request"
            ) from None
        return True

    def idempotent_response(self, key_hash: str) -> IdempotencyRecord | None:
        """The record kept for this key hash, if any."""
        with self._session() as s:
            row = s.get(IdempotencyRow, key_hash)
            if row is None:
                return None
            return IdempotencyRecord(row.key_hash, row.request_hash, row.status, row.response)

    def save_result(self, interview_id: str, after_answers: int, result: dict[str, Any]) -> None:
        """Keep the result computed after ``after_answers`` answers (ignored if stale)."""
        try:
            with self._session() as s:
                s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
                s.add(self._result_row(interview_id, after_answers, result, _now()))
        except IntegrityError:
            pass  # deleted meanwhile, or another writer saved it first: either is fine

    @staticmethod
    def _result_row(
        interview_id: str, after_answers: int, result: dict[str, Any], now: datetime
    ) -> ResultRow:
        return ResultRow(
            interview_id=interview_id, after_answers=after_answers, result=result, computed_at=now
        )

    def delete(self, interview_id: str) -> bool:
        """Delete the interview with its answers, result and idempotency records;
        False if there was none."""
        with self._session() as s:
            # Children first: correct even where the database ignores ON DELETE CASCADE.
            for table in (IdempotencyRow, ResultRow, AnswerRow):
                s.execute(delete(table).where(table.interview_id == interview_id))
            gone = s.execute(delete(InterviewRow).where(InterviewRow.id == interview_id))
            return bool(gone.rowcount)  # type: ignore[attr-defined]

    def purge_older_than(self, days: float, now: datetime | None = None) -> int:
        """Delete every interview unchanged for ``days`` days; the number deleted."""
        cutoff = (now or _now()) - timedelta(days=days)
        old = select(InterviewRow.id).where(InterviewRow.updated_at < cutoff)
        with self._session() as s:
            for table in (IdempotencyRow, ResultRow, AnswerRow):
                s.execute(delete(table).where(table.interview_id.in_(old)))
            gone = s.execute(delete(InterviewRow).where(InterviewRow.updated_at < cutoff))
            return int(gone.rowcount)  # type: ignore[attr-defined]

    def answer_counts(self, interview_ids: list[str]) -> dict[str, int]:
        """How many answers each interview holds (for checks and benchmarks)."""
        out = dict.fromkeys(interview_ids, 0)
        with self._session() as s:
            for chunk in (interview_ids[i : i + 500] for i in range(0, len(interview_ids), 500)):
                rows = s.execute(
                    select(AnswerRow.interview_id, func.count())
                    .where(AnswerRow.interview_id.in_(chunk))
                    .group_by(AnswerRow.interview_id)
                ).all()
                out.update({r[0]: int(r[1]) for r in rows})
        return out

    def count_interviews(self) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(InterviewRow)) or 0)
