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

Rows are keyed by a hash of the interview's id and everything said in them is sealed
with a key derived from the id (``_crypto``): the store is given the id with every
call and keeps it nowhere. An interview past its retention is deleted when it is next
asked for, and is then not found. On SQLite every delete is followed by a WAL
checkpoint, and ``secure_delete`` zeroes freed space.
"""

from __future__ import annotations

import ast
import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: one process migrates at a time anyway
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import (
    Connection,
    Engine,
    Table,
    bindparam,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from legpain.storage._crypto import SealBroken, Sealer, lookup_hex, lookup_key
from legpain.storage._models import (
    AnswerRow,
    IdempotencyRow,
    InterviewRow,
    RateLimitRow,
    ResultRow,
)

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


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened or reached; the message says why, in plain words,
    and what is expected (never with the URL's password)."""


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
    from alembic.config import Config

    config = Config()
    location = resources.files("legpain.storage").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    config.attributes["connection"] = connection
    return config


# Alembic takes about 0.3 s to import: a server restarting on an up-to-date database
# reads the revision itself, and loads Alembic only when there is an upgrade to run.
_REVISION_LINE = re.compile(r"^(revision|down_revision)\b[^=\n]*=(.*)$", re.MULTILINE)
ALEMBIC_VERSION_TABLE = "alembic_version"


