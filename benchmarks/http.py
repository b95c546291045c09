"""HTTP load on loopback: concurrent clients completing whole interviews.

Starts ``legpain serve`` in a subprocess for each database, runs N clients that
each start an interview and answer every question until the result, again and
again, for a fixed time; then checks that every answer a client saw accepted is
in the database. Prints requests/s, latency per answer (p50, p99), errors and
lost answers.

The clients stand for people: each pauses before an answer (exponentially,
1 s on average by default, far quicker than anyone reads a question), so the
load is 50 people answering at once. ``--think 0`` instead fires answers back to
back, which measures saturation: latency is then just queueing (clients divided
by throughput), whatever the per-request cost.

Run: python benchmarks/http.py [--duration 30] [--clients 50] [--think 1]
     [--backends sqlite,postgresql] [--postgres-url URL]
PostgreSQL's URL defaults to $LEGPAIN_BENCH_POSTGRES_URL, else
$LEGPAIN_TEST_POSTGRES_URL; that database's legpain tables are emptied first.
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file is named http.py: drop its folder from the path so that the standard
# library's http package (which httpx needs) is not shadowed by it.
if sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
    sys.path.pop(0)

import argparse
import asyncio
import os
import random
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text

from legpain.knowledge import load_knowledge
from legpain.storage import Store, database_url


@dataclass
class Tally:
    answer_latencies: list[float] = field(default_factory=list)
    requests: int = 0
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    completed: int = 0
    answered: dict[str, int] = field(default_factory=dict)  # interview id -> answers accepted

    def error(self, kind: str) -> None:
        self.errors += 1
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _answer(rng: random.Random, q: dict[str, Any], ranges: dict[str, tuple[float, float]]) -> Any:
    """A plausible random answer; mostly "no" to warning signs, like most people."""
    if rng.random() < 0.08:
        return "unknown"
    if q["type"] == "group":
        return [i["id"] for i in q["items"] if rng.random() < 0.05]
    if q["type"] == "boolean":
        return rng.random() < 0.4
    if q["type"] == "choice":
        return rng.choice(q["choices"])
    low, high = ranges.get(q["id"], (0.0, 100.0))
    return round(rng.uniform(low, min(high, 95.0)))


async def _client(
    n: int,
    base: str,
    deadline: float,
    think: float,
    tally: Tally,
    ranges: dict[str, tuple[float, float]],
) -> None:
    rng = random.Random(n)
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        while time.monotonic() < deadline:
            try:
                tally.requests += 1
                r = await http.post("/api/v1/interviews", json={})
                if r.status_code != 201:
                    tally.error(f"create {r.status_code}")
                    continue
                state = r.json()
                iid = state["id"]
                tally.answered[iid] = 0
                while not state["complete"] and time.monotonic() < deadline:
                    if think:
                        await asyncio.sleep(rng.expovariate(1 / think))
                    q = state["next_question"]
                    body = {"question_id": q["id"], "value": _answer(rng, q, ranges)}
                    started = time.perf_counter()
                    tally.requests += 1
                    r = await http.post(f"/api/v1/interviews/{iid}/answers", json=body)
                    tally.answer_latencies.append(time.perf_counter() - started)
                    if r.status_code != 200:
                        tally.error(f"answer {r.status_code}")
                        break
                    tally.answered[iid] += 1
                    state = r.json()
                if state["complete"]:
                    tally.requests += 1
                    r = await http.get(f"/api/v1/interviews/{iid}/result")
                    if r.status_code != 200:
                        tally.error(f"result {r.status_code}")
                    else:
                        tally.completed += 1
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)


def _reset_postgres(url: str) -> None:
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS results, answers, interviews, alembic_version"))
    engine.dispose()


def _start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "legpain",
            "serve",
            "--port",
            str(port),
            "--database-url",
            url,
            "--workers",
            str(workers),
            "--rate-limit",
            "0",
        ],
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/vocabulary", timeout=2).status_code == 200:
                return proc, base
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("legpain serve exited")
        time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("legpain serve did not start")


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))]


def run(
    backend: str, url: str, workers: int, clients: int, duration: float, think: float
) -> dict[str, Any]:
    kb = load_knowledge()
    ranges = {
        f.id: (f.minimum or 0.0, f.maximum or 100.0)
        for f in kb.findings.values()
        if f.type == "number"
    }
    proc, base = _start_server(url, workers)
    tally = Tally()
    try:
        started = time.monotonic()
        deadline = started + duration

        async def all_clients() -> None:
            await asyncio.gather(
                *(_client(n, base, deadline, think, tally, ranges) for n in range(clients))
            )

        asyncio.run(all_clients())
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    store = Store(url, migrate=False)
    stored = store.answer_counts(list(tally.answered))
    store.close()
    lost = sum(max(0, n - stored.get(i, 0)) for i, n in tally.answered.items())
    extra = sum(max(0, stored.get(i, 0) - n) for i, n in tally.answered.items())
    lat = tally.answer_latencies
    return {
        "backend": backend,
        "workers": workers,
        "clients": clients,
        "seconds": elapsed,
        "requests/s": tally.requests / elapsed,
        "interviews completed": tally.completed,
        "answers": len(lat),
        "answer p50 ms": 1000 * _percentile(lat, 0.50),
        "answer p99 ms": 1000 * _percentile(lat, 0.99),
        "answer max ms": 1000 * max(lat, default=float("nan")),
        "errors": tally.errors,
        "error kinds": tally.error_kinds,
        "answers checked": sum(tally.answered.values()),
        "lost answers": lost,
        "unexpected extra answers": extra,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load per database")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause before each answer, s (0: none)"
    )
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--sqlite-workers", type=int, default=1)
    parser.add_argument("--postgres-workers", type=int, default=2)
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("LEGPAIN_BENCH_POSTGRES_URL")
        or os.environ.get("LEGPAIN_TEST_POSTGRES_URL"),
    )
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
                workers = args.sqlite_workers
            elif backend == "postgresql":
                if not args.postgres_url:
                    print("skipping PostgreSQL: give --postgres-url", file=sys.stderr)
                    continue
                url = database_url(args.postgres_url)
                _reset_postgres(url)
                workers = args.postgres_workers
            else:
                parser.error(f"unknown backend {backend!r}")
            rows.append(run(backend, url, workers, args.clients, args.duration, args.think))

    table = Table(
        title=f"HTTP load: {args.clients} clients, {args.duration:g} s each, think {args.think:g} s"
    )
    keys = [k for k in rows[0] if k != "error kinds"] if rows else []
    table.add_column("metric")
    for r in rows:
        table.add_column(f"{r['backend']} ×{r['workers']}", justify="right")
    for k in keys[1:]:
        table.add_row(k, *(f"{r[k]:.1f}" if isinstance(r[k], float) else str(r[k]) for r in rows))
    Console().print(table)
    for r in rows:
        if r["error kinds"]:
            print(f"{r['backend']} errors: {r['error kinds']}")


if __name__ == "__main__":
    main()
