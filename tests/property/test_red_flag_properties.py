"""The v2 red-flag rules as properties (safety rules 2 and 3).

- Every v2 rule's pattern reaches at least the rule's level whatever else was
  answered (and the rule itself fires).
- A child with any child warning sign is never below urgent; a child with a
  fever and a limp, not standing, or a swollen or hot joint is an emergency; a
  child is self-care only once every child sign has been asked and denied.
- Adding a warning sign never lowers the level, over answers that include age
  (decimals under 1), side and duration, which the v2 rules read.
- Each property CAN fail: it is applied to a deliberately broken engine (a rule
  removed, or a negation smuggled past the loader) and must then be violated.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from legpain.engine import Engine
from legpain.engine.triage import RANK
from legpain.knowledge import KnowledgeBase
from legpain.knowledge._schema import Expr, TriageRule

from strategies import KB, WARNINGS, answers

MAX_LEVEL_TESTED_SIGNS = 7  # the guarantee's documented cap (triage.MAX_VARIED_SIGNS)

# Ages as people give them: babies in decimals (0.5 = six months), then years.
CHILD_AGE = st.one_of(
    st.floats(min_value=0.05, max_value=0.95).map(lambda x: round(x, 2)),
    st.integers(min_value=1, max_value=17),
)
OLDER_AGE = st.integers(min_value=65, max_value=110)
ANY_AGE = st.one_of(CHILD_AGE, st.integers(min_value=18, max_value=110))

# rule id -> (level, pattern). A pattern value may be a strategy (drawn per example).
RULE_PATTERNS: dict[str, tuple[str, dict[str, Any]]] = {
    # emergencies
    "child_fever_with_limp_or_swollen_joint": (
        "emergency",
        {"age": CHILD_AGE, "fever": True, "limp": True},
    ),
    "fever_with_hot_joint_or_cannot_bear_weight": (
        "emergency",
        {"fever": True, "joint_red_hot": True},
    ),
    # side both: the general breathless-PE rule (one-sided signs) stays silent
    "pregnancy_breathless_or_chest_pain": (
        "emergency",
        {"recently_gave_birth": True, "short_of_breath": True, "side": "both", "sex": "female"},
    ),
    "dark_urine_with_muscle_pain": ("emergency", {"dark_urine": True, "takes_statin": True}),
    "weakness_spreading_up_quickly": (
        "emergency",
        {"weakness_spreading_up": True, "duration": st.sampled_from(["hours", "days", "weeks"])},
    ),
    "injury_or_cast_with_severe_pain": (
        "emergency",
        {"leg_in_cast_or_immobile": True, "pain_severity": st.integers(8, 10)},
    ),
    "fall_older_or_anticoagulated_cannot_bear_weight": (
        "emergency",
        {"recent_injury": True, "age": OLDER_AGE, "cannot_bear_weight": True},
    ),
    "cancer_with_back_pain_and_nerve_signs": (
        "emergency",
        {"previous_cancer": True, "back_pain": True, "numbness": True},
    ),
    # urgent
    "night_pain_with_cancer_signs": ("urgent", {"pain_constant": True, "previous_cancer": True}),
    "child_pain_not_typical_of_growing_pains": ("urgent", {"age": CHILD_AGE, "side": "left"}),
    "child_unusual_bruising_or_pallor": (
        "urgent",
        {"age": CHILD_AGE, "unusual_bruising_or_pallor": True},
    ),
    "child_with_systemic_signs": ("urgent", {"age": CHILD_AGE, "night_sweats": True}),
    "fever_with_bone_or_joint_pain": ("urgent", {"fever": True, "bone_tenderness": True}),
    "pregnancy_one_leg_pain_or_swelling": (
        "urgent",
        {"pregnant": True, "side": "right", "sex": "female"},
    ),
    "weakness_spreading_up": ("urgent", {"weakness_spreading_up": True, "duration": "months"}),
    "dark_urine": ("urgent", {"dark_urine": True}),
    "fall_older_or_anticoagulated_hip_pain": (
        "urgent",
        {"recent_injury": True, "takes_anticoagulant": True, "pain_groin": True},
    ),
    "injury_with_limp": ("urgent", {"recent_injury": True, "cannot_bear_weight": True}),
    # review: one child sign left unanswered
    "child_signs_not_all_asked": ("routine", {"age": CHILD_AGE, "bone_tenderness": "unknown"}),
}

# Each child sign as an answer that shows it.
CHILD_SIGNS: dict[str, Any] = {
    "side": st.sampled_from(["left", "right"]),
    "limp": True,
    "cannot_bear_weight": True,
    "pain_in_daytime": True,
    "pain_constant": True,
    "bone_tenderness": True,
    "lump_or_mass": True,
    "joint_swelling": True,
    "unusual_bruising_or_pallor": True,
    "fever": True,
    "night_sweats": True,
    "weight_loss_unexplained": True,
}
# ... and as an answer that denies it.
CHILD_DENIED: dict[str, Any] = {f: False for f in CHILD_SIGNS} | {
    "side": st.sampled_from(["both", "alternating"])
}
INFECTION_SIGNS = ["limp", "cannot_bear_weight", "joint_swelling", "joint_red_hot"]

# A typical growing-pains picture apart from the child signs (judged, not a vignette).
GROWING_PAINS_PICTURE: dict[str, Any] = {
    "sex": "male",
    "pain_shin": True,
    "pain_calf": True,
    "wakes_from_sleep": True,
    "worse_evening_night": True,
    "relieved_by_massage": True,
    "onset": "gradual",
    "duration": "months",
}


def _draw(data: st.DataObject, pattern: dict[str, Any], label: str) -> dict[str, Any]:
    return {
        k: data.draw(v, label=f"{label}.{k}") if isinstance(v, st.SearchStrategy) else v
        for k, v in pattern.items()
    }


def level(engine: Engine, answered: dict[str, Any]) -> int:
    return RANK[engine.assess(answered).level]


def without_rule(kb: KnowledgeBase, rule_id: str) -> Engine:
    assert any(r.id == rule_id for r in kb.triage_rules), rule_id
    return Engine(
        dataclasses.replace(kb, triage_rules=[r for r in kb.triage_rules if r.id != rule_id])
    )


def with_rule(kb: KnowledgeBase, rule: TriageRule) -> Engine:
    """A knowledge base with an extra rule, built in Python: past the loader's checks."""
    return Engine(dataclasses.replace(kb, triage_rules=[*kb.triage_rules, rule]))


