"""Free-text parser speed: latency per narrative, and the cost of the longest input.

python -P benchmarks/parser.py [--rounds N]

Prints two tables. The first: p50/p99 latency and throughput on the annotated narratives.
The second: inputs at the web form's 4,000-character limit (the issue's ``"calf " * 800``,
dense sentences that all hold a warning sign, unique nonsense words that defeat the spelling
cache, a narrative repeated), with a REFERENCE measured in the same run (a fixed pure-Python
loop), so a figure from a busy machine can be read against the machine's speed. Timings are
measured here, never asserted in a timed test.
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from legpain.text import parse
from legpain.text._evaluate import load_narratives
from legpain.text._parse import _reader

NARRATIVES = Path(__file__).resolve().parents[1] / "tests" / "data" / "narratives"
LIMIT = 4000  # the web form's limit (web/_pages.py MAX_TEXT)


def _reference() -> float:
    """A fixed amount of pure-Python work (seconds): the machine's speed right now."""
    t0 = time.perf_counter()
    total = 0
    for i in range(1_000_000):
        total += i % 7
    return time.perf_counter() - t0


def _long_inputs(texts: list[str]) -> dict[str, str]:
    rng = random.Random(11)
    words = " ".join(
        "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(5, 9)))
        for _ in range(600)
    )
    return {
        '"calf " * 800': ("calf " * 800)[:LIMIT],
        "dense warning signs": ("my left calf is swollen, no chest pain. " * 100)[:LIMIT],
        "symptoms, no warning word": ("my calf hurts and aches at night, I walk. " * 100)[:LIMIT],
        "unique nonsense words": words[:LIMIT],
        "narratives joined": " ".join(texts)[:LIMIT],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    texts = [n.text for n in load_narratives([NARRATIVES])]
    started = time.perf_counter()
    parse("warm-up: builds and caches the pipeline")
    first = time.perf_counter() - started
    reference = statistics.median(_reference() for _ in range(3))

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
    table.add_row("reference (1e6-step Python loop)", f"{reference * 1000:.0f} ms")
    table.add_row("first call (build pipeline)", f"{first * 1000:.0f} ms")
    table.add_row("latency p50", f"{statistics.median(latencies) * 1000:.2f} ms")
    table.add_row("latency p99", f"{p99 * 1000:.2f} ms")
    table.add_row("narratives / s", f"{len(latencies) / total:.0f}")
    Console().print(table)

    long = Table(title=f"Inputs at the {LIMIT}-character limit (time budget cuts the rest)")
    for col in ("input", "chars", "median ms", "max ms", "× reference (this row)", "cut short"):
        long.add_column(col, justify="left" if col == "input" else "right")
    for name, text in _long_inputs(texts).items():
        reference = _reference()  # the machine is shared: measured again beside each row
        times: list[float] = []
        truncated = False
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            result = parse(text)
            times.append(time.perf_counter() - t0)
            truncated = truncated or result.truncated
        median = statistics.median(times)
        long.add_row(
            name,
            str(len(text)),
            f"{median * 1000:.1f}",
            f"{max(times) * 1000:.1f}",
            f"{median / reference:.2f}",
            "yes" if truncated else "no",
        )
    Console().print(long)

    # Linear in the length: the whole text read (no time budget), ms per 1,000 characters.
    reader = _reader("en")
    joined = " ".join(texts) * 4
    lin = Table(title="Whole text read (no time budget): cost grows linearly")
    for col in ("chars", "median ms", "ms per 1,000 chars", "× reference"):
        lin.add_column(col, justify="right")
    for size in (1000, 2000, 4000, 8000, 16000):
        reference = _reference()
        text = joined[:size]
        times = []
        for _ in range(args.rounds):
            t0 = time.perf_counter()
            reader.read(text, budget=float("inf"))
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        lin.add_row(
            str(size),
            f"{median * 1000:.1f}",
            f"{median * 1000 / (size / 1000):.1f}",
            f"{median / reference:.2f}",
        )
    Console().print(lin)


if __name__ == "__main__":
    main()
