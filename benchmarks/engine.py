"""Engine speed and memory: assess latency (p50, p99), batch throughput, peak memory.

Beside ``Engine.assess``, in the same run and on the same answers, the reference:
``Engine.posterior`` alone (the model's own arithmetic), with the ratio; and the
parts of an assessment (advice selection, triage, explanations) so that what is
left is visible. Issue 12's target: assess p50 at most 0.1 ms (the posterior
alone took 0.013 ms there), with the explanation and advice tables compiled once
per Engine.

What is timed: the whole ``assess``, every part of the result computed (nothing
is left lazy). The engine keeps memos of results on answers (rule verdicts and
fired rules, scores, reasons, advice selections); the one case repeated would hit
them, so it is also timed with every memo emptied before each run
(``Engine.clear_memos``, outside the timing): that row is the engine's own path.
The random cases mostly miss them (a new answer set each).

Run: python -P benchmarks/engine.py [--cases N]. Prints a table; asserts nothing
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
from legpain.engine import Engine, parse_answers
from legpain.engine._threads import limit_blas_threads
from legpain.engine.advice import select_advice
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

    limit_blas_threads()  # as the legpain command does
    t0 = time.perf_counter()
    engine = Engine()
    load_s = time.perf_counter() - t0
    one = load_cases(EXAMPLE)[0].answers
    clean = parse_answers(one, engine.kb)
    rows = engine.model.rows_for(engine.kb, clean)
    first = engine.assess(one)
    ranked = [(c.id, c.probability) for c in first.conditions]
    suspects = [r.suspect for r in first.triage.rules if r.suspect is not None]
    kb = engine.kb
    timed: dict[str, Any] = {
        "assess": lambda: engine.assess(one),
        "posterior alone (reference)": lambda: engine.posterior(one),
        "part: select_advice": lambda: select_advice(kb, ranked, suspects),
    }
    if hasattr(engine, "explainer"):  # absent before the tables were compiled (for comparison)
        timed["part: triage"] = lambda: engine._decide(clean, None, rows)
        timed["part: explanations (3 causes)"] = lambda: [
            engine.explainer.explain(clean, cid, rows) for cid, _ in ranked[:3]
        ]
    times: dict[str, list[float]] = {name: [] for name in timed}
    for f in timed.values():  # warm caches
        for _ in range(50):
            f()
    # Interleaved, so that a busy spell on the machine falls on every measure alike.
    for _ in track(range(args.repeats), description="One case", transient=True):
        for name, f in timed.items():
            t = time.perf_counter_ns()
            f()
            times[name].append((time.perf_counter_ns() - t) / 1e6)

    # The one case again, every memo emptied before each run (not timed), in a loop
    # of its own so that the emptying does not slow the measures above.
    if hasattr(engine, "clear_memos"):
        cold_name = "assess, memos emptied first"
        times[cold_name] = []
        for _ in track(range(args.repeats), description="One case, cold", transient=True):
            engine.clear_memos()
            t = time.perf_counter_ns()
            engine.assess(one)
            times[cold_name].append((time.perf_counter_ns() - t) / 1e6)

    rng = random.Random(20261122)
    batch = [random_answers(rng, rng.randint(5, 40)) for _ in range(args.cases)]
    batch_assess: list[float] = []
    batch_post: list[float] = []
    t = time.perf_counter()
    for answers in track(batch, description="Batch", transient=True):
        t1 = time.perf_counter_ns()
        engine.assess(answers)
        t2 = time.perf_counter_ns()
        engine.posterior(answers)
        batch_assess.append((t2 - t1) / 1e6)
        batch_post.append((time.perf_counter_ns() - t2) / 1e6)
    batch_s = time.perf_counter() - t - sum(batch_post) / 1000

    # Memory in a separate pass: tracing slows every allocation, so it is kept
    # out of the timings above.
    tracemalloc.start()
    traced_engine = Engine(load_knowledge())
    for answers in batch[:500]:
        traced_engine.assess(answers)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    table = Table(title="legpain engine benchmark (in-process)")
    for col in ("measure", "p50", "p99", "p50 ÷ posterior"):
        table.add_column(col, justify="left" if col == "measure" else "right")
    ref = statistics.median(times["posterior alone (reference)"])
    for name, xs in times.items():
        p50 = statistics.median(xs)
        table.add_row(
            f"one case: {name}",
            f"{p50:.4f} ms",
            f"{percentile(xs, 0.99):.4f} ms",
            f"{p50 / ref:.1f}×",
        )
    b50, r50 = statistics.median(batch_assess), statistics.median(batch_post)
    table.add_row(
        f"{args.cases} random cases: assess",
        f"{b50:.4f} ms",
        f"{percentile(batch_assess, 0.99):.4f} ms",
        f"{b50 / r50:.1f}×",
    )
    table.add_row(
        f"{args.cases} random cases: posterior alone (reference)",
        f"{r50:.4f} ms",
        f"{percentile(batch_post, 0.99):.4f} ms",
        "1.0×",
    )
    table.add_row("knowledge base load + compile", f"{load_s * 1000:.1f} ms", "", "")
    table.add_row(
        f"throughput, {args.cases} random cases", f"{args.cases / batch_s:,.0f}/s", "", ""
    )
    table.add_row("peak memory: engine + 500 assessments", f"{peak / 2**20:.1f} MiB", "", "")
    Console().print(table)


if __name__ == "__main__":
    main()
