"""The store: one SQLAlchemy code path for SQLite and PostgreSQL.

Every method is one short transaction and keeps nothing between calls, so any
number of worker processes can share a PostgreSQL database. An answer is written
at the position its writer expected; the (interview, position) key turns a race
into a reported conflict rather than a lost or doubled answer.
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

from legpain.storage._models import AnswerRow, InterviewRow, ResultRow

DATABASE_URL_ENV = "LEGPAIN_DATABASE_URL"
SQLITE_PATH_ENV = "LEGPAIN_SQLITE_PATH"
# Any constant works; it names the lock that serialises migrations across workers.
_MIGRATION_LOCK = 0x6C656770


class InterviewNotFound(LookupError):
    """No interview has this id (it never existed, was deleted or has expired)."""


class AnswerConflict(RuntimeError):
    """Another request recorded an answer at this position first."""


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

    def create(self, initial_answers: dict[str, Any] | None = None) -> str:
        now = _now()
        interview_id = new_id()
        with self._session() as s:
            s.add(
                InterviewRow(
                    id=interview_id,
                    created_at=now,
                    updated_at=now,
                    initial_answers=dict(initial_answers or {}),
                )
            )
        return interview_id

    def get(self, interview_id: str) -> StoredInterview:
        with self._session() as s:
            row = s.get(InterviewRow, interview_id)
            if row is None:
                raise InterviewNotFound(interview_id)
            answers = s.scalars(
                select(AnswerRow)
                .where(AnswerRow.interview_id == interview_id)
                .order_by(AnswerRow.position)
            ).all()
            result = s.get(ResultRow, interview_id)
            return StoredInterview(
                id=row.id,
                created_at=row.created_at,
                updated_at=row.updated_at,
                initial_answers=dict(row.initial_answers),
                answers=tuple(StoredAnswer(a.position, a.question_id, a.value) for a in answers),
                result=None
                if result is None or result.after_answers != len(answers)
                else dict(result.result),
            )

    def add_answer(
        self,
        interview_id: str,
        position: int,
        question_id: str,
        value: Any,
        result: dict[str, Any] | None = None,
    ) -> None:
        """Record the answer at ``position`` (0-based), and the result if now complete.

        Raises ``AnswerConflict`` if that position is taken, ``InterviewNotFound`` if
        the interview is gone.
        """
        now = _now()
        try:
            with self._session() as s:
                touched = s.execute(
                    update(InterviewRow)
                    .where(InterviewRow.id == interview_id)
                    .values(updated_at=now)
                )
                if touched.rowcount == 0:  # type: ignore[attr-defined]
                    raise InterviewNotFound(interview_id)
                s.add(
                    AnswerRow(
                        interview_id=interview_id,
                        position=position,
                        question_id=question_id,
                        value=value,
                        answered_at=now,
                    )
                )
                s.flush()
                s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
                if result is not None:
                    s.add(self._result_row(interview_id, position + 1, result, now))
        except IntegrityError:
            raise AnswerConflict(
                f"answer {position} of this interview was already recorded"
            ) from None

    def remove_last_answer(self, interview_id: str, count: int) -> bool:
        """Take back answer ``count - 1`` if it is still the last; False if there is none."""
        if count <= 0:
            return False
        with self._session() as s:
            touched = s.execute(
                update(InterviewRow)
                .where(InterviewRow.id == interview_id)
                .values(updated_at=_now())
            )
            if touched.rowcount == 0:  # type: ignore[attr-defined]
                raise InterviewNotFound(interview_id)
            s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
            removed = s.execute(
                delete(AnswerRow).where(
                    AnswerRow.interview_id == interview_id, AnswerRow.position == count - 1
                )
            )
            if removed.rowcount == 0:  # type: ignore[attr-defined]
                raise AnswerConflict("the last answer changed while undoing it")
            # An answer after it would mean a racing writer; keep positions contiguous.
            later = s.scalar(
                select(func.count())
                .select_from(AnswerRow)
                .where(AnswerRow.interview_id == interview_id, AnswerRow.position >= count)
            )
            if later:
                raise AnswerConflict("an answer was added while undoing the last one")
        return True

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
        """Delete the interview with its answers and result; False if there was none."""
        with self._session() as s:
            # Children first: correct even where the database ignores ON DELETE CASCADE.
            s.execute(delete(ResultRow).where(ResultRow.interview_id == interview_id))
            s.execute(delete(AnswerRow).where(AnswerRow.interview_id == interview_id))
            gone = s.execute(delete(InterviewRow).where(InterviewRow.id == interview_id))
            return bool(gone.rowcount)  # type: ignore[attr-defined]

    def purge_older_than(self, days: float, now: datetime | None = None) -> int:
        """Delete every interview unchanged for ``days`` days; the number deleted."""
        cutoff = (now or _now()) - timedelta(days=days)
        old = select(InterviewRow.id).where(InterviewRow.updated_at < cutoff)
        with self._session() as s:
            s.execute(delete(ResultRow).where(ResultRow.interview_id.in_(old)))
            s.execute(delete(AnswerRow).where(AnswerRow.interview_id.in_(old)))
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
