"""HTTP hardening: security headers and relative redirects, a request size limit,
fair limits shared by every worker, the parser's concurrency cap and time budget,
ids kept out of the access log, and CSRF tokens for the forms. Plain ASGI
middleware: cheap on every request."""

from __future__ import annotations

import asyncio
import base64
import contextvars
import ctypes
import hashlib
import hmac
import json
import logging
import re
import secrets
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from legpain.web._problems import PROBLEM_JSON
from legpain.web._settings import Limits

log = logging.getLogger("legpain.web")

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
    # The one error says in words what was wrong (no field to name).
    return json.dumps(
        {
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail,
            "errors": [{"field": None, "detail": detail}],
        }
    ).encode()


_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8">'
    '<meta name="viewport" content="width=device-width, initial-scale=1">'
    '<link rel="stylesheet" href="/static/app.css"><title>{title} - legpain</title></head>'
    '<body><main><h1>{title}</h1><p role="alert">{detail}</p>'
    '<p><a href="/">Back to the start</a></p></main></body></html>'
)


async def _send_problem(
    send: Send,
    status: int,
    title: str,
    detail: str,
    extra: tuple[tuple[bytes, bytes], ...] = (),
    page: bool = False,
) -> None:
    """A problem document, or for a page route the same words as a small HTML page."""
    if page:
        body = _PAGE.format(title=title, detail=detail).encode()
        kind = b"text/html; charset=utf-8"
    else:
        body = _problem_body(status, title, detail)
        kind = PROBLEM_JSON.encode()
    headers = [(b"content-type", kind), (b"content-length", str(len(body)).encode()), *extra]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _relative(location: bytes) -> bytes:
    """A redirect never names a host: the Host header is the client's to forge."""
    try:
        parts = urlsplit(location.decode("latin-1"))
    except ValueError:
        return b"/"
    if not parts.scheme and not parts.netloc:
        return location
    path = parts.path or "/"
    if not path.startswith("/") or path.startswith("//"):
        path = "/" + path.lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


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
                headers = [
                    (k, _relative(v) if k == b"location" else v)
                    for k, v in message.get("headers", [])
                ]
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
                    await _send_problem(send, 413, "Request too large", self._detail)
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
        return (
            f"the request body is too large: at most {self.limit} bytes are accepted "
            f"({self.limit // 1024} KiB)"
        )


class _TooLarge(Exception):
    pass


# --- fair limits --------------------------------------------------------------------

_ID = r"[A-Za-z0-9_-]{10,32}"
_INTERVIEW_PATH = re.compile(rf"^/(?:i|api/v1/interviews)/({_ID})(?:/|$)")
PARSE_PATHS = ("/describe", "/api/v1/parse")
START_PATHS = ("/start", "/api/v1/interviews")
TARPIT_SECONDS = 0.25  # the longest a 429 is held back
PARSE_UNITS_PER_SECOND = 5.0  # a parse costs 1 unit, plus this per second it ran
# Seconds of parsing the current request used (set by FairLimits, added to by the
# budgeted parser in its thread: the list is shared with the thread's copied context).
PARSE_SECONDS: contextvars.ContextVar[list[float] | None] = contextvars.ContextVar(
    "legpain_parse_seconds", default=None
)


@dataclass(frozen=True)
class Charge:
    """``cost`` from the bucket ``kind`` of ``subject`` (an address or an interview)."""

    kind: str
    subject: str
    cost: float


