"""The question value's array shortcuts give what the plain formulas give.

- ``_level_ranks``: the per-level count of causes past their thresholds (one matrix
  product) gives the ranks of the plain "highest rank among the causes that passed",
  on random rows and on rows placed exactly at thresholds; and the same ranks as
  ``triage.level_ranks`` on the normalised rows.
- An option table's ``read_context``: the memo key the plain ``map(known.get, ...)``
  gives, for tables of no, one and many context findings.
"""

from __future__ import annotations

import numpy as np

from legpain.engine import Engine
from legpain.engine.triage import RANK, WEAK_FIT, WEAK_FIT_LEVEL, level_ranks
from legpain.interview._value import _level_groups, _level_ranks, _option_table, _reader


def plain_level_ranks(engine: Engine, weights: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """The formula before the shortcut (session 5)."""
    ranks, thresholds, _, _ = _level_groups(engine)
    top = weights.argmax(axis=1)
    out = ranks[top]
    passed = weights >= np.multiply.outer(totals, thresholds)
    np.maximum(out, np.where(passed, ranks, -1.0).max(axis=1), out=out)
    best_named = weights[np.arange(len(top)), top]
    other_first = np.flatnonzero(top == weights.shape[1] - 1)
    best_named[other_first] = weights[other_first, :-1].max(axis=1)
    weak = best_named < WEAK_FIT * totals
    np.maximum(out, np.where(weak, float(RANK[WEAK_FIT_LEVEL]), -1.0), out=out)
    return np.asarray(out, dtype=np.float64)


def random_rows(engine: Engine, n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    width = len(_level_groups(engine)[0])  # the causes, "other" last
    # Peaked rows like real posteriors (a few causes carry most of the weight).
    return rng.dirichlet(np.full(width, 0.3), size=n) * rng.uniform(1e-6, 1.0, size=(n, 1))


def test_level_ranks_shortcut_equals_the_plain_formula(engine: Engine) -> None:
    weights = random_rows(engine, 4000, seed=1)
    totals = weights.sum(axis=1)
    assert np.array_equal(
        _level_ranks(engine, weights, totals), plain_level_ranks(engine, weights, totals)
    )


def test_level_ranks_shortcut_at_the_thresholds(engine: Engine) -> None:
    _, thresholds, _, _ = _level_groups(engine)
    weights = random_rows(engine, 2000, seed=2)
    totals = weights.sum(axis=1)
    rng = np.random.default_rng(3)
    finite = np.flatnonzero(np.isfinite(thresholds))
    for row in range(len(weights)):
        cause = rng.choice(finite)
        # Exactly at the threshold (passes), or the next float below it (does not).
        at = totals[row] * thresholds[cause]
        weights[row, cause] = at if row % 2 else np.nextafter(at, 0.0)
    got = _level_ranks(engine, weights, totals)
    assert np.array_equal(got, plain_level_ranks(engine, weights, totals))


def test_level_ranks_shortcut_equals_triage_on_normalised_rows(engine: Engine) -> None:
    weights = random_rows(engine, 2000, seed=4)
    totals = weights.sum(axis=1)
    plain = level_ranks(engine.kb, engine.model, weights / totals[:, np.newaxis])
    assert np.array_equal(_level_ranks(engine, weights, totals), plain)


def test_read_context_gives_the_plain_memo_key(engine: Engine) -> None:
    known = {"age": 67.0, "sex": "male", "smoker": True, "onset": "sudden"}
    every = dict.fromkeys(engine.kb.findings)
    every.update(known)
    for items in [("chest_pain",), ("short_of_breath",), ("pain_calf",), ("onset",)]:
        table = _option_table(engine, items)
        assert table.read_context(every) == tuple(map(known.get, table.context))
    for context in [(), ("age",), ("age", "sex", "fever", "onset")]:
        assert _reader(context)(every) == tuple(map(known.get, context))
