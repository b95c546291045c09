"""The engine's compiled fast paths give what the plain functions give.

- ``AnswerParser`` (per engine): the same clean answers, or the same error, as
  ``parse_answers``, on valid and on every kind of invalid answer.
- ``triage._one_level`` (one posterior row, plain Python): the same level, column
  and top cause as ``_level_candidates``' arrays, ties and thresholds included.
- ``select_ranked_advice`` on answers already ranked: as ``select_advice``.
- ``scores.compile_expr`` and ``score_function``: as ``evaluate`` and
  ``compute_score``, on every expression of the knowledge base.
- ``RuleTable.fired`` with its gates (rules that cannot be true skipped unevaluated):
  the rules ``evaluate`` finds true.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np
import pytest

from legpain.engine import CaseError, Engine, parse_answers
from legpain.engine._answers import AnswerParser
from legpain.engine.advice import select_advice, select_ranked_advice
from legpain.engine.scores import compile_expr, compute_scores, evaluate, score_function
from legpain.engine.triage import (
    RuleTable,
    _care_vectors,
    _level_candidates,
    _one_level,
    gate,
    rule_findings,
)
from legpain.knowledge import KnowledgeBase
from legpain.knowledge._schema import Expr


def outcome(parse: Any, raw: Any) -> tuple[str, Any]:
    try:
        out = parse(raw)
    except CaseError as exc:
        return "error", (str(exc), exc.problems, exc.where)
    return "ok", [(k, type(v), v) for k, v in out.items()]


def test_answer_parser_is_parse_answers(kb: KnowledgeBase) -> None:
    fast = AnswerParser(kb)
    rng = random.Random(7)
    odd: list[Any] = [
        None, "unknown", "UNKNOWN", True, False, 0, 1, 1.0, -1, 2.5, 10**400, float("nan"),
        float("inf"), "yes", "", np.float64(3.0), np.bool_(True), [], {}, "left", 7,
    ]  # fmt: skip
    fids = sorted(kb.findings)
    for f in kb.findings.values():
        odd.extend(f.choices or [])
        if f.minimum is not None:
            odd += [f.minimum, f.minimum - 1, int(f.minimum)]
        if f.maximum is not None:
            odd += [f.maximum, f.maximum + 0.5, int(f.maximum)]
    for _ in range(3000):
        raw: Any = {rng.choice(fids): rng.choice(odd) for _ in range(rng.randint(0, 6))}
        if rng.random() < 0.05:
            raw[rng.choice(["nope", 3, ("a",)])] = True
        assert outcome(fast, raw) == outcome(lambda a: parse_answers(a, kb), raw), raw
    for raw in (None, [], "x", {}, {"age": 30}):
        assert outcome(fast, raw) == outcome(lambda a: parse_answers(a, kb), raw)
    with pytest.raises(CaseError) as exc:
        fast({"age": "old"}, "case-1")
    assert exc.value.where == "case-1"


def test_one_level_is_level_candidates(engine: Engine) -> None:
    kb, model = engine.kb, engine.model
    rng = np.random.default_rng(3)
    _, thresholds = _care_vectors(kb, model)
    n = len(model.causes)
    posts = [rng.dirichlet(np.full(n, a)) for a in (0.05, 0.3, 1.0, 5.0) for _ in range(500)]
    # Exactly at thresholds, exact ties for the top, and everything below WEAK_FIT.
    for _ in range(300):
        p = rng.dirichlet(np.ones(n))
        i = int(rng.integers(n - 1))
        p[i] = thresholds[i]
        posts.append(p)
        q = np.full(n, 1.0 / n)
        q[rng.integers(n)] = 0.0
        posts.append(q)
    for p in posts:
        cand, top = _level_candidates(kb, model, p[np.newaxis, :])
        want = (int(cand[0].max()), int(cand[0].argmax()), int(top[0]))
        assert _one_level(kb, model, p.tolist()) == want


def test_select_ranked_advice_is_select_advice(engine: Engine) -> None:
    rng = random.Random(11)
    kb = engine.kb
    cids = list(kb.conditions)
    for _ in range(300):
        probs = [rng.random() ** 3 for _ in cids]
        ranked = sorted(zip(cids, probs, strict=True), key=lambda cp: -cp[1])
        suspects = rng.sample(cids, rng.randint(0, 2))
        level = rng.choice(["emergency", "urgent", "routine", "self_care", None])
        shuffled = rng.sample(ranked, len(ranked))
        assert select_ranked_advice(kb, ranked, suspects, level, {}) == select_advice(
            kb, shuffled, suspects, level, {}
        )


def every_expr(kb: KnowledgeBase) -> list[Expr]:
    out: list[Expr] = []

    def walk(e: Expr) -> None:
        out.append(e)
        for sub in (e.all or []) + (e.any or []) + ([e.not_] if e.not_ else []):
            walk(sub)

    for r in kb.triage_rules:
        walk(r.when)
    for s in kb.scores.values():
        for item in s.items:
            if item.when is not None:
                walk(item.when)
    for a in kb.advice:
        if a.shown_if is not None:
            walk(a.shown_if)
    return out


def some_answers(kb: KnowledgeBase, rng: random.Random, fids: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for fid in rng.sample(fids, rng.randint(0, min(len(fids), 25))):
        f = kb.findings[fid]
        if f.type == "boolean":
            out[fid] = rng.random() < 0.5
        elif f.type == "choice":
            out[fid] = rng.choice(f.choices or [])
        else:
            lo, hi = f.minimum or 0, f.maximum or 100
            out[fid] = float(rng.choice([lo, hi, rng.uniform(lo, hi), round(rng.uniform(lo, hi))]))
    return parse_answers(out, kb)


def test_compiled_expressions_are_evaluate(kb: KnowledgeBase) -> None:
    exprs = every_expr(kb)
    assert exprs
    rng = random.Random(5)
    fids = sorted(kb.findings)
    read = sorted({f for e in exprs for f in e.findings()})
    for n in range(1500):
        answers = some_answers(kb, rng, read if n % 2 else fids)
        scores = compute_scores(kb, answers)
        for e in exprs:
            assert compile_expr(e)(answers, scores) is evaluate(e, answers, scores)
        for s in kb.scores.values():
            got = score_function(s)(answers)
            for item, result in zip(s.items, got.items, strict=True):
                truth = None if item.when is None else evaluate(item.when, answers, {})
                want = {None: "unknown", True: "met", False: "not_met"}[truth]
                assert result.status == ("not_assessable" if item.when is None else want)


def test_rule_gates_and_fired_rules_are_evaluate(kb: KnowledgeBase) -> None:
    """A rule skipped by its gate is never true; the fired rules are exactly those
    ``evaluate`` finds true, in the knowledge base's order."""
    table = RuleTable(kb)  # fresh: nothing memoised
    rng = random.Random(9)
    fids = sorted(kb.findings)
    read = sorted(rule_findings(kb))
    for n in range(3000):
        answers = some_answers(kb, rng, read if n % 2 else fids)
        scores = compute_scores(kb, answers)
        truths = [evaluate(r.when, answers, scores) for r in kb.triage_rules]
        for r, truth in zip(kb.triage_rules, truths, strict=True):
            g = gate(r.when)
            if truth is True and g is not None:
                assert any(
                    (answers.get(f) is True) if yes else (answers.get(f) is not None)
                    for f, yes in g
                ), r.id
        want = [r.id for r, t in zip(kb.triage_rules, truths, strict=True) if t is True]
        assert [r.id for r in table.fired(answers, scores)] == want
