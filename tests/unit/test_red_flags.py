"""The v2 red-flag rules, one case at a time, and the 'not answered no' test form."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from legpain.engine import Engine
from legpain.engine.scores import evaluate
from legpain.knowledge import KnowledgeBase, KnowledgeError, load_knowledge_from
from legpain.knowledge._loader import _data_root
from legpain.knowledge._schema import Expr

V2_RULES = {
    "child_fever_with_limp_or_swollen_joint",
    "fever_with_hot_joint_or_cannot_bear_weight",
    "pregnancy_breathless_or_chest_pain",
    "dark_urine_with_muscle_pain",
    "weakness_spreading_up_quickly",
    "injury_or_cast_with_severe_pain",
    "fall_older_or_anticoagulated_cannot_bear_weight",
    "cancer_with_back_pain_and_nerve_signs",
    "night_pain_with_cancer_signs",
    "child_pain_not_typical_of_growing_pains",
    "child_unusual_bruising_or_pallor",
    "child_with_systemic_signs",
    "fever_with_bone_or_joint_pain",
    "pregnancy_one_leg_pain_or_swelling",
    "weakness_spreading_up",
    "dark_urine",
    "fall_older_or_anticoagulated_hip_pain",
    "child_signs_not_all_asked",
}
V2_WARNINGS = {
    "cannot_bear_weight",
    "dark_urine",
    "unusual_bruising_or_pallor",
    "weakness_spreading_up",
}


def fired(engine: Engine, answers: dict[str, object]) -> set[str]:
    return {r.id for r in engine.assess(answers).triage.rules}


# --- the knowledge ---------------------------------------------------------------------------


def test_every_v2_rule_cites_a_guideline_or_paper_and_where(kb: KnowledgeBase) -> None:
    rules = {r.id: r for r in kb.triage_rules}
    assert set(rules) >= V2_RULES
    for rid in V2_RULES:
        r = rules[rid]
        assert kb.sources[r.source].kind in ("guideline", "paper"), rid
        assert r.where, f"{rid}: say which section of {r.source}"


def test_the_v2_warning_signs_are_warnings_in_screens_and_rules(kb: KnowledgeBase) -> None:
    assert kb.warning_findings >= V2_WARNINGS
    screened = {f for s in kb.interview.screens for f in s.items}
    assert screened >= V2_WARNINGS
    assert {"screen_emergency", "screen_leg_signs", "screen_general"} <= {
        s.id for s in kb.interview.screens
    }
    for s in kb.interview.screens:
        assert len(s.items) <= 8, f"{s.id}: keep screens short"


def test_the_bruising_message_is_calm(kb: KnowledgeBase) -> None:
    rule = next(r for r in kb.triage_rules if r.id == "child_unusual_bruising_or_pallor")
    assert "a doctor will want to see" in rule.message
    for word in ("leukaemia", "cancer", "urgent!", "danger"):
        assert word not in rule.message.lower()


# --- the 'not answered no' form --------------------------------------------------------------


def test_yaml_booleans_in_is_not_are_value_names() -> None:
    e = Expr.model_validate(yaml.safe_load("{finding: fever, is_not: [false]}"))
    assert e.is_not == ["false"]


@pytest.mark.parametrize(("answer", "truth"), [(True, True), (None, True), (False, False)])
def test_not_answered_no_is_true_for_yes_and_unknown(answer: bool | None, truth: bool) -> None:
    e = Expr.model_validate({"finding": "fever", "is_not": [False]})
    answers = {} if answer is None else {"fever": answer}
    assert evaluate(e, answers, {}) is truth


def data_copy(tmp_path: Path) -> Path:
    dest = tmp_path / "data"
    shutil.copytree(Path(str(_data_root())), dest)
    return dest


def _with_rule_test(root: Path, when: object) -> list[str]:
    path = root / "triage.yaml"
    raw = yaml.safe_load(path.read_text())
    raw["rules"].append(raw["rules"][0] | {"id": "probe", "when": when})
    path.write_text(yaml.safe_dump(raw, sort_keys=False))
    try:
        load_knowledge_from(root)  # type: ignore[arg-type]
    except KnowledgeError as exc:
        return exc.problems
    return []


@pytest.mark.parametrize(
    "when",
    [
        {"finding": "fever", "is_not": [True]},  # a negation: a yes would switch it off
        {"finding": "fever", "in": [False]},  # "answered no": a yes would switch it off
        {"finding": "fever", "in": [True]},
        {"finding": "fever", "is_not": [False, True]},
        {"not": {"finding": "fever"}},
    ],
)
def test_the_loader_refuses_non_monotone_tests_on_yes_no_findings(
    tmp_path: Path, when: object
) -> None:
    problems = _with_rule_test(data_copy(tmp_path), when)
    assert any("rule 'probe'" in p for p in problems), problems


def test_the_loader_accepts_not_answered_no(tmp_path: Path) -> None:
    assert _with_rule_test(data_copy(tmp_path), {"finding": "fever", "is_not": [False]}) == []


# --- the rules, case by case -----------------------------------------------------------------


def test_a_baby_under_one_is_a_child_under_3(engine: Engine) -> None:
    r = engine.assess({"age": 0.5})
    assert "child_pain_not_typical_of_growing_pains" in {f.id for f in r.triage.rules}
    assert r.level == "urgent"


def test_a_child_with_every_sign_denied_is_not_held_at_routine_by_the_review(
    engine: Engine,
) -> None:
    denied = {
        "age": 7,
        "side": "both",
        "limp": False,
        "cannot_bear_weight": False,
        "pain_in_daytime": False,
        "pain_constant": False,
        "bone_tenderness": False,
        "lump_or_mass": False,
        "joint_swelling": False,
        "unusual_bruising_or_pallor": False,
        "fever": False,
        "night_sweats": False,
        "weight_loss_unexplained": False,
    }
    assert "child_signs_not_all_asked" not in fired(engine, denied)
    # One sign unanswered keeps the review; answering it "no" lifts it: denying
    # a sign may lower the level (it adds no sign), answering "yes" may not.
    partly = {k: v for k, v in denied.items() if k != "fever"}
    assert "child_signs_not_all_asked" in fired(engine, partly)
    assert "child_with_systemic_signs" in fired(engine, partly | {"fever": True})


def test_an_adult_is_not_read_as_a_child(engine: Engine) -> None:
    got = fired(engine, {"age": 18, "side": "left", "fever": True, "limp": True})
    assert not {r for r in got if r.startswith("child_")}


def test_slow_spreading_weakness_is_urgent_and_fast_is_an_emergency(engine: Engine) -> None:
    slow = fired(engine, {"weakness_spreading_up": True, "duration": "months"})
    assert "weakness_spreading_up_quickly" not in slow and "weakness_spreading_up" in slow
    unknown = engine.assess({"weakness_spreading_up": True})
    assert unknown.level == "emergency"  # unknown duration is treated as fast


def test_severe_pain_in_a_cast_is_an_emergency_but_moderate_is_not_by_that_rule(
    engine: Engine,
) -> None:
    assert engine.assess({"leg_in_cast_or_immobile": True, "pain_severity": 8}).level == "emergency"
    assert "injury_or_cast_with_severe_pain" not in fired(
        engine, {"leg_in_cast_or_immobile": True, "pain_severity": 7}
    )


def test_a_fall_at_65_with_hip_pain_is_urgent_and_not_standing_an_emergency(
    engine: Engine,
) -> None:
    hip = {"recent_injury": True, "age": 80, "pain_outer_hip": True}
    assert "fall_older_or_anticoagulated_hip_pain" in fired(engine, hip)
    assert engine.assess(hip | {"cannot_bear_weight": True}).level == "emergency"
    assert "fall_older_or_anticoagulated_hip_pain" not in fired(engine, hip | {"age": 40})


def test_postpartum_breathlessness_with_both_legs_swollen_is_an_emergency(engine: Engine) -> None:
    # Outside pregnancy this picture is the heart-failure pattern (urgent).
    picture = {"short_of_breath": True, "swelling_both_legs": True, "side": "both"}
    assert engine.assess(picture).level == "urgent"
    assert engine.assess(picture | {"recently_gave_birth": True}).level == "emergency"


def test_cancer_with_back_pain_and_numbness_is_an_emergency(engine: Engine) -> None:
    r = engine.assess({"previous_cancer": True, "back_pain": True, "numbness": True})
    assert r.level == "emergency"
    assert "cancer_with_back_pain_and_nerve_signs" in {f.id for f in r.triage.rules}