BROKEN = settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.generate],  # a violation is all we need; no shrinking (slow machine)
    database=None,
    derandomize=True,  # the same draw every run: a check that must find a violation never flakes
    suppress_health_check=[HealthCheck.too_slow],
)


def must_be_violated(prop: Callable[[], None], why: str) -> None:
    """The property, applied to a broken engine, finds a counterexample that
    fails for the reason the property states (not some other error)."""
    with pytest.raises(AssertionError, match=why):
        prop()


# --- 1. each v2 rule's pattern reaches its level whatever else ---------------------------


def check_pattern(engine: Engine, rule_id: str, data: st.DataObject, *, fires: bool) -> None:
    want, pattern = RULE_PATTERNS[rule_id]
    shown = _draw(data, pattern, rule_id)
    other = data.draw(answers(exclude=frozenset(shown)), label="other")
    result = engine.assess(other | shown)
    assert RANK[result.level] >= RANK[want], f"{rule_id}: {result.level} < {want}"
    if fires:
        assert rule_id in [r.id for r in result.triage.rules], rule_id


@pytest.mark.parametrize("rule_id", sorted(RULE_PATTERNS))
@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_each_v2_pattern_reaches_its_level_whatever_else(
    engine: Engine, rule_id: str, data: st.DataObject
) -> None:
    check_pattern(engine, rule_id, data, fires=True)


@pytest.mark.parametrize("rule_id", sorted(RULE_PATTERNS))
def test_the_pattern_property_fails_without_its_rule(engine: Engine, rule_id: str) -> None:
    broken = without_rule(engine.kb, rule_id)

    @BROKEN
    @given(data=st.data())
    def prop(data: st.DataObject) -> None:
        check_pattern(broken, rule_id, data, fires=False)

    must_be_violated(prop, f"{rule_id}: .* < ")


