"""Interview speed: next_question() latency (p50, p99) and whole interviews.

Plays random answer streams (and, if ../shared/vignettes exists, the vignettes)
through ``legpain.Interview``. Run: python benchmarks/interview.py [--interviews N].
Prints a table; asserts nothing (speed is measured here, never in timed tests).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import track
from rich.table import Table

from legpain.cases import load_cases
from legpain.engine import UNKNOWN, Engine
from legpain.interview import Interview, Question
from legpain.simulation import vignette_answer

VIGNETTES = Path(__file__).resolve().parents[2] / "shared" / "vignettes"


def random_reply(rng: random.Random, q: Question, engine: Engine) -> Any:
    if rng.random() < 0.2:
        return UNKNOWN
    if q.items:
        return [i for i in q.items if rng.random() < 0.25]
    f = engine.kb.findings[q.id]
    if f.type == "boolean":
        return rng.random() < 0.4
    if f.type == "choice":
        return rng.choice(f.choices or [])
    return rng.randint(int(f.minimum or 0), int(f.maximum or 100))


def percentile(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def run(
    engine: Engine, reply: Any, latencies: list[float], totals: list[float], lengths: list[int]
) -> None:
    t_start = time.perf_counter()
    iv = Interview(engine=engine)
    while True:
        t = time.perf_counter()
        q = iv.next_question()
        latencies.append((time.perf_counter() - t) * 1000)
        if q is None:
            break
        iv.answer(q.id, reply(q))
    iv.result()
    totals.append((time.perf_counter() - t_start) * 1000)
    lengths.append(iv.questions_asked)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interviews", type=int, default=300, help="random interviews to play")
    args = parser.parse_args()

    engine = Engine()
    rng = random.Random(20261122)
    rows: list[tuple[str, list[float], list[float], list[int]]] = []

    lat: list[float] = []
    tot: list[float] = []
    n_q: list[int] = []
    for _ in track(range(args.interviews), description="Random interviews", transient=True):
        run(engine, lambda q: random_reply(rng, q, engine), lat, tot, n_q)
    rows.append((f"{args.interviews} random answer streams", lat, tot, n_q))

    if VIGNETTES.exists():
        lat, tot, n_q = [], [], []
        for case in track(load_cases(VIGNETTES), description="Vignettes", transient=True):
            run(engine, lambda q, c=case: vignette_answer(c, q), lat, tot, n_q)
        rows.append((f"{len(n_q)} vignettes as people", lat, tot, n_q))

    table = Table(title="legpain interview benchmark (in-process)")
    for col in (
        "interviews",
        "next_question p50",
        "next_question p99",
        "whole interview p50",
        "whole interview max",
        "questions median",
    ):
        table.add_column(col, justify="right")
    for name, lat, tot, n_q in rows:
        table.add_row(
            name,
            f"{statistics.median(lat):.2f} ms",
            f"{percentile(lat, 0.99):.2f} ms",
            f"{statistics.median(tot):.0f} ms",
            f"{max(tot):.0f} ms",
            f"{statistics.median(n_q):g}",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
