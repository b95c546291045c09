"""'None of these fits', said plainly: the leak ("another cause") and the weak-fit floor.

- The non-specific signs (weight loss, night sweats, fever, constant pain, a lump)
  make another cause more likely, from likelihoods of the leak's own.
- When another cause is the most probable, or the top named cause is below
  triage.WEAK_FIT, the result says so in words and the level is at least routine.
- The floor is checked against deliberately broken copies of the level functions
  (the floor removed): the property must fail there, so it can fail at all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st

from legpain.engine import LEAK, Engine
from legpain.engine import triage as triage_module
from legpain.engine._model import CompiledModel, FloatArray
from legpain.engine.triage import RANK, WEAK_FIT, _care_vectors
from legpain.knowledge import KnowledgeBase

from strategies import WARNINGS, answers

NON_SPECIFIC = ("weight_loss_unexplained", "night_sweats", "fever", "pain_constant", "lump_or_mass")


def broken_level_candidates(
    kb: KnowledgeBase, model: CompiledModel, posts: FloatArray
) -> tuple[FloatArray, npt.NDArray[np.intp]]:
    """A copy of triage._level_candidates with the weak-fit floor taken out."""
    ranks, thresholds = _care_vectors(kb, model)
    top = posts.argmax(axis=1)
    by_threshold = np.where(posts >= thresholds, ranks, -1.0)
    return np.column_stack([ranks[top], by_threshold]), top


def broken_one_level(
    kb: KnowledgeBase, model: CompiledModel, p: list[float]
) -> tuple[int, int, int]:
    """A copy of triage._one_level (one posterior row) with the weak-fit floor taken out."""
    ranks, thresholds = _care_vectors(kb, model)
    top = p.index(max(p))
    best, col = int(ranks[top]), 0
    for i, (pi, threshold) in enumerate(zip(p, thresholds.tolist(), strict=True)):
        if pi >= threshold and ranks[i] > best:
            best, col = int(ranks[i]), i + 1
    return best, col, top


def break_the_floor(monkeypatch: pytest.MonkeyPatch) -> None:
    """The floor taken out of both ways the level is found (arrays, and row by row)."""
    monkeypatch.setattr(triage_module, "_level_candidates", broken_level_candidates)
    monkeypatch.setattr(triage_module, "_one_level", broken_one_level)


def weak_or_other(engine: Engine, answered: dict[str, Any]) -> tuple[bool, int]:
    r = engine.assess(answered)
    weak = r.other_cause_probability > r.top.probability or r.top.probability < WEAK_FIT
    return weak, RANK[r.level]


def violates_floor(engine: Engine, answered: dict[str, Any]) -> bool:
    weak, level = weak_or_other(engine, answered)
    return weak and level == RANK["self_care"]


def test_leak_has_its_own_likelihoods_above_base(kb: KnowledgeBase) -> None:
    given_ = {lk.finding: lk for lk in kb.policy.leak_likelihoods}
    for fid in NON_SPECIFIC:
        lk = given_[fid]
        base = kb.findings[fid].base
        assert base is not None and base.p is not None and lk.p is not None
        assert lk.p > base.p, fid
        if lk.source == "judgement":
            assert lk.judged and lk.evidence is None, fid
        else:
            assert lk.evidence and lk.where and lk.judged is None, fid


@pytest.mark.parametrize("sign", NON_SPECIFIC)
def test_a_non_specific_sign_makes_another_cause_more_likely(engine: Engine, sign: str) -> None:
    before = engine.assess({"age": 50}).other_cause_probability
    after = engine.assess({"age": 50, sign: True}).other_cause_probability
    assert after > 1.5 * before


def test_another_cause_on_top_is_said_plainly(engine: Engine) -> None:
    r = engine.assess(dict.fromkeys(NON_SPECIFIC, True) | {"age": 60})
    d = r.to_dict()
    assert d["other_cause_probability"] > d["conditions"][0]["probability"]
    assert d["fit"] == "none"
    assert "None of the causes" in d["other_cause_note"]
    assert RANK[r.level] >= RANK["routine"]


def test_a_weak_top_cause_is_said_plainly_and_never_self_care(engine: Engine) -> None:
    r = engine.assess({})  # the prior alone: no cause reaches 30%
    d = r.to_dict()
    assert d["conditions"][0]["probability"] < WEAK_FIT
    assert d["fit"] == "weak"
    assert "No single cause fits" in d["other_cause_note"]
    assert RANK[r.level] >= RANK["routine"]
    assert d["triage_basis"]["condition"]["weak_fit"] is True
    assert "other_cause_probability" in d


def test_a_good_fit_says_nothing_extra(engine: Engine) -> None:
    d = engine.assess(
        {"age": 8, "side": "both", "worse_evening_night": True, "relieved_by_massage": True}
    ).to_dict()
    assert d["fit"] == "good"
    assert d["other_cause_note"] is None


@settings(max_examples=200, deadline=None)
@given(answered=answers(max_size=30))
def test_never_self_care_when_nothing_fits(engine: Engine, answered: dict[str, Any]) -> None:
    assert not violates_floor(engine, answered)


@settings(max_examples=150, deadline=None)
@given(answered=answers(max_size=30), sign=st.sampled_from(WARNINGS))
def test_the_floor_keeps_warning_signs_monotone(
    engine: Engine, answered: dict[str, Any], sign: str
) -> None:
    if sum(1 for w in WARNINGS if answered.get(w) is True) >= triage_module.MAX_VARIED_SIGNS:
        return
    before = RANK[engine.assess(answered).level]
    after = RANK[engine.assess(answered | {sign: True}).level]
    assert after >= before


def test_the_property_fails_without_the_floor(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real floor holds on the prior alone ...
    assert not violates_floor(engine, {})
    # ... and the broken copy (a real function, the floor taken out) breaks it.
    break_the_floor(monkeypatch)
    assert violates_floor(engine, {})
    found = find(
        answers(max_size=30),
        lambda a: violates_floor(engine, a),
        settings=settings(max_examples=500, database=None),
    )
    assert found is not None


def test_the_floor_only_raises(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    cases = [
        {},
        {"age": 30},
        {"sudden_tight_muscle": True, "age": 70},
        dict.fromkeys(NON_SPECIFIC, True),
    ]
    with_floor = [RANK[engine.assess(a).level] for a in cases]
    break_the_floor(monkeypatch)
    without = [RANK[engine.assess(a).level] for a in cases]
    assert all(w >= b for w, b in zip(with_floor, without, strict=True))
    assert with_floor != without


def test_leak_is_last_cause(engine: Engine) -> None:
    assert engine.model.causes[-1] == LEAK
