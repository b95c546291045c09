"""Safety rule 3: advice is filtered by what might be wrong."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings

from legpain.engine import Engine
from legpain.engine.advice import AdviceSelection, possible_conditions, select_advice
from legpain.knowledge import KnowledgeBase

from strategies import answers

ARTERIAL = {"peripheral_artery_disease", "acute_limb_ischaemia"}
# Words that mean an item recommends one of the filtered treatments.
TAG_WORDS = {
    "leg_raising": re.compile(r"\b(rais\w*|elevat\w*|prop\w* (your )?(legs?|feet))\b", re.I),
    "compression": re.compile(r"\bcompression\b", re.I),
    "massage": re.compile(r"\b(massag\w*|rub\w*)\b", re.I),
}


WARNS = re.compile(r"\b(not|don't|avoid|never|stop|worse|instead)\b", re.I)


def _selection_tags(kb: KnowledgeBase, selection: AdviceSelection) -> set[str]:
    by_id = {a.id: a for a in kb.advice}
    return {t for item in selection.items for t in by_id[item.id].tags}


def _tags_shown(result: Any) -> set[str]:
    return _selection_tags(result.kb, result.advice)


def test_items_that_recommend_a_filtered_treatment_carry_its_tag(kb: KnowledgeBase) -> None:
    for a in kb.advice:
        if a.kind not in ("tonight",):
            continue
        # A sentence that names the treatment recommends it unless it warns against it.
        for sentence in re.split(r"(?<=[.!?;:])\s+|,\s+while\s+", a.text):
            if WARNS.search(sentence):
                continue
            for tag, words in TAG_WORDS.items():
                if words.search(sentence):
                    assert tag in a.tags, f"{a.id} recommends {tag} but is not tagged: {a.text}"


def test_no_advice_ever_recommends_quinine(kb: KnowledgeBase) -> None:
    for a in kb.advice:
        if "quinine" in a.text.lower():
            assert "quinine_warning" in a.tags, a.id
            assert re.search(r"\b(not|don't|avoid|never)\b", a.text, re.I), a.id
        assert "quinine" not in a.tags


def test_arterial_disease_possible_withholds_leg_raising_and_compression(engine: Engine) -> None:
    kb = engine.kb
    ranked = [("chronic_venous_insufficiency", 0.8), ("peripheral_artery_disease", 0.06)]
    ranked += [(c, 0.0) for c in kb.conditions if c not in dict(ranked)]
    sel = select_advice(kb, ranked)
    shown = _selection_tags(kb, sel)
    assert not shown & {"leg_raising", "compression"}
    assert any("peripheral_artery_disease" in w.because_possible for w in sel.withheld)
    # Once arterial disease is not possible, venous advice may raise the legs.
    ranked_safe = [(c, 0.8 if c == "chronic_venous_insufficiency" else 0.0) for c in kb.conditions]
    sel_safe = select_advice(kb, ranked_safe)
    shown_safe = _selection_tags(kb, sel_safe)
    assert "leg_raising" in shown_safe


def test_possible_clot_withholds_massage(engine: Engine) -> None:
    kb = engine.kb
    ranked = [("restless_legs_syndrome", 0.9), ("deep_vein_thrombosis", 0.05)]
    ranked += [(c, 0.0) for c in kb.conditions if c not in dict(ranked)]
    sel = select_advice(kb, ranked)
    tags = _selection_tags(kb, sel)
    assert "massage" not in tags
    no_clot = [(c, 0.9 if c == "restless_legs_syndrome" else 0.0) for c in kb.conditions]
    tags_ok = _selection_tags(kb, select_advice(kb, no_clot))
    assert "massage" in tags_ok


def test_a_suspected_condition_counts_as_possible(engine: Engine) -> None:
    kb = engine.kb
    ranked = [(c, 1.0 if c == "nocturnal_leg_cramps" else 0.0) for c in kb.conditions]
    assert "deep_vein_thrombosis" in possible_conditions(kb, ranked, ["deep_vein_thrombosis"])


@settings(max_examples=200, deadline=None)
@given(answered=answers(max_size=30))
def test_filter_holds_for_any_answers(engine: Engine, answered: dict[str, Any]) -> None:
    result = engine.assess(answered)
    probs = result.probabilities()
    threshold = engine.kb.policy.possible_threshold
    tags = _tags_shown(result)
    if any(probs[c] >= threshold for c in ARTERIAL):
        assert not tags & {"leg_raising", "compression", "heat"}
    if probs["deep_vein_thrombosis"] >= threshold:
        assert "massage" not in tags
    assert "quinine" not in tags
    for item in result.advice.items:
        assert "quinine" not in item.text.lower() or "not" in item.text.lower()


def test_every_condition_has_advice_of_each_kind(kb: KnowledgeBase) -> None:
    for cid in kb.conditions:
        kinds = {a.kind for a in kb.advice if cid in a.conditions or "any" in a.conditions}
        assert {"tonight", "watch_for", "tests", "ask_doctor"} <= kinds, cid


def test_result_advice_is_for_the_top_causes(engine: Engine) -> None:
    r = engine.assess(
        {"urge_to_move": True, "relieved_by_movement": True, "worse_evening_night": True}
    )
    d = r.to_dict()
    assert d["advice"]["tonight"], "there is something to do tonight"
    assert d["advice"]["ask_doctor"]
    assert any(
        "iron" in a["text"].lower() or "ferritin" in a["text"].lower()
        for a in d["advice"]["tests"] + d["advice"]["ask_doctor"]
    )
