"""Engine speed and memory: assess latency (p50, p99), batch throughput, peak memory.

Run: python benchmarks/engine.py [--cases N]. Prints a table; asserts nothing
(speed is measured here, never in timed tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
import tracemalloc
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

from legpain.cases import load_cases
from legpain.engine import Engine
from legpain.knowledge import load_knowledge

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "night-foot-pain.yaml"


def random_answers(rng: random.Random, n: int) -> dict[str, Any]:
    kb = load_knowledge()
    out: dict[str, Any] = {}
    for fid in rng.sample(sorted(kb.findings), n):
        f = kb.findings[fid]
        if f.type == "boolean":
            out[fid] = rng.random() < 0.3
        elif f.type == "choice":
            out[fid] = rng.choice(f.choices or [])
        else:
            out[fid] = rng.randint(int(f.minimum or 0), int(f.maximum or 100))
    return out


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=5000, help="random cases in the batch")
    parser.add_argument("--repeats", type=int, default=2000, help="timed runs of the one case")
    args = parser.parse_args()

    t0 = time.perf_counter()
    engine = Engine()
    load_s = time.perf_counter() - t0
    one = load_cases(EXAMPLE)[0].answers
    for _ in range(50):  # warm caches
        engine.assess(one)

    times = []
    for _ in range(args.repeats):
        t = time.perf_counter_ns()
        engine.assess(one)
        times.append((time.perf_counter_ns() - t) / 1e6)

    rng = random.Random(20261122)
    batch = [random_answers(rng, rng.randint(5, 40)) for _ in range(args.cases)]
    t = time.perf_counter()
    for answers in track(batch, description="Batch", transient=True):
        engine.assess(answers)
    batch_s = time.perf_counter() - t

    # Memory in a separate pass: tracing slows every allocation, so it is kept
    # out of the timings above.
    tracemalloc.start()
    traced_engine = Engine(load_knowledge())
    for answers in batch[:500]:
        traced_engine.assess(answers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    table = Table(title="legpain engine benchmark (in-process)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("knowledge base load + compile", f"{load_s * 1000:.1f} ms")
    table.add_row("assess one case: p50", f"{statistics.median(times):.3f} ms")
    table.add_row("assess one case: p99", f"{percentile(times, 0.99):.3f} ms")
    table.add_row(f"batch of {args.cases} random cases", f"{batch_s:.2f} s")
    table.add_row("throughput", f"{args.cases / batch_s:,.0f} cases/s")
    table.add_row("peak memory: engine + 500 assessments", f"{peak / 2**20:.1f} MiB")
    Console().print(table)


if __name__ == "__main__":
    main()