# --- 2. children -----------------------------------------------------------------------------


def check_child_sign(engine: Engine, data: st.DataObject) -> None:
    sign = data.draw(st.sampled_from(sorted(CHILD_SIGNS)), label="sign")
    shown = _draw(data, {"age": CHILD_AGE, sign: CHILD_SIGNS[sign]}, "child")
    other = data.draw(answers(exclude=frozenset(shown)), label="other")
    got = engine.assess(other | shown).level
    assert RANK[got] >= RANK["urgent"], f"child with {sign}: {got}"


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_a_child_with_any_child_sign_is_at_least_urgent(
    engine: Engine, data: st.DataObject
) -> None:
    check_child_sign(engine, data)


def test_the_child_sign_property_fails_without_its_rule(engine: Engine) -> None:
    # Without the child rules (every rule that reads age), nothing but probability is
    # left, and probability alone sends some children with a sign home: the property
    # must find one. (With only one child rule removed, the others still hold it.)
    kept = [r for r in engine.kb.triage_rules if "age" not in r.when.findings()]
    assert len(kept) < len(engine.kb.triage_rules)
    broken = Engine(dataclasses.replace(engine.kb, triage_rules=kept))

    @BROKEN
    @given(data=st.data())
    def prop(data: st.DataObject) -> None:
        check_child_sign(broken, data)

    must_be_violated(prop, "child with ")


@settings(max_examples=50, deadline=None)
@given(
    age=st.floats(min_value=0.0, max_value=2.99).map(lambda x: round(x, 2)),
    other=answers(exclude=frozenset({"age"})),
)
def test_a_child_under_3_is_at_least_urgent(
    engine: Engine, age: float, other: dict[str, Any]
) -> None:
    assert RANK[engine.assess(other | {"age": age}).level] >= RANK["urgent"], age


def check_child_infection(engine: Engine, data: st.DataObject) -> None:
    sign = data.draw(st.sampled_from(INFECTION_SIGNS), label="sign")
    shown = {"age": data.draw(CHILD_AGE, label="age"), "fever": True, sign: True}
    other = data.draw(answers(exclude=frozenset(shown)), label="other")
    got = engine.assess(other | shown).level
    assert got == "emergency", f"child with fever and {sign}: {got}"


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_child_with_fever_and_a_limp_or_hot_joint_is_an_emergency(
    engine: Engine, data: st.DataObject
) -> None:
    check_child_infection(engine, data)


def test_the_child_infection_property_fails_without_its_rule(engine: Engine) -> None:
    # Two things make it an emergency: the fever rules, and bone or joint infection's
    # own care level (emergency at 30%). Without both, the property must fail.
    kb = engine.kb
    rules = [r for r in kb.triage_rules if "fever" not in r.when.findings()]
    infection = kb.conditions["bone_or_joint_infection"]
    softened = infection.model_copy(
        update={"care": infection.care.model_copy(update={"level": "urgent"})}
    )
    conditions = {**kb.conditions, "bone_or_joint_infection": softened}
    broken = Engine(dataclasses.replace(kb, triage_rules=rules, conditions=conditions))

    @BROKEN
    @given(data=st.data())
    def prop(data: st.DataObject) -> None:
        check_child_infection(broken, data)

    must_be_violated(prop, "child with fever and ")


@st.composite
def partly_asked_child(draw: st.DrawFn) -> dict[str, Any]:
    """A growing-pains picture with every child sign denied or left unanswered,
    at least one unanswered."""
    open_signs = draw(st.lists(st.sampled_from(sorted(CHILD_SIGNS)), min_size=1, unique=True))
    out: dict[str, Any] = dict(GROWING_PAINS_PICTURE)
    out["age"] = draw(st.one_of(CHILD_AGE, st.integers(3, 14)))
    for f, v in CHILD_DENIED.items():
        if f not in open_signs:
            out[f] = draw(v) if isinstance(v, st.SearchStrategy) else v
    return out


def check_child_self_care(engine: Engine, answered: dict[str, Any]) -> None:
    got = engine.assess(answered).level
    assert got != "self_care", f"self-care with child signs unanswered: {answered}"


