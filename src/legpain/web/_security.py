"""HTTP hardening: security headers, a request size limit, a per-client API rate
limit and CSRF tokens for the forms. Plain ASGI middleware: cheap on every request."""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import OrderedDict
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from legpain.web._problems import PROBLEM_JSON

# No inline script or style anywhere: templates link /static files only.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# Swagger UI sets style attributes from script; only /docs gets this allowance.
DOCS_CSP = PAGE_CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

CSRF_COOKIE = "legpain_csrf"
CSRF_FIELD = "csrf_token"


def _problem_body(status: int, title: str, detail: str) -> bytes:
    return json.dumps(
        {"type": "about:blank", "title": title, "status": status, "detail": detail, "errors": []}
    ).encode()


async def _send_problem(
    send: Send, status: int, title: str, detail: str, extra: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = _problem_body(status, title, detail)
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = DOCS_CSP if path == "/docs" or path.startswith("/docs/") else PAGE_CSP
        static = path.startswith(("/static/", "/docs/assets/"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"content-security-policy", csp.encode()),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"DENY"),
                    (b"cross-origin-opener-policy", b"same-origin"),
                    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
                ]
                if not static:  # answers and results are health data: keep them out of caches
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


class BodySizeLimit:
    """413 for a body over ``limit`` bytes, declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.limit + 1
                if declared > self.limit:
                    await _send_problem(
                        send,
                        413,
                        "Request too large",
                        f"the body may be at most {self.limit} bytes",
                    )
                    return
        received = 0
        too_large = False
        replaced = False

        async def counting_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    too_large = True
                    raise _TooLarge
            return message

        async def replacing_send(message: Message) -> None:
            # The app turns the read error into its own 400; answer 413 instead.
            nonlocal replaced
            if too_large:
                if message["type"] == "http.response.start" and not replaced:
                    replaced = True
                    await _send_problem(send, 413, "Request too large", self._detail)
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, replacing_send)
        except _TooLarge:
            if not replaced:
                await _send_problem(send, 413, "Request too large", self._detail)

    @property
    def _detail(self) -> str:
        return f"the body may be at most {self.limit} bytes"


class _TooLarge(Exception):
    pass


class RateLimit:
    """A token bucket per client address for /api/ requests.

    The buckets live in each worker: with N workers a client gets up to N times the
    limit, which still stops a runaway client; nothing about an assessment is kept here.
    """

    MAX_CLIENTS = 10_000

    def __init__(self, app: ASGIApp, per_minute: int) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.burst = float(max(per_minute // 2, 1))
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _allow(self, client: str) -> float:
        """0 if allowed, else the seconds to wait."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._buckets.pop(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            wait = 0.0 if tokens >= 1 else (1 - tokens) / self.rate
            self._buckets[client] = (tokens - 1 if wait == 0 else tokens, now)
            while len(self._buckets) > self.MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or not scope["path"].startswith("/api/"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        wait = self._allow(client[0] if client else "unknown")
        if wait > 0:
            retry = str(max(1, round(wait + 0.5)))
            await _send_problem(
                send,
                429,
                "Too many requests",
                f"this client sent too many requests; try again in {retry} s",
                ((b"retry-after", retry.encode()),),
            )
            return
        await self.app(scope, receive, send)


def csrf_token(request: Request) -> tuple[str, bool]:
    """The form token for this browser and whether it is new (then set the cookie)."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if 30 <= len(existing) <= 64 and existing.replace("-", "").replace("_", "").isalnum():
        return existing, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Any, token: str, secure: bool) -> None:
    response.set_cookie(
        CSRF_COOKIE, token, httponly=True, samesite="strict", secure=secure, path="/"
    )


def csrf_ok(request: Request, submitted: str | None) -> bool:
    """Double-submit check: the form's token equals the cookie's, and a cross-site
    Origin or Sec-Fetch-Site is refused outright."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        return False
    origin = request.headers.get("origin")
    if origin and origin != "null":
        expected = f"{request.url.scheme}://{request.headers.get('host', '')}"
        if origin != expected:
            return False
    cookie = request.cookies.get(CSRF_COOKIE)
    return bool(cookie and submitted and secrets.compare_digest(cookie, submitted))
