"""``legpain serve`` starts a working app and prints its address."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

MARKER = "zq-private-answer-5521"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_prints_the_url_and_serves(tmp_path: Path) -> None:
    port = _free_port()
    db = tmp_path / "data" / "legpain.sqlite3"
    env = {k: v for k, v in os.environ.items() if k != "LEGPAIN_DATABASE_URL"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "legpain",
            "serve",
            "--port",
            str(port),
            "--sqlite-path",
            str(db),
            "--access-log",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"http://127.0.0.1:{port}/" in first
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(f"http://127.0.0.1:{port}/", timeout=2)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "legpain serve did not answer"
                assert proc.poll() is None, proc.stdout.read()
                time.sleep(0.1)
        assert r.status_code == 200
        assert "Start" in r.text
        created = httpx.post(f"http://127.0.0.1:{port}/api/v1/interviews", json={})
        assert created.status_code == 201
        assert db.exists()  # the SQLite file was made where asked
        # Answers, good or bad, never reach the log.
        answers = f"http://127.0.0.1:{port}/api/v1/interviews/{created.json()['id']}/answers"
        assert httpx.post(answers, json={"question_id": "age", "value": 47.123}).status_code == 200
        bad = httpx.post(answers, json={"question_id": "sex", "value": MARKER})
        assert bad.status_code == 422
    finally:
        proc.terminate()
        output, _ = proc.communicate(timeout=15)
    assert "POST /api/v1/interviews" in output  # the access log was on
    assert MARKER not in output
    assert "47.123" not in output