def charges(method: str, path: str, client: str, limits: Limits, api_rate: float) -> list[Charge]:
    """What a request costs, and from which buckets (see docs/web.md, "Fair limits").

    Requests within an interview are charged to that interview (and lightly to the
    address), so many people behind one address each have their own allowance.
    """
    out = [Charge("address", client, 1.0)]
    if path.startswith(("/static/", "/docs/assets/")):
        return [Charge("address", client, 0.2)]
    m = _INTERVIEW_PATH.match(path)
    if m:
        cost = 10.0 if path.endswith(".pdf") else 2.0 if method != "GET" else 1.0
        return [*out, Charge("interview", m.group(1), cost)]
    api = path.startswith("/api/")
    if api_rate > 0:
        out.append(Charge("api" if api else "pages", client, 1.0))
    if method == "POST" and path in START_PATHS:
        out.append(Charge("starts", client, 1.0))
    elif method == "POST" and path in PARSE_PATHS:
        out.append(Charge("parse", client, 1.0))
    return out


def bucket_shape(kind: str, limits: Limits, api_per_minute: float) -> tuple[float, float]:
    """(tokens per second, capacity) of a kind of bucket."""
    per_minute = {
        "address": limits.address_per_minute,
        "interview": limits.interview_per_minute,
        "pages": limits.pages_per_minute,
        "api": api_per_minute,
        "parse": limits.parse_per_minute,
        "starts": limits.starts_per_hour / 60,
    }[kind]
    # Minutes of tokens a full bucket holds: an interview's, a whole visit in a rush
    # (30 questions, each shown, answered and submitted twice); starts, a clinic's hour.
    window = {"starts": 20.0, "interview": 1.0}.get(kind, 0.5)
    return per_minute / 60.0, max(per_minute * window, 1.0)


class _Bucket:
    __slots__ = ("cap", "pending", "rate", "seen", "stamp", "tokens")

    def __init__(self, rate: float, cap: float, now: float) -> None:
        self.rate, self.cap = rate, cap
        self.tokens, self.stamp = cap, now
        self.pending = 0.0  # spent here since the last sync
        self.seen = now

    def refill(self, now: float) -> float:
        if now > self.stamp:
            self.tokens = min(self.cap, self.tokens + (now - self.stamp) * self.rate)
            self.stamp = now
        return self.tokens


