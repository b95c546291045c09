"""Settings for the web app, from arguments or the environment (shared by every worker)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

# The same names as legpain.storage uses (not imported: the CLI starts faster without it).
DATABASE_URL_ENV = "LEGPAIN_DATABASE_URL"
SQLITE_PATH_ENV = "LEGPAIN_SQLITE_PATH"
RETENTION_DAYS_ENV = "LEGPAIN_RETENTION_DAYS"
RATE_LIMIT_ENV = "LEGPAIN_RATE_LIMIT"
# The secret the limiter hashes client addresses with: `legpain serve` makes a new one
# at every start and hands it to its workers; it is never written to disk.
LIMIT_SALT_ENV = "LEGPAIN_LIMIT_SALT"
# How many workers `legpain serve` started: "1" tells the worker it is the interviews' only
# writer (unset, as under a bare uvicorn: it may not be).
WORKERS_ENV = "LEGPAIN_WORKERS"
PARSE_BUDGET_ENV = "LEGPAIN_PARSE_BUDGET"
DEFAULT_RETENTION_DAYS = 30.0
# API requests per minute per client address; a person in an interview makes a few.
DEFAULT_RATE_LIMIT = 120
MAX_BODY_BYTES = 64 * 1024
# The number the emergency banner and the emergency page's call link dial. The
# knowledge base speaks of the NHS (A&E, NHS 111), so the default is the UK's 999;
# pages then also name 112 (Europe, and most mobile phones) and 911 (North America).
# Set LEGPAIN_EMERGENCY_NUMBER where the service runs elsewhere (e.g. 112, 911, 000).
EMERGENCY_NUMBER_ENV = "LEGPAIN_EMERGENCY_NUMBER"
DEFAULT_EMERGENCY_NUMBER = "999"

DEFAULT_PARSE_BUDGET = 1.0  # seconds: a description takes 15 ms; the worst 4000 characters 6 s


@dataclass(frozen=True)
class Limits:
    """Token buckets shared by every worker. A bucket holds half a minute's worth
    (an interview's a minute's, starts twenty minutes') and refills steadily; a
    request spends its cost from every bucket it belongs to, or from none and gets 429."""

    pages_per_minute: float = 600  # per address: pages outside an interview
    interview_per_minute: float = 240  # per interview: its pages and API (a whole visit fits)
    address_per_minute: float = 1200  # per address, every request: the backstop
    starts_per_hour: float = 60  # per address: interviews created
    parse_per_minute: float = 20  # per address: parser units (1 a parse + 5 a second of it)
    parse_slots: int = 1  # per worker: parses at once; the others wait
    parse_wait_seconds: float = 2.0  # ... this long, then 503


@dataclass(frozen=True)
class Settings:
    database_url: str
    retention_days: float = DEFAULT_RETENTION_DAYS  # 0 keeps assessments forever
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT  # 0 switches every limit off
    max_body_bytes: int = MAX_BODY_BYTES
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER
    limits: Limits = field(default_factory=Limits)
    parse_budget_seconds: float = DEFAULT_PARSE_BUDGET
    limit_salt: str | None = None  # None: a random one for this process
    # This process's workers are the only ones writing the interviews (one worker): an
    # answer sent without a step may then be written on the worker's copy unread.
    only_writer: bool = False

    @classmethod
    def from_env(cls) -> Settings:
        from legpain.storage import database_url

        return cls(
            database_url=database_url(),
            retention_days=float(os.environ.get(RETENTION_DAYS_ENV, DEFAULT_RETENTION_DAYS)),
            rate_limit_per_minute=int(os.environ.get(RATE_LIMIT_ENV, DEFAULT_RATE_LIMIT)),
            emergency_number=emergency_number_from_env(),
            parse_budget_seconds=float(os.environ.get(PARSE_BUDGET_ENV, DEFAULT_PARSE_BUDGET)),
            limit_salt=os.environ.get(LIMIT_SALT_ENV) or None,
            only_writer=os.environ.get(WORKERS_ENV) == "1",
        )


def emergency_number_from_env() -> str:
    """The configured number: digits (and + * #) only, so it is safe in a tel: link."""
    raw = os.environ.get(EMERGENCY_NUMBER_ENV, "").strip()
    number = "".join(ch for ch in raw if ch.isdigit() or ch in "+*#")
    return number or DEFAULT_EMERGENCY_NUMBER


@dataclass(frozen=True)
class EmergencyNumber:
    """What the pages say about calling for help."""

    number: str

    @property
    def href(self) -> str:
        return f"tel:{self.number}"

    @property
    def others(self) -> str | None:
        """With the default number, the other common ones (a visitor may be abroad)."""
        if self.number != DEFAULT_EMERGENCY_NUMBER:
            return None
        return "112 in Europe and on most mobile phones, 911 in North America"

    @property
    def others_short(self) -> str | None:
        return None if self.number != DEFAULT_EMERGENCY_NUMBER else "112 or 911"


def emergency_number(request: object) -> EmergencyNumber:
    """For templates: the app's configured number (the default outside an app)."""
    app = getattr(request, "app", None)
    settings = getattr(getattr(app, "state", None), "settings", None)
    return EmergencyNumber(getattr(settings, "emergency_number", DEFAULT_EMERGENCY_NUMBER))
