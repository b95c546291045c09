"""The FastAPI application: API, pages, docs, hardening and storage wiring."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

import legpain
from legpain.engine import CaseError, default_engine
from legpain.storage import AnswerConflict, InterviewNotFound, Store
from legpain.web import _api, _library, _pages
from legpain.web._problems import (
    PROBLEM_JSON,
    FieldProblem,
    Problem,
    case_error_fields,
    problem_response,
    validation_fields,
)
from legpain.web._security import (
    BodySizeLimit,
    FairLimits,
    ParseTooLong,
    SecurityHeaders,
    SharedBuckets,
    install_log_redaction,
    new_salt,
    redact_path,
    within_budget,
)
from legpain.web._sessions import NothingToUndo, TooManyAnswers
from legpain.web._settings import Settings

log = logging.getLogger("legpain.web")
PURGE_EVERY_SECONDS = 3600.0
WORKER_THREADS = int(os.environ.get("LEGPAIN_WORKER_THREADS", "4"))
WEB_DIR = Path(str(resources.files("legpain.web")))


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _purge(app: FastAPI) -> None:
    settings: Settings = app.state.settings
    if settings.retention_days > 0:
        removed = app.state.store.purge_older_than(settings.retention_days)
        if removed:
            log.info(
                "retention: deleted %d assessments older than %g days",
                removed,
                settings.retention_days,
            )
    app.state.purged_at = time.monotonic()


def maybe_purge(app: FastAPI) -> None:
    """Apply the retention setting at most once an hour per worker (deleting is idempotent)."""
    if time.monotonic() - app.state.purged_at >= PURGE_EVERY_SECONDS:
        _purge(app)


def create_app(settings: Settings) -> FastAPI:
    store = Store(settings.database_url, retention_days=settings.retention_days)
    default_engine()  # compile the knowledge base before the first request
    install_log_redaction()  # the access log, if on, shows ids only hashed
    salt = settings.limit_salt.encode() if settings.limit_salt else new_salt()
    buckets = SharedBuckets(store, salt) if settings.rate_limit_per_minute > 0 else None
    _budget_the_parser(settings.parse_budget_seconds)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Requests are CPU-bound under one GIL: a few threads at a time, the rest
        # queued in order, keeps the slowest answers close to the typical ones.
        to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
        _purge(app)
        yield
        if buckets is not None:
            buckets.close()
        store.close()

    app = FastAPI(
        title="legpain",
        version=legpain.__version__,
        summary="Why do my legs hurt when I lie down? Possible causes, how soon to get help, "
        "and safe advice. Not a diagnosis.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry traces, metrics and logs stay off whatever the
        # environment configures: a failed request's logged body would hold answers.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.settings = settings
    app.state.store = store
    app.state.purged_at = 0.0
    app.state.maybe_purge = lambda: maybe_purge(app)

    app.include_router(_api.router)
    app.include_router(_pages.router)
    app.include_router(_library.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    _mount_docs(app)
    _add_error_handlers(app)
    _tidy_openapi(app)

    # Outermost first on the way in: headers on every response, then limits, then size.
    app.add_middleware(BodySizeLimit, limit=settings.max_body_bytes)
    app.add_middleware(
        FairLimits,
        buckets=buckets,
        limits=settings.limits,
        api_per_minute=float(settings.rate_limit_per_minute),
    )
    app.add_middleware(SecurityHeaders)
    return app


def _budget_the_parser(budget: float) -> None:
    """The routes that read free text call ``parse`` through the time budget."""
    from legpain.text import parse

    guarded = within_budget(parse, budget)
    _api.parse = guarded  # type: ignore[attr-defined]
    _pages.parse = guarded  # type: ignore[attr-defined]


def _mount_docs(app: FastAPI) -> None:
    """Swagger UI served from the package: no CDN, so /docs works offline."""
    import swagger_ui_bundle  # type: ignore[import-untyped]

    app.mount(
        "/docs/assets",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse((WEB_DIR / "templates" / "docs.html").read_text(encoding="utf-8"))


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CaseError)
    async def case_error(request: Request, exc: CaseError) -> Response:
        if request.url.path.endswith("/answers"):  # one answer: the field is the request's
            fields = [
                FieldProblem(
                    field="question_id" if p.startswith("unknown question") else "value", detail=p
                )
                for p in exc.problems
            ]
        else:
            fields = case_error_fields(exc.problems, "answers")
        return problem_response(422, "Invalid answers", str(exc), fields)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        fields = validation_fields(exc.errors())
        detail = "; ".join(f"{f.field}: {f.detail}" if f.field else f.detail for f in fields)
        if not _is_api(request):
            return await _pages.error_page(request, 400, "That request was not understood.")
        return problem_response(422, "Invalid request", detail, fields)

    @app.exception_handler(ParseTooLong)
    async def parse_too_long(request: Request, exc: ParseTooLong) -> Response:
        words = f"{exc}: it was stopped. Please shorten the text, or describe one thing at a time."
        if not _is_api(request):
            return await _pages.error_page(request, 422, words)
        return problem_response(
            422, "Text too long to read", words, [FieldProblem(field="text", detail=words)]
        )

    @app.exception_handler(InterviewNotFound)
    async def not_found(request: Request, exc: InterviewNotFound) -> Response:
        if not _is_api(request):
            return await _pages.error_page(
                request,
                404,
                "There is no saved assessment at this link. It may have been deleted, or "
                "removed after the retention period.",
            )
        return problem_response(
            404, "No such assessment", "no interview has this id (deleted, expired or never made)"
        )

    @app.exception_handler(AnswerConflict)
    async def conflict(request: Request, exc: AnswerConflict) -> Response:
        return problem_response(409, "Conflict", f"{exc}; fetch the interview and try again")

    @app.exception_handler(NothingToUndo)
    async def nothing_to_undo(request: Request, exc: NothingToUndo) -> Response:
        return problem_response(409, "Conflict", str(exc))

    @app.exception_handler(TooManyAnswers)
    async def too_many(request: Request, exc: TooManyAnswers) -> Response:
        return problem_response(409, "Conflict", str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if not _is_api(request):
            return await _pages.error_page(request, exc.status_code, str(exc.detail))
        headers = {k: v for k, v in (exc.headers or {}).items() if k.lower() != "allow"}
        detail = str(exc.detail)
        if exc.status_code == 405:  # Allow lists every route's methods on this path
            allowed = _allowed_methods(request)
            headers["allow"] = ", ".join(allowed)
            detail = f"this path does not take {request.method}; it takes {', '.join(allowed)}"
        elif exc.status_code == 404:
            detail = "there is nothing at this path; see /docs for the API"
        elif exc.status_code == 400:
            detail = (
                "the request body could not be read: send JSON with Content-Type: "
                f"application/json ({exc.detail})"
            )
        return problem_response(exc.status_code, str(exc.detail), detail, headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        # The type only: a message could quote an answer.
        log.error(
            "unexpected %s on %s %s",
            type(exc).__name__,
            request.method,
            redact_path(request.url.path),
        )
        if not _is_api(request):
            return await _pages.error_page(request, 500, "Something went wrong on our side.")
        return problem_response(500, "Internal error", "something went wrong on the server")


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path (routes are split by method)."""
    routes = request.app.router.routes
    return [
        method
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE")
        if any(r.matches({**request.scope, "method": method})[0] == Match.FULL for r in routes)
    ]


def _tidy_openapi(app: FastAPI) -> None:
    """Errors are problem documents: replace FastAPI's default 422 schema."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        from fastapi.openapi.utils import get_openapi

        schema = get_openapi(
            title=app.title,
            version=app.version,
            summary=app.summary,
            routes=app.routes,
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(
            Problem.model_json_schema(ref_template="#/components/schemas/{model}").pop("$defs", {})
        )
        components["Problem"] = Problem.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components["Problem"].pop("$defs", None)
        for name in ("HTTPValidationError", "ValidationError"):
            components.pop(name, None)
        ref = {"schema": {"$ref": "#/components/schemas/Problem"}}
        for path in schema.get("paths", {}).values():
            for op in path.values():
                for status, response in op.get("responses", {}).items():
                    if status.startswith(("4", "5")):
                        response["content"] = {PROBLEM_JSON: ref}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: every worker reads the same settings."""
    from legpain import _startup

    app = create_app(Settings.from_env())
    # The app, the engine and the modules live as long as the server: the garbage
    # collector leaves them alone from here (see legpain._startup).
    _startup.done()
    return app


__all__ = ["create_app", "create_app_from_env"]
