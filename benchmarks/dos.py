"""Denial-of-service isolation: a person's latency with and without an attacker.

Starts ``legpain serve`` (SQLite in a temporary folder, 1 worker, behind a trusted
"proxy" so the attacker and the victim have different addresses through
X-Forwarded-For), then for each scenario runs the victim, one person in an interview
reading their question page every 0.1 s, for ``--seconds``, beside:

- no attack (the reference, measured in the same run);
- 8 connections posting ``"calf " * 800`` to ``/describe`` as fast as they can;
- 4 connections posting the same to ``/api/v1/parse``;
- both at once.

Prints the victim's p50 and p99 and what the attacker got (accepted, refused with
429 or 503, stopped by the parser's time budget). ``--limits-off`` also runs every
scenario against a server with the limits and the budget switched off (the parser's
one-at-a-time cap stays), for comparison. Issue 12 measured, before: /describe x 8
took the victim's p50 from 10 ms to 11 s, /api/v1/parse x 4 to 2.4 s.

    python benchmarks/dos.py [--seconds 15] [--limits-off]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

# benchmarks/http.py beside this file would shadow the standard library's http.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).parent.resolve()]

import httpx  # noqa: E402

TEXT = "calf " * 800
VICTIM = {"X-Forwarded-For": "198.51.100.7"}
ATTACKER = {"X-Forwarded-For": "203.0.113.66"}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(folder: Path, limits: bool) -> tuple[str, subprocess.Popen[bytes]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "LEGPAIN_DATABASE_URL"}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[1] / "src")
    args = ["--forwarded-allow-ips", "127.0.0.1"]
    if not limits:
        args += ["--rate-limit", "0"]
        env["LEGPAIN_PARSE_BUDGET"] = "0"
    proc = subprocess.Popen(
        [
            *(sys.executable, "-m", "legpain", "serve", "--port", str(port)),
            *("--sqlite-path", str(folder / "dos.sqlite3"), *args),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(f"{base}/static/app.css", timeout=2)
            break
        except httpx.TransportError:
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit("legpain serve did not start") from None
            time.sleep(0.2)
    # Warm the parser (its first call loads the language models).
    httpx.post(f"{base}/api/v1/parse", json={"text": "my calf hurts"}, headers=VICTIM, timeout=60)
    return base, proc


def victim(base: str, seconds: float, out: list[float]) -> None:
    with httpx.Client(base_url=base, headers=VICTIM, timeout=60) as c:
        iid = c.post("/api/v1/interviews").json()["id"]
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            began = time.perf_counter()
            r = c.get(f"/i/{iid}")
            took = time.perf_counter() - began
            if r.status_code == 200:
                out.append(took)
            else:
                out.append(float("inf"))  # refused: counts as worse than any latency
            time.sleep(max(0.0, 0.1 - took))


def attacker(base: str, route: str, stop: threading.Event, tally: Counter[str]) -> None:
    with httpx.Client(base_url=base, headers=ATTACKER, timeout=60) as c:
        if route == "/describe":
            token = CSRF.search(c.get("/").text)
            data = {"csrf_token": token.group(1) if token else "", "text": TEXT}
        while not stop.is_set():
            try:
                if route == "/describe":
                    r = c.post("/describe", data=data)
                else:
                    r = c.post("/api/v1/parse", json={"text": TEXT})
            except httpx.HTTPError:
                tally["transport error"] += 1
                continue
            tally[str(r.status_code)] += 1


SCENARIOS = {
    "no attack (reference)": [],
    "/describe x 8": ["/describe"] * 8,
    "/api/v1/parse x 4": ["/api/v1/parse"] * 4,
    "both (12 connections)": ["/describe"] * 8 + ["/api/v1/parse"] * 4,
}


def attack(base: str, routes: list[str], seconds: float, results: Any) -> None:
    """The attacker, in a process of its own (so it does not hold the victim's GIL)."""
    stop = threading.Event()
    tally: Counter[str] = Counter()
    threads = [
        threading.Thread(target=attacker, args=(base, r, stop, tally), daemon=True) for r in routes
    ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    results.put(dict(tally))


def run(base: str, seconds: float) -> list[tuple[str, float, float, Counter[str]]]:
    rows = []
    for name, routes in SCENARIOS.items():
        results: Any = multiprocessing.Queue()
        proc = multiprocessing.Process(target=attack, args=(base, routes, seconds + 1, results))
        proc.start()
        time.sleep(1.0)  # let the attack reach its stride
        lat: list[float] = []
        victim(base, seconds, lat)
        tally: Counter[str] = Counter(results.get(timeout=120))
        proc.join(timeout=30)
        lat.sort()
        p50 = statistics.median(lat)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        rows.append((name, p50, p99, tally))
        time.sleep(2)  # the parser's queue drains before the next scenario
    return rows


def _ms(x: float) -> str:
    return "refused" if x == float("inf") else f"{x * 1000:.1f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seconds", type=float, default=15.0)
    ap.add_argument("--limits-off", action="store_true")
    args = ap.parse_args()
    configs = [("limits on (default)", True)] + ([("limits off", False)] if args.limits_off else [])
    with tempfile.TemporaryDirectory() as tmp:
        for label, limits in configs:
            folder = Path(tmp) / label.split()[1]
            folder.mkdir()
            base, proc = start_server(folder, limits)
            try:
                rows = run(base, args.seconds)
            finally:
                proc.terminate()
                proc.wait(timeout=20)
            ref = rows[0][1]
            print(f"\n{label}: victim GET /i/{{id}} every 0.1 s for {args.seconds:g} s")
            print("| scenario | victim p50 | victim p99 | p50 / reference | attacker got |")
            print("|---|---|---|---|---|")
            for name, p50, p99, tally in rows:
                got = ", ".join(f"{k}: {v}" for k, v in sorted(tally.items())) or "-"
                print(f"| {name} | {_ms(p50)} | {_ms(p99)} | {p50 / ref:.1f}x | {got} |")


if __name__ == "__main__":
    main()
