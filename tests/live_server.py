"""A real legpain server for tests: uvicorn on a free loopback port, in a thread,
on a real database (a SQLite file, or the PostgreSQL server CI starts)."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import create_engine, text

from legpain.storage import database_url
from legpain.web import Settings, create_app

POSTGRES_ENV = "LEGPAIN_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", "postgresql"]


def postgres_url() -> str:
    """The test server's URL; in CI its absence is a failure, never a skip."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{POSTGRES_ENV} must be set in CI (.ci/run starts PostgreSQL)")
        pytest.skip(f"set {POSTGRES_ENV} to run the PostgreSQL tests")
    return database_url(url)


def fresh_database_url(backend: str, tmp_path: Path) -> str:
    """An empty database of this kind (the PostgreSQL test database is emptied)."""
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'legpain.sqlite3'}"
    url = postgres_url()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "DROP TABLE IF EXISTS idempotency_keys, results, answers, interviews, "
                "rate_limits, alembic_version"
            )
        )
    engine.dispose()
    return url


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """Run the app on a free port; yields its base URL."""
    app = create_app(settings)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