@settings(max_examples=80, deadline=None)
@given(answered=partly_asked_child())
def test_self_care_for_a_child_needs_every_child_sign_denied(
    engine: Engine, answered: dict[str, Any]
) -> None:
    check_child_self_care(engine, answered)


def test_the_child_self_care_property_fails_without_its_rule(engine: Engine) -> None:
    broken = without_rule(engine.kb, "child_signs_not_all_asked")

    @BROKEN
    @given(answered=partly_asked_child())
    def prop(answered: dict[str, Any]) -> None:
        check_child_self_care(broken, answered)

    must_be_violated(prop, "self-care with child signs unanswered")


# --- 3. monotonicity with age, side and duration --------------------------------------------


@st.composite
def answers_with_context(draw: st.DrawFn) -> dict[str, Any]:
    """Random answers that always say age (decimals under 1), side and duration,
    and often pregnancy, birth, injury or a cast: what the v2 rules read."""
    context: dict[str, Any] = {
        "age": draw(ANY_AGE),
        "side": draw(st.sampled_from(KB.findings["side"].choices or [])),
        "duration": draw(st.sampled_from(KB.findings["duration"].choices or [])),
    }
    for f in ("pregnant", "recently_gave_birth", "leg_in_cast_or_immobile", "takes_anticoagulant"):
        if draw(st.booleans()):
            context[f] = draw(st.booleans())
    if draw(st.booleans()):
        context["pain_severity"] = draw(st.integers(0, 10))
    return draw(answers(max_size=25, exclude=frozenset(context))) | context


def check_monotone(engine: Engine, answered: dict[str, Any], sign: str) -> None:
    if sum(1 for w in WARNINGS if answered.get(w) is True) >= MAX_LEVEL_TESTED_SIGNS:
        return
    before = level(engine, answered)
    after = level(engine, answered | {sign: True})
    assert after >= before, f"adding {sign} lowered the level"


@settings(max_examples=100, deadline=None)
@given(answered=answers_with_context(), sign=st.sampled_from(WARNINGS))
def test_adding_a_warning_sign_never_lowers_the_level_with_age_side_duration(
    engine: Engine, answered: dict[str, Any], sign: str
) -> None:
    check_monotone(engine, answered, sign)


def test_the_monotonicity_property_fails_with_a_smuggled_negation(engine: Engine) -> None:
    # "No warning sign is yes" as an emergency: 'is_not: [true]' on yes/no findings
    # is a negation, which the loader refuses (tests/unit/test_red_flags.py);
    # built in Python it gets past the loader, and adding any sign switches it off.
    smuggled = TriageRule(
        id="smuggled_negation",
        kind="red_flag",
        level="emergency",
        message="broken on purpose",
        action="none",
        source="judgement",
        judged="a deliberately broken rule",
        when=Expr.model_validate({"all": [{"finding": w, "is_not": [True]} for w in WARNINGS]}),
    )
    broken = with_rule(engine.kb, smuggled)

    @BROKEN
    @given(answered=answers_with_context(), sign=st.sampled_from(WARNINGS))
    def prop(answered: dict[str, Any], sign: str) -> None:
        check_monotone(broken, answered, sign)

    must_be_violated(prop, "lowered the level")


def test_the_monotonicity_property_fails_with_a_smuggled_not(engine: Engine) -> None:
    # The same with 'not' over "not answered no": true only when every sign is denied.
    smuggled = TriageRule(
        id="smuggled_not",
        kind="red_flag",
        level="emergency",
        message="broken on purpose",
        action="none",
        source="judgement",
        judged="a deliberately broken rule",
        when=Expr.model_validate(
            {"not": {"any": [{"finding": w, "is_not": [False]} for w in WARNINGS]}}
        ),
    )
    broken = with_rule(engine.kb, smuggled)

    @st.composite
    def all_denied(draw: st.DrawFn) -> dict[str, Any]:
        return draw(answers_with_context()) | dict.fromkeys(WARNINGS, False)

    @BROKEN
    @given(answered=all_denied(), sign=st.sampled_from(WARNINGS))
    def prop(answered: dict[str, Any], sign: str) -> None:
        check_monotone(broken, answered, sign)

    must_be_violated(prop, "lowered the level")
