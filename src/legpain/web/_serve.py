"""``legpain serve``: the web app on uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from legpain.web._settings import (
    DATABASE_URL_ENV,
    DEFAULT_RATE_LIMIT,
    DEFAULT_RETENTION_DAYS,
    LIMIT_SALT_ENV,
    RATE_LIMIT_ENV,
    RETENTION_DAYS_ENV,
    SQLITE_PATH_ENV,
    WORKERS_ENV,
)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    database_url_option: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help=f"SQLAlchemy URL, e.g. postgresql://user:pass@host/db (env {DATABASE_URL_ENV}). "
            "Default: a SQLite file.",
        ),
    ] = None,
    sqlite_path: Annotated[
        str | None,
        typer.Option(
            help=f"The SQLite file when no database URL is set (env {SQLITE_PATH_ENV}; "
            "default ~/.local/share/legpain/legpain.sqlite3)."
        ),
    ] = None,
    retention_days: Annotated[
        float,
        typer.Option(help="Delete assessments unchanged for this many days (0: keep)."),
    ] = DEFAULT_RETENTION_DAYS,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    rate_limit: Annotated[
        int,
        typer.Option(
            min=0,
            help="API requests per minute per client address (0: every limit off; pages, "
            "interviews and the parser have limits of their own, see docs/web.md).",
        ),
    ] = DEFAULT_RATE_LIMIT,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            help="Addresses of reverse proxies whose X-Forwarded-For and X-Forwarded-Proto "
            "are believed (comma-separated IPs or networks, '*' for any). Default: none, so "
            "a client cannot forge its address.",
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option(help="Log each request line (paths carry assessment ids).")
    ] = False,
) -> None:
    """Run the web app and the HTTP API (open the printed address in a browser)."""
    import secrets

    import uvicorn

    from legpain.engine._threads import limit_blas_threads

    # One BLAS thread, here and in every worker (they inherit the environment):
    # with more, OpenBLAS threads spin between the interview's small products.
    limit_blas_threads()

    from legpain.cli._console import EXIT_BAD_INPUT, fail
    from legpain.storage import DatabaseUnavailable, Store, database_url, describe_url

    if sqlite_path:
        os.environ[SQLITE_PATH_ENV] = sqlite_path
    url = database_url(database_url_option)
    # Workers read their settings from the environment, so all of them agree.
    os.environ[DATABASE_URL_ENV] = url
    os.environ[RETENTION_DAYS_ENV] = str(retention_days)
    os.environ[RATE_LIMIT_ENV] = str(rate_limit)
    # One secret for this run, shared by the workers (so they share the buckets), kept
    # in memory only: the limiter's hashed addresses mean nothing after a restart.
    os.environ[LIMIT_SALT_ENV] = secrets.token_urlsafe(32)
    os.environ[WORKERS_ENV] = str(workers)
    trusted = (forwarded_allow_ips or "").strip()
    try:
        Store(url).close()  # migrate once, before any worker starts
    except DatabaseUnavailable as exc:
        fail(f"{exc}.")
        raise typer.Exit(EXIT_BAD_INPUT) from None
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"legpain is running at http://{shown}:{port}/  (stop with Ctrl+C)")
    typer.echo(f"Database: {describe_url(url)}")
    if workers > 1:
        from legpain import _startup

        # This process only supervises the workers: start-up is over here. With one
        # worker, it ends once the app is made (create_app_from_env).
        _startup.done()
    uvicorn.run(
        "legpain.web:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info" if access_log else "warning",
        server_header=False,
        # uvicorn would otherwise believe X-Forwarded-For from 127.0.0.1, so anyone on
        # the machine (or a proxy passing the header on) could pick their address.
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted or None,
    )
