"""Clinical scores as published: items, incompleteness, no double counting, and
scores shown only where their condition is in question."""

from __future__ import annotations

from typing import Any

import pytest

from legpain.engine import Engine
from legpain.engine.scores import compute_score
from legpain.knowledge import KnowledgeBase


def items(kb: KnowledgeBase, sid: str, answered: dict[str, Any]) -> dict[str, str]:
    return {i.id: i.status for i in compute_score(kb.scores[sid], answered).items}


RLS_CORE = {"urge_to_move": True, "worse_evening_night": True, "relieved_by_movement": True}


# --- IRLSSG 2014 ---------------------------------------------------------------


def test_stretching_helping_does_not_fail_criterion_5(kb: KnowledgeBase) -> None:
    s = items(kb, "irlssg_rls", RLS_CORE | {"relieved_by_stretching": True})
    assert s["not_solely_another_condition"] == "met"
    r = compute_score(kb.scores["irlssg_rls"], RLS_CORE | {"relieved_by_stretching": True})
    assert r.all_met and r.band


def test_stretching_is_relief_by_movement(kb: KnowledgeBase) -> None:
    s = items(kb, "irlssg_rls", {"relieved_by_stretching": True})
    assert s["relieved_by_movement"] == "met"


def test_a_mimic_beside_rls_does_not_fail_criterion_5(kb: KnowledgeBase) -> None:
    s = items(
        kb, "irlssg_rls", RLS_CORE | {"sudden_tight_muscle": True, "worse_lying_on_side": True}
    )
    assert s["not_solely_another_condition"] == "met"


def test_criterion_5_fails_only_when_a_mimic_alone_explains(kb: KnowledgeBase) -> None:
    alone = {"sudden_tight_muscle": True, "urge_to_move": False}
    assert items(kb, "irlssg_rls", alone)["not_solely_another_condition"] == "not_met"
    # a mimic with the urge not asked: open, not failed
    assert (
        items(kb, "irlssg_rls", {"sudden_tight_muscle": True})["not_solely_another_condition"]
        == "unknown"
    )
    assert items(kb, "irlssg_rls", {})["not_solely_another_condition"] == "unknown"


# --- Sugioka / Konno ---------------------------------------------------------------


def _single_answers(kb: KnowledgeBase, sid: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in kb.scores[sid].items:
        if item.when is None:
            continue
        for fid in item.when.findings():
            f = kb.findings[fid]
            if f.type == "boolean":
                out.append({fid: True})
            elif f.type == "choice":
                out += [{fid: c} for c in f.choices or []]
            else:
                out += [{fid: float(a)} for a in range(0, 110, 5)]
    return out


@pytest.mark.parametrize("sid", ["lss_self_report", "wells_dvt"])
def test_one_answer_never_scores_two_items(kb: KnowledgeBase, sid: str) -> None:
    for answered in _single_answers(kb, sid):
        met = [i for i, st in items(kb, sid, answered).items() if st == "met"]
        assert len(met) <= 1, (answered, met)


def test_lumbar_stenosis_is_marked_incomplete(kb: KnowledgeBase) -> None:
    answered = {
        "age": 72,
        "duration": "months",
        "worse_after_standing_day": True,
        "walking_pain_relieved_by_sitting_or_bending": True,
    }
    r = compute_score(kb.scores["lss_self_report"], answered)
    assert r.points == 3 + 1 + 2 + 1  # age, months, standing, claudication: one answer once
    assert not r.complete
    assert {"better_bending_forward", "better_bending_backward"} <= set(r.missing)
    assert r.to_dict()["complete"] is False
    assert r.band and "7 or more" in r.band


# --- Wells -------------------------------------------------------------------------


def _shown(engine: Engine, answered: dict[str, Any]) -> list[str]:
    return [s["id"] for s in engine.assess(answered).to_dict()["scores"]]


def test_wells_not_shown_where_no_clot_is_in_question(engine: Engine) -> None:
    cramps = {
        "active_cancer": True,
        "sudden_tight_muscle": True,
        "relieved_by_stretching": True,
        "episodes_seconds_minutes": True,
        "age": 70,
    }
    r = engine.assess(cramps)
    assert r.probabilities()["deep_vein_thrombosis"] < engine.kb.policy.possible_threshold
    assert "wells_dvt" not in _shown(engine, cramps)
    assert r.scores["wells_dvt"].points == 1  # still computed, just not shown
    assert r.scores["wells_dvt"].shown is False


@pytest.mark.parametrize("sign", ["swelling_one_leg", "calf_tenderness"])
def test_wells_shown_with_a_clot_sign(engine: Engine, sign: str) -> None:
    assert "wells_dvt" in _shown(engine, {sign: True})


def test_wells_shown_when_a_dvt_rule_fires(engine: Engine) -> None:
    r = engine.assess({"active_cancer": True, "previous_dvt": True})
    assert any(f.suspect == "deep_vein_thrombosis" for f in r.triage.rules)
    assert "wells_dvt" in _shown(engine, {"active_cancer": True, "previous_dvt": True})


def test_wells_wording_says_a_home_score_only_under_counts(kb: KnowledgeBase) -> None:
    wells = kb.scores["wells_dvt"]
    assert wells.note and "only under-count" in wells.note
    low = next(b for b in wells.bands if b.at_least < 2)
    assert "does not rule out" in low.label


# --- Edinburgh Claudication Questionnaire -------------------------------------------


def test_edinburgh_has_all_its_published_items(kb: KnowledgeBase) -> None:
    ecq = kb.scores["claudication_questions"]
    texts = [i.text for i in ecq.items]
    for number in ("1.", "2.", "3.", "4.", "5.", "6."):
        assert any(t.startswith(number) for t in texts), number
    assert "Edinburgh" in ecq.name


def test_edinburgh_positive_so_far_is_marked_incomplete(kb: KnowledgeBase) -> None:
    r = compute_score(
        kb.scores["claudication_questions"], {"walking_calf_pain_relieved_by_standing": True}
    )
    assert r.band is not None and not r.complete and not r.all_met
    assert {"never_at_rest", "uphill_or_hurrying", "grade_ordinary_pace"} <= set(r.missing)


def test_edinburgh_spinal_pattern_is_not_claudication(kb: KnowledgeBase) -> None:
    r = compute_score(
        kb.scores["claudication_questions"],
        {
            "walking_pain_relieved_by_sitting_or_bending": True,
            "walking_calf_pain_relieved_by_standing": False,
        },
    )
    assert r.band is None
    assert {i.id: i.status for i in r.items}["gone_within_10_minutes"] == "not_met"
