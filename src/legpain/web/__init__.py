"""The web app and HTTP API: ``create_app(Settings(...))`` or ``legpain serve``.

Names load on first use, so the ``legpain`` command starts without the web stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from legpain.web._app import create_app, create_app_from_env
    from legpain.web._settings import Settings

__all__ = ["Settings", "create_app", "create_app_from_env"]


def __getattr__(name: str) -> Any:
    if name in ("create_app", "create_app_from_env"):
        from legpain.web import _app

        return getattr(_app, name)
    if name == "Settings":
        from legpain.web._settings import Settings

        return Settings
    raise AttributeError(f"module 'legpain.web' has no attribute {name!r}")
