"""Safety rule 2 as properties: warning signs override probabilities.

- Adding a warning sign (from unknown or from "no") never lowers the level.
- Answering "no" to warning signs never raises the level through the rules.
- Each named emergency and urgent pattern reaches at least its level whatever
  else was answered.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from legpain.engine import Engine
from legpain.engine.scores import compute_scores
from legpain.engine.triage import RANK, fired_rules

from strategies import WARNINGS, answers

MAX_LEVEL_TESTED_SIGNS = 7  # the guarantee's documented cap (triage.MAX_VARIED_SIGNS)


def level(engine: Engine, answered: dict[str, Any]) -> int:
    return RANK[engine.assess(answered).level]


def rule_level(engine: Engine, answered: dict[str, Any]) -> int:
    clean = {k: v for k, v in answered.items() if v != "unknown"}
    rules = fired_rules(engine.kb, clean, compute_scores(engine.kb, clean))
    return max((RANK[r.level] for r in rules), default=-1)


def _few_signs(a: dict[str, Any]) -> bool:
    return sum(1 for w in WARNINGS if a.get(w) is True) < MAX_LEVEL_TESTED_SIGNS


@settings(max_examples=300, deadline=None)
@given(answered=answers(max_size=30), sign=st.sampled_from(WARNINGS))
def test_adding_a_warning_sign_never_lowers_the_level(
    engine: Engine, answered: dict[str, Any], sign: str
) -> None:
    if not _few_signs(answered):
        return
    before = level(engine, answered)
    after = level(engine, answered | {sign: True})
    assert after >= before, f"adding {sign} lowered the level"


@settings(max_examples=200, deadline=None)
@given(
    answered=answers(max_size=30),
    signs=st.lists(st.sampled_from(WARNINGS), min_size=1, unique=True),
)
def test_denying_warning_signs_never_raises_the_rules(
    engine: Engine, answered: dict[str, Any], signs: list[str]
) -> None:
    unasked = {k: v for k, v in answered.items() if k not in signs}
    denied = unasked | dict.fromkeys(signs, False)
    assert rule_level(engine, denied) <= rule_level(engine, unasked)


EMERGENCY_PATTERNS: dict[str, dict[str, Any]] = {
    "pulmonary embolism: chest pain": {"chest_pain": True},
    "pulmonary embolism: coughing blood": {"coughing_blood": True},
    "pulmonary embolism: breathless, one leg": {"short_of_breath": True, "side": "left"},
    "acute limb ischaemia": {"leg_cold_pale": True, "onset": "sudden", "numbness": True},
    "cauda equina: saddle numbness": {"saddle_numbness": True},
    "cauda equina: bladder or bowel": {"bladder_bowel_change": True, "back_pain": True},
}
URGENT_PATTERNS: dict[str, dict[str, Any]] = {
    "new one-sided swelling": {"swelling_one_leg": True, "duration": "days"},
    "tender, warm calf": {"calf_tenderness": True, "leg_warm": True},
    "wells 2": {"active_cancer": True, "previous_dvt": True},
    "cellulitis": {"redness_spreading": True, "leg_warm": True},
    "non-healing wound": {"wound_not_healing": True},
    "ischaemic rest pain": {"relieved_by_dangling_leg": True, "pain_foot_toes": True},
    "worsening weakness": {"weakness_worsening": True},
    "both legs swollen and breathless": {"swelling_both_legs": True, "short_of_breath": True},
    "child with fever": {"age": 8, "fever": True},
}


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_emergency_patterns_are_emergencies_whatever_else(
    engine: Engine, data: st.DataObject
) -> None:
    for name, pattern in EMERGENCY_PATTERNS.items():
        other = data.draw(answers(exclude=frozenset(pattern)), label=name)
        result = engine.assess(other | pattern)
        assert result.level == "emergency", name
        assert result.to_dict()["red_flags"], name


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_urgent_patterns_are_at_least_urgent_whatever_else(
    engine: Engine, data: st.DataObject
) -> None:
    for name, pattern in URGENT_PATTERNS.items():
        other = data.draw(answers(exclude=frozenset(pattern)), label=name)
        result = engine.assess(other | pattern)
        assert RANK[result.level] >= RANK["urgent"], name
        assert result.to_dict()["red_flags"], name


def test_long_standing_swelling_is_not_a_new_clot_sign(engine: Engine) -> None:
    r = engine.assess({"swelling_one_leg": True, "duration": "months"})
    assert "new_swelling_one_leg" not in [f.id for f in r.triage.rules]


def test_red_flags_say_why(engine: Engine) -> None:
    d = engine.assess({"chest_pain": True}).to_dict()
    flag = d["red_flags"][0]
    assert flag["level"] == "emergency"
    assert "pulmonary embolism" in flag["message"]
    assert "ambulance" in flag["action"].lower()


def test_a_probable_dangerous_cause_raises_the_level_without_a_rule(engine: Engine) -> None:
    # DVT risk factors and a painful calf but no rule-level sign: the probability decides.
    r = engine.assess(
        {
            "pain_calf": True,
            "recent_surgery_or_bedrest": True,
            "hormonal_contraception_or_hrt": True,
            "recent_long_travel": True,
            "aching_heavy": True,
            "side": "left",
        }
    )
    d = r.to_dict()
    assert d["triage_basis"]["condition"]["id"] == "deep_vein_thrombosis"
    assert r.level == "urgent"
