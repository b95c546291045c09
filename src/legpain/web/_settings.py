"""Settings for the web app, from arguments or the environment (shared by every worker)."""

from __future__ import annotations

import os
from dataclasses import dataclass

# The same names as legpain.storage uses (not imported: the CLI starts faster without it).
DATABASE_URL_ENV = "LEGPAIN_DATABASE_URL"
SQLITE_PATH_ENV = "LEGPAIN_SQLITE_PATH"
RETENTION_DAYS_ENV = "LEGPAIN_RETENTION_DAYS"
RATE_LIMIT_ENV = "LEGPAIN_RATE_LIMIT"
DEFAULT_RETENTION_DAYS = 30.0
# API requests per minute per client address; a person in an interview makes a few.
DEFAULT_RATE_LIMIT = 120
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str
    retention_days: float = DEFAULT_RETENTION_DAYS  # 0 keeps assessments forever
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT  # 0 switches the limit off
    max_body_bytes: int = MAX_BODY_BYTES

    @classmethod
    def from_env(cls) -> Settings:
        from legpain.storage import database_url

        return cls(
            database_url=database_url(),
            retention_days=float(os.environ.get(RETENTION_DAYS_ENV, DEFAULT_RETENTION_DAYS)),
            rate_limit_per_minute=int(os.environ.get(RATE_LIMIT_ENV, DEFAULT_RATE_LIMIT)),
        )
