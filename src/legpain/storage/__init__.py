"""Saved assessments: SQLite by default, PostgreSQL through ``LEGPAIN_DATABASE_URL``.

Tables are created and upgraded by the Alembic migrations shipped in this package.
"""

from legpain.storage._store import (
    DATABASE_URL_ENV,
    SQLITE_PATH_ENV,
    AnswerConflict,
    DatabaseUnavailable,
    IdempotencyKeyUsed,
    IdempotencyRecord,
    InterviewNotFound,
    Store,
    StoredAnswer,
    StoredInterview,
    database_url,
    default_sqlite_path,
    describe_url,
    new_id,
)

__all__ = [
    "DATABASE_URL_ENV",
    "SQLITE_PATH_ENV",
    "AnswerConflict",
    "DatabaseUnavailable",
    "IdempotencyKeyUsed",
    "IdempotencyRecord",
    "InterviewNotFound",
    "Store",
    "StoredAnswer",
    "StoredInterview",
    "database_url",
    "default_sqlite_path",
    "describe_url",
    "new_id",
]
