"""Cold start: `legpain --help`, `legpain assess FILE` and `legpain serve` to its first 200.

Each is run a few times in a fresh process beside a reference in the same run,
``python -c pass`` (the interpreter's own start), and the table gives the median
wall time, the median CPU time (user + system, less sensitive to a busy machine)
and both as a ratio to the reference. Issue 12's targets: --help at most 0.3 s,
assess at most 0.5 s, server to first 200 at most 1 s. Two floors are timed too: a
bare Typer app's --help, and a bare FastAPI endpoint on uvicorn to its first 200. The
server is timed on a new database (the migrations run) and on a restart (a database
made by an untimed start).

Run: python -P benchmarks/startup.py [--runs 5]. Prints a table; asserts nothing.
First the legpain package that the commands import (the one on PYTHONPATH, else the
installed one) is byte-compiled, as pip does on install: with PYTHONDONTWRITEBYTECODE
set, modules without a .pyc would otherwise be compiled again at every start, which
is not what a user's start costs (--no-compile times that case).
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from rich.console import Console
from rich.progress import track
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "night-foot-pain.yaml"
LEGPAIN = [sys.executable, "-m", "legpain"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``cmd`` to its exit."""
    cpu0, t0 = _children_cpu(), time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t0, _children_cpu() - cpu0


def _proc_cpu(pid: int) -> float:
    """CPU seconds used so far by a live process (Linux; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# The floors: what the libraries legpain's commands are built on cost by themselves.
BARE_TYPER = """
import typer
app = typer.Typer(help="A bare Typer app.", no_args_is_help=True, add_completion=False)
for name in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"):
    app.command(name)(lambda: None)
app()
"""
BARE_FASTAPI = """
import sys
import uvicorn
from fastapi import FastAPI
app = FastAPI()
app.get("/api/v1/vocabulary")(lambda: {})
uvicorn.run(app, port=int(sys.argv[1]), log_level="warning")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def first_200(cmd: list[str], port: int) -> tuple[float, float]:
    """Wall and CPU seconds from starting a server to its first 200."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                url = f"http://127.0.0.1:{port}/api/v1/vocabulary"
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        return time.perf_counter() - t0, _proc_cpu(proc.pid)
            except OSError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{cmd[:4]} exited")
            if time.perf_counter() - t0 > 120:
                raise RuntimeError(f"{cmd[:4]} did not answer within 120 s")
            time.sleep(0.02)
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def server_first_200(tmp: Path, existing: bool = False) -> tuple[float, float]:
    """`legpain serve` to its first 200: on a new database (so the migrations run), or
    on one already migrated (a restart)."""
    port = _free_port()
    db = tmp / ("existing.sqlite3" if existing else f"start-{port}.sqlite3")
    cmd = [*LEGPAIN, "serve", "--port", str(port), "--sqlite-path", str(db), "--rate-limit", "0"]
    return first_200(cmd, port)


def bare_fastapi_first_200() -> tuple[float, float]:
    port = _free_port()
    return first_200([sys.executable, "-c", BARE_FASTAPI, str(port)], port)


TARGETS = {
    "legpain --help": 0.3,
    "legpain assess FILE": 0.5,
    "legpain serve → first 200": 1.0,
    "legpain serve, restart → first 200": 1.0,
}


def compile_legpain() -> Path | None:
    """Byte-compile the legpain package the commands will import; its folder."""
    spec = importlib.util.find_spec("legpain")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    compileall.compile_dir(folder, quiet=1)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs of each, alternating")
    parser.add_argument(
        "--no-compile", action="store_true", help="do not byte-compile legpain first"
    )
    args = parser.parse_args()
    compiled = None if args.no_compile else compile_legpain()

    names = [
        "python -c pass (reference)",
        "bare Typer app --help (floor)",
        "bare FastAPI app → first 200 (floor)",
        *TARGETS,
    ]
    wall: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    with tempfile.TemporaryDirectory() as tmp:
        server_first_200(Path(tmp), existing=True)  # makes the database restarts reopen
        # Alternate the commands, so that a busy spell on the machine falls on all of them.
        for _ in track(range(args.runs), description="Cold starts", transient=True):
            for name, run in (
                (names[0], lambda: timed([sys.executable, "-c", "pass"])),
                (names[1], lambda: timed([sys.executable, "-c", BARE_TYPER, "--help"])),
                (names[2], bare_fastapi_first_200),
                (names[3], lambda: timed([*LEGPAIN, "--help"])),
                (names[4], lambda: timed([*LEGPAIN, "assess", str(EXAMPLE)])),
                (names[5], lambda: server_first_200(Path(tmp))),
                (names[6], lambda: server_first_200(Path(tmp), existing=True)),
            ):
                w, c = run()
                wall[name].append(w)
                cpu[name].append(c)

    ref_w = statistics.median(wall[names[0]])
    ref_c = statistics.median(cpu[names[0]])
    table = Table(title=f"legpain cold start, median of {args.runs} runs")
    for col in ("command", "wall", "÷ reference", "CPU", "÷ reference", "target"):
        table.add_column(col, justify="left" if col == "command" else "right")
    for name in names:
        w, c = statistics.median(wall[name]), statistics.median(cpu[name])
        target = TARGETS.get(name)
        table.add_row(
            name,
            f"{w:.3f} s",
            f"{w / ref_w:.1f}×",
            f"{c:.3f} s",
            f"{c / ref_c:.1f}×" if ref_c else "",
            "" if target is None else f"≤ {target:g} s ({'met' if w <= target else 'missed'})",
        )
    Console().print(table)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    if compiled is not None:
        print(f"legpain byte-compiled first: {compiled}")
    elif sys.dont_write_bytecode:
        print(
            "PYTHONDONTWRITEBYTECODE is set: modules without a .pyc are compiled at every "
            "start (an installed package has them)."
        )


if __name__ == "__main__":
    main()