@cache
def schema_head() -> str | None:
    """The newest migration's revision, read from the migration files without importing
    Alembic (a test checks it against Alembic's own); None when it cannot tell."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    versions = resources.files("legpain.storage").joinpath("migrations", "versions")
    for node in versions.iterdir():
        if not node.name.endswith(".py") or node.name.startswith("__"):
            continue
        found = dict(_REVISION_LINE.findall(node.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"].strip())
            down = ast.literal_eval(found.get("down_revision", "None").strip())
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        if isinstance(down, str):
            replaced.add(down)
        elif isinstance(down, tuple) and all(isinstance(d, str) for d in down):
            replaced.update(down)
        elif down is not None:
            return None
    heads = revisions - replaced
    return heads.pop() if len(heads) == 1 else None


def _current_revision(conn: Connection) -> str | None:
    """The database's revision as Alembic records it (None: never migrated), read
    with SQLAlchemy alone; an unexpected table raises, for Alembic to judge."""
    if not inspect(conn).has_table(ALEMBIC_VERSION_TABLE):
        return None
    rows = conn.execute(text(f"SELECT version_num FROM {ALEMBIC_VERSION_TABLE}")).all()
    if len(rows) != 1:
        raise LookupError(f"{len(rows)} rows in {ALEMBIC_VERSION_TABLE}")
    return str(rows[0][0])


_INTERVIEWS = cast(Table, InterviewRow.__table__)
_ANSWERS = cast(Table, AnswerRow.__table__)
_RESULTS = cast(Table, ResultRow.__table__)
_IDEMPOTENCY = cast(Table, IdempotencyRow.__table__)
# The statements of a read, built once (SQLAlchemy caches their compiled form too).
_SELECT_INTERVIEW = select(
    _INTERVIEWS.c.step, _INTERVIEWS.c.created_at, _INTERVIEWS.c.updated_at, _INTERVIEWS.c.sealed
).where(_INTERVIEWS.c.id == bindparam("k"))
_SELECT_ANSWERS = (
    select(_ANSWERS.c.position, _ANSWERS.c.sealed)
    .where(_ANSWERS.c.interview_id == bindparam("k"))
    .order_by(_ANSWERS.c.position)
)
_SELECT_STEP_AND_RESULT = (
    select(
        _INTERVIEWS.c.step,
        _RESULTS.c.after_answers,
        _RESULTS.c.sealed.label("result"),
    )
    .select_from(_INTERVIEWS.outerjoin(_RESULTS, _RESULTS.c.interview_id == _INTERVIEWS.c.id))
    .where(_INTERVIEWS.c.id == bindparam("k"))
)
_SELECT_STEP = select(_INTERVIEWS.c.step, _INTERVIEWS.c.updated_at).where(
    _INTERVIEWS.c.id == bindparam("k")
)
_SELECT_ANSWERS_FROM = _SELECT_ANSWERS.where(_ANSWERS.c.position >= bindparam("first"))
_LAST_POSITION = select(func.max(_ANSWERS.c.position)).where(
    _ANSWERS.c.interview_id == bindparam("k")
)

# The compare-and-set of a write, without and with the retention cutoff.
_ADVANCE = (
    update(_INTERVIEWS)
    .where(_INTERVIEWS.c.id == bindparam("k"), _INTERVIEWS.c.step == bindparam("expected"))
    .values(step=_INTERVIEWS.c.step + 1, updated_at=bindparam("now"))
)
_ADVANCE_UNEXPIRED = _ADVANCE.where(_INTERVIEWS.c.updated_at >= bindparam("cutoff"))
_DELETE_RESULT = delete(_RESULTS).where(_RESULTS.c.interview_id == bindparam("k"))
_COUNT_ANSWERS = (
    select(func.count()).select_from(_ANSWERS).where(_ANSWERS.c.interview_id == bindparam("k"))
)
_INSERT_ANSWER = insert(_ANSWERS)
_INSERT_RESULT = insert(_RESULTS)
_INSERT_IDEMPOTENCY = insert(_IDEMPOTENCY)


class Store:
    """Saved interviews. ``migrate=True`` brings the schema up to date first."""

    def __init__(
        self, url: str | None = None, *, migrate: bool = True, retention_days: float = 0
    ) -> None:
        # > 0: an interview unchanged for this long is gone, also before any purge runs.
        self.retention_days = retention_days
        try:
            self.url = database_url(url)
            self.engine = _make_engine(self.url)
            # Reads of one interview: each statement reads its own snapshot anyway (see
            # get), so on PostgreSQL they run without BEGIN and ROLLBACK around them.
            self._reads = (
                self.engine.execution_options(isolation_level="AUTOCOMMIT")
                if self.engine.dialect.name == "postgresql"
                else self.engine
            )
            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            if migrate:
                self.migrate()
        except (ArgumentError, NoSuchModuleError) as exc:
            raise DatabaseUnavailable(
                f"the database URL is not one legpain can use ({exc}); expected "
                "sqlite:///path/to/file.sqlite3 or postgresql://user:password@host/database"
            ) from None
        except OSError as exc:
            path = make_url(database_url(url)).database
            why = (
                f"{exc.filename} is a file, not a folder"
                if isinstance(exc, FileExistsError | NotADirectoryError)
                else f"{exc.strerror or exc} ({exc.filename})"
            )
            raise DatabaseUnavailable(
                f"cannot make or open the SQLite file {path}: {why}; "
                "give a file in a folder you can write to"
            ) from None
        except DBAPIError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
            raise DatabaseUnavailable(
                f"cannot open the database {describe_url(self.url)}: {reason}"
            ) from None

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
            head = schema_head()
            try:
                before = _current_revision(conn) if head is not None else None
            except LookupError:
                before = None
            if head is None or before != head:
                # Alembic itself decides, from its own reading of both.
                from alembic import command
                from alembic.runtime.migration import MigrationContext
                from alembic.script import ScriptDirectory

                config = _alembic_config(conn)
                head = ScriptDirectory.from_config(config).get_current_head()
                before = MigrationContext.configure(conn).get_current_revision()
                if before != head:
                    command.upgrade(config, "head")
        if before != head and before is not None:
            # The upgrade rewrote rows (0003 sealed them): leave no old page behind.
            self._scrub(vacuum=True)

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
            from alembic.runtime.migration import MigrationContext

            return MigrationContext.configure(conn).get_current_revision()

    # --- interviews ------------------------------------------------------------------

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as session:
            yield session

    def _cutoff(self, now: datetime | None = None) -> datetime | None:
        """Changed before this: expired (None when assessments are kept)."""
        if self.retention_days <= 0:
            return None
        return (now or _now()) - timedelta(days=self.retention_days)

    def _expired(self, updated_at: datetime) -> bool:
        cutoff = self._cutoff()
        return cutoff is not None and updated_at < cutoff

    def _gone(self, interview_id: str) -> InterviewNotFound:
        """An interview found past its retention: delete it now, and say not found."""
        self.delete(interview_id)
        return InterviewNotFound(interview_id)

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
        key = lookup_key(interview_id)
        sealer = Sealer(interview_id)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(_INTERVIEWS).values(
                        id=key,
                        created_at=now,
                        updated_at=now,
                        sealed=sealer.seal(dict(initial_answers or {}), "initial"),
                        step=0,
                    )
                )
                self._remember(conn, key, idempotency, now)
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
        after the answers and the read repeated if a write came between.

        ``InterviewNotFound`` if there is none, or it is past its retention (then it
        is deleted here)."""
        for _ in range(20):
            got = self._read(interview_id)
            if got is not None:
                return got
        # Writes kept coming between the reads: one last read, each part as it stood.
        return self._read(interview_id, consistent=False)  # type: ignore[return-value]

    def _read(self, interview_id: str, consistent: bool = True) -> StoredInterview | None:
        key = lookup_key(interview_id)
        sealer = Sealer(interview_id)
        # Three statements (SQLAlchemy Core, no ORM): the interview's row; its answers;
        # then its step again with its result. The step read first and last tells a
        # write that came between (the read is then repeated).
        with self._reads.connect() as conn:
            row = conn.execute(_SELECT_INTERVIEW, {"k": key}).first()
            if row is None:
                raise InterviewNotFound(interview_id)
            expired = self._expired(row.updated_at)
            if not expired:
                answers = conn.execute(_SELECT_ANSWERS, {"k": key}).all()
                tail = conn.execute(_SELECT_STEP_AND_RESULT, {"k": key}).first()
                if tail is None:
                    raise InterviewNotFound(interview_id)
                if consistent and tail.step != row.step:
                    return None
                try:
                    initial = sealer.open(row.sealed, "initial")
                    opened = [
                        (a.position, sealer.open(a.sealed, f"answer/{a.position}")) for a in answers
                    ]
                    kept = (
                        None
                        if tail.after_answers is None or tail.after_answers != len(answers)
                        else sealer.open(tail.result, f"result/{tail.after_answers}")
                    )
                except SealBroken:
                    raise InterviewNotFound(interview_id) from None
        if expired:
            raise self._gone(interview_id)
        return StoredInterview(
            id=interview_id,
            created_at=row.created_at,
            updated_at=row.updated_at,
            initial_answers=dict(initial),
            answers=tuple(StoredAnswer(p, str(v[0]), v[1]) for p, v in opened),
            result=None if kept is None else dict(kept),
            step=row.step,
        )

    def step_of(self, interview_id: str) -> int:
        """The interview's step counter alone (one small SELECT): whether a copy made at
        some step is still current. ``InterviewNotFound`` as ``get``, and an interview
        past its retention is deleted here too."""
        with self._reads.connect() as conn:
            row = conn.execute(_SELECT_STEP, {"k": lookup_key(interview_id)}).first()
        if row is None:
            raise InterviewNotFound(interview_id)
        if self._expired(row.updated_at):
            raise self._gone(interview_id)
        return int(row.step)

    def get_after(self, known: StoredInterview) -> StoredInterview | None:
        """The interview now, read as ``known`` (the same interview, as read or written
        at an earlier step) plus what was recorded since: ``known`` itself if its step
        is current (one small SELECT, as ``step_of``); ``known`` with the answers saved
        after it if only answers were added since; None if an answer was taken back
        since (then read it whole). ``InterviewNotFound`` as ``get``.

        Every answer and every undo moves the step by one, and adds or removes one
        answer: the step moved by exactly the number of answers found after ``known``'s
        only if nothing was taken back."""
        key = lookup_key(known.id)
        count = len(known.answers)
        with self._reads.connect() as conn:
            row = conn.execute(_SELECT_STEP, {"k": key}).first()
            if row is None:
                raise InterviewNotFound(known.id)
            expired = self._expired(row.updated_at)
            if not expired:
                if row.step == known.step:
                    return known
                added = conn.execute(_SELECT_ANSWERS_FROM, {"k": key, "first": count}).all()
                tail = conn.execute(_SELECT_STEP_AND_RESULT, {"k": key}).first()
                if tail is None:
                    raise InterviewNotFound(known.id)
                moved = row.step - known.step
                if tail.step != row.step or moved != len(added) or moved < 0:
                    return None  # something was taken back, or a write came between
                sealer = Sealer(known.id)
                try:
                    opened = [
                        (a.position, sealer.open(a.sealed, f"answer/{a.position}")) for a in added
                    ]
                    total = count + len(added)
                    kept = (
                        None
                        if tail.after_answers != total
                        else sealer.open(tail.result, f"result/{total}")
                    )
                except SealBroken:
                    raise InterviewNotFound(known.id) from None
        if expired:
            raise self._gone(known.id)
        return replace(
            known,
            updated_at=row.updated_at,
            answers=known.answers + tuple(StoredAnswer(p, str(v[0]), v[1]) for p, v in opened),
            result=None if kept is None else dict(kept),
            step=row.step,
        )

    def _advance(self, s: Connection, interview_id: str, expected_step: int, now: datetime) -> None:
        """The compare-and-set: step ``expected_step`` -> ``expected_step + 1``, or
        ``AnswerConflict`` naming the current step (``InterviewNotFound`` if gone or
        past its retention)."""
        key = lookup_key(interview_id)
        cutoff = self._cutoff(now)
        params = {"k": key, "expected": expected_step, "now": now}
        if cutoff is None:
            moved = s.execute(_ADVANCE, params)
        else:
            moved = s.execute(_ADVANCE_UNEXPIRED, params | {"cutoff": cutoff})
        if moved.rowcount == 1:
            return
        current = s.execute(
            select(InterviewRow.step, InterviewRow.updated_at).where(InterviewRow.id == key)
        ).first()
        if current is None:
            raise InterviewNotFound(interview_id)
        if cutoff is not None and current.updated_at < cutoff:
            raise _Expired(interview_id)
        raise AnswerConflict(
            f"the interview is at step {current.step}, not {expected_step}: another request "
            "changed it first",
            current_step=current.step,
        )

    @staticmethod
    def _remember(
        conn: Connection, interview_key: str, record: IdempotencyRecord | None, now: datetime
    ) -> None:
        if record is None:
            return
        sealer = Sealer(record.key_hash, "idempotency")
        conn.execute(
            _INSERT_IDEMPOTENCY,
            {
                "key_hash": lookup_hex(record.key_hash, "idempotency"),
                "interview_id": interview_key,
                "sealed": sealer.seal(
                    {
                        "request_hash": record.request_hash,
                        "status": record.status,
                        "response": record.response,
                    },
                    "record",
                ),
                "created_at": now,
            },
        )

    @contextmanager
    def _write(self, interview_id: str) -> Iterator[Connection]:
        """One write transaction; a key collision is the idempotency key's (the step
        counter serialises the rest); an interview found expired is deleted."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except IntegrityError:
            raise IdempotencyKeyUsed(
                "this idempotency key was used first by another request"
            ) from None
        except _Expired:
            raise self._gone(interview_id) from None

    def add_answer(
        self,
        interview_id: str,
        question_id: str,
        value: Any,
        *,
        expected_step: int,
        result: dict[str, Any] | None = None,
        idempotency: IdempotencyRecord | None = None,
        position: int | None = None,
        result_kept: bool = True,
    ) -> int:
        """Record the answer after the last one, if the interview is still at
        ``expected_step``; keep the result if it is now complete. Returns the new step.

        ``position``: the new answer's, if the caller read the interview at
        ``expected_step`` (the compare-and-set makes that reading current, so it saves
        looking it up). ``result_kept``: False if that reading held no result (only an
        answer that completes an interview keeps one, and the next write removes it):
        then there is none to delete.

        ``AnswerConflict`` if another write came first, ``InterviewNotFound`` if the
        interview is gone, ``IdempotencyKeyUsed`` if the key was recorded first. On any
        of them nothing is changed.
        """
        now = _now()
        key = lookup_key(interview_id)
        sealer = Sealer(interview_id)
        with self._write(interview_id) as conn:
            self._advance(conn, interview_id, expected_step, now)
            if position is None:
                last = conn.scalar(_LAST_POSITION, {"k": key})
                position = 0 if last is None else last + 1
            conn.execute(
                _INSERT_ANSWER,
                {
                    "interview_id": key,
                    "position": position,
                    "sealed": sealer.seal([question_id, value], f"answer/{position}"),
                    "answered_at": now,
                },
            )
            if result_kept or result is not None:
                conn.execute(_DELETE_RESULT, {"k": key})
            if result is not None:
                count = conn.scalar(_COUNT_ANSWERS, {"k": key})
                conn.execute(
                    _INSERT_RESULT, self._result_row(sealer, key, int(count or 0), result, now)
                )
            self._remember(conn, key, idempotency, now)
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
        key = lookup_key(interview_id)
        try:
            with self._write(interview_id) as conn:
                self._advance(conn, interview_id, expected_step, now)
                last = conn.scalar(_LAST_POSITION, {"k": key})
                if last is None:
                    raise _Nothing  # rolls the step back
                conn.execute(_DELETE_RESULT, {"k": key})
                conn.execute(
                    delete(_ANSWERS).where(
                        _ANSWERS.c.interview_id == key, _ANSWERS.c.position == last
                    )
                )
                self._remember(conn, key, idempotency, now)
        except _Nothing:
            return False
        return True

    def idempotent_response(self, key_hash: str) -> IdempotencyRecord | None:
        """The record kept for this key hash, if any (none once its interview expired)."""
        with self._session() as s:
            row = s.get(IdempotencyRow, lookup_hex(key_hash, "idempotency"))
            if row is None:
                return None
            parent = s.get(InterviewRow, row.interview_id)
            if parent is None or self._expired(parent.updated_at):
                return None  # its interview goes at the next read or purge
            try:
                got = Sealer(key_hash, "idempotency").open(row.sealed, "record")
            except SealBroken:
                return None
            return IdempotencyRecord(
                key_hash, str(got["request_hash"]), int(got["status"]), dict(got["response"])
            )

    def save_result(self, interview_id: str, after_answers: int, result: dict[str, Any]) -> None:
        """Keep the result computed after ``after_answers`` answers (ignored if stale)."""
        key = lookup_key(interview_id)
        try:
            with self.engine.begin() as conn:
                conn.execute(_DELETE_RESULT, {"k": key})
                conn.execute(
                    _INSERT_RESULT,
                    self._result_row(Sealer(interview_id), key, after_answers, result, _now()),
                )
        except IntegrityError:
            pass  # deleted meanwhile, or another writer saved it first: either is fine

    @staticmethod
    def _result_row(
        sealer: Sealer, key: str, after_answers: int, result: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        return {
            "interview_id": key,
            "after_answers": after_answers,
            "sealed": sealer.seal(result, f"result/{after_answers}"),
            "computed_at": now,
        }

    def delete(self, interview_id: str) -> bool:
        """Delete the interview with its answers, result and idempotency records;
        False if there was none."""
        key = lookup_key(interview_id)
        with self._session() as s:
            # Children first: correct even where the database ignores ON DELETE CASCADE.
            for table in (IdempotencyRow, ResultRow, AnswerRow):
                s.execute(delete(table).where(table.interview_id == key))
            gone = bool(s.execute(delete(InterviewRow).where(InterviewRow.id == key)).rowcount)  # type: ignore[attr-defined]
        if gone:
            self._scrub()
        return gone

    def purge_older_than(self, days: float, now: datetime | None = None) -> int:
        """Delete every interview unchanged for ``days`` days; the number deleted."""
        cutoff = (now or _now()) - timedelta(days=days)
        old = select(InterviewRow.id).where(InterviewRow.updated_at < cutoff)
        with self._session() as s:
            for table in (IdempotencyRow, ResultRow, AnswerRow):
                s.execute(delete(table).where(table.interview_id.in_(old)))
            gone = s.execute(delete(InterviewRow).where(InterviewRow.updated_at < cutoff))
            removed = int(gone.rowcount)  # type: ignore[attr-defined]
        if removed:
            self._scrub()
        return removed

    def _scrub(self, vacuum: bool = False) -> None:
        """SQLite: fold the WAL into the main file and truncate it, so the deleted rows'
        frames are gone too (``secure_delete`` has zeroed them in the pages); after a
        migration also VACUUM. Best effort: a checkpoint waits for no reader."""
        if self.backend != "sqlite":
            return
        with self.engine.connect() as conn:
            if vacuum:
                conn.exec_driver_sql("VACUUM")
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def answer_counts(self, interview_ids: list[str]) -> dict[str, int]:
        """How many answers each interview holds (for checks and benchmarks)."""
        out = dict.fromkeys(interview_ids, 0)
        keys = {lookup_key(i): i for i in interview_ids}
        with self._session() as s:
            listed = list(keys)
            for chunk in (listed[i : i + 500] for i in range(0, len(listed), 500)):
                rows = s.execute(
                    select(AnswerRow.interview_id, func.count())
                    .where(AnswerRow.interview_id.in_(chunk))
                    .group_by(AnswerRow.interview_id)
                ).all()
                out.update({keys[r[0]]: int(r[1]) for r in rows})
        return out

    def count_interviews(self) -> int:
        with self._session() as s:
            return int(s.scalar(select(func.count()).select_from(InterviewRow)) or 0)

    # --- shared rate-limit buckets ---------------------------------------------------

    def take_tokens(
        self, spent: dict[str, tuple[float, float, float]], now: float
    ) -> dict[str, float]:
        """Spend from shared token buckets in one transaction: ``key -> (spent, rate
        per second, capacity)``; each bucket refills to now, pays, and may go down to
        minus its capacity (an overdraft is paid back by waiting). Returns the tokens
        left in each. A bucket is forgotten once it would be full again."""
        if not spent:
            return {}
        least, greatest = ("min", "max") if self.backend == "sqlite" else ("least", "greatest")
        sql = text(
            "INSERT INTO rate_limits (key, tokens, updated, expires) "
            f"VALUES (:k, {greatest}(-:cap, :cap - :spent), :now, :exp) "
            "ON CONFLICT (key) DO UPDATE SET "
            f"tokens = {greatest}(-:cap, {least}(:cap, rate_limits.tokens + "
            f"{greatest}(0.0, :now - rate_limits.updated) * :rate) - :spent), "
            "updated = :now, expires = :exp RETURNING tokens"
        )
        out: dict[str, float] = {}
        with self.engine.begin() as conn:
            for key, (cost, rate, cap) in sorted(spent.items()):  # one lock order for all
                params = {
                    "k": key,
                    "spent": float(cost),
                    "cap": float(cap),
                    "rate": float(rate),
                    "now": now,
                    "exp": now + 2 * cap / rate,
                }
                out[key] = float(conn.execute(sql, params).scalar_one())
        return out

    def forget_rate_limits(self, now: float) -> int:
        """Delete the buckets that are full again (nothing is kept past its window)."""
        with self.engine.begin() as conn:
            gone = conn.execute(delete(RateLimitRow).where(RateLimitRow.expires < now))
            return int(gone.rowcount)


class _Expired(Exception):
    """Raised inside a write transaction: the interview is past its retention."""
