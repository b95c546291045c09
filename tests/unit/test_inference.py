"""Inference checked against an independent brute-force enumeration of the joint.

The reference below reads the knowledge base's YAML-level objects directly (not
the compiled tables) and sums the full joint distribution over the cause and
every value of some unanswered findings, which is what "unknown changes
nothing" must mean in a Bayesian network.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from legpain.engine import LEAK, Engine
from legpain.knowledge import KnowledgeBase

from strategies import FINDINGS, KB, answers


def _bin(kb: KnowledgeBase, fid: str, value: Any) -> str:
    f = kb.findings[fid]
    if f.type == "boolean":
        return "true" if value else "false"
    if f.type == "choice":
        return str(value)
    return next(b.label for b in f.bins or [] if b.at_least <= float(value) < b.below)


def _p(kb: KnowledgeBase, cause: str, fid: str, label: str) -> float:
    """P(label | cause) for a likelihood finding, or the prior factor for a modifier."""
    f = kb.findings[fid]
    if cause != LEAK:
        cond = kb.conditions[cause]
        for lk in cond.likelihoods:
            if lk.finding == fid:
                if lk.p is not None:
                    return lk.p if label == "true" else 1 - lk.p
                return (lk.dist or {})[label]
        for m in cond.modifiers:
            if m.finding == fid:
                return m.factors.get(label, 1.0)
    else:
        for lk in kb.policy.leak_likelihoods:  # "another cause" has its own for a few signs
            if lk.finding == fid and lk.p is not None:
                return lk.p if label == "true" else 1 - lk.p
    if f.base is None:
        return 1.0
    if f.base.p is not None:
        return f.base.p if label == "true" else 1 - f.base.p
    return (f.base.dist or {})[label]


def brute_force_posterior(
    kb: KnowledgeBase, answered: dict[str, Any], hidden: list[str]
) -> dict[str, float]:
    causes = [*kb.conditions, LEAK]
    priors = {c: kb.conditions[c].prior.p for c in kb.conditions} | {LEAK: kb.policy.leak_prior.p}
    labels = {fid: kb.findings[fid].values() for fid in hidden}
    joint: dict[str, float] = {}
    for c in causes:
        total = 0.0
        for combo in itertools.product(*(labels[h] for h in hidden)):
            term = priors[c]
            for fid, value in answered.items():
                term *= _p(kb, c, fid, _bin(kb, fid, value))
            for fid, label in zip(hidden, combo, strict=True):
                term *= _p(kb, c, fid, label)
            total += term
        joint[c] = total
    z = math.fsum(joint.values())
    return {c: v / z for c, v in joint.items()}


def _engine_posterior(engine: Engine, answered: dict[str, Any]) -> dict[str, float]:
    post = engine.posterior(answered)
    return dict(zip(engine.model.causes, map(float, post), strict=True))


LIKELIHOOD_FINDINGS = [f for f in FINDINGS if KB.findings[f].base is not None]  # not the modifiers


@settings(max_examples=60, deadline=None)
@given(
    answered=answers(max_size=12),
    hidden=st.lists(st.sampled_from(LIKELIHOOD_FINDINGS), max_size=3, unique=True),
)
def test_engine_equals_brute_force_enumeration(
    engine: Engine, answered: dict[str, Any], hidden: list[str]
) -> None:
    hidden = [h for h in hidden if h not in answered]
    expected = brute_force_posterior(engine.kb, answered, hidden)
    got = _engine_posterior(engine, answered)
    for cause, p in expected.items():
        assert got[cause] == pytest.approx(p, rel=1e-9, abs=1e-12), cause


@settings(max_examples=100, deadline=None)
@given(answered=answers())
def test_probabilities_sum_to_one(engine: Engine, answered: dict[str, Any]) -> None:
    result = engine.assess(answered)
    total = sum(c.probability for c in result.conditions) + result.other_cause_probability
    assert total == pytest.approx(1.0, abs=1e-9)
    assert all(0.0 <= c.probability <= 1.0 for c in result.conditions)
    probs = [c.probability for c in result.conditions]
    assert probs == sorted(probs, reverse=True)


@settings(max_examples=60, deadline=None)
@given(answered=answers(), unknown=st.lists(st.sampled_from(FINDINGS), max_size=10, unique=True))
def test_unknown_answers_change_nothing(
    engine: Engine, answered: dict[str, Any], unknown: list[str]
) -> None:
    with_unknowns = dict(answered) | {f: "unknown" for f in unknown if f not in answered}
    a = engine.assess(answered).to_dict()
    b = engine.assess(with_unknowns).to_dict()
    assert a == b


def test_every_vocabulary_condition_is_ranked(engine: Engine, shared: Any) -> None:
    import yaml

    vocab = yaml.safe_load((shared / "spec" / "vocabulary.yaml").read_text())
    result = engine.assess({})
    assert {c.id for c in result.conditions} == {c["id"] for c in vocab["conditions"]}


def test_no_answers_gives_the_prior(engine: Engine) -> None:
    post = engine.posterior({})
    np.testing.assert_allclose(post, engine.model.prior)


def test_growing_pains_only_for_children(engine: Engine) -> None:
    child = engine.assess({"age": 7, "side": "both", "worse_evening_night": True})
    adult = engine.assess({"age": 45, "side": "both", "worse_evening_night": True})
    p_child = child.probabilities()["growing_pains"]
    p_adult = adult.probabilities()["growing_pains"]
    assert p_child > 0.3
    assert p_adult < 0.01


def test_age_raises_arterial_disease(engine: Engine) -> None:
    base = {"pain_foot_toes": True, "burning": True, "smoker": True}
    young = engine.assess(base | {"age": 35}).probabilities()["peripheral_artery_disease"]
    old = engine.assess(base | {"age": 75}).probabilities()["peripheral_artery_disease"]
    assert old > 2 * young


def test_pregnancy_raises_restless_legs(engine: Engine) -> None:
    base = {"sex": "female", "age": 30, "urge_to_move": True}
    p0 = engine.assess(base).probabilities()["restless_legs_syndrome"]
    p1 = engine.assess(base | {"pregnant": True}).probabilities()["restless_legs_syndrome"]
    assert p1 > p0


def test_explanations_name_the_strongest_answers(engine: Engine) -> None:
    result = engine.assess(
        {
            "urge_to_move": True,
            "relieved_by_movement": True,
            "worse_evening_night": True,
            "sudden_tight_muscle": False,
        }
    )
    top = result.top
    assert top.id == "restless_legs_syndrome"
    assert top.reasons_for, "the top cause has reasons"
    assert top.reasons_for[0].finding == "urge_to_move"
    assert top.reasons_for[0].likelihood_ratio > 3
    assert "points strongly to" in top.reasons_for[0].text
    assert top.reasons_for[0].to_dict()["strength"] == "strongly"
    assert top.reasons_for[0].source in engine.kb.sources
    ratios = [r.likelihood_ratio for r in top.reasons_for]
    assert ratios == sorted(ratios, reverse=True)