class SharedBuckets:
    """Token buckets shared by every worker through the database, with batched writes.

    A request is decided here, in memory (a few microseconds): each worker keeps its
    view of the buckets it has seen and what it spent since the last sync. Every
    ``interval`` seconds a background thread adds what was spent to the shared rows
    in one transaction (an atomic refill-and-spend upsert) and takes back the tokens
    left, which include every other worker's spending. So N workers together can
    overdraw a bucket by at most what they spend in one interval, and an overdraft
    is paid back (a bucket goes down to minus its capacity) before anyone is let in
    again. If the database cannot be reached the limits keep working per worker.

    Keys are keyed hashes (HMAC-SHA256 with a secret kept only in memory) of what
    is limited: no client address or interview id is stored, and a row is deleted
    once its bucket would be full again.
    """

    def __init__(self, store: Any, salt: bytes, interval: float = 0.2) -> None:
        self.store = store
        self.salt = salt
        self.interval = interval
        self._buckets: dict[str, _Bucket] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._synced_at = 0.0
        self._forgot_at = 0.0

    def key(self, kind: str, subject: str) -> str:
        mac = hmac.new(self.salt, f"{kind}\x00{subject}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(mac[:24]).decode()

    def spend(self, wanted: Iterable[tuple[str, float, float, float]], now: float) -> float:
        """Spend ``(key, cost, rate, capacity)`` from every bucket, or from none: 0.0 if
        allowed, else the seconds until it would be."""
        self._start()
        wait = 0.0
        with self._lock:
            chosen = []
            for key, cost, rate, cap in wanted:
                b = self._buckets.get(key)
                if b is None:
                    b = self._buckets[key] = _Bucket(rate, cap, now)
                b.seen = now
                if b.refill(now) < cost:
                    wait = max(wait, (cost - b.tokens) / rate)
                chosen.append((b, cost))
            if wait == 0.0:
                for b, cost in chosen:
                    b.tokens -= cost
                    b.pending += cost
        return wait

    def charge(self, key: str, cost: float, rate: float, cap: float, now: float) -> None:
        """Spend after the fact (what a parse turned out to cost), allowed or not."""
        with self._lock:
            b = self._buckets.get(key)
            if b is None:
                b = self._buckets[key] = _Bucket(rate, cap, now)
            b.refill(now)
            b.tokens = max(-b.cap, b.tokens - cost)
            b.pending += cost
            b.seen = now

    def sync(self) -> None:
        """Send what this worker spent, take back what is left (all workers')."""
        now = time.time()
        with self._lock:
            batch = {
                k: (b.pending, b.rate, b.cap)
                for k, b in self._buckets.items()
                if b.pending > 0 or b.seen >= self._synced_at
            }
            for k in batch:
                self._buckets[k].pending = 0.0
            self._synced_at = now
        try:
            left = self.store.take_tokens(batch, now)
            if now - self._forgot_at > 30:
                self._forgot_at = now
                self.store.forget_rate_limits(now)
        except Exception as exc:  # keep limiting per worker; try again next time
            log.warning("rate limits: could not sync (%s)", type(exc).__name__)
            with self._lock:
                for k, (spent, _, _) in batch.items():
                    if k in self._buckets:
                        self._buckets[k].pending += spent
            return
        with self._lock:
            for k, tokens in left.items():
                b = self._buckets.get(k)
                if b is not None:
                    b.tokens = min(b.cap, tokens - b.pending)
                    b.stamp = now
            # Forget buckets full again and unseen for a window (as the shared rows are).
            for k in [
                k
                for k, b in self._buckets.items()
                if b.pending == 0 and now - b.seen > 2 * b.cap / b.rate
            ]:
                del self._buckets[k]

    def _start(self) -> None:
        if self._thread is None:
            with self._lock:
                if self._thread is None:
                    self._thread = threading.Thread(
                        target=self._run, name="legpain-limits", daemon=True
                    )
                    self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sync()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
            self.sync()  # hand over what was spent last


class FairLimits:
    """Every route limited, by cost, in buckets shared by every worker; the parser
    run at most ``parse_slots`` at a time per worker, the others waiting a while.

    The client is ``scope["client"]``: the peer, or the address a trusted proxy
    forwarded (uvicorn honours proxy headers only from ``--forwarded-allow-ips``).
    """

    def __init__(
        self,
        app: ASGIApp,
        buckets: SharedBuckets | None,
        limits: Limits,
        api_per_minute: float,
    ) -> None:
        self.app = app
        self.buckets = buckets
        self.limits = limits
        self.api_rate = api_per_minute
        self._parsing: asyncio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        page = not path.startswith("/api/")
        parse = scope["method"] == "POST" and path in PARSE_PATHS
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if self.buckets is not None:
            now = time.time()
            wanted = []
            for c in charges(scope["method"], path, address, self.limits, self.api_rate):
                rate, cap = bucket_shape(c.kind, self.limits, self.api_rate)
                wanted.append((self.buckets.key(c.kind, c.subject), c.cost, rate, cap))
            wait = self.buckets.spend(wanted, now)
            if wait > 0:
                retry = str(max(1, round(wait + 0.5)))
                # The refusal is not hurried: a client sending as fast as it can gets
                # about four answers a second per connection, which costs the server
                # nothing while it waits (answering at once drew 700 requests a second).
                await asyncio.sleep(min(wait, TARPIT_SECONDS))
                await _send_problem(
                    send,
                    429,
                    "Too many requests",
                    f"too many requests came from this address or for this assessment; "
                    f"try again in {retry} s",
                    ((b"retry-after", retry.encode()),),
                    page=page,
                )
                return
        if not parse:
            await self.app(scope, receive, send)
            return
        if self._parsing is None:
            self._parsing = asyncio.Semaphore(max(1, self.limits.parse_slots))
        try:
            await asyncio.wait_for(self._parsing.acquire(), self.limits.parse_wait_seconds)
        except TimeoutError:
            await _send_problem(
                send,
                503,
                "Busy",
                "the server is reading other descriptions just now; try again in a few seconds",
                ((b"retry-after", b"2"),),
                page=page,
            )
            return
        used: list[float] = []
        token = PARSE_SECONDS.set(used)
        try:
            await self.app(scope, receive, send)
        finally:
            PARSE_SECONDS.reset(token)
            self._parsing.release()
            took = sum(used)
            if self.buckets is not None and took > 0:
                rate, cap = bucket_shape("parse", self.limits, self.api_rate)
                key = self.buckets.key("parse", address)
                self.buckets.charge(key, took * PARSE_UNITS_PER_SECOND, rate, cap, time.time())


# --- the parser's time budget ---------------------------------------------------------


class ParseTooLong(Exception):
    """Reading a text went over its time budget and was stopped."""


class _Watch:
    """Stops one call in its thread once ``budget`` seconds have gone: an exception
    is raised in that thread (between two Python steps). Only while the call is
    running: ``done`` withdraws a stop that came too late."""

    def __init__(self, thread_id: int) -> None:
        self.thread_id = thread_id
        self.running = True
        self.fired = False
        self.lock = threading.Lock()

    def expire(self) -> None:
        with self.lock:
            if self.running:
                self.fired = True
                _async_raise(self.thread_id, ParseTooLong)

    def done(self) -> None:
        with self.lock:
            self.running = False
            if self.fired:
                _async_raise(self.thread_id, None)  # withdraw it if not yet delivered


def _async_raise(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


F = TypeVar("F", bound=Callable[..., Any])


def within_budget(fn: F, budget: float) -> F:
    """``fn(text)``, stopped with ``ParseTooLong`` after ``budget`` seconds (0: never).

    A parse runs in a request thread; a pathological text (the worst 4000 characters
    take 6 s) must not hold it, nor the GIL the other requests need, for longer.
    """
    if budget <= 0:
        return fn
    warm = threading.Event()

    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not warm.is_set():  # the first call loads the language models: no budget
            result = fn(*args, **kwargs)
            warm.set()
            return result
        began = time.monotonic()
        try:
            return _watched(*args, **kwargs)
        finally:
            used = PARSE_SECONDS.get()
            if used is not None:
                used.append(time.monotonic() - began)

    def _watched(*args: Any, **kwargs: Any) -> Any:
        watch = _Watch(threading.get_ident())
        timer = threading.Timer(budget, watch.expire)
        timer.daemon = True
        timer.start()
        try:
            try:
                result = fn(*args, **kwargs)
            finally:
                timer.cancel()
                watch.done()
        except ParseTooLong:
            watch.done()
            raise ParseTooLong(f"reading the text took longer than {budget:g} s") from None
        return result

    guarded.__wrapped__ = fn  # type: ignore[attr-defined]
    return guarded  # type: ignore[return-value]


# --- the access log -----------------------------------------------------------------

_IDS_IN_PATH = re.compile(rf"(/i/|/api/v1/interviews/)({_ID})(?=/|$|\?)")


def log_tag(interview_id: str) -> str:
    """What the log shows for an id: enough to follow one visit, never to reach it."""
    return "~" + hashlib.sha256(b"legpain/log\x00" + interview_id.encode()).hexdigest()[:10]


def redact_path(path: str) -> str:
    """The path with every interview id replaced by its tag, and no query string
    (``/resume?code=`` carries a link)."""
    path, _, query = path.partition("?")
    path = _IDS_IN_PATH.sub(lambda m: m.group(1) + log_tag(m.group(2)), path)
    return path + ("?…" if query else "")


class RedactIds(logging.Filter):
    """For uvicorn's access log: the path (its third argument) redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], redact_path(args[2]), *args[3:])
        return True


def install_log_redaction() -> None:
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactIds) for f in access.filters):
        access.addFilter(RedactIds())


def new_salt() -> bytes:
    return secrets.token_bytes(32)


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
