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
# The number the emergency banner and the emergency page's call link dial. The
# knowledge base speaks of the NHS (A&E, NHS 111), so the default is the UK's 999;
# pages then also name 112 (Europe, and most mobile phones) and 911 (North America).
# Set LEGPAIN_EMERGENCY_NUMBER where the service runs elsewhere (e.g. 112, 911, 000).
EMERGENCY_NUMBER_ENV = "LEGPAIN_EMERGENCY_NUMBER"
DEFAULT_EMERGENCY_NUMBER = "999"


@dataclass(frozen=True)
class Settings:
    database_url: str
    retention_days: float = DEFAULT_RETENTION_DAYS  # 0 keeps assessments forever
    rate_limit_per_minute: int = DEFAULT_RATE_LIMIT  # 0 switches the limit off
    max_body_bytes: int = MAX_BODY_BYTES
    emergency_number: str = DEFAULT_EMERGENCY_NUMBER

    @classmethod
    def from_env(cls) -> Settings:
        from legpain.storage import database_url

        return cls(
            database_url=database_url(),
            retention_days=float(os.environ.get(RETENTION_DAYS_ENV, DEFAULT_RETENTION_DAYS)),
            rate_limit_per_minute=int(os.environ.get(RATE_LIMIT_ENV, DEFAULT_RATE_LIMIT)),
            emergency_number=emergency_number_from_env(),
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
