"""Free-text parser speed: latency p50/p99 per narrative and narratives per second.

python benchmarks/parser.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from legpain.text import parse
from legpain.text._evaluate import load_narratives

NARRATIVES = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = [n.text for n in load_narratives([NARRATIVES])]
    started = time.perf_counter()
    parse("warm-up: builds and caches the pipeline")
    first = time.perf_counter() - started
    latencies: list[float] = []
    total_start = time.perf_counter()
    for _ in range(args.rounds):
        for text in texts:
            t0 = time.perf_counter()
            parse(text)
            latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - total_start
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
    table = Table(title=f"legpain.parse on {len(texts)} narratives × {args.rounds} rounds")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row("first call (build pipeline)", f"{first * 1000:.0f} ms")
    table.add_row("latency p50", f"{statistics.median(latencies) * 1000:.2f} ms")
    table.add_row("latency p99", f"{p99 * 1000:.2f} ms")
    table.add_row("narratives / s", f"{len(latencies) / total:.0f}")
    Console().print(table)


if __name__ == "__main__":
    main()
