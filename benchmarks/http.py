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

Beside them, in the same run and with the same clients, a bare FastAPI endpoint
(one POST that reads a small JSON body and returns one, on uvicorn with the same
event loop and HTTP parser): the reference for latency and for the server's CPU
per request. The server's CPU (user + system, the worker processes included) is
read from /proc before and after the load and divided by the answers.

Run: python -P benchmarks/http.py [--duration 30] [--clients 50] [--think 1]
     [--backends sqlite,postgresql,bare] [--postgres-url URL]
``--think 0 --backends sqlite,bare`` is issue 12's target: answer p99 at most 3x
the bare endpoint's, and at most 3 ms of server CPU per answer.
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
from rich.progress import Progress
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


BARE_APP = """
import sys
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

class Body(BaseModel):
    question_id: str
    value: object = None

app = FastAPI()

@app.post("/answer")
def answer(body: Body) -> dict:
    return {"id": "bare", "question_id": body.question_id, "complete": False, "step": 1}

@app.get("/")
def root() -> dict:
    return {"ok": True}

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning",
            server_header=False)
"""


def _tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its live descendants (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    tree, frontier = {pid}, [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in parents.items() if pp == p and c not in tree]
        tree.update(kids)
        frontier += kids
    return sum(used.get(p, 0.0) for p in tree)


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
    http: httpx.AsyncClient,
    deadline: float,
    think: float,
    tally: Tally,
    ranges: dict[str, tuple[float, float]],
) -> None:
    rng = random.Random(n)
    if True:
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


async def _bare_client(
    n: int, http: httpx.AsyncClient, deadline: float, think: float, tally: Tally
) -> None:
    rng = random.Random(n)
    if True:
        while time.monotonic() < deadline:
            if think:
                await asyncio.sleep(rng.expovariate(1 / think))
            started = time.perf_counter()
            tally.requests += 1
            try:
                r = await http.post("/answer", json={"question_id": "calf_pain", "value": True})
            except httpx.HTTPError as exc:
                tally.error(type(exc).__name__)
                continue
            tally.answer_latencies.append(time.perf_counter() - started)
            if r.status_code != 200:
                tally.error(f"answer {r.status_code}")


def _reset_postgres(url: str) -> None:
    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        # Every table the migrations made, whatever their number (rate limits, keys...).
        names = conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        ).scalars()
        for name in list(names):
            conn.execute(text(f'DROP TABLE IF EXISTS "{name}" CASCADE'))
    engine.dispose()


def _start_server(url: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    if url == "bare":
        proc = subprocess.Popen(
            [sys.executable, "-c", BARE_APP, str(port)], stdout=subprocess.DEVNULL
        )
        return proc, _wait_ready(proc, f"http://127.0.0.1:{port}", "/")
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
    return proc, _wait_ready(proc, f"http://127.0.0.1:{port}", "/api/v1/vocabulary")


def _wait_ready(proc: subprocess.Popen[bytes], base: str, path: str) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}{path}", timeout=2).status_code == 200:
                return base
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
    started = deadline = cpu_before = 0.0
    try:
        with Progress(transient=True) as progress:
            task = progress.add_task(f"{backend}: load", total=duration)

            async def ticker() -> None:
                while time.monotonic() < deadline:
                    progress.update(task, completed=time.monotonic() - started)
                    await asyncio.sleep(0.5)

            async def all_clients() -> None:
                nonlocal started, deadline, cpu_before
                # One pool of connections, one per client, made before the clock starts.
                limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
                async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as http:
                    cpu_before = _tree_cpu(proc.pid)
                    started = time.monotonic()
                    deadline = started + duration
                    clients_run = (
                        _bare_client(n, http, deadline, think, tally)
                        if url == "bare"
                        else _client(n, http, deadline, think, tally, ranges)
                        for n in range(clients)
                    )
                    await asyncio.gather(ticker(), *clients_run)

            asyncio.run(all_clients())
        elapsed = time.monotonic() - started
        cpu = _tree_cpu(proc.pid) - cpu_before
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lat = tally.answer_latencies
    row: dict[str, Any] = {
        "backend": backend,
        "workers": workers,
        "clients": clients,
        "seconds": elapsed,
        "requests/s": tally.requests / elapsed,
        "answers": len(lat),
        "answer p50 ms": 1000 * _percentile(lat, 0.50),
        "answer p99 ms": 1000 * _percentile(lat, 0.99),
        "answer max ms": 1000 * max(lat, default=float("nan")),
        "server CPU per answer ms": 1000 * cpu / max(1, len(lat)),
        "server CPU per request ms": 1000 * cpu / max(1, tally.requests),
        "errors": tally.errors,
        "error kinds": tally.error_kinds,
    }
    if url == "bare":
        return row
    store = Store(url, migrate=False)
    stored = store.answer_counts(list(tally.answered))
    store.close()
    lost = sum(max(0, n - stored.get(i, 0)) for i, n in tally.answered.items())
    extra = sum(max(0, stored.get(i, 0) - n) for i, n in tally.answered.items())
    return row | {
        "interviews completed": tally.completed,
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
    parser.add_argument(
        "--backends",
        default="sqlite,postgresql,bare",
        help="bare: the FastAPI reference; NAME:N runs NAME with N workers (postgresql:1)",
    )
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
        for spec in args.backends.split(","):
            # "postgresql:1": a backend with its own worker count
            backend, _, count = spec.partition(":")
            if backend == "sqlite":
                url = f"sqlite:///{Path(tmp) / f'bench-{len(rows)}.sqlite3'}"
                workers = args.sqlite_workers
            elif backend == "bare":
                url, workers = "bare", 1
            elif backend == "postgresql":
                if not args.postgres_url:
                    print("skipping PostgreSQL: give --postgres-url", file=sys.stderr)
                    continue
                url = database_url(args.postgres_url)
                _reset_postgres(url)
                workers = args.postgres_workers
            else:
                parser.error(f"unknown backend {backend!r}")
            if count:
                workers = int(count)
            rows.append(run(backend, url, workers, args.clients, args.duration, args.think))

    table = Table(
        title=f"HTTP load: {args.clients} clients, {args.duration:g} s each, think {args.think:g} s"
    )
    keys = list(dict.fromkeys(k for r in rows for k in r if k != "error kinds"))
    table.add_column("metric")
    for r in rows:
        table.add_column(f"{r['backend']} ×{r['workers']}", justify="right")

    def cell(r: dict[str, Any], k: str) -> str:
        v = r.get(k, "")
        return f"{v:.2f}" if isinstance(v, float) else str(v)

    for k in keys[1:]:
        table.add_row(k, *(cell(r, k) for r in rows))
    bare = next((r for r in rows if r["backend"] == "bare"), None)
    if bare is not None:
        for k in ("answer p50 ms", "answer p99 ms", "server CPU per answer ms"):
            table.add_row(
                f"{k} ÷ bare",
                *(f"{r[k] / bare[k]:.2f}×" if bare[k] else "" for r in rows),
                style="bold",
            )
    Console().print(table)
    for r in rows:
        if r["error kinds"]:
            print(f"{r['backend']} errors: {r['error kinds']}")


if __name__ == "__main__":
    main()
